package ui

import (
	"math"

	"noctop/model"
)

// Columns of the technical pane.
var techColumns = []column{
	{title: "STATUS", w: 10},
	{title: "NAME", flex: true, min: 10},
	{title: "KIND", w: 10, drop: 5},
	{title: "ADDRESS", w: 15, drop: 4},
	{title: "RTT/TRAFFIC", w: 11, drop: 3},
	{title: "NOW", w: 11, right: true, drop: 2},
	{title: "SINCE", w: 6, right: true, drop: 1},
}

// techRow draws a network device or host: RTT and loss from its icmp
// check, or traffic from an SNMP check.
func (m *Root) techRow(s *styles, r *assetRow, t table) []string {
	a := r.a
	cells := []string{statusCell(s, a.Status, r.soft), r.name, s.muted.paint(r.kind), r.addr, "", "", s.muted.paint(ago(m.now, a.Since))}
	switch {
	case r.snmp != nil:
		if t.shown(4) {
			cells[4] = s.accent.paint(sparkline(history(r.snmp, "in_bps_total", t.ws[4]), t.ws[4]))
		}
		if t.shown(5) {
			cells[5] = "↓" + bps(metric(r.snmp, "in_bps_total")) + " ↑" + bps(metric(r.snmp, "out_bps_total"))
		}
	case r.rtt != nil:
		if t.shown(4) {
			cells[4] = s.accent.paint(sparkline(history(r.rtt, "rtt_avg_ms", t.ws[4]), t.ws[4]))
		}
		if t.shown(5) && r.rtt.LastRun.IsZero() {
			cells[5] = s.muted.paint("pending")
		} else if t.shown(5) {
			loss := metric(r.rtt, "loss_pct")
			lt := s.muted
			if loss > 0 {
				lt = s.warnText
			}
			cells[5] = ms(metric(r.rtt, "rtt_avg_ms")) + " " + lt.paint(num(loss)+"%")
		}
	}
	return cells
}

// metric reads a check's latest metric (NaN when absent).
func metric(c *model.CheckState, key string) float64 {
	if c == nil {
		return math.NaN()
	}
	v, ok := c.Metrics[key]
	if !ok {
		return math.NaN()
	}
	return v
}
