package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"noctop/lab/snmpagent"
	"noctop/model"
)

// `check --json` lists each check's table in full: all 200 interfaces of a
// lab switch and the host check's gauges. Rates need two polls, so after
// check's single poll they are null, which is valid JSON.
func TestCheckJSONTables(t *testing.T) {
	const n = 200
	agent, err := snmpagent.Start(context.Background(), snmpagent.Options{Spec: snmpagent.DeviceSpec{
		Interfaces: n, BootedAgo: time.Hour}})
	if err != nil {
		t.Fatal(err)
	}
	defer agent.Close()
	d := agent.Devices()[0]
	path := writeConfig(t, fmt.Sprintf(`
[[asset]]
name = "sw"
address = %q
  [[asset.check]]
  type = "snmp"
  port = %d

[[asset]]
name = "this-host"
  [[asset.check]]
  type = "host"
`, d.Host(), d.Port()))
	stdout, stderr, code := runBin(t, nil, "check", "-c", path, "--json")
	if code == 3 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	type check struct {
		Type       string
		Status     string
		Summary    string
		Metrics    map[string]float64
		Primary    string
		Units      map[string]string
		Interfaces []map[string]any
		Host       map[string]any
	}
	var rep struct {
		Assets []struct {
			Name   string
			Checks []check
		}
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("bad JSON: %v\n%.2000s", err, stdout)
	}
	checks := map[string]check{}
	for _, a := range rep.Assets {
		for _, c := range a.Checks {
			checks[c.Type] = c
		}
	}

	t.Logf("check --json: %d bytes for %d interfaces and the host check", len(stdout), n)
	sw := checks["snmp"]
	if len(sw.Interfaces) != n || sw.Metrics["if_count"] != n {
		t.Fatalf("snmp: %d interface rows, if_count %v (%s)", len(sw.Interfaces), sw.Metrics["if_count"], sw.Summary)
	}
	spec := d.Spec()
	keys := []string{"index", "name", "alias", "admin", "oper", "status", "speed_bps", "in_bps", "out_bps", "util_pct", "errors_discards_per_min"}
	for i, row := range sw.Interfaces {
		k := i + 1
		for _, key := range keys {
			if _, ok := row[key]; !ok {
				t.Fatalf("interface %d has no %q: %v", k, key, row)
			}
		}
		admin, oper := "up", "up"
		switch k {
		case spec.OperDownIf:
			oper = "down"
		case spec.AdminDownIf:
			admin, oper = "down", "down"
		}
		if row["index"] != float64(k) || row["name"] != fmt.Sprintf("Gi1/0/%d", k) || !strings.HasPrefix(row["alias"].(string), fmt.Sprintf("lab-sw-001 port %d", k)) ||
			row["admin"] != admin || row["oper"] != oper || row["speed_bps"] != float64(spec.Speed) {
			t.Errorf("interface %d: %v", k, row)
		}
		// The first poll has no rates: null, not 0 and not NaN.
		for _, key := range []string{"in_bps", "out_bps", "util_pct", "errors_discards_per_min"} {
			if row[key] != nil {
				t.Errorf("interface %d %s = %v after one poll, want null", k, key, row[key])
			}
		}
	}
	if !strings.Contains(stdout, `"in_bps":null`) {
		t.Error(`no "in_bps":null in the output`)
	}

	h := checks["host"].Host
	if h == nil {
		t.Fatalf("host check has no gauges: %+v", checks["host"])
	}
	m := checks["host"].Metrics
	for key, metric := range map[string]string{"mem_pct": "mem_pct", "swap_pct": "swap_pct", "load1": "load1",
		"load5": "load5", "load15": "load15", "load1_per_core": "load1_per_core", "cpu_pct": "cpu_pct"} {
		if v, ok := m[metric]; ok && h[key] != v || !ok && h[key] != nil {
			t.Errorf("host %s = %v, metric %v (present %v)", key, h[key], v, ok)
		}
	}
	// What the metrics are comes from their declarations.
	if hc := checks["host"]; hc.Primary != model.MetricCPU || hc.Units[model.MetricMem] != "%" || hc.Units[model.MetricLoad1] != "" {
		t.Errorf("host check: primary %q, units %v", hc.Primary, hc.Units)
	}
	if sw.Primary != model.MetricInBps || sw.Units == nil || sw.Units[model.MetricIfCount] != "" {
		t.Errorf("snmp check: primary %q, units %v", sw.Primary, sw.Units)
	}
	fss, _ := h["filesystems"].([]any)
	if len(fss) == 0 || h["cores"].(float64) < 1 {
		t.Errorf("host gauges: %v", h)
	}
	for _, f := range fss {
		fs := f.(map[string]any)
		if used, ok := m["disk_pct:"+fs["mount"].(string)]; !ok || fs["used_pct"] != used || fs["device"] == "" {
			t.Errorf("filesystem %v, metric %v", fs, used)
		}
	}
	if temps, ok := h["temperatures"].([]any); !ok || len(temps) == 0 != (m["temp_max_c"] == 0) {
		t.Errorf("temperatures %v (a list, empty without sensors), temp_max_c %v", h["temperatures"], m["temp_max_c"])
	}
}

// A measured row has numbers, a first-poll row nulls; no speed, no
// utilisation; non-finite metrics are left out rather than failing.
func TestCheckJSONRowEncoding(t *testing.T) {
	nan := math.NaN()
	rows := interfaceRows([]model.Interface{
		{Index: 1, Name: "Gi1/0/1", AdminUp: true, OperStatus: "up", Status: model.StatusOK, SpeedBps: 1e9,
			InBps: 8e6, OutBps: 4e6, UtilPct: 0.8, InErrors: 1, OutErrors: 2, InDiscards: 3, OutDiscards: 4},
		{Index: 2, Name: "Gi1/0/2", OperStatus: "down", Status: model.StatusOK, SpeedBps: 0,
			InBps: nan, OutBps: nan, UtilPct: nan, InErrors: nan, OutErrors: nan, InDiscards: nan, OutDiscards: nan},
	})
	b, err := json.Marshal(rows)
	if err != nil {
		t.Fatal(err)
	}
	want := `[{"index":1,"name":"Gi1/0/1","alias":"","admin":"up","oper":"up","status":"OK","speed_bps":1000000000,` +
		`"in_bps":8000000,"out_bps":4000000,"util_pct":0.8,"errors_discards_per_min":10},` +
		`{"index":2,"name":"Gi1/0/2","alias":"","admin":"down","oper":"down","status":"OK","speed_bps":0,` +
		`"in_bps":null,"out_bps":null,"util_pct":null,"errors_discards_per_min":null}]`
	if string(b) != want {
		t.Errorf("rows:\n got %s\nwant %s", b, want)
	}
	if m := finiteMetrics(map[string]float64{"a": 1, "b": nan, "c": math.Inf(1)}); len(m) != 1 || m["a"] != 1 {
		t.Errorf("finiteMetrics = %v", m)
	}
	if m := finiteMetrics(nil); m == nil {
		t.Error("finiteMetrics(nil) is nil: the report's metrics must be {}")
	}
}
