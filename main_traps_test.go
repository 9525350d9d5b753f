package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
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
	cmd := exec.Command(binPath, "--headless", "-c", path, "--log-format", "json")
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	lines := make(chan map[string]any)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			var line map[string]any
			if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
				line = map[string]any{"msg": "not JSON: " + sc.Text()}
			}
			lines <- line
		}
	}()
	var seen []string
	waitLine := func(match func(map[string]any) bool) map[string]any {
		t.Helper()
		timeout := time.After(20 * time.Second)
		for {
			select {
			case line, ok := <-lines:
				if !ok {
					t.Fatalf("noctop exited; log:\n%s", strings.Join(seen, "\n"))
				}
				seen = append(seen, fmt.Sprint(line))
				if match(line) {
					return line
				}
			case <-timeout:
				t.Fatalf("no matching log line; log:\n%s", strings.Join(seen, "\n"))
			}
		}
	}
	waitLine(func(l map[string]any) bool {
		return l["kind"] == "trap" && strings.HasPrefix(fmt.Sprint(l["msg"]), "SNMP trap receiver listening on udp 127.0.0.1:")
	})
	waitLine(func(l map[string]any) bool { // the first run, within the scheduler's 10s spread
		return l["check"] == "tcp" && strings.HasSuffix(fmt.Sprint(l["msg"]), "(soft 1/2)")
	})
	dir := t.TempDir()
	trap := exec.Command(snmptrap, "-m", "", "-v", "2c", "-c", "public", "--clientaddr=127.0.0.5",
		fmt.Sprintf("udp:127.0.0.1:%d", port), "", "1.3.6.1.6.3.1.1.5.3",
		"1.3.6.1.2.1.2.2.1.1.3", "i", "3", "1.3.6.1.2.1.31.1.1.1.1.3", "s", "Gi0/3")
	trap.Env = append(os.Environ(), "SNMPCONFPATH="+dir, "SNMP_PERSISTENT_DIR="+dir, "HOME="+dir)
	if out, err := trap.CombinedOutput(); err != nil {
		t.Fatalf("snmptrap: %v\n%s", err, out)
	}
	ev := waitLine(func(l map[string]any) bool { return l["kind"] == "trap" && l["asset"] == "core-sw1" })
	if ev["msg"] != "linkDown ifIndex 3 (Gi0/3)" {
		t.Errorf("trap logged as %v", ev)
	}
	waitLine(func(l map[string]any) bool { // the recheck the trap asked for
		return l["check"] == "tcp" && l["hard"] == true && l["to"] == "CRITICAL"
	})

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	for range lines {
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("after SIGTERM: %v (want exit 0)", err)
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
	cmd := exec.Command(binPath, "--headless", "-c", path)
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "address already in use") {
		t.Errorf("monitor with the trap port taken: err %v\n%s", err, out)
	}
}
