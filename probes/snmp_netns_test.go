package probes

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"noctop/model"
	"noctop/snmpdtest"
)

// Many interfaces on a real snmpd: the agent runs inside a network
// namespace the test creates, with ifb devices (up, or down for admin
// down) and veth pairs whose peer is down (admin up, oper
// lowerLayerDown). There is no dummy driver on these kernels.

// snmpNetns describes the namespace's interfaces.
type snmpNetns struct {
	name                string
	total               int // with lo
	adminDown, operDown int
}

// newSNMPNetns creates a namespace with n interfaces in all: lo, 4 veth
// pairs (one end up with its peer down, the peer admin down) and ifb
// devices, every fifth one down. It is deleted when the test ends.
func newSNMPNetns(tb testing.TB, n int) *snmpNetns {
	tb.Helper()
	ns := &snmpNetns{name: snmpdtest.NewNetns(tb, "noctop-snmp")}
	var batch strings.Builder // one `ip -batch` for speed
	left := n - 1
	for k := 0; k < 4 && left >= 2; k++ {
		a, b := fmt.Sprintf("veth%da", k), fmt.Sprintf("veth%db", k)
		fmt.Fprintf(&batch, "link add %s type veth peer name %s\nlink set %s up\n", a, b, a)
		ns.operDown++
		ns.adminDown++
		left -= 2
	}
	for k := 0; k < left; k++ {
		name := fmt.Sprintf("ifb%d", k)
		fmt.Fprintf(&batch, "link add %s type ifb\n", name)
		if k%5 == 4 {
			ns.adminDown++
			continue
		}
		fmt.Fprintf(&batch, "link set %s up\n", name)
	}
	cmd := exec.Command("ip", "-n", ns.name, "-batch", "-")
	cmd.Stdin = strings.NewReader(batch.String())
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("ip -batch in %s: %v\n%s", ns.name, err, out)
	}
	ns.total = n
	return ns
}

// inSNMPNetns runs fn on an OS thread that has entered ns's network
// namespace, so the sockets fn opens live there. The thread is never
// handed back to the scheduler (the goroutine ends locked, so the
// runtime discards the thread).
func inSNMPNetns(tb testing.TB, ns string, fn func()) {
	tb.Helper()
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		f, err := os.Open("/var/run/netns/" + ns)
		if err != nil {
			errc <- err
			return
		}
		defer f.Close()
		if err := unix.Setns(int(f.Fd()), unix.CLONE_NEWNET); err != nil {
			errc <- fmt.Errorf("setns %s: %w", ns, err)
			return
		}
		fn()
		errc <- nil
	}()
	if err := <-errc; err != nil {
		tb.Fatal(err)
	}
}

// snmpdInNetns starts snmpd inside ns.
func snmpdInNetns(tb testing.TB, ns string) *snmpdtest.Agent {
	return snmpdtest.StartInNetns(tb, ns, "127.0.0.1", snmpdtest.NetnsPort(), "rocommunity public 127.0.0.1\nsysName ns-snmpd\n")
}

// A real agent with many interfaces: admin-up/oper-down veths are
// CRITICAL and named, admin-down ones counted, not alerted.
func TestSNMPSnmpdNetnsInterfaces(t *testing.T) {
	ns := newSNMPNetns(t, 48)
	d := snmpdInNetns(t, ns.name)
	p := newSNMPChecks()
	defer p.Close()
	cfg := &model.Config{Assets: []model.Asset{{Name: "ns", Address: "127.0.0.1",
		Checks: []model.Check{{Type: model.CheckSNMP, Port: d.Port}}}}}
	cfg.ApplyDefaults()
	tg := Target{Asset: &cfg.Assets[0], Check: &cfg.Assets[0].Checks[0]}
	var out model.Outcome
	inSNMPNetns(t, ns.name, func() { out = runSNMP(t, p, tg) })
	wantStatus(t, out, model.StatusCritical,
		fmt.Sprintf("veth0a admin up, oper down; veth1a admin up, oper down; veth2a admin up, oper down; and 1 more — %d interfaces, %d up, %d down, %d admin down;",
			ns.total, ns.total-ns.adminDown-ns.operDown, ns.operDown, ns.adminDown))
	// The client (and its socket in the namespace) is kept: the next run
	// from any thread reaches the same agent and has rates.
	time.Sleep(100 * time.Millisecond)
	out = runSNMP(t, p, tg)
	if len(out.Interfaces) != ns.total || out.Attrs["sys_name"] != "ns-snmpd" {
		t.Fatalf("%d interfaces (want %d); %s", len(out.Interfaces), ns.total, out.Summary)
	}
	if _, ok := out.Metrics["in_bps_total"]; !ok {
		t.Errorf("no rates on the second run: %v", out.Metrics)
	}
}
