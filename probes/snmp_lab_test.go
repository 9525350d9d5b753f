package probes

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/gosnmp/gosnmp"

	"noctop/lab/snmpagent"
	"noctop/model"
)

// The lab tests poll snmpagent.Start's simulated devices on 127.0.1.x with a
// clock the test moves, so counters grow, wrap and restart without
// waiting, and rates are exact.

// newLabClock is the clock the tests move to make counters grow.
func newLabClock() *snmpagent.ManualClock {
	return snmpagent.NewManualClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
}

// startLab runs lab devices with clk (nil: real time) and closes them at
// the end of the test.
func startSNMPLab(t testing.TB, clk *snmpagent.ManualClock, opts snmpagent.Options) *snmpagent.Agent {
	t.Helper()
	if clk != nil {
		opts.Clock = clk.Now
	}
	a, err := snmpagent.Start(context.Background(), opts)
	if err != nil {
		t.Fatalf("snmpagent.Start: %v", err)
	}
	t.Cleanup(func() { _ = a.Close() })
	return a
}

// labTarget is an snmp check of device d with the loader's defaults, after
// edit.
func labTarget(d *snmpagent.Device, edit func(c *model.Check)) Target {
	cfg := &model.Config{Assets: []model.Asset{{Name: d.Name(), Address: d.Host(),
		Checks: []model.Check{{Type: model.CheckSNMP, Port: d.Port()}}}}}
	if edit != nil {
		edit(&cfg.Assets[0].Checks[0])
	}
	cfg.ApplyDefaults()
	return Target{Asset: &cfg.Assets[0], Check: &cfg.Assets[0].Checks[0]}
}

// runSNMP runs tg's check once with a 2 s deadline and checks the outcome is well
// formed and on time.
func runSNMP(t testing.TB, p *snmpChecks, tg Target) model.Outcome {
	t.Helper()
	return runWithin(t, p, tg, 2*time.Second)
}

func runWithin(t testing.TB, p *snmpChecks, tg Target, timeout time.Duration) model.Outcome {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	start := time.Now()
	out := p.of(tg).Run(ctx)
	if took := time.Since(start); took > timeout+overrunGrace {
		t.Errorf("probe took %v, deadline %v", took, timeout)
	}
	if out.Status == model.StatusPending || out.Summary == "" {
		t.Errorf("outcome without status or reason: %+v", out)
	}
	return out
}

func wantStatus(t testing.TB, out model.Outcome, s model.Status, parts ...string) {
	t.Helper()
	if out.Status != s {
		t.Errorf("status %v, want %v: %s", out.Status, s, out.Summary)
	}
	for _, p := range parts {
		if !strings.Contains(out.Summary, p) {
			t.Errorf("summary %q does not contain %q", out.Summary, p)
		}
	}
}

func iface(t testing.TB, out model.Outcome, index int) model.Interface {
	t.Helper()
	for _, it := range out.Interfaces {
		if it.Index == index {
			return it
		}
	}
	t.Fatalf("no interface %d in %d interfaces", index, len(out.Interfaces))
	return model.Interface{}
}

// near reports whether got is within 0.1% of want.
func near(got, want float64) bool { return math.Abs(got-want) <= math.Abs(want)*1e-3 }

// A default lab switch: 8 interfaces, port 7 admin up but oper down, port
// 8 admin down, port 2 with rising errors. The first run has no rates; the
// second has exact ones.
func TestSNMPLabSwitch(t *testing.T) {
	clk := newLabClock()
	a := startSNMPLab(t, clk, snmpagent.Options{Spec: snmpagent.DeviceSpec{BootedAgo: 41*24*time.Hour + 3*time.Hour}})
	d := a.Devices()[0]
	p := newSNMPChecks()
	defer p.Close()
	tg := labTarget(d, nil)

	out := runSNMP(t, p, tg)
	wantStatus(t, out, model.StatusCritical,
		"Gi1/0/7 (lab-sw-001 port 7 (no link)) admin up, oper down",
		"Gi1/0/7 (lab-sw-001 port 7 (no link)) admin up, oper down — 8 interfaces, 6 up, 1 down, 1 admin down;",
		"rates from the next run", "up 41d 3h")
	if out.Attrs["sys_name"] != "lab-sw-001" || !strings.Contains(out.Attrs["sys_descr"], "firmware 1.0.0") ||
		out.Attrs["sys_object_id"] == "" || out.Attrs["sys_contact"] == "" || out.Attrs["sys_location"] != "lab rack 1" {
		t.Errorf("attrs %v", out.Attrs)
	}
	if got := out.Metrics["uptime_s"]; got != (41*24*time.Hour + 3*time.Hour).Seconds() {
		t.Errorf("uptime_s %v", got)
	}
	if _, ok := out.Metrics["in_bps_total"]; ok {
		t.Errorf("first run has a rate: %v", out.Metrics)
	}
	if it := iface(t, out, 1); !math.IsNaN(it.InBps) || !math.IsNaN(it.UtilPct) {
		t.Errorf("first run interface 1 has rates: %+v", it)
	}
	if it := iface(t, out, 8); it.AdminUp || it.Status != model.StatusOK {
		t.Errorf("admin-down interface is alerted: %+v", it)
	}
	if it := iface(t, out, 7); it.Status != model.StatusCritical || it.OperStatus != "down" || !strings.Contains(it.Reason, "admin up, oper down") {
		t.Errorf("oper-down interface: %+v", it)
	}
	if !out.Degraded {
		t.Error("an agent that answered with a port down is not degraded: its asset would count as down")
	}

	clk.Add(time.Minute)
	out = runSNMP(t, p, tg)
	it := iface(t, out, 1)
	if want := float64(d.InRate(1) * 8); !near(it.InBps, want) || !near(it.OutBps, float64(d.OutRate(1)*8)) {
		t.Errorf("interface 1: in %v out %v bit/s, want %v and %v", it.InBps, it.OutBps, want, d.OutRate(1)*8)
	}
	if want := float64(d.InRate(1)*8) / it.SpeedBps * 100; !near(it.UtilPct, want) || it.Name != "Gi1/0/1" || it.Alias != "lab-sw-001 port 1" {
		t.Errorf("interface 1: util %v want %v; %+v", it.UtilPct, want, it)
	}
	if e := iface(t, out, 2); !near(e.InErrors, 60) || e.OutErrors != 0 {
		t.Errorf("interface 2 errors: in %v/min out %v/min, want 60 and 0", e.InErrors, e.OutErrors)
	}
	for _, k := range []string{"in_bps_total", "out_bps_total", "max_util_pct", "errors_per_min_total", "if_count", "if_up", "if_down", "if_admin_down", "response_ms"} {
		if _, ok := out.Metrics[k]; !ok {
			t.Errorf("second run lacks metric %s: %v", k, out.Metrics)
		}
	}
	if out.Metrics["if_count"] != 8 || out.Metrics["if_up"] != 6 || out.Metrics["if_down"] != 1 || out.Metrics["if_admin_down"] != 1 {
		t.Errorf("counts %v", out.Metrics)
	}
	wantStatus(t, out, model.StatusCritical, "max util")
}

// Thresholds on utilisation and errors name the interface; the filter
// drops interfaces from the table, the counts and the verdict.
func TestSNMPLabThresholdsAndFilter(t *testing.T) {
	clk := newLabClock()
	a := startSNMPLab(t, clk, snmpagent.Options{Spec: snmpagent.DeviceSpec{Interfaces: 8, BootedAgo: time.Hour}})
	d := a.Devices()[0]
	p := newSNMPChecks()
	defer p.Close()
	warn, crit, ewarn := 1.0, 90.0, 30.0
	tg := labTarget(d, func(c *model.Check) {
		c.Interfaces = &model.InterfaceFilter{Exclude: `no link|shut down`}
		c.Utilization = &model.Limits{Warn: &warn, Crit: &crit}
		c.Errors = &model.Limits{Warn: &ewarn}
	})
	out := runSNMP(t, p, tg)
	wantStatus(t, out, model.StatusOK, "6 interfaces, 6 up")
	clk.Add(time.Minute)
	out = runSNMP(t, p, tg)
	e := iface(t, out, 2)
	errs := e.InErrors + e.OutErrors + e.InDiscards + e.OutDiscards
	wantStatus(t, out, model.StatusWarning, "Gi1/0/2 (lab-sw-001 port 2 (CRC errors)) errors+discards "+model.FormatValue(errs, "/min")+" >= warn 30 /min",
		"Gi1/0/1 (lab-sw-001 port 1) util 10% >= warn 1%", "and 3 more")
	if len(out.Interfaces) != 6 {
		t.Errorf("%d interfaces after the filter, want 6", len(out.Interfaces))
	}

	inc := labTarget(d, func(c *model.Check) { c.Interfaces = &model.InterfaceFilter{Include: `^Gi1/0/[78]$`} })
	out = runSNMP(t, p, inc)
	wantStatus(t, out, model.StatusCritical, "2 interfaces, 0 up, 1 down", "1 admin down")
}

// A 32-bit counter that wraps between two runs gives the true rate, not a
// negative one or a spike; the device without ifXTable keeps being read
// with its 32-bit columns.
func TestSNMPLabCounterWrap(t *testing.T) {
	clk := newLabClock()
	const rate = 100_000_000 // octets/s on ifIndex 1: 2^32 octets in 42.9 s
	a := startSNMPLab(t, clk, snmpagent.Options{Spec: snmpagent.DeviceSpec{NoIfXTable: true, Interfaces: 4, Rate: rate,
		Speed: 10_000_000_000, BootedAgo: 42 * time.Second}})
	d := a.Devices()[0]
	p := newSNMPChecks()
	defer p.Close()
	tg := labTarget(d, nil)
	runSNMP(t, p, tg)
	for i := range 3 {
		clk.Add(20 * time.Second) // 2e9 octets: every other step wraps
		out := runSNMP(t, p, tg)
		it := iface(t, out, 1)
		if want := float64(d.InRate(1) * 8); !near(it.InBps, want) {
			t.Errorf("step %d: ifInOctets.1 rate %v bit/s, want %v (a wrap must not spike)", i, it.InBps, want)
		}
		if it.Name != "GigabitEthernet1/0/1" && !strings.HasPrefix(it.Name, "TenGigabitEthernet") {
			t.Errorf("without ifXTable the name is ifDescr, got %q", it.Name)
		}
	}
}

// A reboot (sysUpTime went back) is a note and gives no rates for that
// run, however the counters moved; the run after has true rates again.
func TestSNMPLabReboot(t *testing.T) {
	for _, noIfX := range []bool{false, true} {
		name := "hc"
		if noIfX {
			name = "32bit"
		}
		t.Run(name, func(t *testing.T) {
			clk := newLabClock()
			a := startSNMPLab(t, clk, snmpagent.Options{Spec: snmpagent.DeviceSpec{NoIfXTable: noIfX, Interfaces: 4,
				BootedAgo: 41*24*time.Hour + 3*time.Hour}})
			d := a.Devices()[0]
			p := newSNMPChecks()
			defer p.Close()
			tg := labTarget(d, nil)
			runSNMP(t, p, tg)
			clk.Add(time.Minute)
			runSNMP(t, p, tg)
			clk.Add(time.Minute)
			d.Reboot()
			clk.Add(2 * time.Minute)
			out := runSNMP(t, p, tg)
			if len(out.Notes) != 1 || out.Notes[0].Kind != model.EventReboot ||
				out.Notes[0].Summary != "rebooted: sysUpTime went back from 41d 3h to 2m" {
				t.Errorf("notes %+v", out.Notes)
			}
			if _, ok := out.Metrics["in_bps_total"]; ok {
				t.Errorf("rates after a reboot: %v", out.Metrics)
			}
			if it := iface(t, out, 1); !math.IsNaN(it.InBps) || !math.IsNaN(it.OutBps) {
				t.Errorf("interface 1 has a rate after the reboot: %+v", it)
			}
			wantStatus(t, out, model.StatusCritical, "no rates this run (rebooted)")
			clk.Add(time.Minute)
			out = runSNMP(t, p, tg)
			if it := iface(t, out, 1); !near(it.InBps, float64(d.InRate(1)*8)) {
				t.Errorf("the run after the reboot: %v bit/s, want %v", it.InBps, d.InRate(1)*8)
			}
			if len(out.Notes) != 0 {
				t.Errorf("notes after the reboot run: %+v", out.Notes)
			}
		})
	}
}

// A changed sysDescr or sysObjectID is a firmware change note.
func TestSNMPLabFirmwareChange(t *testing.T) {
	a := startSNMPLab(t, nil, snmpagent.Options{})
	d := a.Devices()[0]
	p := newSNMPChecks()
	defer p.Close()
	tg := labTarget(d, nil)
	out := runSNMP(t, p, tg)
	if len(out.Notes) != 0 {
		t.Fatalf("first run has notes: %+v", out.Notes)
	}
	old := out.Attrs["sys_descr"]
	d.SetFirmware("noctop lab switch LS-48 lab-sw-001, firmware 2.0.1")
	if err := d.SetObjectID(".1.3.6.1.4.1.8072.3.2.11"); err != nil {
		t.Fatal(err)
	}
	out = runSNMP(t, p, tg)
	want := []model.Note{
		{Kind: model.EventChange, Summary: "firmware changed: " + old + " -> noctop lab switch LS-48 lab-sw-001, firmware 2.0.1",
			What: "firmware changed", From: old, To: "noctop lab switch LS-48 lab-sw-001, firmware 2.0.1"},
		{Kind: model.EventChange, Summary: "firmware changed: sysObjectID 1.3.6.1.4.1.8072.3.2.10 -> 1.3.6.1.4.1.8072.3.2.11",
			What: "firmware changed", From: "1.3.6.1.4.1.8072.3.2.10", To: "1.3.6.1.4.1.8072.3.2.11"},
	}
	if len(out.Notes) != 2 || out.Notes[0] != want[0] || out.Notes[1] != want[1] {
		t.Errorf("notes %+v\nwant %+v", out.Notes, want)
	}
	if out = runSNMP(t, p, tg); len(out.Notes) != 0 {
		t.Errorf("notes repeat: %+v", out.Notes)
	}
}

// Broken agents give UNKNOWN with a reason, never a panic or a hang.
func TestSNMPLabMisbehave(t *testing.T) {
	a := startSNMPLab(t, nil, snmpagent.Options{Spec: snmpagent.DeviceSpec{Interfaces: 8}})
	d := a.Devices()[0]
	for _, tc := range []struct {
		m     snmpagent.Misbehave
		s     model.Status
		parts []string
	}{
		{snmpagent.MisbehaveWrongTypes, model.StatusUnknown, []string{"odd answer from the agent: sysUpTime.0 is OctetString, want TimeTicks; ifSpeed.1 is OctetString, want Gauge32 (and 7 more rows)", "and 8 more"}},
		{snmpagent.MisbehaveTruncated, model.StatusUnknown, []string{"bad answer from " + d.Addr()}},
		{snmpagent.MisbehaveGarbage, model.StatusUnknown, []string{"bad answer from " + d.Addr()}},
		{snmpagent.MisbehaveEndOfMIB, model.StatusUnknown, []string{"agent answered endOfMibView after ifDescr.4, but has "}},
		{snmpagent.MisbehaveLoop, model.StatusUnknown, []string{"walk does not advance (non-increasing OID)"}},
		// The column's own OID back to the first request: not "0 interfaces".
		{snmpagent.MisbehaveEcho, model.StatusUnknown, []string{"walk does not advance (non-increasing OID): ifDescr after ifDescr"}},
		{snmpagent.MisbehaveRepeat, model.StatusUnknown, []string{"walk does not advance (non-increasing OID): ifDescr.2 after ifDescr.2"}},
		// ifXTable and sysUpTime hidden: the 32-bit columns and ifDescr do.
		{snmpagent.MisbehaveNoSuch, model.StatusCritical, []string{"GigabitEthernet1/0/7 admin up, oper down — 8 interfaces, 6 up, 1 down, 1 admin down"}},
	} {
		t.Run(tc.m.String(), func(t *testing.T) {
			d.SetMisbehave(tc.m)
			defer d.SetMisbehave(snmpagent.MisbehaveNone)
			p := newSNMPChecks()
			defer p.Close()
			tg := labTarget(d, nil)
			for range 2 { // the second run reuses (or rebuilds) the client
				out := runSNMP(t, p, tg)
				wantStatus(t, out, tc.s, tc.parts...)
			}
		})
	}
}

// A silent device is CRITICAL after every try, within the deadline; once
// it answers again, the next run is OK.
func TestSNMPLabSilent(t *testing.T) {
	a := startSNMPLab(t, nil, snmpagent.Options{Spec: snmpagent.DeviceSpec{Interfaces: 2}})
	d := a.Devices()[0]
	p := newSNMPChecks()
	defer p.Close()
	tg := labTarget(d, nil)
	wantStatus(t, runSNMP(t, p, tg), model.StatusOK)
	d.SetSilent(true)
	out := runWithin(t, p, tg, time.Second)
	wantStatus(t, out, model.StatusCritical, "no response from "+d.Addr()+" after 3 tries")
	one := 0
	out = runWithin(t, p, labTarget(d, func(c *model.Check) { c.SNMPRetries = &one }), 300*time.Millisecond)
	wantStatus(t, out, model.StatusCritical, "after 1 try")
	d.SetSilent(false)
	wantStatus(t, runSNMP(t, p, tg), model.StatusOK)
}

// Many interfaces: one walk of several columns at a time reads them all.
func TestSNMPLabManyInterfaces(t *testing.T) {
	clk := newLabClock()
	a := startSNMPLab(t, clk, snmpagent.Options{Spec: snmpagent.DeviceSpec{Interfaces: 1000, OperDownIf: -1, AdminDownIf: -1, BootedAgo: time.Hour}})
	d := a.Devices()[0]
	p := newSNMPChecks()
	defer p.Close()
	tg := labTarget(d, nil)
	out := runSNMP(t, p, tg)
	wantStatus(t, out, model.StatusOK, "1000 interfaces, 1000 up")
	clk.Add(time.Minute)
	out = runSNMP(t, p, tg)
	if len(out.Interfaces) != 1000 {
		t.Fatalf("%d interfaces", len(out.Interfaces))
	}
	var sum float64
	for i, it := range out.Interfaces {
		if it.Index != i+1 {
			t.Fatalf("interface %d has index %d (table not sorted)", i, it.Index)
		}
		sum += float64(d.InRate(it.Index) * 8)
	}
	if !near(out.Metrics["in_bps_total"], sum) {
		t.Errorf("in_bps_total %v, want %v", out.Metrics["in_bps_total"], sum)
	}
}

// SNMPv3 against the lab: authPriv works and survives a reboot (new engine
// boots: gosnmp resynchronises through notInTimeWindow); a wrong password
// and an unknown user are UNKNOWN with what the agent's Report said.
func TestSNMPLabV3(t *testing.T) {
	clk := newLabClock()
	a := startSNMPLab(t, clk, snmpagent.Options{Spec: snmpagent.DeviceSpec{Interfaces: 4, BootedAgo: time.Hour},
		Users: []snmpagent.User{{Name: "ops", AuthProtocol: gosnmp.SHA256, AuthPassword: "authpass1",
			PrivProtocol: gosnmp.AES, PrivPassword: "privpass1"}}})
	d := a.Devices()[0]
	p := newSNMPChecks()
	defer p.Close()
	v3 := func(user, auth string) Target {
		return labTarget(d, func(c *model.Check) {
			c.Version, c.User = "3", user
			c.AuthProtocol, c.AuthPassword = model.SNMPAuthSHA256, model.NewSecret(auth)
			c.PrivProtocol, c.PrivPassword = "AES", model.NewSecret("privpass1")
		})
	}
	tg := v3("ops", "authpass1")
	wantStatus(t, runSNMP(t, p, tg), model.StatusCritical, "4 interfaces, 2 up, 1 down")
	clk.Add(time.Minute)
	d.Reboot()
	clk.Add(time.Minute)
	out := runSNMP(t, p, tg)
	if len(out.Notes) != 1 || out.Notes[0].Kind != model.EventReboot {
		t.Errorf("v3 after a reboot: %s; notes %+v", out.Summary, out.Notes)
	}
	wantStatus(t, runSNMP(t, p, v3("ops", "wrongpass")), model.StatusUnknown, "authentication failure (wrong digest)")
	wantStatus(t, runSNMP(t, p, v3("nobody", "authpass1")), model.StatusUnknown, `unknown user "nobody"`)
	below := labTarget(d, func(c *model.Check) {
		c.Name, c.Version, c.User = "authnopriv", "3", "ops"
		c.AuthProtocol, c.AuthPassword = model.SNMPAuthSHA256, model.NewSecret("authpass1")
	})
	wantStatus(t, runSNMP(t, p, below), model.StatusUnknown, "access denied by the agent (AuthorizationError to GET)")
}

// Host resources: hrProcessorLoad empty gives "n/a", not 0; thresholds
// apply; a device without the MIB says n/a for everything.
func TestSNMPLabHostResources(t *testing.T) {
	clk := newLabClock()
	a := startSNMPLab(t, clk, snmpagent.Options{Devices: 2, Spec: snmpagent.DeviceSpec{Interfaces: 2, OperDownIf: -1,
		ProcessorLoadAfter: time.Minute},
		PerDevice: func(i int, s *snmpagent.DeviceSpec) { s.NoHostResources = i == 1 }})
	d, bare := a.Devices()[0], a.Devices()[1]
	p := newSNMPChecks()
	defer p.Close()
	crit := 90.0
	tg := labTarget(d, func(c *model.Check) { c.CPU = &model.Limits{Crit: &crit} })
	out := runSNMP(t, p, tg)
	wantStatus(t, out, model.StatusOK, "cpu n/a, mem ")
	if _, ok := out.Metrics["cpu_pct"]; ok || out.Attrs["cpu_pct"] != "n/a" {
		t.Errorf("empty hrProcessorLoad: metric %v attr %q", out.Metrics["cpu_pct"], out.Attrs["cpu_pct"])
	}
	for _, k := range []string{"mem_pct", "disk_pct:/", "disk_pct:/var", "disk_pct_max"} {
		if v, ok := out.Metrics[k]; !ok || v <= 0 || v > 100 {
			t.Errorf("metric %s = %v, %v", k, v, ok)
		}
	}
	clk.Add(2 * time.Minute)
	d.SetCPULoad(95)
	out = runSNMP(t, p, tg)
	wantStatus(t, out, model.StatusCritical, "cpu 95% >= crit 90%")
	if out.Metrics["cpu_pct"] != 95 || out.Attrs["cpus"] != "2" {
		t.Errorf("cpu_pct %v cpus %q", out.Metrics["cpu_pct"], out.Attrs["cpus"])
	}
	out = runSNMP(t, p, labTarget(bare, func(c *model.Check) { c.HostResources = true }))
	wantStatus(t, out, model.StatusOK, "cpu n/a, mem n/a, disk n/a")
}

// Custom OIDs: numbers judged in either direction, strings against
// expect, counters as a rate; a missing object is UNKNOWN.
func TestSNMPLabCustomOIDs(t *testing.T) {
	clk := newLabClock()
	a := startSNMPLab(t, clk, snmpagent.Options{Spec: snmpagent.DeviceSpec{Interfaces: 2, OperDownIf: -1, BootedAgo: time.Hour}})
	d := a.Devices()[0]
	p := newSNMPChecks()
	defer p.Close()
	f := func(v float64) *float64 { return &v }
	oids := []model.OIDCheck{
		{Name: "ups_battery", OID: strings.TrimPrefix(snmpagent.OIDUPSBatteryCharge, "."), Warn: f(50), Crit: f(20), Below: true, Unit: "%"},
		{Name: "ups_temp", OID: snmpagent.OIDUPSBatteryTemp, Warn: f(40), Crit: f(60), Unit: "C"},
		{Name: "ups_model", OID: snmpagent.OIDUPSModel},
		{Name: "if1_in", OID: "1.3.6.1.2.1.31.1.1.1.6.1", Rate: true, Unit: "B/s"},
	}
	tg := labTarget(d, func(c *model.Check) { c.OIDs = oids })
	out := runSNMP(t, p, tg)
	wantStatus(t, out, model.StatusOK, "ups_battery 100%", "if1_in rate from the next run")
	if out.Metrics["ups_battery"] != 100 || out.Attrs["ups_model"] == "" {
		t.Errorf("metrics %v attrs %v", out.Metrics, out.Attrs)
	}
	clk.Add(time.Minute)
	d.SetBatteryCharge(15)
	out = runSNMP(t, p, tg)
	wantStatus(t, out, model.StatusCritical, "ups_battery 15% <= crit 20%")
	if got, want := out.Metrics["if1_in"], float64(d.InRate(1)); !near(got, want) {
		t.Errorf("if1_in rate %v, want %v", got, want)
	}

	expect := labTarget(d, func(c *model.Check) {
		c.OIDs = []model.OIDCheck{{Name: "ups_model", OID: snmpagent.OIDUPSModel, Expect: "Smart-UPS 9000"},
			{Name: "nothing", OID: "1.3.6.1.4.1.99999.1.0"}}
	})
	out = runSNMP(t, p, expect)
	wantStatus(t, out, model.StatusCritical, `ups_model is "`, `want "Smart-UPS 9000"`, "nothing: noSuchObject at 1.3.6.1.4.1.99999.1.0")
}

// SNMPv1 walks with GETNEXT and ends on noSuchName.
func TestSNMPLabV1(t *testing.T) {
	a := startSNMPLab(t, nil, snmpagent.Options{Spec: snmpagent.DeviceSpec{Interfaces: 6}})
	d := a.Devices()[0]
	p := newSNMPChecks()
	defer p.Close()
	out := runSNMP(t, p, labTarget(d, func(c *model.Check) { c.Version = "1"; c.HostResources = true }))
	wantStatus(t, out, model.StatusCritical, "6 interfaces, 4 up, 1 down", "mem ")
}

// startOpts is one lab switch with n interfaces, up for an hour.
func startOpts(n int) snmpagent.Options {
	return snmpagent.Options{Spec: snmpagent.DeviceSpec{Interfaces: n, BootedAgo: time.Hour}}
}
