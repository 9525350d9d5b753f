package model

import (
	"context"
	"runtime"
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
