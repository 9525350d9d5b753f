package metrics

import (
	"context"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"noctop/model"
	"noctop/promtest"
)

// outage is labConfig with gw1 down: sw1 (its child, failing) is
// UNREACHABLE behind it, web1 is CRITICAL on its own.
func outage(t *testing.T) (*model.Engine, *model.Snapshot) {
	t.Helper()
	e := model.NewEngine(labConfig(), model.EngineOptions{Now: func() time.Time { return testNow }})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); e.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	r := func(asset, check string, st model.Status) {
		err := e.Submit(ctx, model.Result{Key: model.CheckKey{Asset: asset, Check: check}, At: testNow,
			Outcome: model.Outcome{Status: st, Summary: st.String()}})
		if err != nil {
			t.Fatal(err)
		}
	}
	r("gw1", "icmp", model.StatusCritical)
	r("sw1", "icmp", model.StatusCritical)
	r("sw1", "snmp", model.StatusCritical)
	r("web1", "http", model.StatusCritical)
	r("web1", "tcp", model.StatusOK)
	r("web1", "dns", model.StatusOK)
	s, err := e.Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if s.Asset("sw1").Status != model.StatusUnreachable || s.Asset("gw1").Role != model.RoleRootCause {
		t.Fatalf("the outage did not happen: gw1 %s %s, sw1 %s", s.Asset("gw1").Status, s.Asset("gw1").Role, s.Asset("sw1").Status)
	}
	return e, s
}

// The triage series say what the snapshot's roles and tally say.
func TestTriageSeries(t *testing.T) {
	e, s := outage(t)
	fams := scrape(t, serveMetrics(t, Options{Latest: e.Latest, Now: func() time.Time { return testNow }}))

	for _, a := range s.Assets {
		want := strings.ReplaceAll(a.Role.String(), " ", "_")
		got := ""
		for _, m := range fams["noctop_asset_role"].GetMetric() {
			if labelOf(m, "asset") == a.Name {
				got = labelOf(m, "role")
			}
		}
		if got != want {
			t.Errorf("%s: role series %q, want %q (%s)", a.Name, got, want, a.Role)
		}
		gaugeValue(t, fams, "noctop_asset_info", "address", a.Address, "asset", a.Name, "kind", a.Kind, "layer", a.Layer,
			"parents", strings.Join(a.Parents, ","))
	}
	if v := gaugeValue(t, fams, "noctop_asset_root_cause", "asset", "sw1", "root_cause", "gw1"); v != 1 {
		t.Errorf("sw1's root cause series = %v", v)
	}
	if n := len(fams["noctop_asset_root_cause"].GetMetric()); n != 1 {
		t.Errorf("%d root cause series, want sw1's alone", n)
	}
	if v := gaugeValue(t, fams, "noctop_affected_assets", "root_cause", "gw1"); v != 1 {
		t.Errorf("gw1 affects %v assets, want 1", v)
	}
	tl := s.Tally
	for role, want := range map[string]int{
		"root_cause": tl.RootCauses, "unreachable": tl.Unreachable, "checking": tl.Checking, "critical": tl.Critical,
		"unknown": tl.Unknown, "warning": tl.Warning, "soft": tl.Soft, "acked": tl.Acked, "flapping": tl.Flapping,
		"ok": 0, "total": 3,
	} {
		if got := gaugeValue(t, fams, "noctop_assets", "role", role); got != float64(want) {
			t.Errorf("noctop_assets{role=%q} = %v, want %d", role, got, want)
		}
	}
	if tl.RootCauses != 1 || tl.Unreachable != 1 || tl.Critical != 1 {
		t.Errorf("tally %+v: the outage is not what the test expects", tl)
	}
}

// labelOf is the value of m's label name ("" when absent).
func labelOf(m *dto.Metric, name string) string {
	for _, lp := range m.Label {
		if lp.GetName() == name {
			return lp.GetValue()
		}
	}
	return ""
}

// A sharded poller puts site and shard on every series, its Go and
// process ones too, and exports nothing of what it only borrows: the
// counts are its own assets'.
func TestShardedExport(t *testing.T) {
	e, _ := outage(t)
	owns := func(name string) bool { return name != "gw1" && name != "Order to cash" }
	fams := scrape(t, serveMetrics(t, Options{Latest: e.Latest, Now: func() time.Time { return testNow },
		ConstLabels: map[string]string{"site": "paris", "shard": "1"}, Owns: owns}))
	n := 0
	for name, f := range fams {
		for _, m := range f.Metric {
			n++
			if labelOf(m, "site") != "paris" || labelOf(m, "shard") != "1" {
				t.Errorf("%s%v: no site/shard labels", name, m.Label)
			}
			for _, l := range []string{"asset", "service", "root_cause"} {
				if v := labelOf(m, l); v == "gw1" && l != "root_cause" || v == "Order to cash" {
					t.Errorf("%s%v: a borrowed asset or service is exported", name, m.Label)
				}
			}
		}
	}
	if n < 50 || fams["go_goroutines"] == nil || fams["noctop_check_status"] == nil {
		t.Fatalf("%d series; go_goroutines %v", n, fams["go_goroutines"] != nil)
	}
	// sw1, owned, still names its borrowed root cause.
	for _, tc := range []struct {
		fam    string
		labels []string
		want   float64
	}{
		{"noctop_assets", []string{"role", "total", "shard", "1", "site", "paris"}, 2},
		{"noctop_assets", []string{"role", "root_cause", "shard", "1", "site", "paris"}, 0},
		{"noctop_assets", []string{"role", "unreachable", "shard", "1", "site", "paris"}, 1},
		{"noctop_asset_root_cause", []string{"asset", "sw1", "root_cause", "gw1", "shard", "1", "site", "paris"}, 1},
		{"noctop_affected_assets", []string{"root_cause", "gw1", "shard", "1", "site", "paris"}, 1},
	} {
		if got := gaugeValue(t, fams, tc.fam, tc.labels...); got != tc.want {
			t.Errorf("%s%q = %v, want %v", tc.fam, tc.labels, got, tc.want)
		}
	}
}

// promtool's linter passes what a sharded poller exports (metric names,
// units, help).
func TestPromtoolChecksMetrics(t *testing.T) {
	bin := promtest.NeedPrometheus(t, "promtool")
	e, _ := outage(t)
	base := serveMetrics(t, Options{Latest: e.Latest, Now: func() time.Time { return testNow },
		ConstLabels: map[string]string{"site": "paris", "shard": "0"}})
	body := scrapeText(t, base)
	cmd := exec.Command(bin, "check", "metrics")
	cmd.Stdin = strings.NewReader(body)
	if out, err := cmd.CombinedOutput(); err != nil {
		var ours []string
		for _, l := range strings.Split(string(out), "\n") {
			// days_left predates this test and the rules read it: days
			// are what a renewal is counted in.
			if strings.HasPrefix(l, "noctop_") && !strings.HasPrefix(l, "noctop_lifecycle_days_left ") {
				ours = append(ours, l)
			}
		}
		if len(ours) > 0 {
			t.Errorf("promtool check metrics: %v\n%s", err, strings.Join(ours, "\n"))
		}
	}
}

// scrapeText is /metrics in Prometheus's text format.
func scrapeText(t *testing.T, base string) string {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, base+"/metrics", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "text/plain; version=0.0.4")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics: %s\n%s", resp.Status, body)
	}
	return string(body)
}

// An acknowledged problem counts in acked, not in its role, as in the
// banner; its role series stays.
func TestTriageCountsAcked(t *testing.T) {
	e, _ := outage(t)
	ctx := context.Background()
	if err := e.Ack(ctx, model.AckRequest{Key: model.CheckKey{Asset: "web1"}, By: "test"}); err != nil {
		t.Fatal(err)
	}
	s, err := e.Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if s.Tally.Acked != 1 || s.Tally.Critical != 0 {
		t.Fatalf("tally after the ack: %+v", s.Tally)
	}
	fams := scrape(t, serveMetrics(t, Options{Latest: e.Latest, Now: func() time.Time { return testNow }}))
	if got := gaugeValue(t, fams, "noctop_assets", "role", "acked"); got != 1 {
		t.Errorf("acked = %v, want 1", got)
	}
	if got := gaugeValue(t, fams, "noctop_assets", "role", "critical"); got != 0 {
		t.Errorf("critical = %v, want 0 (web1 is acked)", got)
	}
	if got := gaugeValue(t, fams, "noctop_asset_role", "asset", "web1", "layer", "application", "role", "critical"); got != 1 {
		t.Errorf("web1's role series = %v", got)
	}
}
