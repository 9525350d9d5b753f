package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// ipRun runs ip(8) and fails the test on error.
func ipRun(t *testing.T, args ...string) {
	t.Helper()
	if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
		t.Fatalf("ip %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// A host whose routing table has an IPv6 default route but no IPv6 router
// on its link, and a second IPv4 route through a router that is gone:
// init, run there, writes only the gateway that answers and says why it
// left the others out. The host and its router are network namespaces this
// test makes; the only packets are the ones a `noctop check` inside sends
// to make the kernel try its neighbours.
func TestInitLeavesOutGatewaysThatNeverAnswered(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("network namespaces need root")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		t.Skip("ip(8) not installed")
	}
	host, router := fmt.Sprintf("noctop-init-%d", os.Getpid()), fmt.Sprintf("noctop-initr-%d", os.Getpid())
	for _, ns := range []string{host, router} {
		if out, err := exec.Command("ip", "netns", "add", ns).CombinedOutput(); err != nil {
			t.Skipf("cannot create a network namespace: %v: %s", err, out)
		}
		t.Cleanup(func() { _ = exec.Command("ip", "netns", "del", ns).Run() })
		ipRun(t, "-n", ns, "link", "set", "lo", "up")
	}
	ipRun(t, "-n", host, "link", "add", "v0", "type", "veth", "peer", "name", "v1", "netns", router)
	ipRun(t, "-n", host, "link", "set", "v0", "up")
	ipRun(t, "-n", router, "link", "set", "v1", "up")
	ipRun(t, "-n", host, "addr", "add", "10.9.0.2/24", "dev", "v0")
	ipRun(t, "-n", router, "addr", "add", "10.9.0.1/24", "dev", "v1")
	ipRun(t, "-n", host, "addr", "add", "fd00:9::2/64", "dev", "v0", "nodad")
	ipRun(t, "-n", host, "route", "add", "default", "via", "10.9.0.1", "metric", "100")
	ipRun(t, "-n", host, "route", "add", "default", "via", "10.9.0.3", "metric", "200")
	ipRun(t, "-n", host, "-6", "route", "add", "default", "via", "fd00:9::1", "dev", "v0")
	// One solicitation, 100 ms apart: a missing neighbour is known at once.
	for _, fam := range []string{"ipv4", "ipv6"} {
		for key, val := range map[string]string{"retrans_time_ms": "100", "mcast_solicit": "1", "ucast_solicit": "1"} {
			ipRun(t, "netns", "exec", host, "sysctl", "-qw", fmt.Sprintf("net.%s.neigh.v0.%s=%s", fam, key, val))
		}
	}

	// Reach through each gateway once, so the kernel asks for each.
	probe := writeConfig(t, `
[defaults]
timeout = "1s"
[[asset]]
name = "via-router"
address = "10.9.0.1"
  [[asset.check]]
  type = "tcp"
  port = 9
[[asset]]
name = "gone-router"
address = "10.9.0.3"
  [[asset.check]]
  type = "tcp"
  port = 9
[[asset]]
name = "ipv6-world"
address = "2001:db8::5"
  [[asset.check]]
  type = "tcp"
  port = 9
`)
	_ = exec.Command("ip", "netns", "exec", host, binPath, "check", "-c", probe).Run()

	path := filepath.Join(t.TempDir(), "starter.toml")
	out, err := exec.Command("ip", "netns", "exec", host, binPath, "init", path).CombinedOutput()
	if err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(text), `address = "10.9.0.1"`) || strings.Contains(string(text), "10.9.0.3") ||
		strings.Contains(string(text), "fd00:9::1") || strings.Contains(string(text), "Default route") {
		t.Errorf("want only the gateway 10.9.0.1 and no \"Default route\" service:\n%s", text)
	}
	for _, want := range []string{"this host, 1 gateway,", "left out the IPv4 gateway 10.9.0.3 (v0)", "left out the IPv6 gateway fd00:9::1 (v0)"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("init's output lacks %q:\n%s", want, out)
		}
	}
	if _, stderr, code := runBin(t, nil, "validate", "-c", path); code != 0 {
		t.Errorf("the starter config does not validate:\n%s", stderr)
	}
}
