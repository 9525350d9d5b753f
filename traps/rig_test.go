package traps_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"noctop/model"
	"noctop/traps"
)

// rig runs a real engine and a receiver on 127.0.0.1:<free port> for one
// test; the engine's Recheck hook counts calls per check.
type rig struct {
	t    *testing.T
	e    *model.Engine
	r    *traps.Receiver
	port string
	ctx  context.Context

	mu       sync.Mutex
	rechecks map[model.CheckKey]int
	seen     uint64 // last event Seq returned by waitEvent
}

func startRig(t *testing.T, cfg *model.Config, opts traps.Options) *rig {
	t.Helper()
	cfg.Traps.Listen = "127.0.0.1:0"
	cfg.ApplyDefaults()
	rg := &rig{t: t, rechecks: map[model.CheckKey]int{}}
	rg.e = model.NewEngine(cfg, model.EngineOptions{Recheck: func(k model.CheckKey) {
		rg.mu.Lock()
		defer rg.mu.Unlock()
		rg.rechecks[k]++
	}})
	ctx, cancel := context.WithCancel(context.Background())
	rg.ctx = ctx
	if opts.SummaryEvery == 0 {
		opts.SummaryEvery = 100 * time.Millisecond
	}
	if opts.ReportEvery == 0 {
		opts.ReportEvery = time.Second
	}
	opts.Notify = rg.e.Notify
	r, err := traps.Listen(ctx, cfg, opts)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	rg.r = r
	rg.port = strconv.Itoa(int(r.Addr().Port()))
	var wg sync.WaitGroup
	wg.Go(func() { rg.e.Run(ctx) })
	runErr := make(chan error, 1)
	wg.Go(func() { runErr <- r.Run(ctx) })
	t.Cleanup(func() {
		cancel()
		wg.Wait()
		if err := <-runErr; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	rg.waitEvent("SNMP trap receiver listening on udp 127.0.0.1:")
	return rg
}

// waitEvent waits for a trap event after the last one found whose summary
// contains want, and returns it.
func (rg *rig) waitEvent(want string) model.Event {
	rg.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		s, err := rg.e.Sync(rg.ctx)
		if err != nil {
			rg.t.Fatal(err)
		}
		for _, ev := range s.Events {
			if ev.Seq > rg.seen && ev.Kind == model.EventTrap && strings.Contains(ev.Summary, want) {
				rg.seen = ev.Seq
				return ev
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	rg.t.Fatalf("no trap event containing %q; events:\n%s", want, rg.events())
	return model.Event{}
}

func (rg *rig) events() string {
	s := rg.e.Latest()
	var b strings.Builder
	for _, ev := range s.Events {
		fmt.Fprintf(&b, "  #%d %s asset=%q %s\n", ev.Seq, ev.Kind, ev.Asset, ev.Summary)
	}
	return b.String()
}

func (rg *rig) rechecked(asset, check string) int {
	rg.mu.Lock()
	defer rg.mu.Unlock()
	return rg.rechecks[model.CheckKey{Asset: asset, Check: check}]
}

// netSNMP returns the path of a net-snmp tool, skipping the test when it
// is missing unless NOCTOP_REQUIRE_SNMPD=1.
func netSNMP(t *testing.T, tool string) string {
	t.Helper()
	path, err := exec.LookPath(tool)
	if err != nil {
		if os.Getenv("NOCTOP_REQUIRE_SNMPD") == "1" {
			t.Fatalf("%s not found and NOCTOP_REQUIRE_SNMPD=1: install net-snmp's snmp package", tool)
		}
		t.Skipf("%s not found (net-snmp's snmp package): %v", tool, err)
	}
	return path
}

// send runs snmptrap or snmpinform from source address from to the
// receiver, with the version/security options opts and the trap's
// arguments (uptime, OID, varbinds).
func (rg *rig) send(tool, from string, opts []string, trap ...string) (string, error) {
	rg.t.Helper()
	path := netSNMP(rg.t, tool)
	dir := rg.t.TempDir()
	argv := append([]string{"-m", "", "-r", "0", "-t", "3", "--clientaddr=" + from}, opts...)
	argv = append(append(argv, "udp:127.0.0.1:"+rg.port), trap...)
	ctx, cancel := context.WithTimeout(rg.ctx, 15*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, argv...)
	// Keep net-snmp away from the machine's and the user's config, and let
	// it persist its engine ID in a folder of its own.
	cmd.Env = append(os.Environ(), "SNMPCONFPATH="+dir, "SNMP_PERSISTENT_DIR="+dir, "HOME="+dir)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// mustSend is send that fails the test when the tool fails.
func (rg *rig) mustSend(tool, from string, opts []string, trap ...string) {
	rg.t.Helper()
	if out, err := rg.send(tool, from, opts, trap...); err != nil {
		rg.t.Fatalf("%s from %s: %v\n%s", tool, from, err, out)
	}
}
