package probes

import (
	"testing"

	"noctop/model"
	"noctop/snmpdtest"
)

// Against net-snmp's snmpd: auto picks host by its sysObjectID
// (net-snmp's Linux agent) and reads HOST-RESOURCES into the host table;
// the printer profile on it is UNKNOWN, saying the MIB is missing.
func TestSNMPProfileSnmpd(t *testing.T) {
	d := snmpdtest.Start(t, snmpdConf)
	p := newSNMPChecks()
	defer p.Close()
	out := runSNMP(t, p, snmpdTarget(d, func(c *model.Check) { c.Profile = model.ProfileAuto }))
	wantStatus(t, out, model.StatusOK, "cpu ", "mem ")
	if out.Attrs["profile"] != model.ProfileHost || out.Profile == nil || out.Profile.Profile != model.ProfileHost {
		t.Fatalf("auto on snmpd: profile %q, table %+v", out.Attrs["profile"], out.Profile)
	}
	var mem bool
	for _, r := range out.Profile.Rows {
		mem = mem || (r.Group == "memory" && r.Value > 0 && r.Value <= 100)
	}
	if !mem {
		t.Errorf("host table without memory: %+v", out.Profile.Rows)
	}
	out = runSNMP(t, p, snmpdTarget(d, func(c *model.Check) { c.Profile = model.ProfilePrinter }))
	wantStatus(t, out, model.StatusUnknown, "no Printer-MIB supplies")
}
