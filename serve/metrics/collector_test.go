package metrics

import (
	"context"
	"math"
	"net/http"
	"testing"
	"time"

	"noctop/model"
)

// wantCode is the exporter's status contract, written out: a change of
// model.Status's numbering must not change what dashboards read.
func wantCode(t *testing.T, s model.Status) float64 {
	t.Helper()
	codes := map[string]float64{"OK": 0, "WARNING": 1, "CRITICAL": 2, "UNKNOWN": 3, "UNREACHABLE": 4, "MAINTENANCE": 5, "PENDING": 6}
	v, ok := codes[s.String()]
	if !ok {
		t.Fatalf("no code for %s", s)
	}
	return v
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

// A scrape of a real engine's snapshot, parsed with Prometheus's text
// parser, says what the snapshot says.
func TestScrapeEqualsSnapshot(t *testing.T) {
	e, s := runLab(t)
	base := serveMetrics(t, Options{Latest: e.Latest, Now: func() time.Time { return testNow },
		Build: Build{Version: "v1.2.3", Commit: "abc", GoVersion: "go1.26.8"}})
	fams := scrape(t, base)

	checks := 0
	for _, a := range s.Assets {
		if got := gaugeValue(t, fams, "noctop_asset_status", "asset", a.Name, "layer", a.Layer); got != wantCode(t, a.Status) {
			t.Errorf("asset %s: status %v, want %v (%s)", a.Name, got, wantCode(t, a.Status), a.Status)
		}
		for _, c := range a.Checks {
			checks++
			got := gaugeValue(t, fams, "noctop_check_status", "asset", a.Name, "check", c.Name, "layer", a.Layer, "type", c.Type)
			if got != wantCode(t, c.Status) {
				t.Errorf("%s/%s: status %v, want %v (%s)", a.Name, c.Name, got, wantCode(t, c.Status), c.Status)
			}
			d, ok := series(fams, "noctop_check_duration_seconds", "asset", a.Name, "check", c.Name)
			if c.LastRun.IsZero() != !ok || ok && !near(d.GetGauge().GetValue(), c.Duration.Seconds()) {
				t.Errorf("%s/%s: duration series %v, want %v (ran: %v)", a.Name, c.Name, d, c.Duration, !c.LastRun.IsZero())
			}
		}
	}
	if n := len(fams["noctop_check_status"].GetMetric()); n != checks || checks != 7 { // 6 and web1's lifecycle register (it has a tls check)
		t.Errorf("%d check series for %d checks (want 7)", n, checks)
	}
	// Every status the lab reaches, and PENDING for the dns check that
	// never ran.
	if got := gaugeValue(t, fams, "noctop_check_status", "asset", "web1", "check", "dns", "layer", "application", "type", "dns"); got != 6 {
		t.Errorf("pending check: %v", got)
	}

	// ICMP: seconds from ms, a ratio from percent.
	for _, tc := range []struct {
		asset     string
		rtt, loss float64
	}{{"gw1", 0.0015, 0}, {"sw1", 0.0125, 0.4}} {
		c := s.Asset(tc.asset).Check("icmp")
		if !near(tc.rtt, c.Metrics[model.MetricRTTAvg]/1000) || !near(tc.loss, c.Metrics[model.MetricLossPct]/100) {
			t.Fatalf("the snapshot holds %v", c.Metrics)
		}
		if got := gaugeValue(t, fams, "noctop_icmp_rtt_seconds", "asset", tc.asset, "check", "icmp"); !near(got, tc.rtt) {
			t.Errorf("%s rtt %v, want %v", tc.asset, got, tc.rtt)
		}
		if got := gaugeValue(t, fams, "noctop_icmp_loss_ratio", "asset", tc.asset, "check", "icmp"); !near(got, tc.loss) {
			t.Errorf("%s loss %v, want %v", tc.asset, got, tc.loss)
		}
	}
	if _, ok := series(fams, "noctop_icmp_rtt_seconds", "asset", "web1", "check", "http"); ok {
		t.Error("an http check has an icmp series")
	}

	// Interfaces: bits per second as the table has them, errors per
	// second from per minute; a repeated name and a missing one stay
	// distinct series, bad UTF-8 is replaced.
	ifs := s.Asset("sw1").Check("snmp").Interfaces
	if len(ifs) != 4 {
		t.Fatalf("interfaces in the snapshot: %+v", ifs)
	}
	for _, tc := range []struct {
		name            string
		f               model.Interface
		inErrs, outErrs float64
	}{
		{"Gi0/1", ifs[0], 2, 0.1},
		{"Gi0/1 #2", ifs[1], 0, 0},
		{"ifIndex 3", ifs[2], 0, 0},
		{"bad\uFFFDname", ifs[3], 0, 0},
	} {
		for _, dir := range []struct {
			dir        string
			bits, errs float64
		}{{"in", tc.f.InBps, tc.inErrs}, {"out", tc.f.OutBps, tc.outErrs}} {
			if got := gaugeValue(t, fams, "noctop_interface_bits_per_second", "asset", "sw1", "direction", dir.dir, "interface", tc.name); got != dir.bits {
				t.Errorf("%s %s: %v bit/s, want %v", tc.name, dir.dir, got, dir.bits)
			}
			if got := gaugeValue(t, fams, "noctop_interface_errors_per_second", "asset", "sw1", "direction", dir.dir, "interface", tc.name); !near(got, dir.errs) {
				t.Errorf("%s %s: %v errors/s, want %v", tc.name, dir.dir, got, dir.errs)
			}
		}
	}

	sv := s.Service("Order to cash")
	if got := gaugeValue(t, fams, "noctop_service_status", "service", sv.Name); got != wantCode(t, sv.Status) || sv.Status != model.StatusCritical {
		t.Errorf("service status %v (%s)", got, sv.Status)
	}
	if got := gaugeValue(t, fams, "noctop_lifecycle_days_left", "asset", "gw1", "kind", "warranty_end"); got != 10 {
		t.Errorf("warranty: %v days left, want 10", got)
	}
	if got := gaugeValue(t, fams, "noctop_lifecycle_days_left", "asset", "gw1", "kind", "eol"); got != -3 {
		t.Errorf("end of life: %v days left, want -3", got)
	}
	if got := gaugeValue(t, fams, "noctop_build_info", "commit", "abc", "goversion", "go1.26.8", "version", "v1.2.3"); got != 1 {
		t.Errorf("build info %v", got)
	}
	if got := gaugeValue(t, fams, "noctop_snapshot_timestamp_seconds"); !near(got, float64(s.At.UnixNano())/1e9) {
		t.Errorf("snapshot time %v, want %v", got, s.At)
	}
	for _, name := range []string{"go_goroutines", "process_cpu_seconds_total"} {
		if fams[name] == nil {
			t.Errorf("no %s: the runtime and process collectors are missing", name)
		}
	}
	if fams["noctop_traps_total"] != nil || fams["noctop_notifications_total"] != nil {
		t.Error("trap or notification series without a source")
	}
}

// Every status maps to its documented code, for checks, assets and
// services alike, whatever model.Status's numbering; a status this build
// does not know reads as UNKNOWN.
func TestStatusCodes(t *testing.T) {
	snap := &model.Snapshot{At: testNow}
	for _, st := range model.Statuses() {
		name := st.String()
		snap.Assets = append(snap.Assets, &model.AssetState{Name: name, Layer: model.LayerTechnical, Status: st,
			Checks: []*model.CheckState{{Asset: name, Name: "c", Type: model.CheckTCP, Status: st}}})
		snap.Services = append(snap.Services, &model.ServiceState{Name: name, Status: st})
	}
	fams := scrape(t, serveMetrics(t, Options{Latest: func() *model.Snapshot { return snap }}))
	if len(model.Statuses()) != 7 {
		t.Fatalf("%d statuses: the exporter's codes need one more", len(model.Statuses()))
	}
	for _, st := range model.Statuses() {
		n, want := st.String(), wantCode(t, st)
		if got := gaugeValue(t, fams, "noctop_check_status", "asset", n, "check", "c", "layer", "technical", "type", "tcp"); got != want {
			t.Errorf("check %s: %v, want %v", n, got, want)
		}
		if got := gaugeValue(t, fams, "noctop_asset_status", "asset", n, "layer", "technical"); got != want {
			t.Errorf("asset %s: %v, want %v", n, got, want)
		}
		if got := gaugeValue(t, fams, "noctop_service_status", "service", n); got != want {
			t.Errorf("service %s: %v, want %v", n, got, want)
		}
	}
	if got := statusValue(model.Status(200)); got != 3 {
		t.Errorf("unknown status value reads %v, want 3 (UNKNOWN)", got)
	}
}

// Availability over the service's windows as ratios; a window with
// nothing measured has no series.
func TestAvailability(t *testing.T) {
	w := model.SLAWindows()
	snap := &model.Snapshot{Services: []*model.ServiceState{{Name: "crm", Status: model.StatusOK, SLA: 99.5,
		Availability: [3]model.Availability{
			{Window: w[0], Percent: 99.25, Measured: w[0]},
			{Window: w[1], Percent: 100, Measured: time.Hour},
			{Window: w[2], Percent: math.NaN()},
		}}}}
	fams := scrape(t, serveMetrics(t, Options{Latest: func() *model.Snapshot { return snap }}))
	if got := gaugeValue(t, fams, "noctop_availability_ratio", "service", "crm", "window", "24h"); !near(got, 0.9925) {
		t.Errorf("24h: %v", got)
	}
	if got := gaugeValue(t, fams, "noctop_availability_ratio", "service", "crm", "window", "7d"); got != 1 {
		t.Errorf("7d: %v", got)
	}
	if _, ok := series(fams, "noctop_availability_ratio", "service", "crm", "window", "30d"); ok {
		t.Error("30d has a series with nothing measured")
	}
	if got := gaugeValue(t, fams, "noctop_service_sla_ratio", "service", "crm"); !near(got, 0.995) {
		t.Errorf("sla: %v", got)
	}
}

// The lag histogram is the engine's totals in its own buckets, cumulative.
func TestScheduleLagHistogram(t *testing.T) {
	var tot model.LagTotals
	tot.Buckets[0], tot.Buckets[2], tot.Buckets[len(tot.Buckets)-1] = 5, 3, 1
	tot.Runs, tot.Sum = 9, 2*time.Hour
	snap := &model.Snapshot{Lag: model.LagStats{Total: tot}}
	fams := scrape(t, serveMetrics(t, Options{Latest: func() *model.Snapshot { return snap }}))
	m, ok := series(fams, "noctop_schedule_lag_seconds")
	if !ok {
		t.Fatal("no lag histogram")
	}
	h := m.GetHistogram()
	if h.GetSampleCount() != 9 || h.GetSampleSum() != 7200 {
		t.Errorf("count %d sum %v", h.GetSampleCount(), h.GetSampleSum())
	}
	want := map[float64]uint64{0.001: 5, 0.002: 5, 0.005: 8, 60: 8, math.Inf(1): 9}
	for _, b := range h.GetBucket() {
		if w, ok := want[b.GetUpperBound()]; ok && b.GetCumulativeCount() != w {
			t.Errorf("bucket le=%v: %d, want %d", b.GetUpperBound(), b.GetCumulativeCount(), w)
		}
	}
	if len(h.GetBucket()) != len(model.LagBounds())+1 { // and +Inf
		t.Errorf("%d buckets, want %d", len(h.GetBucket()), len(model.LagBounds())+1)
	}
}

// Trap and notification counts come from the sources main wires.
func TestSourceCounters(t *testing.T) {
	snap := &model.Snapshot{}
	fams := scrape(t, serveMetrics(t, Options{
		Latest: func() *model.Snapshot { return snap },
		Traps:  func() []TrapCount { return []TrapCount{{"accepted", 7}, {"auth_failed", 2}} },
		Notifications: func() []NotifyCount {
			return []NotifyCount{{"noc-hook", "sent", 3}, {"noc-hook", "failed", 1}}
		},
	}))
	for _, tc := range []struct {
		name   string
		labels []string
		want   float64
	}{
		{"noctop_traps_total", []string{"result", "accepted"}, 7},
		{"noctop_traps_total", []string{"result", "auth_failed"}, 2},
		{"noctop_notifications_total", []string{"notify", "noc-hook", "result", "sent"}, 3},
		{"noctop_notifications_total", []string{"notify", "noc-hook", "result", "failed"}, 1},
	} {
		m, ok := series(fams, tc.name, tc.labels...)
		if !ok || m.GetCounter().GetValue() != tc.want {
			t.Errorf("%s%q: %v, want %v", tc.name, tc.labels, m, tc.want)
		}
	}
}

// A scrape reads the latest snapshot and never waits on the engine: not
// while the engine's inbox is full and nothing drains it, not after it
// stopped. (Were it to wait, the test would hang.)
func TestScrapeNeverWaitsOnEngine(t *testing.T) {
	e := model.NewEngine(labConfig(), model.EngineOptions{Now: func() time.Time { return testNow }})
	base := serveMetrics(t, Options{Latest: e.Latest})

	// Busy: the engine is not running; a submitter fills its inbox and
	// then blocks in Submit.
	ctx, cancel := context.WithCancel(context.Background())
	blocked := make(chan struct{})
	submitted := make(chan int, 1)
	go func() {
		n := 0
		defer func() { submitted <- n }()
		res := labResults()[0]
		for {
			sctx, scancel := context.WithTimeout(ctx, 50*time.Millisecond)
			err := e.Submit(sctx, res)
			scancel()
			if err != nil {
				close(blocked)
				<-ctx.Done()
				return
			}
			n++
		}
	}()
	<-blocked
	fams := scrape(t, base)
	if got := gaugeValue(t, fams, "noctop_check_status", "asset", "gw1", "check", "icmp", "layer", "technical", "type", "icmp"); got != 6 {
		t.Errorf("while the engine is busy: %v, want 6 (PENDING: nothing processed)", got)
	}
	cancel()
	if n := <-submitted; n == 0 {
		t.Fatal("the inbox took nothing: the engine was never busy")
	}

	// Stopped: Run returned; the last snapshot is still served.
	rctx, rcancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); e.Run(rctx) }()
	if _, err := e.Sync(rctx); err != nil {
		t.Fatal(err)
	}
	rcancel()
	<-done
	if err := e.Submit(context.Background(), labResults()[0]); err == nil {
		t.Fatal("the engine still takes results")
	}
	fams = scrape(t, base)
	if got := gaugeValue(t, fams, "noctop_check_status", "asset", "gw1", "check", "icmp", "layer", "technical", "type", "icmp"); got != 0 {
		t.Errorf("after the engine stopped: %v, want 0 (OK, the last result)", got)
	}
}

func TestWindowLabels(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{{24 * time.Hour, "24h"}, {7 * 24 * time.Hour, "7d"}, {30 * 24 * time.Hour, "30d"}, {36 * time.Hour, "36h"}} {
		if got := windowLabel(tc.d); got != tc.want {
			t.Errorf("%v: %q, want %q", tc.d, got, tc.want)
		}
	}
}

func TestNewRegistryNeedsLatest(t *testing.T) {
	if _, err := NewRegistry(Options{}); err == nil {
		t.Error("a registry without a snapshot source")
	}
}

// At most maxScrapes scrapes run at once; one more is refused at once
// with 503 instead of queueing behind them.
func TestConcurrentScrapesBounded(t *testing.T) {
	entered := make(chan struct{}, maxScrapes)
	release := make(chan struct{})
	snap := &model.Snapshot{}
	base := serveMetrics(t, Options{Latest: func() *model.Snapshot {
		entered <- struct{}{}
		<-release
		return snap
	}})
	codes := make(chan int, maxScrapes)
	for range maxScrapes {
		go func() {
			resp, err := http.Get(base + "/metrics")
			if err != nil {
				codes <- 0
				return
			}
			resp.Body.Close()
			codes <- resp.StatusCode
		}()
	}
	for range maxScrapes {
		<-entered // every one of them is inside Collect
	}
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("scrape %d: %s, want 503", maxScrapes+1, resp.Status)
	}
	close(release)
	for range maxScrapes {
		if c := <-codes; c != http.StatusOK {
			t.Errorf("a held scrape ended with %d", c)
		}
	}
}
