package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckUnknownWhenICMPUnavailable: an unprivileged user in a namespace
// whose ping_group_range excludes everyone can open no ICMP socket, so the
// icmp check is UNKNOWN (with the fixes named) and `check` exits 3.
func TestCheckUnknownWhenICMPUnavailable(t *testing.T) {
	if os.Geteuid() != 0 {
		if os.Getenv("NOCTOP_REQUIRE_ICMP") == "1" {
			t.Fatal("needs root for a network namespace, and NOCTOP_REQUIRE_ICMP=1 forbids skipping")
		}
		t.Skip("needs root to create a network namespace and drop to uid 65534")
	}
	ns := fmt.Sprintf("noctop-e2e-%d", os.Getpid())
	sh := func(args ...string) {
		t.Helper()
		if out, err := exec.Command(args[0], args[1:]...).CombinedOutput(); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
	}
	sh("ip", "netns", "add", ns)
	t.Cleanup(func() { exec.Command("ip", "netns", "del", ns).Run() })
	sh("ip", "-n", ns, "link", "set", "lo", "up")
	sh("ip", "netns", "exec", ns, "sh", "-c", `echo "1 0" > /proc/sys/net/ipv4/ping_group_range`)

	// uid 65534 must reach the binary and the config: both live in the
	// binary's folder, opened up for the test.
	dir := filepath.Dir(binPath)
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "icmp-unavailable.toml")
	cfg := "[[asset]]\nname = \"me\"\naddress = \"127.0.0.1\"\n  [[asset.check]]\n  type = \"icmp\"\n  [[asset.check]]\n  type = \"host\"\n"
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("ip", "netns", "exec", ns, "setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups",
		binPath, "check", "-c", path)
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	out, err := cmd.CombinedOutput()
	code := cmd.ProcessState.ExitCode()
	if code != 3 {
		t.Fatalf("exit %d (%v), want 3\n%s", code, err, out)
	}
	for _, want := range []string{"icmp unavailable", "? UNKNOWN", "setcap cap_net_raw+ep", "ping_group_range"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
