package ui

import (
	"noctop/model"
)

// sensorLines draws entity sensors by kind: temperatures, fans, power
// supplies, then the rest, one line each with its value and why it is not
// OK.
func sensorLines(s *styles, t *model.ProfileTable, w int) []string {
	lw := labelWidth(t.Rows, 8, 28)
	var out []string
	order := []string{"temperature", "fan", "status"}
	for _, r := range t.Rows {
		if !contains(order, r.Group) {
			order = append(order, r.Group)
		}
	}
	for _, g := range order {
		rows := rowsOf(t, g)
		if len(rows) == 0 {
			continue
		}
		title := g
		if g == "status" {
			title = "power and status"
		}
		out = append(out, s.muted.paint(title))
		for _, r := range rows {
			out = append(out, "  "+gaugeLine(s, r, lw, 0))
		}
	}
	return out
}
