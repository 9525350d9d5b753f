package probes

import (
	"context"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"noctop/lab/snmpagent"
	"noctop/model"
)

// countingServer is a loopback TCP server that counts connections.
func countingServer(t *testing.T) (port int, accepted *atomic.Int64) {
	t.Helper()
	accepted = new(atomic.Int64)
	addr := serveTCP(t, func(c net.Conn) {
		accepted.Add(1)
		c.Close()
	})
	return addr.Port, accepted
}

func tcpAsset(name string, port int) model.Asset {
	return model.Asset{Name: name, Address: "127.0.0.1", Checks: []model.Check{{
		Type: model.CheckTCP, Port: port, Interval: model.D(50 * time.Millisecond),
		RetryInterval: model.D(50 * time.Millisecond), Timeout: model.D(2 * time.Second),
	}}}
}

func tcpKey(asset string) model.CheckKey { return model.CheckKey{Asset: asset, Check: "tcp"} }

func TestSchedulerReload(t *testing.T) {
	p1, n1 := countingServer(t)
	p2, n2 := countingServer(t)
	p3, n3 := countingServer(t)
	set := NewSet()
	t.Cleanup(func() { set.Close() })
	var mu sync.Mutex
	prepared := map[model.CheckKey]int{}
	prepare := func(tg Target) (Prepared, error) {
		mu.Lock()
		prepared[tg.Asset.Key(tg.Check)]++
		mu.Unlock()
		return set.Prepare(tg)
	}
	cfg := &model.Config{Assets: []model.Asset{tcpAsset("kept", p1), tcpAsset("changed", p2), tcpAsset("gone", p1)}}
	cfg.ApplyDefaults()
	col := newCollector()
	s := NewScheduler(cfg, prepare, col.sink, SchedulerOptions{FirstSpread: -1})
	startRun(t, s)
	col.waitFor(t, "every check twice", func(rs []model.Result) bool {
		return len(col.of(tcpKey("kept"))) >= 2 && len(col.of(tcpKey("changed"))) >= 2 && len(col.of(tcpKey("gone"))) >= 2
	})
	keptEntry := s.entryOf(tcpKey("kept"))

	cfg2 := &model.Config{Assets: []model.Asset{tcpAsset("kept", p1), tcpAsset("changed", p3), tcpAsset("added", p2)}}
	cfg2.ApplyDefaults()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	got, err := s.Reload(ctx, cfg2)
	if err != nil {
		t.Fatal(err)
	}
	if want := (ReloadCounts{Kept: 1, Changed: 1, Added: 1, Removed: 1}); got != want {
		t.Fatalf("reload counts %+v, want %+v", got, want)
	}
	goneAt := len(col.of(tcpKey("gone")))
	atReload := n2.Load()
	if s.RunNow(tcpKey("gone")) || !s.RunNow(tcpKey("added")) || s.Len() != 3 {
		t.Fatalf("RunNow after reload: gone still known, or added unknown (len %d)", s.Len())
	}

	rs := col.waitFor(t, "the changed check on its new port and the added one", func(rs []model.Result) bool {
		return n3.Load() >= 2 && len(col.of(tcpKey("added"))) >= 2 && len(col.of(tcpKey("kept"))) >= 6
	})
	if g := len(col.of(tcpKey("gone"))); g > goneAt+1 {
		t.Errorf("the removed check ran %d times after the reload", g-goneAt)
	}
	for _, r := range rs {
		if r.Status != model.StatusOK {
			t.Errorf("%s: %s %s", r.Key, r.Status, r.Summary)
		}
	}
	if n2.Load() == atReload || n1.Load() == 0 {
		t.Errorf("connections: port1 %d, port2 %d (was %d at reload)", n1.Load(), n2.Load(), atReload)
	}
	if s.entryOf(tcpKey("kept")) != keptEntry {
		t.Error("the unchanged check was rebuilt")
	}
	mu.Lock()
	defer mu.Unlock()
	if prepared[tcpKey("kept")] != 1 || prepared[tcpKey("changed")] != 2 || prepared[tcpKey("added")] != 1 {
		t.Errorf("prepared %v: want kept once, changed twice, added once", prepared)
	}
}

func TestSchedulerReloadRefusesUnloadedConfig(t *testing.T) {
	cfg := schedConfig(1, time.Second, time.Second)
	s := NewScheduler(cfg, perRun(okProbe), newCollector().sink)
	bad := &model.Config{Assets: []model.Asset{{Name: "x", Checks: []model.Check{{Type: model.CheckTCP}}}}}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if _, err := s.Reload(ctx, bad); err == nil {
		t.Fatal("a config without intervals was taken")
	}
	if s.Len() != 1 {
		t.Fatalf("len %d after a refused reload", s.Len())
	}
}

func (s *Scheduler) entryOf(k model.CheckKey) *entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.byKey[k]
}

// closingProbe is OK at once and counts its Close calls.
type closingProbe struct{ closed *atomic.Int64 }

func (p closingProbe) Run(context.Context) model.Outcome {
	return model.Outcome{Status: model.StatusOK, Summary: "fine"}
}

func (p closingProbe) Close() error { p.closed.Add(1); return nil }

// A probe that holds something (an SNMP client) is closed when a reload
// drops or replaces its check, and only then.
func TestSchedulerReloadClosesDroppedProbes(t *testing.T) {
	closed := new(atomic.Int64)
	prepare := func(Target) (Prepared, error) { return closingProbe{closed}, nil }
	cfg := schedConfig(3, 20*time.Millisecond, time.Second)
	col := newCollector()
	s := NewScheduler(cfg, prepare, col.sink, SchedulerOptions{FirstSpread: -1})
	startRun(t, s)
	col.waitFor(t, "a result of each", func([]model.Result) bool {
		return len(col.of(key(0))) > 0 && len(col.of(key(1))) > 0 && len(col.of(key(2))) > 0
	})
	cfg2 := schedConfig(2, 20*time.Millisecond, time.Second)    // a2 goes
	cfg2.Assets[1].Checks[0].Timeout = model.D(2 * time.Second) // a1 changes
	if _, err := s.Reload(context.Background(), cfg2); err != nil {
		t.Fatal(err)
	}
	col.waitFor(t, "the dropped probes closed", func([]model.Result) bool { return closed.Load() == 2 })
	n := len(col.of(key(0)))
	col.waitFor(t, "more runs", func([]model.Result) bool { return len(col.of(key(0))) > n+3 })
	if c := closed.Load(); c != 2 {
		t.Fatalf("%d probes closed, want 2", c)
	}
}

// A reload that drops an snmp check releases its client: the socket is
// closed and the prober forgets it.
func TestSNMPProbeCloseReleasesClient(t *testing.T) {
	a := startSNMPLab(t, newLabClock(), snmpagent.Options{})
	p := newSNMPChecks()
	defer p.Close()
	tg := labTarget(a.Devices()[0], nil)
	runSNMP(t, p, tg)
	openClients := func() int {
		p.SNMP.mu.Lock()
		defer p.SNMP.mu.Unlock()
		return len(p.SNMP.clients)
	}
	if n := openClients(); n != 1 {
		t.Fatalf("%d clients open after a run, want 1", n)
	}
	if err := p.of(tg).(io.Closer).Close(); err != nil {
		t.Fatal(err)
	}
	if n := openClients(); n != 0 {
		t.Fatalf("%d clients open after Close, want 0", n)
	}
	// A run after Close (never done by the scheduler) opens a new client.
	runSNMP(t, p, tg)
	if n := openClients(); n != 1 {
		t.Fatalf("%d clients open after another run, want 1", n)
	}
}
