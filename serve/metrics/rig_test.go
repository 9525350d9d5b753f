package metrics

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pelletier/go-toml/v2"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	pmodel "github.com/prometheus/common/model"

	"noctop/model"
)

// now is the tests' clock: lifecycle days count from its date.
var testNow = time.Date(2026, 12, 7, 15, 0, 0, 0, time.UTC)

func day(offset int) *toml.LocalDate {
	d := testNow.AddDate(0, 0, offset)
	return &toml.LocalDate{Year: d.Year(), Month: int(d.Month()), Day: d.Day()}
}

// labConfig is a small estate with every kind of series: ICMP, SNMP
// interfaces, application checks, a parent, lifecycle dates and a service.
func labConfig() *model.Config {
	cfg := &model.Config{
		Assets: []model.Asset{
			{Name: "gw1", Layer: model.LayerTechnical, Address: "127.0.0.1",
				Lifecycle: &model.Lifecycle{WarrantyEnd: day(10), EOL: day(-3)},
				Checks:    []model.Check{{Type: model.CheckICMP, Retries: 1}}},
			{Name: "sw1", Layer: model.LayerTechnical, Address: "127.0.0.2", Parents: []string{"gw1"},
				Checks: []model.Check{{Type: model.CheckICMP, Retries: 1}, {Type: model.CheckSNMP, Retries: 1}}},
			{Name: "web1", Layer: model.LayerApplication, Address: "127.0.0.3",
				Checks: []model.Check{{Type: model.CheckHTTP, Retries: 1}, {Type: model.CheckTCP, Retries: 1}, {Type: model.CheckDNS, Retries: 1}}},
		},
		Services: []model.Service{{Name: "Order to cash", Rule: "all", Needs: []string{"web1", "sw1"}}},
	}
	cfg.ApplyDefaults()
	return cfg
}

// labResults are the results the lab's checks report (web1's dns stays
// PENDING).
func labResults() []model.Result {
	r := func(asset, check string, st model.Status, d time.Duration, metrics map[string]float64) model.Result {
		return model.Result{Key: model.CheckKey{Asset: asset, Check: check},
			Outcome: model.Outcome{Status: st, Summary: st.String(), Metrics: metrics},
			At:      testNow, Duration: d}
	}
	snmp := r("sw1", "snmp", model.StatusCritical, 12*time.Millisecond, map[string]float64{model.MetricInBps: 3e6})
	snmp.Degraded = true
	snmp.Interfaces = []model.Interface{
		{Index: 1, Name: "Gi0/1", AdminUp: true, OperStatus: "up", InBps: 1e6, OutBps: 2e6, InErrors: 120, OutErrors: 6},
		{Index: 2, Name: "Gi0/1", AdminUp: true, OperStatus: "down", Status: model.StatusCritical}, // a repeated ifName
		{Index: 3, AdminUp: false, OperStatus: "down", InBps: 5},                                   // no name at all
		{Index: 4, Name: "bad\xff\xfename", InBps: 7},                                              // not UTF-8
	}
	return []model.Result{
		r("gw1", "icmp", model.StatusOK, 30*time.Millisecond, map[string]float64{
			model.MetricRTTAvg: 1.5, model.MetricLossPct: 0, model.MetricSent: 3, model.MetricReceived: 3}),
		r("sw1", "icmp", model.StatusWarning, 2*time.Second, map[string]float64{
			model.MetricRTTAvg: 12.5, model.MetricLossPct: 40}),
		snmp,
		r("web1", "http", model.StatusCritical, 801*time.Millisecond, map[string]float64{model.MetricLatency: 801}),
		r("web1", "tcp", model.StatusUnknown, time.Millisecond, nil),
	}
}

// runLab starts an engine on labConfig, submits labResults and returns
// the engine and the snapshot that holds them.
func runLab(t *testing.T) (*model.Engine, *model.Snapshot) {
	t.Helper()
	e := model.NewEngine(labConfig(), model.EngineOptions{Now: func() time.Time { return testNow }})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); e.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	for _, res := range labResults() {
		if err := e.Submit(ctx, res); err != nil {
			t.Fatal(err)
		}
	}
	s, err := e.Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return e, s
}

// serveMetrics serves opts on a loopback port until the test ends and
// returns the base URL.
func serveMetrics(t *testing.T, opts Options) string {
	t.Helper()
	reg, err := NewRegistry(opts)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := Listen(context.Background(), "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, reg) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return "http://" + srv.Addr().String()
}

// scrape fetches /metrics as Prometheus's text format and parses it.
func scrape(t *testing.T, base string) map[string]*dto.MetricFamily {
	t.Helper()
	body := scrapeText(t, base)
	p := expfmt.NewTextParser(pmodel.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(body))
	if err != nil {
		t.Fatalf("parse /metrics: %v\n%s", err, body)
	}
	return fams
}

// series finds the one series of a family with exactly these labels.
func series(fams map[string]*dto.MetricFamily, name string, labels ...string) (*dto.Metric, bool) {
	f := fams[name]
	if f == nil {
		return nil, false
	}
	for _, m := range f.Metric {
		if len(m.Label)*2 != len(labels) {
			continue
		}
		match := true
		for i, lp := range m.Label {
			// The text format sorts labels by name; labels are given so too.
			if lp.GetName() != labels[2*i] || lp.GetValue() != labels[2*i+1] {
				match = false
				break
			}
		}
		if match {
			return m, true
		}
	}
	return nil, false
}

// gaugeValue is a gauge series' value; the test fails when it is missing.
func gaugeValue(t *testing.T, fams map[string]*dto.MetricFamily, name string, labels ...string) float64 {
	t.Helper()
	m, ok := series(fams, name, labels...)
	if !ok {
		t.Fatalf("no series %s%q", name, labels)
	}
	return m.GetGauge().GetValue()
}
