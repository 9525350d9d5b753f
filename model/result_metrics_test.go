package model_test

import (
	"strings"
	"testing"

	"noctop/model"
)

// The declarations agree with the naming convention, so a reader of a bare
// name in JSON is not misled, and every one says what it measures.
func TestMetricDeclarations(t *testing.T) {
	seen := map[string]bool{}
	for _, m := range model.Metrics() {
		if m.Name == "" || m.Help == "" || seen[m.Name] {
			t.Errorf("declaration %+v: empty name or help, or declared twice", m)
		}
		seen[m.Name] = true
		suffix := map[string]model.Unit{"_ms": model.UnitMs, "_pct": model.UnitPercent, "_s": model.UnitSeconds,
			"_bps_total": model.UnitBitsPerSecond, "_days_left": model.UnitDays, "_c": model.UnitCelsius,
			"_per_min_total": model.UnitPerMinute}
		for s, u := range suffix {
			if strings.HasSuffix(m.Name, s) && m.Unit != u {
				t.Errorf("%s ends in %s but its unit is %q", m.Name, s, m.Unit)
			}
		}
		if got, ok := model.LookupMetric(m.Name); ok != (m.Name != model.MetricDisk) || (ok && got != m) {
			t.Errorf("LookupMetric(%q) = %+v, %v", m.Name, got, ok)
		}
	}
	d, ok := model.LookupMetric("disk_pct:/var")
	if !ok || d.Label != "/var" || d.FullName() != "disk_pct:/var" || d.Unit != model.UnitPercent {
		t.Errorf("family member: %+v %v", d, ok)
	}
	for _, bad := range []string{"", "nope", "rtt_avg_ms:x", "disk_pct2:/"} {
		if _, ok := model.LookupMetric(bad); ok {
			t.Errorf("LookupMetric(%q) found a declaration", bad)
		}
	}
	for _, kind := range model.CheckTypes() {
		if _, ok := model.LookupMetric(model.DefaultPrimary(kind)); !ok {
			t.Errorf("kind %s: default primary %q is not declared", kind, model.DefaultPrimary(kind))
		}
	}
}

func TestCustomMetrics(t *testing.T) {
	c := model.Check{Type: model.CheckSNMP, OIDs: []model.OIDCheck{
		{Name: "ups_battery", OID: "1.3.6.1.2.1.33.1.2.4.0", Unit: "%", Below: true},
		{Name: "fw", OID: "1.3.6.1.4.1.9.1", Expect: "15.2"},
		{Name: "octets", OID: "1.3.6.1.2.1.2.2.1.10.1", Rate: true},
	}}
	got := c.CustomMetrics()
	if len(got) != 2 || got[0].Name != "ups_battery" || got[0].Symbol() != "%" || got[0].Better != model.BetterHigher ||
		got[1].Symbol() != "/s" || got[1].Better != model.BetterLower {
		t.Fatalf("custom metrics %+v", got)
	}
	cs := model.CheckState{Custom: got}
	if m, ok := cs.Metric("ups_battery"); !ok || m.Symbol() != "%" {
		t.Errorf("CheckState.Metric(ups_battery) = %+v, %v", m, ok)
	}
	if m, ok := cs.Metric(model.MetricCPU); !ok || m.Unit != model.UnitPercent {
		t.Errorf("CheckState.Metric(cpu_pct) = %+v, %v", m, ok)
	}
}

func TestDescribe(t *testing.T) {
	if got := model.Describe(nil, "HTTP 200 in 12 ms"); got != "HTTP 200 in 12 ms" {
		t.Errorf("no reasons: %q", got)
	}
	if got := model.Describe([]string{"latency 801 ms >= warn 300 ms"}, "HTTP 200 in 801 ms"); got != "latency 801 ms >= warn 300 ms — HTTP 200 in 801 ms" {
		t.Errorf("reason and facts: %q", got)
	}
	if got := model.Describe([]string{"a", "b"}, ""); got != "a; b" {
		t.Errorf("reasons alone: %q", got)
	}
}
