package probes

import (
	"context"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"noctop/model"
)

// BenchmarkSchedulerRunOnce10k is the scheduler's cost per run: 10,000
// checks, a trivial probe and sink, default concurrency.
func BenchmarkSchedulerRunOnce10k(b *testing.B) {
	const n = 10_000
	var sunk atomic.Int64
	sink := func(ctx context.Context, r model.Result) error { sunk.Add(1); return nil }
	s := NewScheduler(schedConfig(n, time.Minute, time.Second), perRun(okProbe), sink)
	b.ReportAllocs()
	for b.Loop() {
		if err := s.RunOnce(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(sunk.Load()), "ns/run")
}

// TestSchedulerIdleCPU measures Run with 10,000 checks on a 60 s interval:
// the first sweep (spread over 10 s), the idle window that follows (no run
// is due: second runs come at least half an interval after the first), and
// the steady state where runs are spread evenly (~167/s). It takes ~80 s, so
// it runs only with NOCTOP_BENCH=1.
func TestSchedulerIdleCPU(t *testing.T) {
	if os.Getenv("NOCTOP_BENCH") != "1" {
		t.Skip("set NOCTOP_BENCH=1 to measure scheduler CPU (80 s)")
	}
	const n = 10_000
	var runs atomic.Int64
	sink := func(ctx context.Context, r model.Result) error { runs.Add(1); return nil }
	s := NewScheduler(schedConfig(n, time.Minute, time.Second), perRun(okProbe), sink)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	t0 := time.Now()
	c0 := cpuTime(t)
	errc := make(chan error, 1)
	go func() { errc <- s.Run(ctx) }()

	window := func(name string, from, to time.Duration) {
		time.Sleep(time.Until(t0.Add(from)))
		c, r := cpuTime(t), runs.Load()
		time.Sleep(time.Until(t0.Add(to)))
		dc, dr := cpuTime(t)-c, runs.Load()-r
		secs := (to - from).Seconds()
		t.Logf("%-12s +%2.0fs..+%2.0fs: %6.2f ms CPU/s, %6.0f runs/s", name, from.Seconds(), to.Seconds(),
			float64(dc.Microseconds())/1000/secs, float64(dr)/secs)
	}
	time.Sleep(11 * time.Second)
	t.Logf("first sweep  +0s..+11s: %d runs, %s CPU in total", runs.Load(), cpuTime(t)-c0)
	window("idle", 11*time.Second, 21*time.Second)
	window("steady", 65*time.Second, 75*time.Second)
	cancel()
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
}
