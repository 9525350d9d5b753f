package discover_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"noctop/discover"
	"noctop/model"
	"noctop/probes"
)

// net-snmp's snmpd in a network namespace the test creates: one agent
// answering v2c on 127.0.0.1 (a Linux host: system group and
// HOST-RESOURCES), one answering SNMPv3 only on 127.0.0.2. Discovery runs
// inside the namespace in a child process (this test binary again), since
// a sweep's sockets are opened by many goroutines.

const envNetnsPort = "NOCTOP_DISCOVER_NETNS_PORT"

func TestDiscoverSnmpdNetns(t *testing.T) {
	if os.Geteuid() != 0 {
		skipOrFail(t, "needs root to create a network namespace")
	}
	snmpd, err := exec.LookPath("snmpd")
	if err != nil {
		if snmpd = "/usr/sbin/snmpd"; !exists(snmpd) {
			skipOrFail(t, "snmpd not installed: %v", err)
		}
	}
	ns := fmt.Sprintf("noctop-disc-%d", os.Getpid())
	if out, err := exec.Command("ip", "netns", "add", ns).CombinedOutput(); err != nil {
		skipOrFail(t, "ip netns add: %v: %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("ip", "netns", "del", ns).Run() })
	if out, err := exec.Command("ip", "-n", ns, "link", "set", "lo", "up").CombinedOutput(); err != nil {
		t.Fatalf("lo up: %v: %s", err, out)
	}
	port := 20000 + os.Getpid()%20000 // a fresh namespace has every port free
	startNetnsSNMPD(t, ns, snmpd, "127.0.0.1", port, "rocommunity public 127.0.0.1\nsysName ns-snmpd\n")
	startNetnsSNMPD(t, ns, snmpd, "127.0.0.2", port, "createUser ops SHA \"authpass1\" AES \"privpass1\"\nrouser ops priv\nsysName v3-only\n")
	cmd := exec.Command("ip", "netns", "exec", ns, os.Args[0], "-test.run=^TestDiscoverSnmpdNetnsChild$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), envNetnsPort+"="+strconv.Itoa(port))
	out, err := cmd.CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("--- PASS: TestDiscoverSnmpdNetnsChild")) {
		t.Fatalf("discovery in the namespace: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}

// TestDiscoverSnmpdNetnsChild is the part inside the namespace.
func TestDiscoverSnmpdNetnsChild(t *testing.T) {
	port, err := strconv.Atoi(os.Getenv(envNetnsPort))
	if err != nil {
		t.Skip("runs inside TestDiscoverSnmpdNetns's namespace only")
	}
	res := run(t, discover.Options{ICMP: icmp(t), Creds: discover.Credentials{Port: port}, Timeout: time.Second}, "127.0.0.0/29")
	got := map[string]*discover.Host{}
	for _, h := range res.Hosts {
		got[h.Addr.String()] = h
		t.Logf("%s: %s kind %q problem %v", h.Addr, h.Name, h.Kind, h.Problem)
	}
	h := got["127.0.0.1"]
	if h == nil || !h.SNMP() || h.SysName != "ns-snmpd" || h.Kind != discover.KindServer || h.Profile != "host" ||
		!strings.HasPrefix(h.SysObjectID, ".1.3.6.1.4.1.8072.3.2.") || !slices.Contains(h.Roots, probes.RootHostStorage) || !strings.HasPrefix(h.SysDescr, "Linux") {
		t.Errorf("snmpd v2c: %+v", h)
	}
	if h := got["127.0.0.2"]; h == nil || !errors.Is(h.Problem, discover.ErrV3Only) {
		t.Errorf("snmpd v3 only: %+v", h)
	}
	if h := got["127.0.0.3"]; h == nil || !errors.Is(h.Problem, discover.ErrSilent) {
		t.Errorf("no agent: %+v", h)
	}
	cfg := discover.Write(res.Hosts, discover.Credentials{Port: port})
	if !strings.Contains(cfg, "  profile = \"host\"\n") {
		t.Errorf("written config:\n%s", cfg)
	}
	// The written snmp check reads the agent's HOST-RESOURCES: memory and
	// disks (hrProcessorLoad stays empty for snmpd's first minute).
	parsed, err := model.Parse("found.toml", []byte(cfg))
	if err != nil || len(parsed.Assets) != 1 {
		t.Fatalf("written config: %v\n%s", err, cfg)
	}
	set := probes.NewSet()
	defer set.Close()
	a := &parsed.Assets[0]
	for i := range a.Checks {
		c := &a.Checks[i]
		if c.Type != model.CheckSNMP {
			continue
		}
		pr, err := set.Prepare(probes.Target{Asset: a, Check: c})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(t.Context(), c.Timeout.Duration)
		o := pr.Run(ctx)
		cancel()
		t.Logf("discovered snmp check: %s %s", o.Status, o.Summary)
		if _, ok := o.Metrics[model.MetricMem]; !ok || o.Attrs["sys_name"] != "ns-snmpd" {
			t.Errorf("the discovered snmp check: %s %q, metrics %v", o.Status, o.Summary, o.Metrics)
		}
	}
	v3 := discover.Credentials{Version: "3", User: "ops", AuthProtocol: "SHA", AuthPassword: "authpass1", PrivProtocol: "AES", PrivPassword: "privpass1", Port: port}
	res = run(t, discover.Options{ICMP: icmp(t), Creds: v3, Timeout: time.Second}, "127.0.0.2")
	if a := res.Answered(); len(a) != 1 || a[0].SysName != "v3-only" || a[0].Kind != discover.KindServer {
		t.Errorf("snmpd v3 with the user: %+v", res.Hosts[0])
	}
}

// startNetnsSNMPD runs snmpd inside ns on addr:port and waits for its
// start line.
func startNetnsSNMPD(t *testing.T, ns, bin, addr string, port int, conf string) {
	t.Helper()
	dir := t.TempDir()
	persist := filepath.Join(dir, "persist") // snmpd rewrites its snmpd.conf there
	if err := os.Mkdir(persist, 0o700); err != nil {
		t.Fatal(err)
	}
	confPath := filepath.Join(dir, "snmpd.conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("ip", "netns", "exec", ns, bin, "-f", "-Lo", "-C", "-c", confPath, "-m", "", "-M", "/dev/null",
		"-p", filepath.Join(dir, "snmpd.pid"), fmt.Sprintf("udp:%s:%d", addr, port))
	cmd.Env = append(os.Environ(), "SNMP_PERSISTENT_DIR="+persist, "MIBS=", "MIBDIRS=/dev/null")
	out := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start snmpd: %v", err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	t.Cleanup(func() { _ = cmd.Process.Kill(); <-done })
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		select {
		case <-done:
			t.Fatalf("snmpd on %s exited:\n%s", addr, out.String())
		default:
		}
		if strings.Contains(out.String(), "NET-SNMP version") {
			return
		}
	}
	t.Fatalf("snmpd on %s did not start:\n%s", addr, out.String())
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

// skipOrFail skips, unless NOCTOP_REQUIRE_SNMPD=1 says the test must run.
func skipOrFail(t *testing.T, format string, args ...any) {
	t.Helper()
	if os.Getenv("NOCTOP_REQUIRE_SNMPD") == "1" {
		t.Fatalf(format, args...)
	}
	t.Skipf(format, args...)
}
