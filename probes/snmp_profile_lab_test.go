package probes

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"noctop/lab/snmpagent"
	"noctop/model"
)

// Each profile against the lab agent, through the real probe on loopback:
// values at, below and above the thresholds, moved with the agent's knobs.

// profileTarget loads a config with one snmp check of d (extra is its
// profile keys), as the loader makes it: defaults, custom profiles.
func profileTarget(t *testing.T, d *snmpagent.Device, extra string) Target {
	t.Helper()
	return profileTargetB(t, d, extra)
}

func profileTargetB(t testing.TB, d *snmpagent.Device, extra string) Target {
	t.Helper()
	src := fmt.Sprintf(`[defaults]
profiles = ["../dist/profiles/noctop-lab-ap.toml"]

[[asset]]
name = %q
address = %q

  [[asset.check]]
  type = "snmp"
  port = %d
  interfaces = { include = "nothing-matches-this" }
%s
`, d.Name(), d.Host(), d.Port(), extra)
	cfg, err := model.Parse("profile_test.toml", []byte(src))
	if err != nil {
		t.Fatalf("config:\n%s\n%v", src, err)
	}
	return Target{Asset: &cfg.Assets[0], Check: &cfg.Assets[0].Checks[0]}
}

// step moves a knob, runs the check and wants its status and summary parts.
type step struct {
	name string
	do   func()
	want model.Status
	says []string
}

func runSteps(t *testing.T, p *snmpChecks, tg Target, steps []step) model.Outcome {
	t.Helper()
	var out model.Outcome
	for _, s := range steps {
		if s.do != nil {
			s.do()
		}
		out = runSNMP(t, p, tg)
		if out.Status != s.want {
			t.Errorf("%s: status %v, want %v: %s", s.name, out.Status, s.want, out.Summary)
		}
		for _, part := range s.says {
			if !strings.Contains(out.Summary, part) {
				t.Errorf("%s: summary lacks %q: %s", s.name, part, out.Summary)
			}
		}
		// Every metric is declared, by the model or by the check's profile.
		cs := &model.CheckState{Custom: tg.Check.CustomMetrics()}
		for name := range out.Metrics {
			if _, ok := cs.Metric(name); !ok {
				t.Errorf("%s: metric %q is not declared", s.name, name)
			}
		}
	}
	return out
}

func TestSNMPProfileUPS(t *testing.T) {
	clk := newLabClock()
	a := startSNMPLab(t, clk, snmpagent.Options{Spec: snmpagent.DeviceSpec{Name: "ups1", Interfaces: 1, UPS: true, OperDownIf: -1}})
	d := a.Devices()[0]
	p := newSNMPChecks()
	defer p.Close()
	tg := profileTarget(t, d, `  profile = "ups"`)
	out := runSteps(t, p, tg, []step{
		{"on mains, full", nil, model.StatusOK, []string{"on mains, charge 100%, 45 min left, load 38%, input 230 V"}},
		{"charge above warn", func() { d.SetBatteryCharge(51) }, model.StatusOK, nil},
		{"charge at warn", func() { d.SetBatteryCharge(50) }, model.StatusWarning, []string{"charge 50% <= warn 50%"}},
		{"charge at crit", func() { d.SetBatteryCharge(20) }, model.StatusCritical, []string{"charge 20% <= crit 20%", "runtime 9 min <= warn 15 min"}},
		{"charge below crit, battery low", func() { d.SetBatteryCharge(10) }, model.StatusCritical, []string{"battery low"}},
		{"on battery", func() { d.SetBatteryCharge(27); d.SetOnBattery(true); clk.Add(2 * time.Minute) }, model.StatusCritical,
			[]string{"on battery, 12 min left", "charge 27% <= warn 50%"}},
		{"back on mains", func() { d.SetOnBattery(false); d.SetBatteryCharge(100) }, model.StatusOK, nil},
		{"load below warn", func() { d.SetUPSLoad(79) }, model.StatusOK, nil},
		{"load at warn", func() { d.SetUPSLoad(80) }, model.StatusWarning, []string{"load 80% >= warn 80%"}},
		{"load above crit", func() { d.SetUPSLoad(96) }, model.StatusCritical, []string{"load 96% >= crit 95%"}},
		{"input above input_low warn", func() { d.SetUPSLoad(40); d.SetInputVoltage(208) }, model.StatusOK, nil},
		{"input at input_low warn", func() { d.SetInputVoltage(207) }, model.StatusWarning, []string{"input 207 V <= warn 207 V"}},
		{"input below input_low crit", func() { d.SetInputVoltage(190) }, model.StatusCritical, []string{"input 190 V <= crit 196 V"}},
		{"input at input_high warn", func() { d.SetInputVoltage(253) }, model.StatusWarning, []string{"input 253 V >= warn 253 V"}},
	})
	if out.Primary != model.MetricUPSCharge || out.Metrics[model.MetricUPSInputV] != 253 || out.Metrics[model.MetricUPSCharge] != 100 {
		t.Errorf("primary %q metrics %v", out.Primary, out.Metrics)
	}
	if out.Profile == nil || out.Profile.Profile != model.ProfileUPS || len(out.Profile.Rows) < 4 || out.Attrs["profile"] != "ups" {
		t.Fatalf("profile table %+v attrs %v", out.Profile, out.Attrs)
	}

	// The check's thresholds override the defaults, one side at a time.
	over := profileTarget(t, d, `  profile = "ups"
  thresholds = { charge = { warn = 60 }, input_high = { warn = 260, crit = 270 } }`)
	runSteps(t, p, over, []step{
		{"input under the raised high warn", nil, model.StatusOK, nil},
		{"charge at the raised warn", func() { d.SetBatteryCharge(60) }, model.StatusWarning, []string{"charge 60% <= warn 60%"}},
		{"charge at the default crit", func() { d.SetBatteryCharge(20) }, model.StatusCritical, []string{"charge 20% <= crit 20%"}},
	})
}

func TestSNMPProfilePrinter(t *testing.T) {
	a := startSNMPLab(t, nil, snmpagent.Options{Spec: snmpagent.DeviceSpec{Name: "prn1", Interfaces: 1, Printer: true, OperDownIf: -1}})
	d := a.Devices()[0]
	p := newSNMPChecks()
	defer p.Close()
	tg := profileTarget(t, d, `  profile = "printer"`)
	black := "toner Black Toner Cartridge (noctop lab)"
	out := runSteps(t, p, tg, []step{
		{"all full enough", nil, model.StatusOK, []string{"4 supplies, lowest 55%, 2 trays"}},
		{"toner above warn", func() { _ = d.SetSupplyLevel(1, 21) }, model.StatusOK, []string{"lowest 21%"}},
		{"toner at warn", func() { _ = d.SetSupplyLevel(1, 20) }, model.StatusWarning, []string{black + " 20% <= warn 20%"}},
		{"toner below crit, printer alert", func() { _ = d.SetSupplyLevel(1, 4) }, model.StatusCritical, []string{black + " 4% <= crit 5%", "1 alerts"}},
		{"tray empty", func() { _ = d.SetSupplyLevel(1, 60); _ = d.SetTrayLevel(2, 0) }, model.StatusWarning, []string{"Tray 2 empty", "(1 empty)"}},
	})
	if out.Metrics[model.MetricTonerMin] != 55 || out.Metrics["toner_pct:Black Toner Cartridge (noctop lab)"] != 60 || out.Primary != model.MetricTonerMin {
		t.Errorf("metrics %v primary %q", out.Metrics, out.Primary)
	}
	alerts := 0
	for _, r := range out.Profile.Rows {
		if r.Group == "alert" {
			alerts++
			if r.Label != "Tray 2 empty" || r.Status != model.StatusWarning {
				t.Errorf("alert row %+v", r)
			}
		}
	}
	if alerts != 1 || strings.Contains(out.Summary, "alert:") {
		t.Errorf("%d alert rows; the tray alert is the tray row's, not a reason of its own: %s", alerts, out.Summary)
	}
	// A threshold of the check's own.
	own := profileTarget(t, d, `  profile = "printer"
  thresholds = { toner = { warn = 70, crit = 10 } }`)
	runSteps(t, p, own, []step{{"toner under the check's warn", func() { _ = d.SetTrayLevel(2, 300) }, model.StatusWarning, []string{black + " 60% <= warn 70%"}}})
}

func TestSNMPProfileSensors(t *testing.T) {
	a := startSNMPLab(t, nil, snmpagent.Options{Spec: snmpagent.DeviceSpec{Name: "srv1", Interfaces: 1, Sensors: true, OperDownIf: -1}})
	d := a.Devices()[0]
	p := newSNMPChecks()
	defer p.Close()
	tg := profileTarget(t, d, `  profile = "sensors"`)
	set := func(i, v int) func() { return func() { _ = d.SetSensor(i, v) } }
	out := runSteps(t, p, tg, []step{
		{"normal", nil, model.StatusOK, []string{"6 sensors, hottest 45.5 °C"}},
		{"temperature below warn", set(2, 599), model.StatusOK, []string{"hottest 59.9 °C"}},
		{"temperature at warn", set(2, 600), model.StatusWarning, []string{"CPU temperature 60 °C >= warn 60 °C"}},
		{"temperature above crit", set(2, 800), model.StatusCritical, []string{"CPU temperature 80 °C >= crit 75 °C"}},
		{"fan above warn", func() { _ = d.SetSensor(2, 455); _ = d.SetSensor(4, 1001) }, model.StatusOK, nil},
		{"fan at warn", set(4, 1000), model.StatusWarning, []string{"Fan 1 1000 rpm <= warn 1000 rpm"}},
		{"fan below crit", set(4, 300), model.StatusCritical, []string{"Fan 1 300 rpm <= crit 500 rpm"}},
		{"power supply failed", func() { _ = d.SetSensor(4, 5200); _ = d.SetSensor(6, 2) }, model.StatusCritical, []string{"Power supply 1 failed"}},
		{"fan nonoperational", func() { _ = d.SetSensor(6, 1); _ = d.SetSensorStatus(5, 3) }, model.StatusCritical, []string{"Fan 2 nonoperational", "1 failed"}},
		{"fan unavailable", func() { _ = d.SetSensorStatus(5, 2) }, model.StatusWarning, []string{"Fan 2 unavailable"}},
	})
	if out.Metrics[model.MetricSensorTempMax] != 45.5 || out.Metrics["sensor_fan_rpm:Fan 1"] != 5200 {
		t.Errorf("metrics %v", out.Metrics)
	}
}

// The wireless profile reads the 802.11 SSIDs and, through the custom
// profile file of dist/profiles (the lab vendor's table), the APs and
// their clients.
func TestSNMPProfileWireless(t *testing.T) {
	a := startSNMPLab(t, nil, snmpagent.Options{Spec: snmpagent.DeviceSpec{Name: "ap1", Interfaces: 2, AccessPoint: true,
		ObjectID: ".1.3.6.1.4.1.99999.2.1", OperDownIf: -1}})
	d := a.Devices()[0]
	p := newSNMPChecks()
	defer p.Close()
	tg := profileTarget(t, d, `  profile = "wireless"`)
	out := runSteps(t, p, tg, []step{
		{"all up", nil, model.StatusOK, []string{"2 SSIDs (802.11 MIB)", "ap_clients total 26"}},
		{"clients below warn", func() { _ = d.SetClients(2, 29) }, model.StatusOK, nil},
		{"clients at warn", func() { _ = d.SetClients(2, 30) }, model.StatusWarning, []string{"ap-floor1 ap_clients 30 >= warn 30"}},
		{"clients above crit", func() { _ = d.SetClients(2, 51) }, model.StatusCritical, []string{"ap-floor1 ap_clients 51 >= crit 50"}},
		{"AP down", func() { _ = d.SetClients(2, 9); _ = d.SetAPUp(1, false) }, model.StatusCritical, []string{"ap-lobby ap_status down", "ap_clients total 12"}},
	})
	if out.Metrics["ap_clients:ap-floor1"] != 9 || out.Metrics["ap_clients_total"] != 12 || out.Metrics["ssid_clients:noctop-guest"] != 4 || out.Metrics[model.MetricSSIDs] != 2 {
		t.Errorf("metrics %v", out.Metrics)
	}
	// The custom profile by its own name, with a check's override.
	named := profileTarget(t, d, `  profile = "labap"
  thresholds = { ap_clients = { warn = 5 } }`)
	runSteps(t, p, named, []step{{"named, overridden", func() { _ = d.SetAPUp(1, true) }, model.StatusWarning, []string{"ap-lobby ap_clients 14 >= warn 5"}}})

	// Another vendor's device: the extension is not for it, and the 802.11
	// MIB alone is read.
	other := startSNMPLab(t, nil, snmpagent.Options{Spec: snmpagent.DeviceSpec{Name: "ap2", Interfaces: 2, AccessPoint: true, OperDownIf: -1}})
	out = runSNMP(t, p, profileTarget(t, other.Devices()[0], `  profile = "wireless"`))
	if out.Status != model.StatusOK || strings.Contains(out.Summary, "ap_clients") {
		t.Errorf("another vendor's AP: %v %s", out.Status, out.Summary)
	}
}

// auto picks the profile on the first poll: by sysObjectID, else by the
// MIB roots that answer; a custom profile's sys_object_id comes first.
func TestSNMPProfileAuto(t *testing.T) {
	a := startSNMPLab(t, nil, snmpagent.Options{Devices: 5, PerDevice: func(i int, s *snmpagent.DeviceSpec) {
		s.Interfaces, s.OperDownIf, s.ObjectID = 1, -1, ".1.3.6.1.4.1.99998.1" // an enterprise DetectProfile does not know
		switch i {
		case 0:
			s.UPS, s.NoHostResources = true, true
		case 1:
			s.Printer = true // it has HOST-RESOURCES too: the printer comes first
		case 2:
			s.Sensors, s.NoHostResources = true, true
		case 3:
			s.AccessPoint, s.ObjectID = true, ".1.3.6.1.4.1.99999.2.1"
		case 4:
			s.ObjectID = ".1.3.6.1.4.1.8072.3.2.10" // net-snmp: a host
		}
	}})
	p := newSNMPChecks()
	defer p.Close()
	for i, want := range []struct{ profile, says string }{
		{"ups", "on mains"}, {"printer", "4 supplies"}, {"sensors", "6 sensors"}, {"wireless", "ap_clients total 26"}, {"host", "cpu "},
	} {
		d := a.Devices()[i]
		out := runSNMP(t, p, profileTarget(t, d, `  profile = "auto"`))
		if out.Attrs["profile"] != want.profile || !strings.Contains(out.Summary, want.says) || out.Status != model.StatusOK {
			t.Errorf("%s: profile %q, want %q: %v %s", d.Name(), out.Attrs["profile"], want.profile, out.Status, out.Summary)
		}
		if out.Profile == nil || out.Profile.Profile != want.profile {
			t.Errorf("%s: table %+v", d.Name(), out.Profile)
		}
	}
	// The device at an address changes its sysObjectID: auto decides
	// again (a UPS by its MIB, then an HP printer by its ID).
	both := startSNMPLab(t, nil, snmpagent.Options{Spec: snmpagent.DeviceSpec{Interfaces: 1, OperDownIf: -1, UPS: true, Printer: true,
		ObjectID: ".1.3.6.1.4.1.99998.1"}})
	tg := profileTarget(t, both.Devices()[0], `  profile = "auto"`)
	if out := runSNMP(t, p, tg); out.Attrs["profile"] != model.ProfileUPS {
		t.Errorf("first: %q %s", out.Attrs["profile"], out.Summary)
	}
	if err := both.Devices()[0].SetObjectID(".1.3.6.1.4.1.11.2.3.9.1"); err != nil {
		t.Fatal(err)
	}
	if out := runSNMP(t, p, tg); out.Attrs["profile"] != model.ProfilePrinter || !strings.Contains(out.Summary, "4 supplies") {
		t.Errorf("after the new sysObjectID: %q %s", out.Attrs["profile"], out.Summary)
	}
	// A device with none of the MIBs: no profile, nothing wrong.
	bare := startSNMPLab(t, nil, snmpagent.Options{Spec: snmpagent.DeviceSpec{Interfaces: 1, OperDownIf: -1, NoHostResources: true, ObjectID: ".1.3.6.1.4.1.99998.1"}})
	out := runSNMP(t, p, profileTarget(t, bare.Devices()[0], `  profile = "auto"`))
	wantStatus(t, out, model.StatusOK, "profile auto: no standard MIB answers")
}

// Garbage from the agent: a profile's objects of the wrong type make the
// check UNKNOWN with the reason, never a wrong verdict.
func TestSNMPProfileWrongTypes(t *testing.T) {
	a := startSNMPLab(t, nil, snmpagent.Options{Devices: 3, PerDevice: func(i int, s *snmpagent.DeviceSpec) {
		s.Interfaces, s.OperDownIf = 1, -1
		s.UPS, s.Printer, s.Sensors = i == 0, i == 1, i == 2
	}})
	p := newSNMPChecks()
	defer p.Close()
	for i, c := range []struct{ profile, says string }{
		{"ups", "upsOutputSource"}, {"printer", "want INTEGER"}, {"sensors", "want INTEGER"},
	} {
		d := a.Devices()[i]
		d.SetMisbehave(snmpagent.MisbehaveWrongTypes)
		out := runSNMP(t, p, profileTarget(t, d, `  profile = "`+c.profile+`"`))
		wantStatus(t, out, model.StatusUnknown, "odd answer from the agent", c.says)
	}
	// A profile whose MIB the device lacks is UNKNOWN, saying which.
	for _, c := range []struct{ profile, says string }{
		{"ups", "no UPS-MIB"}, {"printer", "no Printer-MIB supplies"}, {"sensors", "no ENTITY-SENSOR-MIB sensors"},
		{"wireless", "no IEEE802dot11-MIB"}, {"labap", "profile labap: nothing under"},
	} {
		for _, d := range a.Devices() {
			d.SetMisbehave(snmpagent.MisbehaveNone)
		}
		d := a.Devices()[0]
		if c.profile == "ups" {
			d = a.Devices()[1]
		}
		out := runSNMP(t, p, profileTarget(t, d, `  profile = "`+c.profile+`"`))
		wantStatus(t, out, model.StatusUnknown, c.says)
	}
}
