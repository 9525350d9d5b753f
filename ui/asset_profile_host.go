package ui

import (
	"noctop/model"
)

// hostProfileLines draws HOST-RESOURCES as gauges: CPU, memory, each disk.
func hostProfileLines(s *styles, t *model.ProfileTable, w int) []string {
	bw := min(30, max(w/4, 10))
	lw := labelWidth(t.Rows, 10, 24)
	var out []string
	for _, r := range t.Rows {
		r.Label = r.Group + " " + r.Label
		out = append(out, gaugeLine(s, r, lw+8, bw))
	}
	return out
}
