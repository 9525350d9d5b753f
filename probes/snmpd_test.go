package probes

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/gosnmp/gosnmp"
)

// The snmpd tests run net-snmp's agent on 127.0.0.1 with a config of
// their own (DESIGN.md's recipe): community public, and v3 users with
// 8+ character passphrases.

// snmpdConf is the agent config every snmpd test uses.
const snmpdConf = `rocommunity public 127.0.0.1
createUser ops SHA "authpass1" AES "privpass1"
createUser ops256 SHA-256 "authpass1" AES-256 "privpass1"
createUser ops256c SHA-512 "authpass1" AES-256-C "privpass1"
createUser opsmd5 MD5 "authpass1" DES "privpass1"
createUser ops224 SHA-224 "authpass1" AES-192 "privpass1"
createUser ops384 SHA-384 "authpass1" AES-192-C "privpass1"
createUser auth SHA "authpass1"
rouser ops priv
rouser ops224 priv
rouser ops384 priv
rouser ops256 priv
rouser ops256c priv
rouser opsmd5 priv
rouser auth auth
sysName noctop-snmpd
sysLocation lab rack 1
sysContact noc@example.invalid
`

// skipOrFailSNMPD skips, or fails when NOCTOP_REQUIRE_SNMPD=1.
func skipOrFailSNMPD(tb testing.TB, format string, args ...any) {
	tb.Helper()
	if os.Getenv("NOCTOP_REQUIRE_SNMPD") == "1" {
		tb.Fatalf("NOCTOP_REQUIRE_SNMPD=1 but "+format, args...)
	}
	tb.Skipf(format, args...)
}

// snmpd is a running net-snmp agent.
type snmpd struct {
	port int
	addr string // 127.0.0.1:port
	cmd  *exec.Cmd
	out  *syncBuffer
	done chan struct{} // closed when the process has exited
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startSNMPD starts snmpd on a free UDP port of 127.0.0.1 and waits until
// it answers; wrap runs it under another command (e.g. `ip netns exec`).
func startSNMPD(tb testing.TB, conf string, wrap ...string) *snmpd {
	tb.Helper()
	bin, err := exec.LookPath("snmpd")
	if err != nil {
		if _, err2 := os.Stat("/usr/sbin/snmpd"); err2 != nil {
			skipOrFailSNMPD(tb, "snmpd not installed: %v", err)
		}
		bin = "/usr/sbin/snmpd"
	}
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
	var lastErr error
	for attempt := 0; attempt < 5; attempt++ {
		port := freeUDPPort(tb, len(wrap) > 0)
		args := append(append([]string(nil), wrap...), bin, "-f", "-Lo", "-C", "-c", confPath, "-m", "", "-M", "/dev/null",
			"-p", filepath.Join(dir, "snmpd.pid"), "udp:127.0.0.1:"+strconv.Itoa(port))
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Env = append(os.Environ(), "SNMP_PERSISTENT_DIR="+persist, "MIBS=", "MIBDIRS=/dev/null")
		out := &syncBuffer{}
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			tb.Fatalf("start snmpd: %v", err)
		}
		d := &snmpd{port: port, addr: "127.0.0.1:" + strconv.Itoa(port), cmd: cmd, out: out, done: make(chan struct{})}
		go func() { _ = cmd.Wait(); close(d.done) }()
		if lastErr = d.waitReady(len(wrap) == 0); lastErr == nil {
			tb.Cleanup(d.stop)
			return d
		}
		d.stop()
		lastErr = fmt.Errorf("%w\n%s", lastErr, out.String())
	}
	tb.Fatalf("snmpd did not come up: %v", lastErr)
	return nil
}

// freeUDPPort finds a UDP port free on 127.0.0.1 now (inNS: in a fresh
// namespace every port is free, so a random high one).
func freeUDPPort(tb testing.TB, inNS bool) int {
	if inNS {
		return 20000 + int(time.Now().UnixNano()%20000)
	}
	c, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer c.Close()
	return c.LocalAddr().(*net.UDPAddr).Port
}

// waitReady polls sysUpTime until the agent answers (probe: false when the
// agent lives in another namespace; then the log line is the sign).
func (d *snmpd) waitReady(probe bool) error {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-d.done:
			return fmt.Errorf("snmpd exited")
		default:
		}
		if !probe {
			if bytes.Contains([]byte(d.out.String()), []byte("NET-SNMP version")) {
				return nil
			}
			time.Sleep(20 * time.Millisecond)
			continue
		}
		g := &gosnmp.GoSNMP{Target: "127.0.0.1", Port: uint16(d.port), Community: "public", Version: gosnmp.Version2c,
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
	return fmt.Errorf("no answer on %s within 10 s", d.addr)
}

func (d *snmpd) stop() {
	_ = d.cmd.Process.Kill()
	<-d.done
}
