package ui

import (
	"math"

	"noctop/model"
)

// Columns of the technical pane. Names, kinds and addresses are as wide as
// the widest one (bounded); the reason takes what is left.
var techColumns = []column{
	{title: "STATUS", w: 10},
	{title: "NAME", fit: true, min: 8, max: 32},
	{title: "KIND", fit: true, min: 4, max: 14, drop: 5},
	{title: "ADDRESS", fit: true, min: 9, max: 39, drop: 4},
	{title: "RTT/TRAFFIC", w: 11, drop: 3},
	{title: "NOW", w: 11, right: true, drop: 2},
	{title: "SINCE", w: 6, right: true, drop: 1},
	{title: "REASON", flex: true, min: 12, drop: 6},
}

// techContent is the widest content of each technical column.
func techContent(w widths) []int { return []int{0, w.name, w.kind, w.addr, 0, 0, 0, w.reason} }

// techRow draws a network device or host: RTT and loss from its icmp
// check, or traffic from an SNMP check. An UNREACHABLE row shows its last
// measurements dimmed: they are not what the asset does now.
func techRow(e *env, s *styles, r *assetRow, t table) []string {
	a := r.a
	cells := []string{e.index.assetCell(s, r), r.name, s.muted.paint(r.kind), r.addr, "", "", s.muted.paint(ago(e.now, a.Since)), reasonCell(e, s, r)}
	vs, dim := valueStyles(e, s, r)
	switch {
	case r.snmp != nil:
		if t.shown(4) {
			cells[4] = vs.accent.paint(sparkline(history(r.snmp, model.MetricInBps, t.ws[4]), t.ws[4]))
		}
		if t.shown(5) {
			cells[5] = "↓" + bps(metric(r.snmp, model.MetricInBps)) + " ↑" + bps(metric(r.snmp, model.MetricOutBps))
		}
	case r.rtt != nil:
		if t.shown(4) {
			cells[4] = vs.accent.paint(sparkline(history(r.rtt, model.MetricRTTAvg, t.ws[4]), t.ws[4]))
		}
		if t.shown(5) && r.rtt.LastRun.IsZero() {
			cells[5] = vs.muted.paint("pending")
		} else if t.shown(5) {
			loss := metric(r.rtt, model.MetricLossPct)
			lt := vs.muted
			if loss > 0 {
				lt = vs.warnText
			}
			cells[5] = ms(metric(r.rtt, model.MetricRTTAvg)) + " " + lt.paint(num(loss)+"%")
		}
	}
	if dim {
		cells[4], cells[5] = s.muted.paint(cells[4]), s.muted.paint(cells[5])
	}
	return cells
}

// valueStyles are the styles of a row's measurement cells. An UNREACHABLE
// asset's measurements are drawn plain and then dimmed (dim is true), so
// they do not read as the current state of a reachable asset.
func valueStyles(e *env, s *styles, r *assetRow) (*styles, bool) {
	if r.a.Role == model.RoleUnreachable || r.a.Status == model.StatusUnreachable {
		return e.plain, true
	}
	return s, false
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
