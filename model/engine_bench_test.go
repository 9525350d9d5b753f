package model

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"
)

// benchConfig: 5,000 assets, 10,000 checks, 50 services. 50 core switches,
// 450 access switches under them, 4,500 hosts under the access switches
// (every tenth with two parents); 40 services of 10 hosts each (all, any,
// "7 of 10") and 10 services of 4 services each.
func benchConfig() *Config {
	cfg := &Config{}
	add := func(name string, parents []string, t2 string) {
		cfg.Assets = append(cfg.Assets, Asset{Name: name, Address: "127.0.0.1", Parents: parents,
			Checks: []Check{{Type: CheckICMP}, {Type: t2}}})
	}
	for i := range 50 {
		add(fmt.Sprintf("core-%d", i), nil, CheckTCP)
	}
	for i := range 450 {
		add(fmt.Sprintf("access-%d", i), []string{fmt.Sprintf("core-%d", i%50)}, CheckTCP)
	}
	for i := range 4500 {
		parents := []string{fmt.Sprintf("access-%d", i%450)}
		if i%10 == 0 {
			parents = append(parents, fmt.Sprintf("access-%d", (i+1)%450))
		}
		add(fmt.Sprintf("host-%d", i), parents, CheckHTTP)
	}
	rules := []string{"all", "any", "7 of 10"}
	for i := range 40 {
		var needs []string
		for j := range 10 {
			needs = append(needs, fmt.Sprintf("host-%d", i*100+j*7))
		}
		cfg.Services = append(cfg.Services, Service{Name: fmt.Sprintf("svc-%d", i), Rule: rules[i%3], Needs: needs})
	}
	for i := range 10 {
		var needs []string
		for j := range 4 {
			needs = append(needs, fmt.Sprintf("svc-%d", i*4+j))
		}
		cfg.Services = append(cfg.Services, Service{Name: fmt.Sprintf("biz-%d", i), Needs: needs})
	}
	cfg.ApplyDefaults()
	return cfg
}

// benchResults is a deterministic stream over every check: mostly OK,
// problemPct percent problems (two thirds CRITICAL, one third WARNING), so
// soft/hard, dependencies and services all move.
func benchResults(cfg *Config, n, problemPct int) []Result {
	var keys []CheckKey
	for i := range cfg.Assets {
		a := &cfg.Assets[i]
		for j := range a.Checks {
			keys = append(keys, a.Key(&a.Checks[j]))
		}
	}
	metrics := map[string]float64{"rtt_avg_ms": 0.4, "loss_pct": 0}
	out := make([]Result, n)
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for i := range out {
		k := keys[(i*7919)%len(keys)]
		st, sum := StatusOK, "3/3 received in 0.4 ms"
		switch (i/len(keys)*31 + i*13) % 100 {
		case 0, 1:
			st, sum = StatusCritical, "3/3 lost"
		case 2:
			st, sum = StatusWarning, "rtt 80 ms"
		}
		out[i] = Result{Key: k, Outcome: Outcome{Status: st, Summary: sum, Metrics: metrics},
			At: at.Add(time.Duration(i) * time.Millisecond), Duration: time.Millisecond}
	}
	return out
}

// BenchmarkEngineResults: results through Submit into a running engine
// (default PublishEvery), one producer, then Sync.
func BenchmarkEngineResults(b *testing.B) {
	cfg := benchConfig()
	rs := benchResults(cfg, 1<<16, 3)
	e := NewEngine(cfg, EngineOptions{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ran := make(chan struct{})
	go func() { defer close(ran); e.Run(ctx) }()
	sub := e.Subscribe() // a viewer that keeps up
	go func() {
		for range sub.C {
		}
	}()
	seq0 := e.Latest().Seq
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for i := range b.N {
		if err := e.Submit(ctx, rs[i%len(rs)]); err != nil {
			b.Fatal(err)
		}
	}
	s, err := e.Sync(ctx)
	if err != nil {
		b.Fatal(err)
	}
	el := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/el.Seconds(), "results/s")
	b.ReportMetric(float64(s.Seq-seq0)/el.Seconds(), "snapshots/s")
	cancel()
	<-ran
}

// BenchmarkEngineApply: the engine's own work per result, without the
// channel hand-off.
func BenchmarkEngineApply(b *testing.B) {
	cfg := benchConfig()
	rs := benchResults(cfg, 1<<16, 3)
	e := NewEngine(cfg, EngineOptions{})
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		e.applyResult(rs[i%len(rs)])
		i++
	}
}

// BenchmarkEnginePublish: the cost of one snapshot after n results.
func BenchmarkEnginePublish(b *testing.B) {
	for _, n := range []int{0, 1, 100, 10000} {
		b.Run(fmt.Sprintf("changed=%d", n), func(b *testing.B) {
			cfg := benchConfig()
			rs := benchResults(cfg, 1<<16, 3)
			e := NewEngine(cfg, EngineOptions{})
			for _, r := range rs { // histories and events filled
				e.applyResult(r)
			}
			e.publish()
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				b.StopTimer()
				for range n {
					e.applyResult(rs[i%len(rs)])
					i++
				}
				b.StartTimer()
				e.publish()
			}
		})
	}
}

// BenchmarkEngineOutage: a core switch goes hard down and comes back while
// the ~100 assets behind it have problems of their own: each op is two
// propagations over its subtree, with their events and service rollups.
func BenchmarkEngineOutage(b *testing.B) {
	cfg := benchConfig()
	for i := range cfg.Assets {
		for j := range cfg.Assets[i].Checks {
			cfg.Assets[i].Checks[j].Retries = 1
		}
	}
	e := NewEngine(cfg, EngineOptions{})
	behind := 0
	for i := range cfg.Assets {
		a := &cfg.Assets[i]
		st := StatusOK
		if a.Name != "core-0" && e.underCore0(i) {
			st = StatusCritical
			behind++
		}
		for j := range a.Checks {
			e.applyResult(Result{Key: a.Key(&a.Checks[j]), Outcome: Outcome{Status: st, Summary: "x"}})
		}
	}
	down := Result{Key: CheckKey{Asset: "core-0", Check: CheckICMP}, Outcome: Outcome{Status: StatusCritical, Summary: "3/3 lost"}}
	up := Result{Key: CheckKey{Asset: "core-0", Check: CheckICMP}, Outcome: Outcome{Status: StatusOK, Summary: "3/3 received"}}
	e.applyResult(down)
	if got := e.latestAfterPublish().Asset("access-0").Status; got != StatusUnreachable {
		b.Fatalf("access-0 is %s, want UNREACHABLE", got)
	}
	b.ReportAllocs()
	for b.Loop() {
		e.applyResult(up)
		e.applyResult(down)
	}
	b.ReportMetric(float64(behind), "assets_behind") // after Loop, which resets metrics
}

func (e *Engine) underCore0(i int) bool {
	for _, p := range e.assets[i].parents {
		if e.assets[p].cfg.Name == "core-0" || e.underCore0(p) {
			return true
		}
	}
	return false
}

func (e *Engine) latestAfterPublish() *Snapshot { e.publish(); return e.latest.Load() }

// BenchmarkEngineMemory: heap held by an engine with every history full
// (HistoryLen 120), without metrics and with a fresh 3- or 7-metric map
// per result (icmp makes 7), as probes make.
func BenchmarkEngineMemory(b *testing.B) {
	for _, nm := range []int{0, 3, 7} {
		b.Run(fmt.Sprintf("metrics=%d", nm), func(b *testing.B) {
			cfg := benchConfig()
			for b.Loop() {
				runtime.GC()
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				e := NewEngine(cfg, EngineOptions{})
				// Twice the ring and more: the steady state of a monitor that has
				// run a while (arrays at their full size, compacted many times).
				for round := range 2*DefaultHistoryLen + 7 {
					for ci := range e.checks {
						var m map[string]float64
						if nm > 0 {
							m = make(map[string]float64, nm)
							for k, name := range []string{"rtt_avg_ms", "loss_pct", "jitter_ms", "rtt_min_ms", "rtt_max_ms", "sent", "received"}[:nm] {
								m[name] = float64(round + k)
							}
						}
						e.applyResult(Result{Key: e.checks[ci].key, Outcome: Outcome{Status: StatusOK, Summary: "ok", Metrics: m}})
					}
				}
				e.publish()
				runtime.GC()
				runtime.ReadMemStats(&after)
				b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "MB_heap")
				b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(len(e.checks)), "B/check")
				runtime.KeepAlive(e)
			}
		})
	}
}
