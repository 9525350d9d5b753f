package probes

import (
	"context"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"noctop/model"
)

// Drain (noctop check) runs every check once, like RunOnce, and lets go of
// each prepared probe as its run ends: the probes are collectable while the
// scheduler itself is still referenced.
func TestSchedulerDrainRunsEachOnceAndDropsItsProbes(t *testing.T) {
	const n = 300
	cfg := schedConfig(n, time.Minute, time.Second)
	var prepared, freed, runs atomic.Int64
	prepare := func(tg Target) (Prepared, error) {
		p := &countingProbe{runs: &runs}
		prepared.Add(1)
		runtime.AddCleanup(p, func(c *atomic.Int64) { c.Add(1) }, &freed)
		return p, nil
	}
	col := newCollector()
	s := NewScheduler(cfg, prepare, col.sink, SchedulerOptions{Concurrency: 16})
	if err := s.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := len(col.snapshot()); got != n || runs.Load() != n {
		t.Fatalf("%d results, %d runs; want %d of each", got, runs.Load(), n)
	}
	if s.Len() != 0 {
		t.Errorf("Len %d after Drain, want 0", s.Len())
	}
	// Cleanups run on their own goroutine after a collection: a few rounds.
	for range 50 {
		if freed.Load() == prepared.Load() {
			break
		}
		runtime.GC()
		runtime.Gosched()
		time.Sleep(time.Millisecond)
	}
	if freed.Load() != n {
		t.Errorf("%d of %d prepared probes collected after Drain, want all", freed.Load(), n)
	}
	if err := s.Drain(context.Background()); err != nil {
		t.Errorf("a second Drain of an empty scheduler: %v", err)
	}
	runtime.KeepAlive(s)
}

type countingProbe struct {
	runs *atomic.Int64
	_    [64]byte // not a tiny allocation: tiny objects share blocks and cleanups
}

func (p *countingProbe) Run(context.Context) model.Outcome {
	p.runs.Add(1)
	return model.Outcome{Status: model.StatusOK, Summary: "ok"}
}
