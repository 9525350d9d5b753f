package serve

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"

	"noctop/model"
)

// settledRig is a rig of n more assets, every check OK (no spinner: the
// dashboard of a quiet estate).
func settledRig(b *testing.B, n int) *rig {
	r := newRigWith(b, manyAssets(n), Options{MaxSessions: 1000})
	for _, a := range r.engine.Latest().Assets {
		for _, c := range a.Checks {
			if err := r.engine.Submit(b.Context(), model.Result{Key: c.Key(), At: time.Now(), Outcome: model.Outcome{Status: model.StatusOK, Summary: "ok"}}); err != nil {
				b.Fatal(err)
			}
		}
	}
	r.latest()
	return r
}

// BenchmarkIdleViewer: bytes a second sent to a viewer of a quiet estate
// (the clock changes once a second). One iteration is one second.
func BenchmarkIdleViewer(b *testing.B) {
	r := settledRig(b, 1000)
	s := openScreen(b, r.login(r.viewer), 120, 40, true)
	s.waitText("✓1002")
	time.Sleep(2 * time.Second) // the first frames and queries are not idle
	s.mu.Lock()
	start, at := s.raw.Len(), time.Now()
	s.mu.Unlock()
	for b.Loop() {
		time.Sleep(time.Second)
	}
	s.mu.Lock()
	sent := s.raw.Len() - start
	s.mu.Unlock()
	b.ReportMetric(float64(sent)/time.Since(at).Seconds(), "B/s")
}

// BenchmarkSessionMemory: the heap one more dashboard session holds, with
// 1,000 assets (client and server are in this process: an upper bound).
func BenchmarkSessionMemory(b *testing.B) {
	r := settledRig(b, 1000)
	const n = 20
	var before, after runtime.MemStats
	for b.Loop() {
		runtime.GC()
		runtime.ReadMemStats(&before)
		var screens []*screen
		for range n {
			s := openScreen(b, r.login(r.viewer), 120, 40, true)
			screens = append(screens, s)
		}
		for _, s := range screens {
			s.waitText("✓1002")
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/n, "heap-B/session")
		for _, s := range screens {
			s.keys("q")
			s.waitEnd()
		}
	}
}

// cpuTime is this process's user and system CPU time so far.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkViewerCPU: process CPU per second with 0 and 10 dashboard
// viewers of 1,000 assets while 10 of them change status every 100 ms
// (ten snapshots a second). The difference over 10 is the cost of one
// viewer, the SSH client's side included (an upper bound). One iteration
// is one second.
func BenchmarkViewerCPU(b *testing.B) {
	for _, viewers := range []int{0, 10} {
		b.Run(fmt.Sprintf("viewers=%d", viewers), func(b *testing.B) {
			r := settledRig(b, 1000)
			for range viewers {
				s := openScreen(b, r.login(r.viewer), 120, 40, true)
				s.waitText("✓1002")
			}
			ctx, cancel := context.WithCancel(b.Context())
			var wg sync.WaitGroup
			wg.Go(func() {
				tick := time.NewTicker(100 * time.Millisecond)
				defer tick.Stop()
				for n := 0; ; n++ {
					select {
					case <-ctx.Done():
						return
					case <-tick.C:
					}
					st := []model.Status{model.StatusOK, model.StatusWarning}[n%2]
					for i := range 10 {
						k := model.CheckKey{Asset: fmt.Sprintf("sw-%03d", i), Check: "http"}
						_ = r.engine.Submit(ctx, model.Result{Key: k, At: time.Now(), Outcome: model.Outcome{Status: st, Summary: "churn"}})
					}
				}
			})
			defer func() { cancel(); wg.Wait() }()
			time.Sleep(time.Second)
			start, at := cpuTime(b), time.Now()
			for b.Loop() {
				time.Sleep(time.Second)
			}
			b.ReportMetric(float64((cpuTime(b)-start).Milliseconds())/time.Since(at).Seconds(), "CPU-ms/s")
		})
	}
}
