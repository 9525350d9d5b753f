package probes

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"noctop/model"
)

// BenchmarkSchedulerRecoveryBurst is a parent recovering with 1,000
// children: the engine asks for all their checks at once (RunNow) while
// 2,000 other checks run every 2 s, each run taking 20 ms, 64 at a time.
// stall_ms is the longest time no scheduled run started while the
// rechecks were served (a steady 1,000 runs/s leaves gaps of ~1 ms);
// recheck_ms is how long the 1,000 rechecks took to start.
func BenchmarkSchedulerRecoveryBurst(b *testing.B) {
	const (
		children = 1000
		others   = 2000
		every    = 2 * time.Second
		work     = 20 * time.Millisecond
	)
	cfg := schedConfig(others, every, time.Second)
	for i := range children {
		cfg.Assets = append(cfg.Assets, model.Asset{Name: fmt.Sprintf("child%d", i), Checks: []model.Check{{
			Type: model.CheckTCP, Interval: model.D(time.Hour), Timeout: model.D(time.Second), RetryInterval: model.D(time.Hour),
		}}})
	}
	cfg.ApplyDefaults()

	var (
		mu      sync.Mutex
		asked   = map[string]bool{}
		recheck []time.Time // starts of the asked-for runs
		sched   []time.Time // starts of every other run
	)
	probe := func(ctx context.Context, t Target) model.Outcome {
		now := time.Now()
		mu.Lock()
		if asked[t.Asset.Name] {
			delete(asked, t.Asset.Name)
			recheck = append(recheck, now)
		} else if t.Asset.Name[0] == 'a' {
			sched = append(sched, now)
		}
		mu.Unlock()
		select {
		case <-time.After(work):
		case <-ctx.Done():
		}
		return model.Outcome{Status: model.StatusOK, Summary: "ok"}
	}
	sink := func(context.Context, model.Result) error { return nil }
	s := NewScheduler(cfg, perRun(probe), sink, SchedulerOptions{Concurrency: 64, FirstSpread: time.Second})
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- s.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-errc; err != nil {
			b.Error(err)
		}
	}()
	time.Sleep(every + time.Second) // first runs done, steady state

	var stall, spread time.Duration
	for b.Loop() {
		mu.Lock()
		recheck, sched = recheck[:0], sched[:0]
		for i := range children {
			asked[fmt.Sprintf("child%d", i)] = true
		}
		mu.Unlock()
		t0 := time.Now()
		for i := range children {
			s.RunNow(model.CheckKey{Asset: fmt.Sprintf("child%d", i), Check: model.CheckTCP})
		}
		for {
			time.Sleep(10 * time.Millisecond)
			mu.Lock()
			n := len(recheck)
			mu.Unlock()
			if n == children {
				break
			}
		}
		mu.Lock()
		end := recheck[len(recheck)-1]
		spread += end.Sub(t0)
		last, worst := t0, time.Duration(0)
		for _, at := range sched {
			if at.After(end) {
				break
			}
			worst = max(worst, at.Sub(last))
			last = at
		}
		stall += max(worst, end.Sub(last))
		mu.Unlock()
		time.Sleep(every) // let the estate settle before the next burst
	}
	n := float64(b.N)
	b.ReportMetric(float64(stall.Milliseconds())/n, "stall_ms")
	b.ReportMetric(float64(spread.Milliseconds())/n, "recheck_ms")
}
