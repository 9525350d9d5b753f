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

// Consume (noctop check) runs every check once, like RunOnce, consumes the
// config's checks, and lets go of each prepared probe once its result was
// sunk: halfway through, the probes of the runs already done have been
// collected.
func TestConsumeRunsEachOnceAndDropsWhatRan(t *testing.T) {
	const n, half = 100, 60
	cfg := schedConfig(n, time.Minute, time.Second)
	var finished, freed atomic.Int64
	prepare := func(tg Target) (Prepared, error) {
		p := &countingProbe{done: &finished}
		runtime.AddCleanup(p, func(c *atomic.Int64) { c.Add(1) }, &freed)
		return p, nil
	}
	// collect runs the collector until want probes were freed or it gave up
	// (cleanups run on their own goroutine after a collection).
	collect := func(want int64) int64 {
		for range 50 {
			if freed.Load() >= want {
				break
			}
			runtime.GC()
			time.Sleep(time.Millisecond)
		}
		return freed.Load()
	}
	col := newCollector()
	var midway int64
	sink := func(ctx context.Context, r model.Result) error {
		if len(col.snapshot()) == half-1 { // this is result number half
			midway = collect(half - 1)
		}
		return col.sink(ctx, r)
	}
	// One at a time: when a result is sunk, every earlier run has ended.
	if err := Consume(context.Background(), cfg, prepare, sink, SchedulerOptions{Concurrency: 1}); err != nil {
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
	if cfg.NumChecks() != 0 {
		t.Errorf("%d checks left in the config, want them consumed", cfg.NumChecks())
	}
	if midway < half-1 || midway > half {
		t.Errorf("%d prepared probes collected when result %d was sunk, want the %d that ran before it", midway, half, half-1)
	}
	if f := collect(n); f != n {
		t.Errorf("%d of %d prepared probes collected after Consume, want all", f, n)
	}
}

// Consume stopped by ctx says that checks did not run.
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
