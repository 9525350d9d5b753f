package probes

import (
	"fmt"
	"math"
	"time"

	"github.com/gosnmp/gosnmp"

	"noctop/model"
)

// customOIDs evaluates a check's oids from one GET: numbers against
// warn/crit, strings against expect, counters as a rate per second from
// the previous poll (prev nil: none yet, or the device rebooted). Each
// number becomes a metric under its name; a value compared with expect,
// or a string, an attr. It returns the counters to keep and the summary
// parts.
func customOIDs(defs []customOID, vals map[string]gosnmp.SnmpPDU, prev map[string]counterSample,
	elapsed time.Duration, v *model.Verdict, out *model.Outcome) (map[string]counterSample, []string) {
	var keep map[string]counterSample
	var parts []string
	for i := range defs {
		d := &defs[i]
		pdu, ok := vals[d.oid]
		if !ok || missing(pdu) {
			t := "no answer"
			if ok {
				t = typeName(pdu.Type)
			}
			v.Add(model.StatusUnknown, fmt.Sprintf("%s: %s at %s", d.Name, t, d.OID))
			continue
		}
		if d.Expect != "" {
			// A value compared with expect is text (an attr), never a
			// metric: model.(*Check).CustomMetrics declares none for it.
			text := pduText(pdu)
			out.Attrs[d.Name] = text
			if text != d.Expect {
				v.Add(model.StatusCritical, fmt.Sprintf("%s is %q, want %q", d.Name, text, d.Expect))
			}
			parts = append(parts, d.Name+" "+text)
			continue
		}
		if d.Rate {
			n, err := pduUint(pdu)
			if err != nil {
				v.Add(model.StatusUnknown, fmt.Sprintf("%s: %v", d.Name, err))
				continue
			}
			cur := counterSample{value: n, bits64: pdu.Type == gosnmp.Counter64 || n > math.MaxUint32}
			if keep == nil {
				keep = map[string]counterSample{}
			}
			keep[d.Name] = cur
			p, had := prev[d.Name]
			rate := math.NaN()
			if had && p.bits64 == cur.bits64 {
				rate = perSecond(p.value, cur.value, cur.bits64, elapsed)
			}
			if math.IsNaN(rate) {
				parts = append(parts, d.Name+" rate from the next run")
				continue
			}
			out.Metrics[d.Name] = rate
			v.Judge(d.limit, d.Name, rate)
			parts = append(parts, d.Name+" "+model.FormatValue(rate, d.Unit))
			continue
		}
		n, err := pduNumber(pdu)
		if err != nil {
			if d.Warn == nil && d.Crit == nil && pdu.Type == gosnmp.OctetString {
				// A plain string with nothing to judge: show it.
				text := pduText(pdu)
				out.Attrs[d.Name] = text
				parts = append(parts, d.Name+" "+text)
				continue
			}
			v.Add(model.StatusUnknown, fmt.Sprintf("%s: %v", d.Name, err))
			continue
		}
		out.Metrics[d.Name] = n
		v.Judge(d.limit, d.Name, n)
		parts = append(parts, d.Name+" "+model.FormatValue(n, d.Unit))
	}
	return keep, parts
}

// customOIDList is the OIDs of a check's oids, each once, for the GET.
func customOIDList(defs []customOID) []string {
	out := make([]string, 0, len(defs))
	seen := map[string]bool{}
	for _, d := range defs {
		o := d.oid
		if !seen[o] {
			seen[o] = true
			out = append(out, o)
		}
	}
	return out
}
