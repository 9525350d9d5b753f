package ui

import (
	"strings"

	"noctop/model"
)

// upsLines draws a UPS: where its power comes from first (ON BATTERY in
// the critical colour, with the runtime left), then charge and load as
// gauges, runtime and input voltage.
func upsLines(s *styles, t *model.ProfileTable, w int) []string {
	bw := min(24, max(w/5, 8))
	lw := labelWidth(t.Rows, 8, 16)
	var out []string
	for _, r := range rowsOf(t, "output") {
		if r.Label != "source" {
			continue
		}
		text := clean(r.Text)
		if r.Status != model.StatusOK {
			text = strings.ToUpper(text)
		}
		line := s.status(r.Status).paint(r.Status.Symbol() + " " + text)
		if r.Reason != "" && r.Status != model.StatusOK {
			line += "  " + s.muted.paint(clean(r.Reason))
		}
		out = append(out, line)
	}
	for _, g := range []string{"battery", "output", "input"} {
		for _, r := range rowsOf(t, g) {
			if r.Label == "source" {
				continue
			}
			r.Label = g + " " + r.Label
			out = append(out, gaugeLine(s, r, lw+8, bw))
		}
	}
	return out
}
