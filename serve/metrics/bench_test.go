package metrics

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"noctop/model"
)

// benchSnapshot is a real engine's snapshot of n assets with an icmp
// check each (RTT and loss measured), every tenth with an snmp check of
// 4 interfaces too, and n/100 services of 10 assets.
func benchSnapshot(b *testing.B, n int) *model.Snapshot {
	b.Helper()
	cfg := &model.Config{}
	for i := range n {
		a := model.Asset{Name: "host-" + strconv.Itoa(i), Layer: model.LayerTechnical, Address: "127.0.0.1",
			Lifecycle: &model.Lifecycle{WarrantyEnd: day(i % 400)},
			Checks:    []model.Check{{Type: model.CheckICMP}}}
		if i%10 == 0 {
			a.Checks = append(a.Checks, model.Check{Type: model.CheckSNMP})
		}
		cfg.Assets = append(cfg.Assets, a)
	}
	for i := range n / 100 {
		var needs []string
		for j := range 10 {
			needs = append(needs, "host-"+strconv.Itoa(i*100+j))
		}
		cfg.Services = append(cfg.Services, model.Service{Name: "svc-" + strconv.Itoa(i), Rule: "all", Needs: needs, SLA: 99.5})
	}
	cfg.ApplyDefaults()
	e := model.NewEngine(cfg, model.EngineOptions{Now: func() time.Time { return testNow }})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); e.Run(ctx) }()
	b.Cleanup(func() { cancel(); <-done })
	for i, a := range cfg.Assets {
		r := model.Result{Key: model.CheckKey{Asset: a.Name, Check: "icmp"}, At: testNow, Duration: time.Millisecond,
			Outcome: model.Outcome{Status: model.StatusOK, Summary: "3/3", Metrics: map[string]float64{
				model.MetricRTTAvg: float64(i%50) / 10, model.MetricLossPct: 0}}}
		if err := e.Submit(ctx, r); err != nil {
			b.Fatal(err)
		}
		if i%10 == 0 {
			r := model.Result{Key: model.CheckKey{Asset: a.Name, Check: "snmp"}, At: testNow,
				Outcome: model.Outcome{Status: model.StatusOK, Summary: "4 up"}}
			for j := range 4 {
				r.Interfaces = append(r.Interfaces, model.Interface{Index: j + 1, Name: "Gi0/" + strconv.Itoa(j+1),
					AdminUp: true, OperStatus: "up", InBps: 1e6, OutBps: 2e6, InErrors: 1})
			}
			if err := e.Submit(ctx, r); err != nil {
				b.Fatal(err)
			}
		}
	}
	s, err := e.Sync(ctx)
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// One scrape of 10,000 assets: the collector alone (Gather) and the whole
// handler with the text encoding (in process, no network).
func BenchmarkScrape10k(b *testing.B) {
	s := benchSnapshot(b, 10_000)
	reg, err := NewRegistry(Options{Latest: func() *model.Snapshot { return s }})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("gather", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := reg.Gather(); err != nil {
				b.Fatal(err)
			}
		}
	})
	// A shard's poller: site and shard on every series, and its half of
	// the assets (the other half borrowed: polled, not exported).
	sharded, err := NewRegistry(Options{Latest: func() *model.Snapshot { return s },
		ConstLabels: map[string]string{"site": "paris", "shard": "0"},
		Owns:        func(name string) bool { return name[len(name)-1]%2 == 0 }})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("gather-sharded", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := sharded.Gather(); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, gz := range []bool{false, true} {
		name := "http"
		if gz {
			name = "http-gzip" // what Prometheus asks for
		}
		b.Run(name, func(b *testing.B) {
			h := Handler(reg)
			req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
			req.Header.Set("Accept", "text/plain; version=0.0.4")
			if gz {
				req.Header.Set("Accept-Encoding", "gzip")
			}
			b.ReportAllocs()
			var size int
			for b.Loop() {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatal(w.Code)
				}
				size = w.Body.Len()
			}
			b.ReportMetric(float64(size), "bytes/scrape")
		})
	}
}
