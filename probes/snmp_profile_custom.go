package probes

import (
	"fmt"
	"math"
	"strconv"

	"github.com/gosnmp/gosnmp"

	"noctop/model"
)

// oidDot11DesiredSSID is IEEE802dot11-MIB's dot11DesiredSSID column
// (dot11StationConfigTable, one row per radio interface).
const oidDot11DesiredSSID = ".1.2.840.10036.1.1.1.9"

// readWireless reads the SSIDs of IEEE802dot11-MIB, where present, and
// the custom profiles that extend wireless and are for this device's
// sysObjectID (a controller's clients per AP and SSID, APs up or down).
func (p *profileProbe) readWireless(cl *snmpClient, walkOp string, reps int, sysObjectID string, pr *profileRead, v *model.Verdict, out *model.Outcome) error {
	cols, err := pr.walk(cl, walkOp+" of IEEE802dot11-MIB", []string{oidDot11DesiredSSID}, reps)
	if err != nil {
		return err
	}
	ssids, order := rowsOf(cols, oidDot11DesiredSSID)
	for _, idx := range order {
		name := label(textCell(ssids, idx, &pr.probs))
		pr.flag(v, model.ProfileRow{Group: "ssid", Label: name, Text: "radio " + idx, Value: math.NaN()})
	}
	if len(order) > 0 {
		out.Metrics[model.MetricSSIDs] = float64(len(order))
		pr.facts = append(pr.facts, fmt.Sprintf("%d SSIDs (802.11 MIB)", len(order)))
	}
	var ext []*model.CustomProfile
	for _, c := range p.custom {
		if c.Extends == model.ProfileWireless && c.Matches(sysObjectID) {
			ext = append(ext, c)
		}
	}
	if len(ext) > 0 {
		if err := p.readCustom(cl, walkOp, reps, ext, pr, v, out); err != nil {
			return err
		}
	}
	if len(order) == 0 && len(ext) == 0 {
		pr.probs = append(pr.probs, "no IEEE802dot11-MIB, and no custom profile extending wireless is for sysObjectID "+model.Clip(sysObjectID, 64))
	}
	return nil
}

// readCustom reads custom profiles: each metric's object walked, each row
// named by its label column, judged against its thresholds (the check's
// overrides first) or, for an enumeration, its ok values.
func (p *profileProbe) readCustom(cl *snmpClient, walkOp string, reps int, profiles []*model.CustomProfile, pr *profileRead, v *model.Verdict, out *model.Outcome) error {
	cols, err := pr.walk(cl, walkOp+" of profile "+profiles[0].Name, customRoots(profiles), reps)
	if err != nil {
		return err
	}
	p.judgeCustom(profiles, cols, pr, v, out)
	return nil
}

// customRoots are the objects custom profiles walk, each once.
func customRoots(profiles []*model.CustomProfile) []string {
	var roots []string
	seen := map[string]bool{}
	add := func(o string) {
		if o = dotted(o); o != "." && !seen[o] {
			seen[o] = true
			roots = append(roots, o)
		}
	}
	for _, c := range profiles {
		for i := range c.Metrics {
			add(c.Metrics[i].OID)
			if c.Metrics[i].Label != "" {
				add(c.Metrics[i].Label)
			}
		}
	}
	return roots
}

// judgeCustom judges custom profiles' metrics from their walked columns.
func (p *profileProbe) judgeCustom(profiles []*model.CustomProfile, cols map[string][]tableRow, pr *profileRead, v *model.Verdict, out *model.Outcome) {
	for _, c := range profiles {
		for i := range c.Metrics {
			p.customMetric(c, &c.Metrics[i], cols, pr, v, out)
		}
	}
}

// customMetric judges one custom metric's rows.
func (p *profileProbe) customMetric(c *model.CustomProfile, m *model.ProfileMetric, cols map[string][]tableRow, pr *profileRead, v *model.Verdict, out *model.Outcome) {
	vals, order := rowsOf(cols, dotted(m.OID))
	if len(order) == 0 {
		pr.probs = append(pr.probs, fmt.Sprintf("profile %s: nothing under %s (%s)", c.Name, m.OID, m.Name))
		return
	}
	var labels map[string]gosnmp.SnmpPDU
	if m.Label != "" {
		labels, _ = rowsOf(cols, dotted(m.Label))
	}
	th, ok := p.limits[m.Name]
	if !ok {
		th = m.Threshold(nil)
	}
	total := 0.0
	fact := m.Name
	for _, idx := range order {
		name := idx
		if labels != nil {
			if s := label(textCell(labels, idx, &pr.probs)); s != "" {
				name = s
			}
		}
		n, err := pduNumber(vals[idx])
		if err != nil {
			pr.probs = append(pr.probs, fmt.Sprintf("profile %s: %v", c.Name, err))
			continue
		}
		r := model.ProfileRow{Group: m.Name, Label: name, Value: n, Unit: m.Unit}
		metric := m.Name
		if len(order) > 1 || idx != "0" {
			metric = model.Metric{Name: m.Name, Label: name}.FullName()
		}
		if len(m.OK) > 0 {
			r.Text = m.State(int64(n))
			ok := false
			for _, want := range m.OK {
				ok = ok || float64(want) == n
			}
			if !ok {
				r.Status, r.Reason = model.StatusCritical, name+" "+m.Name+" "+r.Text
			}
			r.Value = math.NaN()
			pr.flag(v, r)
			out.Metrics[metric] = n
			continue
		}
		pr.row(v, r, th, name+" "+m.Name)
		out.Metrics[metric] = n
		total += n
	}
	if m.Total {
		out.Metrics[m.Name+"_total"] = total
		fact += " total " + strconv.FormatFloat(total, 'f', -1, 64)
	} else {
		fact += fmt.Sprintf(" (%d rows)", len(order))
	}
	pr.facts = append(pr.facts, fact)
}
