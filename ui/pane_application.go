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

// appRow draws an application endpoint: the primary metric of its
// http/tcp/dns check (a sparkline and the latest value), the HTTP status
// code and the certificate's days left, dimmed while the asset is
// UNREACHABLE.
func appRow(e *env, s *styles, r *assetRow, t table) []string {
	a := r.a
	cells := []string{e.index.assetCell(s, r), r.name, s.muted.paint(r.kind), "", "", "", "", s.muted.paint(ago(e.now, a.Since)), reasonCell(e, s, r)}
	vs, dim := valueStyles(e, s, r)
	if c := r.app; c != nil {
		name := primaryMetric(c)
		if t.shown(3) && chartable(c, name) {
			cells[3] = vs.accent.paint(sparkline(history(c, name, t.ws[3]), t.ws[3]))
		}
		cells[4] = formatMetric(c, name, metric(c, name))
		if c.LastRun.IsZero() {
			cells[4] = vs.muted.paint("—")
		}
	}
	if c := r.code; c != nil {
		code := metric(c, model.MetricStatusCode)
		if !math.IsNaN(code) {
			cells[5] = vs.mark(formatMetric(c, model.MetricStatusCode, code), code, 400, 500, true)
		}
	}
	if r.tls != nil && !math.IsNaN(r.tlsDays) {
		text := formatMetric(r.tls, model.MetricCertDays, r.tlsDays)
		if verdict := r.tls.Status; r.tls.Type == model.CheckTLS && verdict != model.StatusPending {
			// The tls check judged the days against its own thresholds.
			cells[6] = vs.status(verdict).paint(verdict.Symbol() + text)
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
