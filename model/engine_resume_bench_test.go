package model

import (
	"testing"
	"time"
)

// BenchmarkNewEngineResume builds the 10,000-check engine from a full
// Resume (120 samples of two metrics per check, one in ten checks
// CRITICAL): the engine's share of a restart.
func BenchmarkNewEngineResume(b *testing.B) {
	cfg := benchConfig()
	r := &Resume{At: time.Unix(1e9, 0), Checks: make(map[CheckKey]ResumeCheck, cfg.NumChecks())}
	n := 0
	for i := range cfg.Assets {
		a := &cfg.Assets[i]
		for j := range a.Checks {
			c := &a.Checks[j]
			st := StatusOK
			if n%10 == 0 {
				st = StatusCritical
			}
			n++
			rc := ResumeCheck{Type: c.Type, Status: st, HardStatus: st, Hard: true, Summary: "fine",
				Metrics: map[string]float64{"a": 1, "b": 2}, LastRun: r.At, Since: r.At, HistoryNames: []string{"a", "b"}}
			for k := range DefaultHistoryLen {
				rc.History = append(rc.History, Sample{At: r.At.Add(time.Duration(k-DefaultHistoryLen) * 30 * time.Second),
					Status: st, Duration: time.Millisecond, Values: []float32{float32(k), 2}})
			}
			r.Checks[a.Key(c)] = rc
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		e := NewEngine(cfg, EngineOptions{Resume: r})
		if s := e.Latest(); s.Done != s.Checks {
			b.Fatalf("done %d of %d", s.Done, s.Checks)
		}
	}
}

// BenchmarkEngineReload applies a config of 10,000 checks, every one kept,
// to an engine whose checks all have results: how long a reload holds the
// engine's goroutine.
func BenchmarkEngineReload(b *testing.B) {
	cfg := benchConfig()
	e := NewEngine(cfg, EngineOptions{})
	for _, r := range benchResults(cfg, cfg.NumChecks()*3, 5) {
		e.applyResult(r)
	}
	next := benchConfig()
	b.ReportAllocs()
	for b.Loop() {
		e.applyReload(next)
		e.publish()
	}
	if s := e.Latest(); s.Done != s.Checks {
		b.Fatalf("done %d of %d after reload", s.Done, s.Checks)
	}
}
