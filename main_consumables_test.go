package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"syscall"
	"testing"

	"noctop/lab/snmpagent"
)

// A printer whose black toner runs low: the monitor's printer check
// judges it WARNING, its asset's lifecycle register lists the supply as a
// consumable, and `noctop renewals` reads it back from the store; `check`
// lists it too, from its own poll.
func TestConsumablesInRenewals(t *testing.T) {
	a, err := snmpagent.Start(t.Context(), snmpagent.Options{Spec: snmpagent.DeviceSpec{
		Name: "prn1", Interfaces: 1, OperDownIf: -1, Printer: true, ObjectID: ".1.3.6.1.4.1.11.2.3.9.1"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	d := a.Devices()[0]
	if err := d.SetSupplyLevel(1, 8); err != nil {
		t.Fatal(err)
	}
	cfg := writeConfig(t, fmt.Sprintf(`[defaults]
interval = "1s"
timeout = "900ms"

[[asset]]
name = "prn1"
address = %q
lifecycle = { owner = "desktop team" }

  [[asset.check]]
  type = "snmp"
  port = %d
  profile = "printer"
`, d.Host(), d.Port()))

	run := startHeadless(t, cfg)
	run.waitLine(t, "the lifecycle check turning WARNING on the toner", func(l logLine) bool {
		return l.Asset == "prn1" && l.Check == "lifecycle" && l.To == "WARNING"
	})
	run.signal(t, syscall.SIGTERM)
	if code, _ := run.wait(t); code != 0 {
		t.Fatalf("monitor exit %d:\n%s", code, run.log())
	}

	stdout, stderr, code := runBin(t, nil, "renewals", "--json", "-c", cfg)
	var rep struct {
		Status string `json:"status"`
		Items  []struct {
			Asset, Kind, What, Status, Owner, Check string
			Level                                   *float64 `json:"level_pct"`
			Days                                    int      `json:"days_left"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil || code != 1 || stderr != "" {
		t.Fatalf("renewals: exit %d, %v\n%s\n%s", code, err, stdout, stderr)
	}
	if len(rep.Items) != 1 {
		t.Fatalf("items %+v", rep.Items)
	}
	it := rep.Items[0]
	if it.Asset != "prn1" || it.Kind != "consumable" || it.Status != "WARNING" || it.Owner != "desktop team" || it.Check != "snmp" ||
		it.Level == nil || *it.Level != 8 || it.Days != 0 || it.What != "supply Black Toner Cartridge (noctop lab) at 8%" {
		t.Errorf("item %+v", it)
	}

	// noctop check polls once and judges the register the same way.
	stdout, _, code = runBin(t, nil, "check", "-c", cfg)
	if code != 1 || !strings.Contains(stdout, "supply Black Toner Cartridge (noctop lab) at 8%") {
		t.Errorf("check: exit %d\n%s", code, stdout)
	}
	// --json has the profile's table, a value without a number as null.
	stdout, _, _ = runBin(t, nil, "check", "--json", "-c", cfg)
	var prn struct {
		Name   string `json:"name"`
		Checks []struct {
			Name    string `json:"name"`
			Profile *struct {
				Profile string `json:"profile"`
				Rows    []struct {
					Group, Label, Status, Reason string
					Value                        *float64
				} `json:"rows"`
			} `json:"profile"`
		} `json:"checks"`
	}
	for _, line := range strings.Split(stdout, "\n") {
		if strings.HasPrefix(line, `{"name":"prn1"`) {
			if err := json.Unmarshal([]byte(strings.TrimSuffix(line, ",")), &prn); err != nil {
				t.Fatalf("%v: %s", err, line)
			}
		}
	}
	if len(prn.Checks) == 0 || prn.Checks[0].Profile == nil || prn.Checks[0].Profile.Profile != "printer" {
		t.Fatalf("check --json: %+v\n%s", prn, stdout)
	}
	r := prn.Checks[0].Profile.Rows[0]
	if r.Group != "supply" || r.Value == nil || *r.Value != 8 || r.Status != "WARNING" || !strings.Contains(r.Reason, "<= warn 20%") {
		t.Errorf("first row %+v", r)
	}
}
