package probes

import (
	"strings"
	"testing"
	"time"

	"noctop/model"
	"noctop/snmpdtest"
)

// Every metric an snmp outcome emits is declared, on a first poll and on
// one with rates: interfaces, host resources, and custom OIDs (a number, a
// rate, and a value compared with expect, which is an attr even when it
// reads as a number). Interfaces make in_bps_total the primary; without
// any, response_ms.
func TestSNMPLabMetricsDeclared(t *testing.T) {
	clk := newLabClock()
	a := startSNMPLab(t, clk, startOpts(8))
	d := a.Devices()[0]
	p := newSNMPChecks()
	defer p.Close()
	f := func(v float64) *float64 { return &v }
	tg := labTarget(d, func(c *model.Check) {
		c.HostResources = true
		c.OIDs = []model.OIDCheck{
			{Name: "ups_battery", OID: "1.3.6.1.4.1.318.1.1.1.2.2.1.0", Warn: f(50), Crit: f(20), Below: true, Unit: "%"},
			{Name: "battery_is_full", OID: "1.3.6.1.4.1.318.1.1.1.2.2.1.0", Expect: "100"},
			{Name: "if1_in", OID: "1.3.6.1.2.1.31.1.1.1.6.1", Rate: true, Unit: "B/s"},
		}
	})
	for poll := range 2 {
		out := runSNMP(t, p, tg)
		assertDeclared(t, tg.Check, out)
		if out.Primary != model.MetricInBps {
			t.Errorf("poll %d: primary %q, want %s", poll, out.Primary, model.MetricInBps)
		}
		want := []string{model.MetricIfCount, model.MetricUptime, model.MetricResponse, model.MetricCPU,
			model.MetricMem, model.MetricDiskMax, "ups_battery"}
		if poll == 1 {
			want = append(want, model.MetricInBps, model.MetricOutBps, model.MetricMaxUtil, model.MetricErrorsRate, "if1_in")
		}
		for _, name := range want {
			if _, ok := out.Metrics[name]; !ok {
				t.Errorf("poll %d: no %s in %v", poll, name, out.Metrics)
			}
		}
		disks := 0
		for name := range out.Metrics {
			if strings.HasPrefix(name, model.MetricDisk+":") {
				disks++
			}
		}
		if _, ok := out.Metrics["battery_is_full"]; ok || out.Attrs["battery_is_full"] != "100" || disks == 0 {
			t.Errorf("poll %d: expect OID metric %v attr %q; %d disks", poll, out.Metrics["battery_is_full"], out.Attrs["battery_is_full"], disks)
		}
		clk.Add(time.Minute)
	}

	none := labTarget(d, func(c *model.Check) {
		c.Name = "no-interfaces"
		c.Interfaces = &model.InterfaceFilter{Include: "^no such interface$"}
	})
	out := runSNMP(t, p, none)
	assertDeclared(t, none.Check, out)
	if out.Primary != model.MetricResponse || out.Metrics[model.MetricIfCount] != 0 {
		t.Errorf("no interfaces watched: primary %q, if_count %v", out.Primary, out.Metrics[model.MetricIfCount])
	}
}

// The same against net-snmp's agent, with host resources.
func TestSNMPSnmpdMetricsDeclared(t *testing.T) {
	d := snmpdtest.Start(t, snmpdConf)
	p := newSNMPChecks()
	defer p.Close()
	tg := snmpdTarget(d, func(c *model.Check) { c.HostResources = true })
	for poll := range 2 {
		out := runSNMP(t, p, tg)
		assertDeclared(t, tg.Check, out)
		if out.Primary != model.MetricInBps || len(out.Metrics) < 5 {
			t.Errorf("poll %d: primary %q, metrics %v", poll, out.Primary, out.Metrics)
		}
		time.Sleep(100 * time.Millisecond) // the agent's counters need time to count
	}
}
