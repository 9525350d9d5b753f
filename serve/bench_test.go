package serve

import (
	"runtime"
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
