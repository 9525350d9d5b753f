package probes

import (
	"strings"
	"testing"
	"time"

	"noctop/lab/snmpagent"
	"noctop/model"
)

// An agent with a 30 KB sysDescr and a 30 KB ifAlias (the MIB allows 255
// and 64 bytes): attrs, the interface table, the firmware-change note and
// a custom OID's reason carry them cut, with the original length.
func TestSNMPLabHugeStrings(t *testing.T) {
	clk := newLabClock()
	a := startSNMPLab(t, clk, startOpts(8))
	d := a.Devices()[0]
	descr := strings.Repeat("firmware 1.0 ", 30000/13) // twice in the GET: once as a custom OID
	alias := strings.Repeat("ä", 15000)                // 30,000 bytes, cut on a rune boundary
	d.SetFirmware(descr)
	if err := d.SetAlias(2, alias); err != nil {
		t.Fatal(err)
	}
	p := newSNMPChecks()
	defer p.Close()
	tg := labTarget(d, func(c *model.Check) {
		c.OIDs = []model.OIDCheck{{Name: "descr", OID: strings.TrimPrefix(snmpagent.OIDSysDescr, "."), Expect: "LS-48"}}
	})
	// Limit: the longest legitimate text plus one cut string and its marker.
	const limit = 3 * model.MaxNetText

	out := runSNMP(t, p, tg)
	wantStatus(t, out, model.StatusCritical, `descr is "firmware 1.0 firmware`, `want "LS-48"`)
	assertBounded(t, out, limit)
	clipped(t, "sys_descr", out.Attrs["sys_descr"], len(descr)-1) // the last space goes
	clipped(t, "attr descr", out.Attrs["descr"], len(descr)-1)
	clipped(t, "ifAlias.2", iface(t, out, 2).Alias, len(alias))
	if a := iface(t, out, 2).Alias; !strings.HasPrefix(a, "ää") || !strings.Contains(out.Summary, clipMark(len(descr)-1)) {
		t.Errorf("alias %.20q, summary %.300q", a, out.Summary)
	}

	// A firmware change past the first 256 bytes is still one, and its
	// note is bounded.
	clk.Add(time.Minute)
	d.SetFirmware(descr + "2.0")
	out = runSNMP(t, p, tg)
	assertBounded(t, out, limit)
	if len(out.Notes) != 1 || !strings.HasPrefix(out.Notes[0].Summary, "firmware changed: firmware 1.0") ||
		!strings.HasSuffix(out.Notes[0].Summary, clipMark(len(descr)+3)) {
		t.Errorf("notes after a change at byte %d: %q", len(descr), out.Notes)
	}
}
