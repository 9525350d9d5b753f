package model_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"noctop/model"
)

func TestLatestBeforeRun(t *testing.T) {
	cfg := &model.Config{Path: "/etc/noctop.toml", Assets: []model.Asset{
		asset("gw1", nil, check("icmp")),
		asset("web1", []string{"gw1"}, check("http"), check("tls")),
		asset("group", nil), // no checks
	}}
	cfg.ApplyDefaults()
	e := model.NewEngine(cfg, model.EngineOptions{})
	s := e.Latest()
	if s == nil || s.Checks != 3 || s.Done != 0 || s.Count(pend) != 3 || s.ConfigPath != "/etc/noctop.toml" {
		t.Fatalf("initial snapshot %+v", s)
	}
	w := s.Asset("web1")
	if w.Reason != "waiting for first result" || !slices.Equal(w.Parents, []string{"gw1"}) {
		t.Fatalf("web1 %+v", w)
	}
	if g := s.Asset("gw1"); !slices.Equal(g.Children, []string{"web1"}) {
		t.Fatalf("gw1 children %q", g.Children)
	}
	if g := s.Asset("group"); g.Status != pend || g.Reason != "no checks" {
		t.Fatalf("group %s %q", g.Status, g.Reason)
	}
}

func TestSnapshotFields(t *testing.T) {
	cfg := &model.Config{Assets: []model.Asset{
		asset("gw1", nil, check("icmp")),
		asset("web1", nil, check("http"), check("tls")),
	}}
	r := startEngine(t, cfg, model.EngineOptions{})
	next := t0.Add(time.Minute)
	at := t0.Add(5 * time.Second)
	r.submit(model.Result{
		Key:     model.CheckKey{Asset: "web1", Check: "http"},
		Outcome: model.Outcome{Status: ok, Summary: "HTTP 200 in 4 ms", Metrics: map[string]float64{"latency_ms": 4}},
		At:      at, Duration: 4 * time.Millisecond, Next: next,
	})
	r.submit(model.Result{
		Key:     model.CheckKey{Asset: "gw1", Check: "icmp"},
		Outcome: model.Outcome{Status: ok, Summary: "3/3 received"},
		At:      t0.Add(2 * time.Second),
	})
	// Results for checks not in the config are ignored.
	r.result("nosuch", "icmp", crit, "lost")
	r.result("web1", "nosuch", crit, "lost")
	s := r.sync()
	if s.Checks != 3 || s.Done != 2 || !s.Newest.Equal(at) {
		t.Fatalf("Checks %d Done %d Newest %v", s.Checks, s.Done, s.Newest)
	}
	if s.Count(ok) != 1 || s.Count(pend) != 1 {
		t.Fatalf("counts %v", s.Counts)
	}
	c := s.Asset("web1").Check("http")
	if !c.NextRun.Equal(next) || !c.LastRun.Equal(at) || c.Duration != 4*time.Millisecond ||
		c.Metrics["latency_ms"] != 4 || c.Summary != "HTTP 200 in 4 ms" || c.Type != "http" {
		t.Fatalf("check state %+v", c)
	}
	if len(s.Events) != 0 {
		t.Fatalf("first OKs are not events: %+v", s.Events)
	}
}

func TestEventsAndSeq(t *testing.T) {
	cfg := &model.Config{Assets: []model.Asset{
		asset("web1", nil, checkRetries("http", 2)),
	}}
	r := startEngine(t, cfg, model.EngineOptions{})
	r.result("web1", "http", ok, "HTTP 200")          // first OK: no event
	r.result("web1", "http", crit, "HTTP 503")        // check soft, asset status
	r.result("web1", "http", crit, "HTTP 503")        // check turns hard
	r.result("web1", "http", crit, "HTTP 503 again")  // no change: no event
	r.result("web1", "http", warn, "HTTP 200 in 2 s") // check and asset
	r.result("web1", "http", ok, "HTTP 200 in 10 ms") // recovery
	s := r.sync()
	type ev struct {
		check    string
		from, to model.Status
		hard     bool
		summary  string
	}
	want := []ev{
		{"http", ok, crit, false, "HTTP 503 (soft 1/2)"},
		{"", ok, crit, false, "http: HTTP 503 (soft 1/2)"},
		{"http", crit, crit, true, "HTTP 503"},
		{"", crit, crit, true, "http: HTTP 503"}, // the asset turns hard too
		{"http", crit, warn, true, "HTTP 200 in 2 s"},
		{"", crit, warn, true, "http: HTTP 200 in 2 s"},
		{"http", warn, ok, true, "HTTP 200 in 10 ms"},
		{"", warn, ok, true, "1/1 checks OK"},
	}
	if len(s.Events) != len(want) {
		t.Fatalf("%d events, want %d: %+v", len(s.Events), len(want), s.Events)
	}
	for i, w := range want {
		g := s.Events[i]
		if g.Kind != model.EventState || g.Asset != "web1" || g.Check != w.check || g.From != w.from ||
			g.To != w.to || g.Hard != w.hard || g.Summary != w.summary {
			t.Errorf("event %d: %+v, want %+v", i, g, w)
		}
		if g.Seq != uint64(i+1) {
			t.Errorf("event %d: Seq %d", i, g.Seq)
		}
	}
	// The hard transition is stamped with its result's time.
	if !s.Events[2].At.Equal(t0.Add(3 * time.Second)) {
		t.Errorf("event time %v", s.Events[2].At)
	}
}

func TestEventsBounded(t *testing.T) {
	c := checkRetries("http", 1)
	c.Flap = &model.Flap{Off: true} // a started-flapping event would shift the count
	cfg := &model.Config{Assets: []model.Asset{asset("web1", nil, c)}}
	r := startEngine(t, cfg, model.EngineOptions{})
	r.result("web1", "http", ok, "up")
	var old *model.Snapshot
	for i := range 400 { // 2 check + 2 asset events per round
		r.result("web1", "http", crit, "down")
		r.result("web1", "http", ok, "up")
		if i == 10 {
			old = r.sync()
		}
	}
	s := r.sync()
	if len(s.Events) != 500 {
		t.Fatalf("%d events, want the last 500", len(s.Events))
	}
	if first, last := s.Events[0].Seq, s.Events[499].Seq; last != 1600 || first != 1101 {
		t.Fatalf("seq %d..%d, want 1101..1600", first, last)
	}
	for i := 1; i < len(s.Events); i++ {
		if s.Events[i].Seq != s.Events[i-1].Seq+1 {
			t.Fatalf("seq gap at %d", i)
		}
	}
	// An older snapshot still reads what it read.
	if len(old.Events) != 44 || old.Events[43].Seq != 44 || old.Events[0].Seq != 1 {
		t.Fatalf("old snapshot changed: %d events, last %d", len(old.Events), old.Events[len(old.Events)-1].Seq)
	}
}

func TestAttrChangeEvents(t *testing.T) {
	cfg := &model.Config{Assets: []model.Asset{asset("portal", nil, check("tls"))}}
	r := startEngine(t, cfg, model.EngineOptions{})
	send := func(attrs map[string]string) {
		r.submit(model.Result{Key: model.CheckKey{Asset: "portal", Check: "tls"},
			Outcome: model.Outcome{Status: ok, Summary: "expires in 80 d", Attrs: attrs}})
	}
	send(map[string]string{"fingerprint": "AA:01", "issuer": "Lab CA"})
	send(map[string]string{"fingerprint": "AA:01", "issuer": "Lab CA"}) // same
	send(nil)                                                           // empty: not a change
	send(map[string]string{"fingerprint": "BB:02", "version": "1.2"})
	send(map[string]string{"fingerprint": "BB:02", "version": "1.3"})
	s := r.sync()
	var got []string
	for _, e := range s.Events {
		if e.Kind == model.EventChange {
			got = append(got, e.Summary)
		}
	}
	want := []string{"fingerprint changed: AA:01 -> BB:02", "version changed: 1.2 -> 1.3"}
	if !slices.Equal(got, want) {
		t.Fatalf("change events %q, want %q", got, want)
	}
	if a := s.Asset("portal").Check("tls").Attrs["version"]; a != "1.3" {
		t.Fatalf("attrs not kept: %q", a)
	}
}

func TestHistoryRing(t *testing.T) {
	cfg := &model.Config{Assets: []model.Asset{asset("gw1", nil, check("icmp"))}}
	r := startEngine(t, cfg, model.EngineOptions{HistoryLen: 5})
	var snaps []*model.Snapshot
	for i := range 40 {
		metrics := map[string]float64{"n": float64(i)}
		if i >= 20 {
			metrics["late"] = float64(-i) // a metric that appears later
		}
		r.submit(model.Result{Key: model.CheckKey{Asset: "gw1", Check: "icmp"},
			Outcome: model.Outcome{Status: ok, Summary: "ok", Metrics: metrics}})
		snaps = append(snaps, r.sync())
	}
	for i, s := range snaps {
		h := s.Asset("gw1").Check("icmp").History
		want := min(i+1, 5)
		if h.Len() != want {
			t.Fatalf("snapshot %d: %d samples, want %d", i, h.Len(), want)
		}
		// Oldest first and untouched by every later result.
		series := h.Series("n")
		if tail := h.Tail("n", 2); !slices.Equal(tail, series[max(0, len(series)-2):]) {
			t.Fatalf("snapshot %d: Tail(n, 2) = %v, series %v", i, tail, series)
		}
		for j := range h.Len() {
			if n, ok := h.Value(j, "n"); !ok || n != float64(i+1-want+j) || series[j] != n {
				t.Fatalf("snapshot %d sample %d: n=%v (%v), series %v, want %d", i, j, n, ok, series[j], i+1-want+j)
			}
			late, ok := h.Value(j, "late")
			if seq := i + 1 - want + j; (seq >= 20) != ok || (ok && late != float64(-seq)) {
				t.Fatalf("snapshot %d sample %d: late=%v (%v)", i, j, late, ok)
			}
		}
		if cap(h.Names) != len(h.Names) {
			t.Fatalf("history names capacity beyond len: a reader could append into shared memory")
		}
		for j := range h.Len() {
			if v := h.Sample(j).Values; cap(v) != len(v) {
				t.Fatalf("sample %d values capacity %d beyond len %d: a reader could append into shared memory", j, cap(v), len(v))
			}
		}
		if i < 20 && h.Has("late") {
			t.Fatalf("snapshot %d names %v: a later metric leaked into an old view", i, h.Names)
		}
	}
}

func TestUnchangedStatesShared(t *testing.T) {
	cfg := &model.Config{
		Assets: []model.Asset{
			asset("a", nil, check("icmp")),
			asset("b", nil, check("icmp"), check("tcp")),
		},
		Services: []model.Service{{Name: "s1", Needs: []string{"a"}}, {Name: "s2", Needs: []string{"b"}}},
	}
	r := startEngine(t, cfg, model.EngineOptions{})
	r.result("a", "icmp", ok, "ok")
	r.result("b", "icmp", ok, "ok")
	r.result("b", "tcp", ok, "ok")
	s1 := r.sync()
	r.result("b", "tcp", ok, "still ok")
	s2 := r.sync()
	if s1.Seq >= s2.Seq {
		t.Fatalf("seq %d then %d", s1.Seq, s2.Seq)
	}
	if s1.Assets[0] != s2.Assets[0] {
		t.Error("unchanged asset a was copied")
	}
	if s1.Assets[1] == s2.Assets[1] {
		t.Error("changed asset b was shared")
	}
	if s1.Assets[1].Checks[0] != s2.Assets[1].Checks[0] {
		t.Error("unchanged check b/icmp was copied")
	}
	if s1.Assets[1].Checks[1] == s2.Assets[1].Checks[1] || s1.Assets[1].Checks[1].Summary != "ok" {
		t.Error("changed check b/tcp was shared or the old one was modified")
	}
	if s1.Services[0] != s2.Services[0] || s1.Services[1] != s2.Services[1] {
		t.Error("unchanged services were copied")
	}
	// Nothing changed: Sync hands back the same snapshot.
	if s3 := r.sync(); s3 != s2 {
		t.Error("Sync without changes built a new snapshot")
	}
}

func TestSyncOrdering(t *testing.T) {
	cfg := &model.Config{Assets: []model.Asset{asset("gw1", nil, checkRetries("icmp", 5000))}}
	r := startEngine(t, cfg, model.EngineOptions{PublishEvery: time.Hour})
	const n = 3000 // more than the inbox holds
	for i := range n {
		r.result("gw1", "icmp", crit, fmt.Sprint("lost ", i))
	}
	s := r.sync()
	c := s.Asset("gw1").Check("icmp")
	if c.Attempt != n || c.Summary != fmt.Sprint("lost ", n-1) {
		t.Fatalf("after Sync: attempt %d summary %q, want %d and the last one", c.Attempt, c.Summary, n)
	}
}

func TestRecheckForwards(t *testing.T) {
	cfg := &model.Config{Assets: []model.Asset{asset("web1", nil, check("http"))}}
	var mu sync.Mutex
	var got []model.CheckKey
	r := startEngine(t, cfg, model.EngineOptions{Recheck: func(k model.CheckKey) {
		mu.Lock()
		got = append(got, k)
		mu.Unlock()
	}})
	r.e.Recheck(model.CheckKey{Asset: "web1", Check: "http"})
	r.e.Recheck(model.CheckKey{Asset: "web1", Check: "nosuch"})
	r.e.Recheck(model.CheckKey{Asset: "nosuch", Check: "http"})
	r.sync() // Recheck is on the inbox: done before Sync returns
	mu.Lock()
	defer mu.Unlock()
	if want := []model.CheckKey{{Asset: "web1", Check: "http"}}; !slices.Equal(got, want) {
		t.Fatalf("Recheck forwarded %v, want %v", got, want)
	}
}

func TestSlowSubscriberDoesNotBlock(t *testing.T) {
	cfg := &model.Config{Assets: []model.Asset{asset("gw1", nil, check("icmp"))}}
	r := startEngine(t, cfg, model.EngineOptions{})
	stuck := r.e.Subscribe() // never read
	defer stuck.Close()
	reader := r.e.Subscribe()
	defer reader.Close()
	<-reader.C // the snapshot a new subscriber starts with
	const rounds = 50
	for i := range rounds {
		r.result("gw1", "icmp", ok, fmt.Sprint("round ", i))
		r.sync() // publishes one snapshot per round
		if s := <-reader.C; s == nil {
			t.Fatal("reader got nil")
		}
	}
	s := r.sync()
	// stuck holds one snapshot, the latest; it missed the first one and one
	// per round but the last.
	if got := <-stuck.C; got != s {
		t.Fatalf("stuck subscriber holds seq %d, want the latest %d", got.Seq, s.Seq)
	}
	if stuck.Dropped() != rounds || reader.Dropped() != 0 {
		t.Fatalf("dropped: stuck %d (want %d), reader %d", stuck.Dropped(), rounds, reader.Dropped())
	}
	r.result("gw1", "icmp", ok, "one more")
	s = r.sync()
	if s.Dropped < rounds {
		t.Fatalf("Snapshot.Dropped %d, want >= %d", s.Dropped, rounds)
	}
}

func TestSubscribeGetsLatestAndClose(t *testing.T) {
	cfg := &model.Config{Assets: []model.Asset{asset("gw1", nil, check("icmp"))}}
	r := startEngine(t, cfg, model.EngineOptions{})
	r.result("gw1", "icmp", ok, "ok")
	s := r.sync()
	sub := r.e.Subscribe()
	if got := <-sub.C; got != s {
		t.Fatalf("new subscriber got seq %d, want latest %d", got.Seq, s.Seq)
	}
	sub.Close()
	sub.Close() // twice is fine
	if _, open := <-sub.C; open {
		t.Fatal("C open after Close")
	}
	r.result("gw1", "icmp", crit, "lost") // publishing after Close must not panic
	r.sync()
}

// TestPublishThrottle: a change after a quiet period is published at once;
// more changes within PublishEvery wait for the period's end.
func TestPublishThrottle(t *testing.T) {
	cfg := &model.Config{Assets: []model.Asset{asset("gw1", nil, check("icmp"))}}
	barrier := make(chan struct{}, 1)
	r := startEngine(t, cfg, model.EngineOptions{
		PublishEvery: time.Hour,
		Recheck:      func(model.CheckKey) { barrier <- struct{}{} },
	})
	sub := r.e.Subscribe()
	defer sub.Close()
	<-sub.C // the initial snapshot
	r.result("gw1", "icmp", ok, "first")
	s := <-sub.C // leading edge: no Sync needed
	if c := s.Asset("gw1").Check("icmp"); c.Summary != "first" {
		t.Fatalf("leading edge published %q", c.Summary)
	}
	for i := range 10 {
		r.result("gw1", "icmp", ok, fmt.Sprint("more ", i))
	}
	r.e.Recheck(model.CheckKey{Asset: "gw1", Check: "icmp"})
	<-barrier // all ten processed
	select {
	case s := <-sub.C:
		t.Fatalf("published seq %d within the period", s.Seq)
	default:
	}
	if r.e.Latest() != s {
		t.Fatal("Latest moved within the period")
	}
	if c := r.sync().Asset("gw1").Check("icmp"); c.Summary != "more 9" {
		t.Fatalf("Sync saw %q", c.Summary)
	}
}

func TestPublishTrailingEdge(t *testing.T) {
	cfg := &model.Config{Assets: []model.Asset{asset("gw1", nil, check("icmp"))}}
	r := startEngine(t, cfg, model.EngineOptions{PublishEvery: 20 * time.Millisecond})
	sub := r.e.Subscribe()
	defer sub.Close()
	r.result("gw1", "icmp", ok, "first")
	r.result("gw1", "icmp", ok, "second")
	timeout := time.After(10 * time.Second) // liveness only, not a timing assertion
	for {
		select {
		case s := <-sub.C:
			if s.Asset("gw1").Check("icmp").Summary == "second" {
				return
			}
		case <-timeout:
			t.Fatal("the trailing change was never published")
		}
	}
}

func TestSubmitBlocksUntilCtx(t *testing.T) {
	cfg := &model.Config{Assets: []model.Asset{asset("gw1", nil, check("icmp"))}}
	cfg.ApplyDefaults()
	e := model.NewEngine(cfg, model.EngineOptions{}) // not running: nobody drains
	res := model.Result{Key: model.CheckKey{Asset: "gw1", Check: "icmp"}, Outcome: model.Outcome{Status: ok, Summary: "ok"}}
	var err error
	for i := 0; i < 100000 && err == nil; i++ {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		err = e.Submit(ctx, res)
		cancel()
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Submit into a full inbox: %v, want context.DeadlineExceeded", err)
	}
}

func TestStopNoLeak(t *testing.T) {
	base := runtime.NumGoroutine()
	cfg := &model.Config{Assets: []model.Asset{asset("gw1", nil, check("icmp"))}}
	cfg.ApplyDefaults()
	e := model.NewEngine(cfg, model.EngineOptions{PublishEvery: time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan struct{})
	go func() { defer close(ran); e.Run(ctx) }()
	sub := e.Subscribe()
	readerDone := make(chan struct{})
	go func() { // a viewer: ends when C closes
		defer close(readerDone)
		for range sub.C {
		}
	}()
	for i := range 100 {
		if err := e.Submit(ctx, model.Result{Key: model.CheckKey{Asset: "gw1", Check: "icmp"},
			Outcome: model.Outcome{Status: ok, Summary: fmt.Sprint(i)}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	cancel()
	<-ran
	<-readerDone

	bg := context.Background()
	if err := e.Submit(bg, model.Result{}); !errors.Is(err, model.ErrEngineStopped) {
		t.Fatalf("Submit after stop: %v", err)
	}
	if _, err := e.Sync(bg); !errors.Is(err, model.ErrEngineStopped) {
		t.Fatalf("Sync after stop: %v", err)
	}
	e.Recheck(model.CheckKey{Asset: "gw1", Check: "icmp"}) // returns at once
	late := e.Subscribe()
	if s := <-late.C; s != e.Latest() {
		t.Fatal("late subscriber did not get the last snapshot")
	}
	if _, open := <-late.C; open {
		t.Fatal("late subscriber's C is open after stop")
	}
	late.Close()
	if e.Latest().Asset("gw1").Check("icmp").Summary != "99" {
		t.Fatal("Latest lost the last state")
	}
	// Wait for goroutines to unwind (liveness, not timing).
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > base && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > base {
		buf := make([]byte, 1<<16)
		t.Fatalf("%d goroutines after stop, %d before:\n%s", n, base, buf[:runtime.Stack(buf, true)])
	}
}

func TestRunTwicePanics(t *testing.T) {
	cfg := &model.Config{}
	r := startEngine(t, cfg, model.EngineOptions{})
	r.sync() // the first Run is running
	defer func() {
		if recover() == nil {
			t.Fatal("second Run did not panic")
		}
	}()
	r.e.Run(context.Background())
}

func TestProbeNotesAndInterfaces(t *testing.T) {
	cfg := &model.Config{Assets: []model.Asset{asset("sw1", nil, check("snmp"))}}
	r := startEngine(t, cfg, model.EngineOptions{})
	ifs := []model.Interface{{Index: 1, Name: "Gi0/1", OperStatus: "down", AdminUp: true, Status: model.StatusCritical}}
	r.submit(model.Result{Key: model.CheckKey{Asset: "sw1", Check: "snmp"},
		Outcome: model.Outcome{Status: ok, Summary: "48 interfaces", Interfaces: ifs,
			Notes: []model.Note{{Kind: model.EventReboot, Summary: "sysUpTime went back from 41d to 2m"}}}})
	s := r.sync()
	var reboots []string
	for _, e := range s.Events {
		if e.Kind == model.EventReboot && e.Asset == "sw1" && e.Check == "snmp" {
			reboots = append(reboots, e.Summary)
		}
	}
	if !slices.Equal(reboots, []string{"sysUpTime went back from 41d to 2m"}) {
		t.Errorf("reboot events %q", reboots)
	}
	if got := s.Asset("sw1").Check("snmp").Interfaces; len(got) != 1 || got[0].Name != "Gi0/1" {
		t.Errorf("interfaces not published: %+v", got)
	}
}

// A child that starts failing gets its healthy-looking parents rechecked at
// once, so a broken parent turns hard before the child poses as a root cause.
func TestFailingChildRechecksParents(t *testing.T) {
	cfg := &model.Config{Assets: []model.Asset{
		asset("gw1", nil, check("icmp")),
		asset("core-sw1", []string{"gw1"}, check("icmp"), check("snmp")),
		asset("web1", []string{"core-sw1"}, check("http")),
	}}
	var mu sync.Mutex
	var got []model.CheckKey
	r := startEngine(t, cfg, model.EngineOptions{Recheck: func(k model.CheckKey) {
		mu.Lock()
		got = append(got, k)
		mu.Unlock()
	}})
	taken := func() []model.CheckKey {
		r.sync()
		mu.Lock()
		defer mu.Unlock()
		out := got
		got = nil
		return out
	}
	r.result("core-sw1", "icmp", ok, "fine")
	r.result("core-sw1", "snmp", crit, "no answer") // already failing: not asked again
	taken()
	r.result("web1", "http", crit, "HTTP 503")
	if want := []model.CheckKey{{Asset: "core-sw1", Check: "icmp"}}; !slices.Equal(taken(), want) {
		t.Fatalf("first failure rechecked %v, want %v", got, want)
	}
	r.result("web1", "http", crit, "HTTP 503") // still failing: no new requests
	if k := taken(); len(k) != 0 {
		t.Fatalf("a continuing failure rechecked %v", k)
	}
	r.result("web1", "http", ok, "HTTP 200")
	r.result("web1", "http", warn, "slow") // a new problem asks again
	if k := taken(); len(k) != 1 {
		t.Fatalf("a new problem rechecked %v, want the parent's icmp", k)
	}
	// WARNING said the target answered; CRITICAL says it may not any more
	// (the lab printer, WARNING for its toner, then silent behind its
	// switch): ask again. Back to WARNING, or still CRITICAL, asks nothing.
	r.result("web1", "http", crit, "HTTP 503")
	if k := taken(); len(k) != 1 {
		t.Fatalf("WARNING -> CRITICAL rechecked %v, want the parent's icmp", k)
	}
	r.result("web1", "http", crit, "HTTP 503")
	r.result("web1", "http", warn, "slow")
	if k := taken(); len(k) != 0 {
		t.Fatalf("CRITICAL, then back to WARNING rechecked %v", k)
	}
}
