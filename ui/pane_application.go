package ui

import (
	"math"

	"noctop/model"
)

// Columns of the application pane.
var appColumns = []column{
	{title: "STATUS", w: 10},
	{title: "NAME", flex: true, min: 10},
	{title: "KIND", w: 10, drop: 6},
	{title: "LATENCY", w: 10, drop: 3},
	{title: "NOW", w: 7, right: true, drop: 2},
	{title: "HTTP", w: 4, right: true, drop: 4},
	{title: "TLS", w: 6, right: true, drop: 4},
	{title: "SINCE", w: 6, right: true, drop: 5},
}

// appRow draws an application endpoint: latency sparkline, HTTP code and
// certificate days left.
func (m *Root) appRow(s *styles, r *assetRow, t table) []string {
	a := r.a
	cells := []string{statusCell(s, a.Status, r.soft), r.name, s.muted.paint(r.kind), "", "", "", "", s.muted.paint(ago(m.now, a.Since))}
	if c := r.app; c != nil {
		k := latencyKey(c)
		if t.shown(3) {
			cells[3] = s.accent.paint(sparkline(history(c, k, t.ws[3]), t.ws[3]))
		}
		cells[4] = ms(metric(c, k))
		if c.LastRun.IsZero() {
			cells[4] = s.muted.paint("—")
		}
	}
	if c := r.code; c != nil {
		code := metric(c, "status_code")
		if !math.IsNaN(code) {
			cells[5] = s.mark(num(code), code, 400, 500, true)
		}
	}
	if r.tls != nil && !math.IsNaN(r.tlsDays) {
		text := itoa(int(math.Floor(r.tlsDays))) + "d"
		if st := r.tls.Status; r.tls.Type == model.CheckTLS && st != model.StatusPending {
			// The tls check judged the days against its own thresholds.
			cells[6] = s.st(st).paint(st.Symbol() + text)
		} else {
			cells[6] = s.mark(text, r.tlsDays, model.DefaultTLSWarnDays, model.DefaultTLSCritDays, false)
		}
	}
	return cells
}
