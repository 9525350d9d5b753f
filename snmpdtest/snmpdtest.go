// Package snmpdtest runs net-snmp's snmpd for tests, as promtest runs
// Prometheus: on a free UDP port of 127.0.0.1, or inside a network
// namespace the test creates, with a config of the test's own in a
// temporary directory, stopped when the test ends. A missing snmpd, ip or
// root skips the test, or fails it when NOCTOP_REQUIRE_SNMPD=1 (.ci/run).
package snmpdtest

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gosnmp/gosnmp"

	"noctop/promtest"
)

// Require is the environment variable that makes a missing snmpd (or
// namespace) a failure instead of a skip.
const Require = "NOCTOP_REQUIRE_SNMPD"

const oidSysUpTime = ".1.3.6.1.2.1.1.3.0"

// SkipOrFail skips tb, or fails it when NOCTOP_REQUIRE_SNMPD=1.
func SkipOrFail(tb testing.TB, format string, args ...any) {
	tb.Helper()
	if os.Getenv(Require) == "1" {
		tb.Fatalf(Require+"=1 but "+format, args...)
	}
	tb.Skipf(format, args...)
}

// Agent is a running snmpd.
type Agent struct {
	Port int
	Addr string // host:port

	cmd  *exec.Cmd
	out  *promtest.LockedBuffer
	done chan struct{} // closed when the process has exited
}

// Pid is the agent's process id.
func (a *Agent) Pid() int { return a.cmd.Process.Pid }

// Output is what the agent logged so far.
func (a *Agent) Output() string { return a.out.String() }

// Start starts snmpd with conf on a free UDP port of 127.0.0.1 and
// returns once it answers a GET of sysUpTime with community public (conf
// must allow it). A port taken between finding it free and snmpd binding
// it gets another try, on another port.
func Start(tb testing.TB, conf string) *Agent {
	tb.Helper()
	bin := binary(tb)
	var lastErr error
	for attempt := 0; attempt < 5; attempt++ {
		a := launch(tb, bin, conf, "127.0.0.1", freeUDPPort(tb))
		if lastErr = a.waitReady(true); lastErr == nil {
			tb.Cleanup(a.stop)
			return a
		}
		a.stop()
		lastErr = fmt.Errorf("%w\n%s", lastErr, a.Output())
	}
	tb.Fatalf("snmpd did not come up: %v", lastErr)
	return nil
}

// StartInNetns starts snmpd with conf inside network namespace ns on
// addr:port and returns once it logs its start line (this process cannot
// reach it to ask).
func StartInNetns(tb testing.TB, ns, addr string, port int, conf string) *Agent {
	tb.Helper()
	a := launch(tb, binary(tb), conf, addr, port, "ip", "netns", "exec", ns)
	if err := a.waitReady(false); err != nil {
		a.stop()
		tb.Fatalf("snmpd on %s in %s did not come up: %v\n%s", a.Addr, ns, err, a.Output())
	}
	tb.Cleanup(a.stop)
	return a
}

// NetnsPort is a port for an agent in a fresh namespace, where every port
// is free: a random high one.
func NetnsPort() int { return 20000 + int(time.Now().UnixNano()%20000) }

// NewNetns creates a network namespace named prefix-pid-n with lo up and
// returns its name; it is deleted when the test ends. It needs root and
// ip (iproute2).
func NewNetns(tb testing.TB, prefix string) string {
	tb.Helper()
	if os.Geteuid() != 0 {
		SkipOrFail(tb, "a network namespace needs root (euid %d)", os.Geteuid())
	}
	if _, err := exec.LookPath("ip"); err != nil {
		SkipOrFail(tb, "ip not installed: %v", err)
	}
	ns := fmt.Sprintf("%s-%d-%d", prefix, os.Getpid(), time.Now().UnixNano()%1e6)
	if out, err := exec.Command("ip", "netns", "add", ns).CombinedOutput(); err != nil {
		SkipOrFail(tb, "cannot create a network namespace: %v: %s", err, out)
	}
	tb.Cleanup(func() {
		if out, err := exec.Command("ip", "netns", "del", ns).CombinedOutput(); err != nil {
			tb.Errorf("ip netns del %s: %v: %s", ns, err, out)
		}
	})
	if out, err := exec.Command("ip", "-n", ns, "link", "set", "lo", "up").CombinedOutput(); err != nil {
		tb.Fatalf("lo up in %s: %v: %s", ns, err, out)
	}
	return ns
}

// binary is snmpd's path (Debian puts it in /usr/sbin, which a user's
// PATH may lack).
func binary(tb testing.TB) string {
	tb.Helper()
	bin, err := exec.LookPath("snmpd")
	if err != nil {
		if _, err2 := os.Stat("/usr/sbin/snmpd"); err2 != nil {
			SkipOrFail(tb, "snmpd not installed: %v", err)
		}
		bin = "/usr/sbin/snmpd"
	}
	return bin
}

// launch starts bin with conf on addr:port, under wrap when given (ip
// netns exec), without waiting.
func launch(tb testing.TB, bin, conf, addr string, port int, wrap ...string) *Agent {
	tb.Helper()
	dir := tb.TempDir()
	// A folder of its own: snmpd rewrites $SNMP_PERSISTENT_DIR/snmpd.conf.
	persist := filepath.Join(dir, "persist")
	if err := os.Mkdir(persist, 0o700); err != nil {
		tb.Fatal(err)
	}
	confPath := filepath.Join(dir, "snmpd.conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o600); err != nil {
		tb.Fatal(err)
	}
	hostPort := net.JoinHostPort(addr, strconv.Itoa(port))
	args := append(append([]string(nil), wrap...), bin, "-f", "-Lo", "-C", "-c", confPath, "-m", "", "-M", "/dev/null",
		"-p", filepath.Join(dir, "snmpd.pid"), "udp:"+hostPort)
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = append(os.Environ(), "SNMP_PERSISTENT_DIR="+persist, "MIBS=", "MIBDIRS=/dev/null")
	out := &promtest.LockedBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		tb.Fatalf("start snmpd: %v", err)
	}
	a := &Agent{Port: port, Addr: hostPort, cmd: cmd, out: out, done: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(a.done) }()
	return a
}

// freeUDPPort finds a UDP port free on 127.0.0.1 now.
func freeUDPPort(tb testing.TB) int {
	tb.Helper()
	c, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer c.Close()
	return c.LocalAddr().(*net.UDPAddr).Port
}

// waitReady polls sysUpTime until the agent answers (probe: false when the
// agent lives in another namespace; then the log line is the sign).
func (a *Agent) waitReady(probe bool) error {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-a.done:
			return fmt.Errorf("snmpd exited")
		default:
		}
		if !probe {
			if strings.Contains(a.Output(), "NET-SNMP version") {
				return nil
			}
			time.Sleep(20 * time.Millisecond)
			continue
		}
		g := &gosnmp.GoSNMP{Target: "127.0.0.1", Port: uint16(a.Port), Community: "public", Version: gosnmp.Version2c,
			Timeout: 100 * time.Millisecond, Retries: 0, Context: context.Background()}
		if err := g.Connect(); err == nil {
			_, err = g.Get([]string{oidSysUpTime})
			g.Close()
			if err == nil {
				return nil
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("no answer on %s within 10 s", a.Addr)
}

func (a *Agent) stop() {
	_ = a.cmd.Process.Kill()
	<-a.done
}
