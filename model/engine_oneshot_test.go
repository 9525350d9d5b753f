package model

import (
	"context"
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"
)

// A one-shot engine (noctop check) keeps no history: check reads each
// check's last result only, and 120 samples at 10,000 checks were
// megabytes for nothing. HistoryLen still wins when set.
func TestOneShotKeepsNoHistory(t *testing.T) {
	cfg, err := Parse("o.toml", []byte("[[asset]]\nname = \"a\"\naddress = \"127.0.0.1\"\n[[asset.check]]\ntype = \"icmp\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		opts EngineOptions
		want int
	}{
		{EngineOptions{OneShot: true}, 0},
		{EngineOptions{OneShot: true, HistoryLen: 3}, 3},
		{EngineOptions{}, 5}, // the default keeps all 5 of 5
	} {
		e := NewEngine(cfg, c.opts)
		ctx, cancel := context.WithCancel(context.Background())
		go e.Run(ctx)
		key := cfg.Assets[0].Key(&cfg.Assets[0].Checks[0])
		at := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
		for i := range 5 {
			r := Result{Key: key, Outcome: Outcome{Status: StatusOK, Summary: "ok", Metrics: map[string]float64{MetricRTTAvg: float64(i)}}, At: at.Add(time.Duration(i) * time.Second)}
			if err := e.Submit(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
		snap, err := e.Sync(ctx)
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		cs := snap.Assets[0].Checks[0]
		if cs.Metrics[MetricRTTAvg] != 4 || !cs.LastRun.Equal(at.Add(4*time.Second)) {
			t.Errorf("%+v: last result %v at %v, want the fifth", c.opts, cs.Metrics, cs.LastRun)
		}
		h := cs.History
		if h.Len() != c.want {
			t.Errorf("%+v: %d samples, want %d", c.opts, h.Len(), c.want)
		} else if h.Len() > 0 && !h.At(h.Len()-1).Equal(at.Add(4*time.Second)) {
			t.Errorf("%+v: the last sample at %v, want the fifth result's", c.opts, h.At(h.Len()-1))
		}
	}
}

// liveHeap is the heap still reachable after a full collection.
func liveHeap() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// A one-shot run (noctop check) ends with the engine's own state and the
// results, and nothing else: no history, no snapshot copies of the assets
// (SyncHead has none, Assets builds each as it is read and keeps none).
// At 10,000 assets the copies were 6 MB and one sample of history 1.7 MB.
func TestOneShotHoldsNoCopiesOfTheAssets(t *testing.T) {
	const n = 2000
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "[[asset]]\nname = \"t%05d\"\naddress = \"127.1.%d.%d\"\n[[asset.check]]\ntype = \"icmp\"\n", i, i/250, i%250+1)
	}
	cfg, err := Parse("o.toml", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	before := liveHeap()
	e := NewEngine(cfg, EngineOptions{OneShot: true})
	if s := e.Latest(); s.Assets != nil || s.Count(StatusPending) != n || s.Asset("t00000") != nil {
		t.Fatalf("a one-shot engine's first snapshot: %d assets, %d PENDING; want the counts only", len(s.Assets), s.Count(StatusPending))
	}
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan struct{})
	go func() {
		defer close(ran)
		e.Run(ctx)
	}()
	at := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	for i := range cfg.Assets {
		a := &cfg.Assets[i]
		// An icmp result as the probe makes it: seven metrics, two attrs.
		o := Outcome{Status: StatusOK, Summary: "3/3 received, rtt 0.0043/0.022/0.047 ms", Primary: MetricRTTAvg,
			Metrics: map[string]float64{MetricSent: 3, MetricReceived: 3, MetricLossPct: 0, MetricRTTMin: 0.004, MetricRTTAvg: 0.02, MetricRTTMax: 0.05, MetricJitter: 0.01},
			Attrs:   map[string]string{"icmp_mode": "raw", "address": a.Address}}
		if err := e.Submit(ctx, Result{Key: a.Key(&a.Checks[0]), Outcome: o, At: at, Duration: 40 * time.Millisecond}); err != nil {
			t.Fatal(err)
		}
	}
	head, err := e.SyncHead(ctx)
	cancel()
	<-ran
	if err != nil {
		t.Fatal(err)
	}
	if head.Assets != nil || head.Count(StatusOK) != n || head.Done != n {
		t.Errorf("head: %d assets, %d OK, %d of %d checks done; want no assets, %d OK, all done", len(head.Assets), head.Count(StatusOK), head.Done, head.Checks, n)
	}
	held := liveHeap() - before
	// Measured 1,004 bytes an asset at 2,000 (the engine's state ~800, the
	// result's values, names shared, in one array, and summary ~130, the
	// name index ~40). Before: 1,358 (a key index ~75, a 1,024-message
	// inbox ~175, a slice of values per check ~60, padding 40). The
	// result's maps would add ~440, a snapshot's copies ~650, one sample of
	// history ~170. Issue 12 added ~110 (acks, flapping, maintenance,
	// correlation: 1,111 measured).
	if per := held / n; per > 1200 {
		t.Errorf("a one-shot engine holds %d bytes an asset after SyncHead; want at most 1,200", per)
	}
	seen := 0
	for a := range e.Assets() {
		if a.Status != StatusOK || len(a.Checks) != 1 || a.Checks[0].Attrs["address"] != a.Address || a.Checks[0].History.Len() != 0 ||
			len(a.Checks[0].Metrics) != 7 || a.Checks[0].Metrics[MetricRTTMax] != 0.05 {
			t.Fatalf("asset %s: %s, checks %v", a.Name, a.Status, a.Checks)
		}
		seen++
	}
	if seen != n {
		t.Fatalf("Assets yielded %d assets, want %d", seen, n)
	}
	if after := liveHeap() - before; after > held+held/20 {
		t.Errorf("walking the assets kept %d bytes (%d an asset); want the states dropped as read", after-held, (after-held)/n)
	}
	runtime.KeepAlive(e)
}

// A one-shot engine keeps each result's metrics and attrs as values under
// shared names, in one array; what Sync and Assets give back is the last
// result submitted, nil and empty maps included, whatever the mix of
// shapes and however many results a check had. It finds checks without a
// key index: results for unknown checks are ignored.
func TestOneShotGivesBackEachResultsMaps(t *testing.T) {
	var b strings.Builder
	for i := range 5 {
		fmt.Fprintf(&b, "[[asset]]\nname = \"a%d\"\naddress = \"127.0.0.%d\"\n[[asset.check]]\ntype = \"icmp\"\n[[asset.check]]\ntype = \"tcp\"\nport = 22\n", i, i+1)
	}
	cfg, err := Parse("o.toml", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	outcomes := []Outcome{
		{Status: StatusOK, Summary: "3/3", Metrics: map[string]float64{MetricSent: 3, MetricReceived: 3, MetricRTTAvg: 0.5}, Attrs: map[string]string{"icmp_mode": "raw", "address": "127.0.0.1"}},
		{Status: StatusCritical, Summary: "0/3", Metrics: map[string]float64{MetricSent: 3, MetricReceived: 0, MetricLossPct: 100}, Attrs: map[string]string{"icmp_mode": "raw"}},
		{Status: StatusUnknown, Summary: "no socket"},
		{Status: StatusOK, Summary: "connected", Metrics: map[string]float64{}, Attrs: map[string]string{}},
		{Status: StatusOK, Summary: "3/3", Metrics: map[string]float64{MetricSent: 3, MetricReceived: 3, MetricRTTAvg: 0.7}, Attrs: map[string]string{"icmp_mode": "raw", "address": "127.0.0.5"}},
	}
	e := NewEngine(cfg, EngineOptions{OneShot: true})
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan struct{})
	go func() {
		defer close(ran)
		e.Run(ctx)
	}()
	want := map[CheckKey]Outcome{}
	k := 0
	for i := range cfg.Assets {
		a := &cfg.Assets[i]
		for j := range a.Checks {
			o := outcomes[k%len(outcomes)]
			k++
			key := a.Key(&a.Checks[j])
			want[key] = o
			// An earlier result first: of the same shape as the last one
			// (values overwritten in place) or of another (values
			// appended); and results for no check, which are ignored.
			for _, r := range []Result{
				{Key: key, Outcome: outcomes[k%len(outcomes)]},
				{Key: CheckKey{Asset: a.Name, Check: "nope"}, Outcome: outcomes[0]},
				{Key: CheckKey{Asset: "nope", Check: key.Check}, Outcome: outcomes[0]},
				{Key: key, Outcome: o},
			} {
				if err := e.Submit(ctx, r); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	snap, err := e.Sync(ctx)
	cancel()
	<-ran
	if err != nil {
		t.Fatal(err)
	}
	check := func(from string, c *CheckState) {
		t.Helper()
		o := want[c.Key()]
		if !reflect.DeepEqual(c.Metrics, o.Metrics) || !reflect.DeepEqual(c.Attrs, o.Attrs) {
			t.Errorf("%s %s: metrics %#v attrs %#v, want %#v %#v", from, c.Key(), c.Metrics, c.Attrs, o.Metrics, o.Attrs)
		}
	}
	for _, a := range snap.Assets {
		for _, c := range a.Checks {
			check("Sync", c)
		}
	}
	for a := range e.Assets() {
		for _, c := range a.Checks {
			check("Assets", c)
		}
	}
}

// Indexed sees each asset once its checks are indexed, in config order,
// and may consume them (noctop check prepares its probes there): the
// engine has every check all the same. A reload indexes afresh without it.
func TestIndexedMayConsumeEachAssetsChecks(t *testing.T) {
	src := "[[asset]]\nname = \"a\"\naddress = \"127.0.0.1\"\n[[asset.check]]\ntype = \"icmp\"\n[[asset.check]]\ntype = \"tcp\"\nport = 22\n" +
		"[[asset]]\nname = \"b\"\naddress = \"127.0.0.2\"\nparents = [\"a\"]\n[[asset.check]]\ntype = \"icmp\"\n"
	cfg, err := Parse("o.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var seen []string
	e := NewEngine(cfg, EngineOptions{Indexed: func(a *Asset) {
		seen = append(seen, fmt.Sprintf("%s:%d", a.Name, len(a.Checks)))
		a.Checks = nil
	}})
	if want := []string{"a:2", "b:1"}; !reflect.DeepEqual(seen, want) {
		t.Fatalf("Indexed saw %v, want %v", seen, want)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go e.Run(ctx)
	for _, k := range []CheckKey{{Asset: "a", Check: "icmp"}, {Asset: "a", Check: "tcp"}, {Asset: "b", Check: "icmp"}} {
		if err := e.Submit(ctx, Result{Key: k, Outcome: Outcome{Status: StatusOK, Summary: "ok"}}); err != nil {
			t.Fatal(err)
		}
	}
	snap, err := e.Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if snap.Checks != 3 || snap.Done != 3 || snap.Count(StatusOK) != 2 || len(snap.Asset("a").Checks) != 2 {
		t.Fatalf("after consuming the checks: %d checks, %d done, %d OK assets; want 3, 3, 2", snap.Checks, snap.Done, snap.Count(StatusOK))
	}
	again, err := Parse("o.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Reload(ctx, again); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 2 || len(again.Assets[0].Checks) != 2 {
		t.Errorf("a reload called Indexed (%v) or lost the new config's checks", seen)
	}
}
