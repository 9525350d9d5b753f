package probes

import (
	"context"
	"testing"
	"time"

	"noctop/model"
)

// Runs are handed to the workers already started: 4 checks, each running
// at most once at a time, never need more than 4 however many runs they
// make and however high the limit.
func TestSchedulerReusesWorkers(t *testing.T) {
	c := newCollector()
	s := NewScheduler(schedConfig(4, 10*time.Millisecond, time.Second), perRun(okProbe), c.sink,
		SchedulerOptions{Concurrency: 16})
	stop := startRun(t, s)
	c.waitFor(t, "100 results", func(rs []model.Result) bool { return len(rs) >= 100 })
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	runs := len(c.snapshot())
	if n := s.workers.started.Load(); n < 1 || n > 4 {
		t.Fatalf("%d workers started for %d runs of 4 checks, want 1-4", n, runs)
	}
	if n := s.workers.live.Load(); n != 0 {
		t.Fatalf("%d workers still running after Run returned", n)
	}
}

// A burst grows the crew to the limit; workers without a run for
// workerIdle end, even when no run is due to wake the loop.
func TestSchedulerRetiresIdleWorkers(t *testing.T) {
	const n = 8
	c := newCollector()
	s := NewScheduler(schedConfig(n, time.Hour, time.Second), perRun(okProbe), c.sink,
		SchedulerOptions{Concurrency: n, FirstSpread: -1})
	s.workerIdle = 20 * time.Millisecond
	stop := startRun(t, s)
	c.waitFor(t, "the first runs", func(rs []model.Result) bool { return len(rs) == n })
	// Every first run is handed out before any comes back.
	if got := s.workers.started.Load(); got != n {
		t.Fatalf("%d workers started for %d first runs due at once, want %d", got, n, n)
	}
	deadline := time.Now().Add(10 * time.Second)
	for s.workers.live.Load() > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d idle workers still running", s.workers.live.Load(), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
	// The loop still runs: a recheck starts a worker again.
	s.RunNow(key(3))
	c.waitFor(t, "the recheck", func(rs []model.Result) bool { return len(rs) == n+1 })
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if got := s.workers.live.Load(); got != 0 {
		t.Fatalf("%d workers still running after Run returned", got)
	}
	if got := s.workers.started.Load(); got != n+1 {
		t.Fatalf("%d workers started, want %d", got, n+1)
	}
}

// Run's return ends busy workers too, and waits for them: a probe that
// ignores ctx keeps Run from returning until it does.
func TestSchedulerEndsBusyWorkers(t *testing.T) {
	const n = 4
	release := make(chan struct{})
	entered := make(chan struct{}, n)
	probe := func(ctx context.Context, t Target) model.Outcome {
		entered <- struct{}{}
		if t.Asset.Name == "a0" {
			<-release // ignores ctx
		} else {
			<-ctx.Done()
		}
		return model.Critical("cut short")
	}
	c := newCollector()
	s := NewScheduler(schedConfig(n, time.Hour, time.Minute), perRun(probe), c.sink,
		SchedulerOptions{Concurrency: n, FirstSpread: -1})
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- s.Run(ctx) }()
	for range n {
		<-entered
	}
	cancel()
	select {
	case err := <-errc:
		t.Fatalf("Run returned (%v) while a probe was still running", err)
	case <-time.After(50 * time.Millisecond):
	}
	if got := s.workers.live.Load(); got != n {
		t.Fatalf("%d workers running while Run waits for a stuck probe, want %d", got, n)
	}
	close(release)
	if err := <-errc; err != nil {
		t.Fatalf("Run: %v", err)
	}
	if got := s.workers.live.Load(); got != 0 {
		t.Fatalf("%d workers still running after Run returned", got)
	}
}
