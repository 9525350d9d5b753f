package probes

import (
	"fmt"
	"math"

	"github.com/gosnmp/gosnmp"

	"noctop/model"
)

// Printer-MIB (RFC 3805) columns the printer profile walks, and the
// printer's HOST-RESOURCES device columns.
const (
	oidPrtSupplyClass  = ".1.3.6.1.2.1.43.11.1.1.4"
	oidPrtSupplyDescr  = ".1.3.6.1.2.1.43.11.1.1.6"
	oidPrtSupplyMax    = ".1.3.6.1.2.1.43.11.1.1.8"
	oidPrtSupplyLevel  = ".1.3.6.1.2.1.43.11.1.1.9"
	oidPrtInputMax     = ".1.3.6.1.2.1.43.8.2.1.9"
	oidPrtInputLevel   = ".1.3.6.1.2.1.43.8.2.1.10"
	oidPrtInputName    = ".1.3.6.1.2.1.43.8.2.1.13"
	oidPrtAlertSev     = ".1.3.6.1.2.1.43.18.1.1.2"
	oidPrtAlertGroup   = ".1.3.6.1.2.1.43.18.1.1.4"
	oidPrtAlertDescr   = ".1.3.6.1.2.1.43.18.1.1.8"
	oidHrDeviceStatus  = ".1.3.6.1.2.1.25.3.2.1.5"
	oidHrPrinterStatus = ".1.3.6.1.2.1.25.3.5.1.1"
)

func printerColumns() []string {
	return []string{oidPrtSupplyClass, oidPrtSupplyDescr, oidPrtSupplyMax, oidPrtSupplyLevel,
		oidPrtInputMax, oidPrtInputLevel, oidPrtInputName, oidPrtAlertSev, oidPrtAlertGroup, oidPrtAlertDescr,
		oidHrDeviceStatus, oidHrPrinterStatus}
}

// rowsOf indexes a walked column by row index, and lists the indexes in
// agent order.
func rowsOf(cols map[string][]tableRow, root string) (map[string]gosnmp.SnmpPDU, []string) {
	m := map[string]gosnmp.SnmpPDU{}
	var order []string
	for _, r := range cols[root] {
		if _, dup := m[r.index]; !dup {
			order = append(order, r.index)
		}
		m[r.index] = r.pdu
	}
	return m, order
}

// intCell reads an INTEGER cell; ok is false when absent, and a wrong type
// is a problem.
func intCell(m map[string]gosnmp.SnmpPDU, idx string, probs *[]string) (int, bool) {
	pdu, ok := m[idx]
	if !ok || missing(pdu) {
		return 0, false
	}
	n, err := pduInt(pdu)
	if err != nil {
		*probs = append(*probs, err.Error())
		return 0, false
	}
	return n, true
}

// textCell reads a string cell ("" when absent; a wrong type is a problem).
func textCell(m map[string]gosnmp.SnmpPDU, idx string, probs *[]string) string {
	pdu, ok := m[idx]
	if !ok || missing(pdu) {
		return ""
	}
	s, err := pduString(pdu)
	if err != nil {
		*probs = append(*probs, err.Error())
	}
	return s
}

// levelText words a Printer-MIB level that is not a count (-1 other, -2
// unknown, -3 some remaining).
func levelText(n int) string {
	switch n {
	case -3:
		return "some left"
	case -2:
		return "unknown"
	}
	return "n/a"
}

// judgePrinter judges a printer from its walked columns: each consumed
// supply's level against toner (warn/crit, bad when low), each tray (empty
// is WARNING), the printer's own alerts (critical ones CRITICAL, warnings
// WARNING; those about supplies and trays are the tables' rows, not
// repeated), and hrDeviceStatus down as CRITICAL.
func (p *profileProbe) judgePrinter(cols map[string][]tableRow, pr *profileRead, v *model.Verdict, out *model.Outcome) {
	levels, order := rowsOf(cols, oidPrtSupplyLevel)
	if len(order) == 0 {
		pr.probs = append(pr.probs, "no Printer-MIB supplies (prtMarkerSuppliesLevel is empty)")
		return
	}
	classes, _ := rowsOf(cols, oidPrtSupplyClass)
	descrs, _ := rowsOf(cols, oidPrtSupplyDescr)
	maxes, _ := rowsOf(cols, oidPrtSupplyMax)
	minPct := math.NaN()
	for _, idx := range order {
		name := label(textCell(descrs, idx, &pr.probs))
		if name == "" {
			name = "supply " + idx
		}
		level, hasLevel := intCell(levels, idx, &pr.probs)
		capacity, hasMax := intCell(maxes, idx, &pr.probs)
		cls, _ := intCell(classes, idx, &pr.probs)
		r := model.ProfileRow{Group: "supply", Label: name, Value: math.NaN(), Unit: "%"}
		switch {
		case !hasLevel:
			continue // absent, or a problem already
		case level >= 0 && hasMax && capacity > 0:
			if level > capacity {
				pr.probs = append(pr.probs, fmt.Sprintf("%s: level %d above its capacity %d", name, level, capacity))
				continue
			}
			r.Value = float64(level) * 100 / float64(capacity)
		default:
			r.Text = levelText(level)
		}
		if cls == 4 { // receptacleThatIsFilled (waste toner): full is the bad end
			pr.row(v, r, model.Threshold{}, "")
			continue
		}
		pr.row(v, r, p.limit("toner"), "toner "+name)
		if !math.IsNaN(r.Value) {
			out.Metrics[model.Metric{Name: model.MetricToner, Label: name}.FullName()] = r.Value
			if math.IsNaN(minPct) || r.Value < minPct {
				minPct = r.Value
			}
		}
	}
	if !math.IsNaN(minPct) {
		out.Metrics[model.MetricTonerMin] = minPct
		pr.primary = model.MetricTonerMin
	}

	trayLevels, trays := rowsOf(cols, oidPrtInputLevel)
	tmax, _ := rowsOf(cols, oidPrtInputMax)
	tnames, _ := rowsOf(cols, oidPrtInputName)
	empty := 0
	for _, idx := range trays {
		name := label(textCell(tnames, idx, &pr.probs))
		if name == "" {
			name = "tray " + idx
		}
		level, hasLevel := intCell(trayLevels, idx, &pr.probs)
		capacity, hasMax := intCell(tmax, idx, &pr.probs)
		r := model.ProfileRow{Group: "tray", Label: name, Value: math.NaN(), Unit: "%"}
		switch {
		case !hasLevel:
			continue
		case level == 0:
			r.Value, r.Text, r.Status, r.Reason = 0, "empty", model.StatusWarning, name+" empty"
			empty++
		case level > 0 && hasMax && capacity > 0:
			r.Value = min(float64(level)*100/float64(capacity), 100)
		default:
			r.Text = levelText(level)
		}
		if !math.IsNaN(r.Value) {
			out.Metrics[model.Metric{Name: model.MetricTray, Label: name}.FullName()] = r.Value
		}
		pr.flag(v, r)
	}

	sev, alerts := rowsOf(cols, oidPrtAlertSev)
	groups, _ := rowsOf(cols, oidPrtAlertGroup)
	adescr, _ := rowsOf(cols, oidPrtAlertDescr)
	for _, idx := range alerts {
		s, _ := intCell(sev, idx, &pr.probs)
		g, _ := intCell(groups, idx, &pr.probs)
		text := label(textCell(adescr, idx, &pr.probs))
		if text == "" {
			text = "alert " + idx
		}
		r := model.ProfileRow{Group: "alert", Label: text, Value: math.NaN(), Text: "warning"}
		switch s {
		case 3: // critical
			r.Text, r.Status = "critical", model.StatusCritical
		case 4, 5: // warning, warningBinaryChangeEvent
			r.Status = model.StatusWarning
		default:
			r.Text = "notice"
		}
		// Supplies (11) and inputs (8) are judged from their tables: the
		// row shows the alert, the verdict does not count it twice.
		if r.Status != model.StatusPending && g != 8 && g != 11 {
			r.Reason = "alert: " + text
			v.Add(r.Status, r.Reason)
		}
		if r.Status == model.StatusPending {
			r.Status = model.StatusOK
		}
		pr.table.Rows = append(pr.table.Rows, r)
	}

	_, devs := rowsOf(cols, oidHrPrinterStatus)
	hrDev, _ := rowsOf(cols, oidHrDeviceStatus)
	for _, idx := range devs {
		if n, ok := intCell(hrDev, idx, &pr.probs); ok && n == 5 { // down
			pr.flag(v, model.ProfileRow{Group: "device", Label: "printer " + idx, Text: "down", Value: math.NaN(),
				Status: model.StatusCritical, Reason: "printer down (hrDeviceStatus)"})
		}
	}

	fact := fmt.Sprintf("%d supplies", len(order))
	if !math.IsNaN(minPct) {
		fact += ", lowest " + model.FormatValue(math.Round(minPct), "%")
	}
	fact += fmt.Sprintf(", %d trays", len(trays))
	if empty > 0 {
		fact += fmt.Sprintf(" (%d empty)", empty)
	}
	if len(alerts) > 0 {
		fact += fmt.Sprintf(", %d alerts", len(alerts))
	}
	pr.facts = append(pr.facts, fact)
}
