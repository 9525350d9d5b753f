package probes

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"noctop/lab"
	"noctop/lab/snmpagent"
	"noctop/model"
)

// From a TOML config through the real loader, the probe set, the
// scheduler and the engine: the snapshot carries the interface table, and
// a reboot and a firmware change become events.
func TestSNMPConfigToSnapshot(t *testing.T) {
	clk := newLabClock()
	a := startSNMPLab(t, clk, snmpagent.Options{Spec: snmpagent.DeviceSpec{Interfaces: 8, BootedAgo: 3 * time.Hour}})
	d := a.Devices()[0]
	src := fmt.Sprintf(`
[[asset]]
name = "core-sw1"
kind = "switch"
address = %q

  [[asset.check]]
  type = "snmp"
  port = %d
  interfaces = { exclude = "no link" }
  utilization = { warn = 70, crit = 90 }
  oids = [{ name = "ups_battery", oid = %q, warn = 50, crit = 20, below = true, unit = "%%" }]
`, d.Host(), d.Port(), strings.TrimPrefix(snmpagent.OIDUPSBatteryCharge, "."))
	cfg, err := model.Parse("snmp.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	set := NewSet()
	defer set.Close()
	eng, ctx, _ := runEngine(t, cfg)
	s := NewScheduler(cfg, set.Prepare, eng.Submit)

	sweep := func() *model.CheckState {
		t.Helper()
		if err := s.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		snap, err := eng.Sync(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return snap.Asset("core-sw1").Check("snmp")
	}
	c := sweep()
	if c.Status != model.StatusOK || len(c.Interfaces) != 7 || c.Metrics["ups_battery"] != 100 || c.Attrs["sys_name"] != "lab-sw-001" {
		t.Fatalf("first sweep: %v %s; %d interfaces; metrics %v", c.Status, c.Summary, len(c.Interfaces), c.Metrics)
	}
	clk.Add(time.Minute)
	d.Reboot()
	d.SetFirmware("noctop lab switch LS-48 lab-sw-001, firmware 1.1.0")
	clk.Add(30 * time.Second)
	sweep()
	snap, err := eng.Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, ev := range snap.Events {
		if ev.Kind == model.EventReboot || ev.Kind == model.EventChange {
			got = append(got, ev.Kind+": "+ev.Summary)
		}
	}
	want := []string{
		"reboot: rebooted: sysUpTime went back from 3h 0m to 30s",
		"change: firmware changed: noctop lab switch LS-48 lab-sw-001, firmware 1.0.0 -> noctop lab switch LS-48 lab-sw-001, firmware 1.1.0",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// An asset given by host name is resolved with the Set's resolver (the
// lab's DNS server here, never the system's).
func TestSNMPHostName(t *testing.T) {
	l := startLab(t)
	a := startSNMPLab(t, nil, snmpagent.Options{FirstAddr: lab.AddrERP, Spec: snmpagent.DeviceSpec{Interfaces: 2, OperDownIf: -1}})
	d := a.Devices()[0]
	set := NewSet(WithResolver(l.Resolver()))
	defer set.Close()
	for _, tc := range []struct {
		host string
		s    model.Status
		want string
	}{
		{"erp." + lab.Zone, model.StatusOK, "2 interfaces, 2 up"},
		{"nosuch." + lab.Zone, model.StatusUnknown, `resolve "nosuch.lab.noctop.test"`},
	} {
		tg := target(model.Asset{Name: "sw", Address: tc.host}, model.Check{Type: model.CheckSNMP, Port: d.Port()})
		out := run(t, set.Prepare, tg, 2*time.Second)
		wantStatus(t, out, tc.s, tc.want)
		if tc.s == model.StatusOK && out.Attrs["address"] != d.Addr() {
			t.Errorf("address attr %q, want %q", out.Attrs["address"], d.Addr())
		}
	}
}
