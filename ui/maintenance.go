package ui

import (
	"time"

	"noctop/model"
)

// maintUntilW is the widest "⚒ until …" prefix a row's reason may get.
var maintUntilW = width(model.StatusMaintenance.Symbol() + " until Dec 31 23:59 ")

// maintUntil is "until 23:00", or "until Dec 8 02:00" when the window
// ends on another day than now, on now's clock (the viewer's zone; a
// window's own zone may be another).
func maintUntil(now, until time.Time) string { return "until " + stamp(now, until) }

// reasonCell is an asset row's REASON cell: inside a window "⚒ until
// 23:00" comes first, so the end of planned work reads without opening
// the asset.
func reasonCell(e *env, s *styles, r *assetRow) string {
	m := r.a.Maintenance
	if m == nil {
		return s.muted.paint(r.reason)
	}
	return s.status(model.StatusMaintenance).paint(model.StatusMaintenance.Symbol()+" "+maintUntil(e.now, m.Until)) + " " + s.muted.paint(r.reason)
}

// maintenanceLines are the asset screen's lines about its window: which,
// why, who, from when until when, and the ancestor covering it.
func maintenanceLines(e *env, m *model.Maintenance) []string {
	if m == nil {
		return nil
	}
	s := e.styles
	window := clean(m.Window)
	if m.Reason != "" {
		window += " — " + clean(m.Reason)
	}
	out := []string{s.status(model.StatusMaintenance).paint(model.StatusMaintenance.Symbol()+" maintenance ") + window}
	span := "from " + stamp(e.now, m.From) + " " + maintUntil(e.now, m.Until)
	if m.By != "" {
		span += ", by " + clean(m.By)
	}
	out = append(out, s.muted.paint("window  ")+span)
	if m.CoveredBy != "" {
		out = append(out, s.muted.paint("covered ")+"by "+clean(m.CoveredBy)+"'s window: cut off by planned work, not a problem of its own")
	}
	return out
}

// stamp is a time of day on now's clock, with the date when it is not
// today.
func stamp(now, t time.Time) string {
	l, n := t.In(now.Location()), now
	if y, mo, d := l.Date(); y == n.Year() && mo == n.Month() && d == n.Day() {
		return l.Format("15:04")
	}
	return l.Format("Jan 2 15:04")
}
