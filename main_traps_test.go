package main

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
)

// freeUDPPort returns a UDP port on 127.0.0.1 that was free a moment ago.
func freeUDPPort(t *testing.T) int {
	t.Helper()
	c, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	return c.LocalAddr().(*net.UDPAddr).Port
}

// The headless monitor receives a real trap (net-snmp's snmptrap from
// 127.0.0.5), logs it as an event of core-sw1 and rechecks core-sw1 at
// once: its failing tcp check, whose retry interval is an hour, goes from
// soft 1/2 to hard right after the trap.
func TestHeadlessReceivesTraps(t *testing.T) {
	snmptrap, err := exec.LookPath("snmptrap")
	if err != nil {
		if os.Getenv("NOCTOP_REQUIRE_SNMPD") == "1" {
			t.Fatal("snmptrap not found and NOCTOP_REQUIRE_SNMPD=1")
		}
		t.Skipf("snmptrap not found (net-snmp's snmp package): %v", err)
	}
	port := freeUDPPort(t)
	path := writeConfig(t, fmt.Sprintf(`
[[asset]]
name = "core-sw1"
address = "127.0.0.5"
  [[asset.check]]
  type = "tcp"
  port = %d
  interval = "1h"
  retry_interval = "1h"
  retries = 2
  timeout = "1s"

[traps]
listen = "127.0.0.1:%d"
communities = ["public"]
`, closedPort(t), port))
	h := startHeadless(t, path)
	h.waitLine(t, "the receiver listening", func(l logLine) bool {
		return l.Kind == "trap" && strings.HasPrefix(l.Msg, "SNMP trap receiver listening on udp 127.0.0.1:")
	})
	h.waitLine(t, "the first run, soft 1/2", func(l logLine) bool { // within the scheduler's 10s spread
		return l.Check == "tcp" && strings.HasSuffix(l.Msg, "(soft 1/2)")
	})
	dir := t.TempDir()
	trap := exec.Command(snmptrap, "-m", "", "-v", "2c", "-c", "public", "--clientaddr=127.0.0.5",
		fmt.Sprintf("udp:127.0.0.1:%d", port), "", "1.3.6.1.6.3.1.1.5.3",
		"1.3.6.1.2.1.2.2.1.1.3", "i", "3", "1.3.6.1.2.1.31.1.1.1.1.3", "s", "Gi0/3")
	trap.Env = append(os.Environ(), "SNMPCONFPATH="+dir, "SNMP_PERSISTENT_DIR="+dir, "HOME="+dir)
	if out, err := trap.CombinedOutput(); err != nil {
		t.Fatalf("snmptrap: %v\n%s", err, out)
	}
	ev := h.waitLine(t, "the trap event", func(l logLine) bool { return l.Kind == "trap" && l.Asset == "core-sw1" })
	if ev.Msg != "linkDown ifIndex 3 (Gi0/3)" {
		t.Errorf("trap logged as %v", ev)
	}
	h.waitLine(t, "the recheck the trap asked for", func(l logLine) bool {
		return l.Check == "tcp" && l.Hard && l.To == "CRITICAL"
	})

	h.signal(t, syscall.SIGTERM)
	if code, _ := h.wait(t); code != 0 {
		t.Fatalf("after SIGTERM: exit %d, want 0\n%s", code, h.log())
	}
}

// `noctop check` never starts the receiver: the trap port stays free.
func TestCheckDoesNotReceiveTraps(t *testing.T) {
	port := freeUDPPort(t)
	hold, err := net.ListenPacket("udp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		t.Fatal(err)
	}
	defer hold.Close()
	path := writeConfig(t, tcpAsset("db", listening(t))+fmt.Sprintf("\n[traps]\nlisten = \"127.0.0.1:%d\"\ncommunities = [\"public\"]\n", port))
	// The port is taken: a receiver would fail to bind, and check would
	// say so. It does not try.
	if stdout, stderr, code := runBin(t, nil, "check", "-c", path); code != 0 {
		t.Errorf("check: exit %d\n%s%s", code, stdout, stderr)
	}
	// The monitor does try, and says why it cannot run.
	if _, stderr, code := runBin(t, nil, "--headless", "-c", path); code == 0 || !strings.Contains(stderr, "address already in use") {
		t.Errorf("monitor with the trap port taken: exit %d\n%s", code, stderr)
	}
}
