package probes

import (
	"context"
	"errors"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"noctop/model"
)

// Consume (noctop check) runs every check once, like RunOnce, preparing
// each just before its run: at most the runs in flight (and the one
// waiting for a slot) hold a prepared probe, every probe is collectable
// once its run ended, and the config's checks are consumed.
func TestConsumeRunsEachOncePreparingAsItGoes(t *testing.T) {
	const n, limit = 300, 8
	cfg := schedConfig(n, time.Minute, time.Second)
	var prepared, finished, freed, most atomic.Int64
	prepare := func(tg Target) (Prepared, error) {
		held := prepared.Add(1) - finished.Load()
		for m := most.Load(); held > m && !most.CompareAndSwap(m, held); m = most.Load() {
		}
		p := &countingProbe{done: &finished}
		runtime.AddCleanup(p, func(c *atomic.Int64) { c.Add(1) }, &freed)
		return p, nil
	}
	col := newCollector()
	if err := Consume(context.Background(), cfg, prepare, col.sink, SchedulerOptions{Concurrency: limit}); err != nil {
		t.Fatal(err)
	}
	got := col.snapshot()
	if len(got) != n || finished.Load() != n {
		t.Fatalf("%d results, %d runs; want %d of each", len(got), finished.Load(), n)
	}
	seen := map[model.CheckKey]bool{}
	for _, r := range got {
		if seen[r.Key] || r.Status != model.StatusOK || r.At.IsZero() {
			t.Fatalf("result %+v: a second run, or not the probe's", r)
		}
		seen[r.Key] = true
	}
	if m := most.Load(); m > limit+1 {
		t.Errorf("%d prepared probes held at once, want at most %d (the runs in flight and one waiting)", m, limit+1)
	}
	if cfg.NumChecks() != 0 {
		t.Errorf("%d checks left in the config, want them consumed", cfg.NumChecks())
	}
	// Cleanups run on their own goroutine after a collection: a few rounds.
	for range 50 {
		if freed.Load() == n {
			break
		}
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
	if freed.Load() != n {
		t.Errorf("%d of %d prepared probes collected after Consume, want all", freed.Load(), n)
	}
}

// Consume stopped by ctx says how many checks did not run.
func TestConsumeStoppedSaysWhatDidNotRun(t *testing.T) {
	cfg := schedConfig(50, time.Minute, time.Second)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var runs atomic.Int64
	prepare := func(Target) (Prepared, error) { return &countingProbe{done: &runs}, nil }
	err := Consume(ctx, cfg, prepare, newCollector().sink, SchedulerOptions{Concurrency: 4})
	if err == nil || !errors.Is(err, context.Canceled) {
		t.Fatalf("Consume with ctx done: %v, want context.Canceled", err)
	}
}

type countingProbe struct {
	done *atomic.Int64
	_    [64]byte // not a tiny allocation: tiny objects share blocks, and cleanups with them
}

func (p *countingProbe) Run(context.Context) model.Outcome {
	p.done.Add(1)
	return model.Outcome{Status: model.StatusOK, Summary: "ok"}
}
