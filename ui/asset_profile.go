package ui

import (
	"math"
	"strings"

	"noctop/model"
)

// The asset screen's section for an snmp check's device profile: one
// renderer per profile (asset_profile_*.go), each a pure function of the
// profile's table (model.ProfileTable) and the width.

// profileTitle is the section's title.
func profileTitle(t *model.ProfileTable) string {
	switch t.Profile {
	case model.ProfileUPS:
		return "UPS"
	case model.ProfilePrinter:
		return "Printer"
	case model.ProfileSensors:
		return "Sensors"
	case model.ProfileWireless:
		return "Wireless"
	case model.ProfileHost:
		return "Host resources"
	}
	return "Profile " + clean(t.Profile)
}

// profileLines draws a profile table with its profile's renderer; a
// custom profile's rows as a table by row and metric.
func profileLines(s *styles, t *model.ProfileTable, w int) []string {
	var out []string
	switch t.Profile {
	case model.ProfileUPS:
		out = upsLines(s, t, w)
	case model.ProfilePrinter:
		out = printerLines(s, t, w)
	case model.ProfileSensors:
		out = sensorLines(s, t, w)
	case model.ProfileWireless:
		out = wirelessLines(s, t, w)
	case model.ProfileHost:
		out = hostProfileLines(s, t, w)
	default:
		out = pivotLines(s, t.Rows, w)
	}
	for i := range out {
		out[i] = cut(out[i], w)
	}
	return out
}

// rowsOf are the table's rows of one group.
func rowsOf(t *model.ProfileTable, group string) []model.ProfileRow {
	var out []model.ProfileRow
	for _, r := range t.Rows {
		if r.Group == group {
			out = append(out, r)
		}
	}
	return out
}

// rowValue is a row's value with its unit, or its text.
func rowValue(r model.ProfileRow) string {
	if math.IsNaN(r.Value) {
		if r.Text == "" {
			return "n/a"
		}
		return clean(r.Text)
	}
	v := model.FormatValue(r.Value, "")
	switch r.Unit {
	case "":
	case "%":
		v += "%"
	default:
		v += " " + clean(r.Unit)
	}
	if r.Text != "" {
		v += " " + clean(r.Text)
	}
	return v
}

// gaugeLine is one row as "✓ label  ████░░░░  62%  reason": a bar for a
// percentage, the value in the row's status colour.
func gaugeLine(s *styles, r model.ProfileRow, lw, bw int) string {
	line := s.status(r.Status).paint(r.Status.Symbol()) + " " + fit(clean(r.Label), lw) + " "
	if r.Unit == "%" {
		line += bar(s, r.Value, bw, s.status(r.Status)) + " "
	}
	line += s.status(r.Status).paint(rowValue(r))
	if r.Reason != "" && r.Status != model.StatusOK {
		line += "  " + s.muted.paint(clean(r.Reason))
	}
	return line
}

// labelWidth is the widest label of rows, bounded.
func labelWidth(rows []model.ProfileRow, least, most int) int {
	w := least
	for _, r := range rows {
		w = max(w, min(width(clean(r.Label)), most))
	}
	return w
}

// pivotLines draws rows as a table: one line per label, one column per
// group (a custom profile's metrics: an AP's status and clients side by
// side), each cell in its row's status colour.
func pivotLines(s *styles, rows []model.ProfileRow, w int) []string {
	var groups, labels []string
	cell := map[[2]string]model.ProfileRow{}
	for _, r := range rows {
		if !contains(groups, r.Group) {
			groups = append(groups, r.Group)
		}
		if !contains(labels, r.Label) {
			labels = append(labels, r.Label)
		}
		cell[[2]string{r.Label, r.Group}] = r
	}
	lw := labelWidth(rows, 4, 28)
	cw := make([]int, len(groups))
	for i, g := range groups {
		cw[i] = width(clean(g))
		for _, l := range labels {
			if r, ok := cell[[2]string{l, g}]; ok {
				cw[i] = max(cw[i], min(width(rowValue(r)), 20))
			}
		}
	}
	head := "  " + fit("", lw)
	for i, g := range groups {
		head += "  " + fitRight(clean(g), cw[i])
	}
	out := []string{s.header.paint(fit(head, w))}
	for _, l := range labels {
		worst := model.StatusOK
		var reasons []string
		line := ""
		for i, g := range groups {
			r, ok := cell[[2]string{l, g}]
			if !ok {
				line += "  " + fitRight(s.muted.paint("—"), cw[i])
				continue
			}
			if r.Status.Worse(worst) {
				worst = r.Status
			}
			if r.Reason != "" && r.Status != model.StatusOK {
				reasons = append(reasons, clean(r.Reason))
			}
			line += "  " + fitRight(s.status(r.Status).paint(rowValue(r)), cw[i])
		}
		line = s.status(worst).paint(worst.Symbol()) + " " + fit(clean(l), lw) + line
		if len(reasons) > 0 {
			line += "  " + s.muted.paint(strings.Join(reasons, "; "))
		}
		out = append(out, line)
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
