package snmpagent_test

import (
	"strings"
	"testing"
	"time"

	"noctop/lab/snmpagent"
)

// TestProfileMIBsNetSNMP walks each profile MIB with net-snmp's tools and
// moves its knobs: snmpbulkwalk checks that OIDs increase, so the layout's
// order with the new tables holds.
func TestProfileMIBsNetSNMP(t *testing.T) {
	netSNMP(t)
	clock := newFakeClock()
	a := startSNMP(t, snmpagent.Options{Clock: clock.Now, Spec: snmpagent.DeviceSpec{
		Interfaces: 2, UPS: true, Printer: true, Sensors: true, AccessPoint: true}})
	d := a.Devices()[0]
	walk := func(t *testing.T, root string) string {
		t.Helper()
		out, err := runTool(t, d, "snmpbulkwalk", "-v2c", "-c", "public", "-Cr20", root)
		if err != nil {
			t.Fatalf("snmpbulkwalk %s: %v\n%s", root, err, out)
		}
		return out
	}
	get := func(t *testing.T, o string) string {
		t.Helper()
		out, err := runTool(t, d, "snmpget", "-v2c", "-c", "public", o)
		if err != nil {
			t.Fatalf("snmpget %s: %v\n%s", o, err, out)
		}
		return strings.TrimSpace(out)
	}
	want := func(t *testing.T, got string, parts ...string) {
		t.Helper()
		for _, p := range parts {
			if !strings.Contains(got, p) {
				t.Errorf("want %q in:\n%s", p, got)
			}
		}
	}

	t.Run("ups", func(t *testing.T) {
		out := walk(t, snmpagent.OIDUPSMIB)
		want(t, out, snmpagent.OIDUPSOutputSource+" = INTEGER: 3", snmpagent.OIDUPSChargeRemaining+" = INTEGER: 100",
			snmpagent.OIDUPSMinutesRemaining+" = INTEGER: 45", snmpagent.OIDUPSInputVoltage+" = INTEGER: 230",
			snmpagent.OIDUPSOutputLoad+" = INTEGER: 38", `STRING: "Smart-UPS 3000 (noctop lab)"`)
		if n := strings.Count(out, "\n"); n != 16 {
			t.Errorf("%d lines, want 16:\n%s", n, out)
		}
		d.SetOnBattery(true)
		d.SetBatteryCharge(27)
		clock.Add(90 * time.Second)
		out = walk(t, snmpagent.OIDUPSMIB)
		want(t, out, snmpagent.OIDUPSOutputSource+" = INTEGER: 5", snmpagent.OIDUPSMinutesRemaining+" = INTEGER: 12",
			snmpagent.OIDUPSSecondsOnBattery+" = INTEGER: 90", snmpagent.OIDUPSInputVoltage+" = INTEGER: 0",
			snmpagent.OIDUPSBatteryStatus+" = INTEGER: 2")
		d.SetBatteryCharge(10)
		want(t, get(t, snmpagent.OIDUPSBatteryStatus), "INTEGER: 3")
		d.SetOnBattery(false)
		d.SetBatteryCharge(100)
		d.SetUPSLoad(95)
		d.SetInputVoltage(198)
		want(t, walk(t, snmpagent.OIDUPSMIB), snmpagent.OIDUPSOutputLoad+" = INTEGER: 95",
			snmpagent.OIDUPSInputVoltage+" = INTEGER: 198", snmpagent.OIDUPSSecondsOnBattery+" = INTEGER: 0")
	})

	t.Run("printer", func(t *testing.T) {
		out := walk(t, snmpagent.OIDPrinterMIB)
		want(t, out, snmpagent.OIDPrtSuppliesEntry+".9.1.1 = INTEGER: 6820", snmpagent.OIDPrtSuppliesEntry+".8.1.4 = INTEGER: 11000",
			`"Black Toner Cartridge (noctop lab)"`, snmpagent.OIDPrtInputEntry+".10.1.2 = INTEGER: 500")
		if strings.Contains(out, snmpagent.OIDPrtAlertEntry) {
			t.Errorf("alerts with nothing low:\n%s", out)
		}
		want(t, get(t, snmpagent.OIDHrDeviceStatus), "INTEGER: 2")
		if err := d.SetSupplyLevel(1, 8); err != nil {
			t.Fatal(err)
		}
		if err := d.SetTrayLevel(2, 0); err != nil {
			t.Fatal(err)
		}
		out = walk(t, snmpagent.OIDPrinterMIB)
		want(t, out, snmpagent.OIDPrtSuppliesEntry+".9.1.1 = INTEGER: 880", snmpagent.OIDPrtAlertEntry+".8.1.1 = STRING: \"Black toner low\"",
			snmpagent.OIDPrtAlertEntry+".8.1.2 = STRING: \"Tray 2 empty\"", snmpagent.OIDPrtAlertEntry+".2.1.1 = INTEGER: 4")
		if strings.Contains(out, snmpagent.OIDPrtAlertEntry+".8.1.3") {
			t.Errorf("a third alert row:\n%s", out)
		}
		want(t, get(t, snmpagent.OIDHrDeviceStatus), "INTEGER: 3")
		if err := d.SetSupplyLevel(5, 1); err == nil {
			t.Error("SetSupplyLevel(5) took a supply that does not exist")
		}
	})

	t.Run("sensors", func(t *testing.T) {
		out := walk(t, ".1.3.6.1.2.1.47.1.1.1.1")
		want(t, out, snmpagent.OIDEntPhysicalEntry+".7.1 = STRING: \"noctop lab chassis\"", snmpagent.OIDEntPhysicalEntry+".5.4 = INTEGER: 7")
		out = walk(t, snmpagent.OIDEntSensorMIB)
		want(t, out, snmpagent.OIDEntPhySensorEntry+".4.2 = INTEGER: 455", snmpagent.OIDEntPhySensorEntry+".3.2 = INTEGER: 1",
			snmpagent.OIDEntPhySensorEntry+".1.4 = INTEGER: 10", snmpagent.OIDEntPhySensorEntry+".5.7 = INTEGER: 1")
		if err := d.SetSensor(4, 900); err != nil {
			t.Fatal(err)
		}
		if err := d.SetSensorStatus(7, 3); err != nil {
			t.Fatal(err)
		}
		want(t, walk(t, snmpagent.OIDEntSensorMIB), snmpagent.OIDEntPhySensorEntry+".4.4 = INTEGER: 900",
			snmpagent.OIDEntPhySensorEntry+".5.7 = INTEGER: 3")
		if err := d.SetSensor(1, 0); err == nil {
			t.Error("SetSensor(1) took the chassis")
		}
	})

	t.Run("wireless", func(t *testing.T) {
		want(t, walk(t, snmpagent.OIDDot11StationConfigEntry), snmpagent.OIDDot11StationConfigEntry+".9.2 = STRING: \"noctop-guest\"")
		out := walk(t, ".1.3.6.1.4.1.99999")
		want(t, out, snmpagent.OIDLabAPEntry+".2.1 = STRING: \"ap-lobby\"", snmpagent.OIDLabAPEntry+".4.1 = Gauge32: 14",
			snmpagent.OIDLabSSIDEntry+".3.1 = Gauge32: 17", snmpagent.OIDLabSSIDEntry+".3.2 = Gauge32: 9")
		if err := d.SetAPUp(1, false); err != nil {
			t.Fatal(err)
		}
		if err := d.SetClients(2, 40); err != nil {
			t.Fatal(err)
		}
		want(t, walk(t, ".1.3.6.1.4.1.99999"), snmpagent.OIDLabAPEntry+".3.1 = INTEGER: 2", snmpagent.OIDLabAPEntry+".4.1 = Gauge32: 0",
			snmpagent.OIDLabAPEntry+".4.2 = Gauge32: 40", snmpagent.OIDLabSSIDEntry+".3.1 = Gauge32: 28")
	})

	t.Run("whole tree", func(t *testing.T) {
		out := walk(t, ".1")
		want(t, out, "No more variables left")
	})
}

// TestProfileMIBsOffByDefault: a device without the flags serves none of
// the profile MIBs (GET: noSuchObject).
func TestProfileMIBsOffByDefault(t *testing.T) {
	a := startSNMP(t, snmpagent.Options{Spec: snmpagent.DeviceSpec{Interfaces: 2}})
	g := v2c(t, a.Devices()[0])
	for _, o := range []string{snmpagent.OIDUPSChargeRemaining, snmpagent.OIDHrPrinterStatus, snmpagent.OIDEntPhySensorEntry + ".4.2", snmpagent.OIDLabAPEntry + ".4.1"} {
		r := snmpGet(t, g, o)
		if r[0].Type.String() != "NoSuchObject" {
			t.Errorf("GET %s = %v %v, want NoSuchObject", o, r[0].Type, r[0].Value)
		}
	}
}
