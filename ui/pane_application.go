package ui

import (
	"math"

	"noctop/model"
)

// Columns of the application pane. Names and kinds are as wide as the
// widest one (bounded); the reason takes what is left.
var appColumns = []column{
	{title: "STATUS", w: 10},
	{title: "NAME", fit: true, min: 8, max: 32},
	{title: "KIND", fit: true, min: 4, max: 14, drop: 6},
	{title: "LATENCY", w: 10, drop: 3},
	{title: "NOW", w: 7, right: true, drop: 2},
	{title: "HTTP", w: 4, right: true, drop: 4},
	{title: "TLS", w: 6, right: true, drop: 4},
	{title: "SINCE", w: 6, right: true, drop: 5},
	{title: "REASON", flex: true, min: 12, drop: 7},
}

// appContent is the widest content of each application column.
func appContent(w widths) []int { return []int{0, w.name, w.kind, 0, 0, 0, 0, 0, w.reason} }

// appRow draws an application endpoint: latency sparkline, HTTP code and
// certificate days left, dimmed while the asset is UNREACHABLE.
func (m *Root) appRow(s *styles, r *assetRow, t table) []string {
	a := r.a
	cells := []string{m.ix.assetCell(s, r), r.name, s.muted.paint(r.kind), "", "", "", "", s.muted.paint(ago(m.now, a.Since)), s.muted.paint(r.reason)}
	vs, dim := m.valueStyles(s, r)
	if c := r.app; c != nil {
		k := latencyKey(c)
		if t.shown(3) {
			cells[3] = vs.accent.paint(sparkline(history(c, k, t.ws[3]), t.ws[3]))
		}
		cells[4] = ms(metric(c, k))
		if c.LastRun.IsZero() {
			cells[4] = vs.muted.paint("—")
		}
	}
	if c := r.code; c != nil {
		code := metric(c, "status_code")
		if !math.IsNaN(code) {
			cells[5] = vs.mark(num(code), code, 400, 500, true)
		}
	}
	if r.tls != nil && !math.IsNaN(r.tlsDays) {
		text := itoa(int(math.Floor(r.tlsDays))) + "d"
		if st := r.tls.Status; r.tls.Type == model.CheckTLS && st != model.StatusPending {
			// The tls check judged the days against its own thresholds.
			cells[6] = vs.st(st).paint(st.Symbol() + text)
		} else {
			cells[6] = vs.mark(text, r.tlsDays, model.DefaultTLSWarnDays, model.DefaultTLSCritDays, false)
		}
	}
	if dim {
		for i := 3; i <= 6; i++ {
			cells[i] = s.muted.paint(cells[i])
		}
	}
	return cells
}
