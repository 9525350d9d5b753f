package ui

import (
	"noctop/model"
)

// printerLines draws a printer: each supply's level as a gauge (the toner
// threshold's colour), each paper tray, then the printer's own alerts.
func printerLines(s *styles, t *model.ProfileTable, w int) []string {
	bw := min(20, max(w/6, 8))
	supplies, trays, alerts := rowsOf(t, "supply"), rowsOf(t, "tray"), rowsOf(t, "alert")
	lw := labelWidth(append(supplies, trays...), 8, 36)
	var out []string
	for _, r := range supplies {
		out = append(out, gaugeLine(s, r, lw, bw))
	}
	for _, r := range trays {
		out = append(out, gaugeLine(s, r, lw, bw))
	}
	for _, r := range rowsOf(t, "device") {
		out = append(out, gaugeLine(s, r, lw, bw))
	}
	if len(alerts) > 0 {
		out = append(out, s.muted.paint("alerts"))
		for _, r := range alerts {
			out = append(out, "  "+s.status(r.Status).paint(r.Status.Symbol()+" "+clean(r.Text))+"  "+clean(r.Label))
		}
	}
	return out
}
