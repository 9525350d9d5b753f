package ui

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"noctop/model"
)

// rowEnv is what the row renderers read, for a snapshot of the given
// assets, without a Root.
func rowEnv(assets ...*model.AssetState) *env {
	s := &model.Snapshot{At: fixedNow, Assets: assets}
	return &env{snap: s, index: buildIndex(s, nil, filter{}, sortStatus), styles: newStyles(true, false), plain: &styles{},
		now: fixedNow, width: 200, height: 60}
}

// measured is a check whose latest result has the given metrics.
func measured(asset, name, typ string, metrics map[string]float64) *model.CheckState {
	c := check(asset, name, typ, model.StatusOK, "ok", series(fixedNow, 10*time.Second, model.StatusOK, metrics, metrics))
	return c
}

func asset(name, layer string, checks ...*model.CheckState) *model.AssetState {
	return &model.AssetState{Name: name, Layer: layer, Kind: "k", Address: "127.0.0.1", Status: model.StatusOK, Hard: true,
		Since: fixedNow.Add(-time.Hour), Checks: checks}
}

// plainCells strips the escape sequences of a row's cells.
func plainCells(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = ansi.Strip(c)
	}
	return out
}

func TestTechRow(t *testing.T) {
	sw := asset("sw", "technical", measured("sw", "snmp", model.CheckSNMP, map[string]float64{model.MetricInBps: 2.4e6, model.MetricOutBps: 1.5e6}))
	host := asset("host", "technical", measured("host", "icmp", model.CheckICMP, map[string]float64{model.MetricRTTAvg: 1.5, model.MetricLossPct: 20}))
	idle := asset("idle", "technical", &model.CheckState{Asset: "idle", Name: "icmp", Type: model.CheckICMP, MaxAttempts: 3})
	gone := asset("gone", "technical", measured("gone", "icmp", model.CheckICMP, map[string]float64{model.MetricRTTAvg: 3, model.MetricLossPct: 0}))
	gone.Status, gone.Role = model.StatusUnreachable, model.RoleUnreachable
	e := rowEnv(sw, host, idle, gone)
	tbl := newTable(techColumns, 200, techContent(e.index.techW)...)
	row := func(a *model.AssetState) []string { return techRow(e, e.styles, e.index.row(a.Name), tbl) }

	if got := plainCells(row(sw)); got[5] != "↓2.4M ↑1.5M" || got[1] != "sw" || got[0] != "✓ OK" {
		t.Errorf("snmp row: %q", got)
	}
	cells := row(host)
	if got := ansi.Strip(cells[5]); got != "1.5ms 20%" {
		t.Errorf("icmp row NOW %q, want 1.5ms 20%%", got)
	}
	if !strings.Contains(cells[5], e.styles.warnText.paint("20%")) {
		t.Errorf("loss over 0 not in the warning tone: %q", cells[5])
	}
	if got := ansi.Strip(row(idle)[5]); got != "pending" {
		t.Errorf("no result yet: %q", got)
	}
	// UNREACHABLE: the last values are shown dimmed, never in their tones.
	dim := row(gone)
	if !strings.HasPrefix(dim[4], e.styles.muted.on) || strings.Contains(dim[4], e.styles.accent.on) || ansi.Strip(dim[5]) != "3.0ms 0%" {
		t.Errorf("unreachable row's values not dimmed: %q", dim[4:6])
	}
}

func TestAppRowReadsDeclarations(t *testing.T) {
	web := asset("web", "application",
		measured("web", "https", model.CheckHTTP, map[string]float64{model.MetricLatency: 31, model.MetricStatusCode: 503, model.MetricCertDays: 88}))
	cert := measured("web", "cert", model.CheckTLS, map[string]float64{model.MetricCertDays: 5.9})
	cert.Status = model.StatusWarning // the tls check's own verdict on its days
	web.Checks = append(web.Checks, cert)
	// A tcp check whose result names the expected answer as its primary
	// metric: the row shows that, not the connect time.
	banner := measured("mail", "smtp", model.CheckTCP, map[string]float64{model.MetricConnect: 1, model.MetricResponse: 250})
	banner.Primary = model.MetricResponse
	mail := asset("mail", "application", banner)
	e := rowEnv(web, mail)
	tbl := newTable(appColumns, 200, appContent(e.index.appW)...)
	got := plainCells(appRow(e, e.styles, e.index.row("web"), tbl))
	if got[4] != "31ms" || got[5] != "✗503" || got[6] != "▲5d" {
		t.Errorf("web row: NOW %q HTTP %q TLS %q, want 31ms ✗503 ▲5d", got[4], got[5], got[6])
	}
	if got := plainCells(appRow(e, e.styles, e.index.row("mail"), tbl)); got[4] != "250ms" {
		t.Errorf("tcp row NOW %q, want the primary response_ms 250ms", got[4])
	}
}

// A code (HTTP status, DNS rcode) is shown as the number it is and never
// charted; other values take their declared unit, custom OIDs theirs.
func TestCheckRowFormatsByDeclaration(t *testing.T) {
	tbl := newTable(checkColumns, 200)
	dns := measured("ns", "www", model.CheckDNS, map[string]float64{model.MetricLatency: 2, model.MetricRcode: 3})
	dns.Primary = model.MetricRcode
	got := plainCells(checkRow(&styles{}, dns, tbl))
	if got[4] != "3" || got[5] != "" {
		t.Errorf("rcode as primary: VALUE %q HISTORY %q, want 3 and no chart", got[4], got[5])
	}
	volts := measured("ups", "battery", model.CheckSNMP, map[string]float64{"battery_v": 24})
	volts.Primary, volts.Custom = "battery_v", []model.Metric{{Name: "battery_v", UnitText: "V"}}
	if got := plainCells(checkRow(&styles{}, volts, tbl)); got[4] != "24V" || got[5] == "" {
		t.Errorf("custom OID: VALUE %q HISTORY %q", got[4], got[5])
	}
	// The primary metric missing from the latest result is a dash, not a
	// value of another metric.
	lost := measured("sw", "icmp", model.CheckICMP, map[string]float64{model.MetricLossPct: 100})
	if got := plainCells(checkRow(&styles{}, lost, tbl)); got[4] != "—" {
		t.Errorf("rtt absent: VALUE %q", got[4])
	}
	// Each value in its declared unit; counts whole, like codes.
	for _, c := range []struct {
		name string
		v    float64
		want string
	}{
		{model.MetricRTTAvg, 0.25, "0.25ms"}, {model.MetricLossPct, 12, "12%"}, {model.MetricInBps, 2.5e9, "2.5G/s"},
		{model.MetricCertDays, 6.9, "6d"}, {model.MetricTempMax, 55, "55°C"}, {model.MetricUptime, 90, "90s"},
		{model.MetricStatusCode, 200, "200"}, {model.MetricDisk + ":/var", 93, "93%"}, {"undeclared", 7, "7.0"},
		{model.MetricLatency, math.NaN(), "—"}, {model.MetricIfUp, 3, "3"}, {model.MetricIfUp, 2.5, "2.5"}, {model.MetricBodyBytes, 512, "512B"},
	} {
		if got := formatMetric(lost, c.name, c.v); got != c.want {
			t.Errorf("formatMetric(%s, %v) = %q, want %q", c.name, c.v, got, c.want)
		}
	}
}

func TestServiceTreeAndRenewalRows(t *testing.T) {
	s := &styles{}
	v := &model.ServiceState{Name: "Shop", Rule: "all", Status: model.StatusCritical, Reason: "web down", Up: 1, Total: 2, Since: fixedNow.Add(-5 * time.Minute)}
	if got := plainCells(serviceRow(fixedNow, s, v)); strings.Join(got, "|") != "✗ CRIT|Shop|all|1/2|–|–|–|web down|5m" {
		t.Errorf("service row %q (nothing measured)", got)
	}
	v.SLA = 99.9
	v.Availability = [3]model.Availability{
		{Window: model.SLADay, Percent: 100, Measured: model.SLADay},
		{Window: model.SLAWeek, Percent: 99.95, Down: 5 * time.Minute, Measured: model.SLAWeek},
		{Window: model.SLAMonth, Percent: 99.62, Down: 164 * time.Minute, Measured: model.SLAMonth},
	}
	if got := plainCells(serviceRow(fixedNow, s, v)); strings.Join(got, "|") != "✗ CRIT|Shop|all|1/2|100%|99.95%|99.62%|web down|5m" {
		t.Errorf("service row %q", got)
	}
	r := treeRow{prefix: "├─ ", name: "web", status: model.StatusUnreachable, reason: "unreachable: root cause sw", culprit: true}
	if got := treeLine(s, r, 20, 60); got != "├─ ⊘ UNRE web"+spaces(7)+" ◀ unreachable: root cause sw"+spaces(11) {
		t.Errorf("tree line %q", got)
	}
	r.role = model.RoleRootCause
	if got := treeLeft(s, r); got != "├─ ◆ ROOT web" {
		t.Errorf("a role replaces the status: %q", got)
	}
	due := renewal{asset: "sw", what: "EOL", detail: "netops", date: fixedNow.AddDate(0, 0, 20), days: 20, status: model.StatusCritical}
	if got := plainCells(renewalRow(s, due)); strings.Join(got, "|") != "✗20|EOL|sw|2026-12-16|netops" {
		t.Errorf("renewal row %q", got)
	}
}

// A result's metric list shows counts and codes whole ("if_up=3", not
// "if_up=3.0"), gauges compact.
func TestMetricsTextByKind(t *testing.T) {
	c := measured("sw", "snmp", model.CheckSNMP, map[string]float64{model.MetricIfUp: 3, model.MetricMaxUtil: 2.54, model.MetricRcode: 2})
	if got := metricsText(c, 1); got != "if_up=3 max_util_pct=2.5 rcode=2" {
		t.Errorf("metricsText = %q", got)
	}
}
