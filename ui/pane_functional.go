package ui

import (
	"time"

	"noctop/model"
)

// Columns of the services list and the renewals list.
var (
	svcColumns = []column{
		{title: "STATUS", w: 10},
		{title: "SERVICE", fit: true, min: 8, max: 32},
		{title: "RULE", w: 6, drop: 3},
		{title: "UP", w: 5, right: true, drop: 1},
		// Availability over 24 h, 7 d and 30 d: the month (what an sla
		// is judged on) goes last, the day first.
		{title: "24 H", w: 6, right: true, drop: 6},
		{title: "7 D", w: 6, right: true, drop: 5},
		{title: "30 D", w: 6, right: true, drop: 2},
		// The reason says why a service is down: narrower columns go
		// before it is cut below its content (up to 24 cells).
		{title: "REASON", flex: true, min: 10, max: 24},
		{title: "SINCE", w: 6, right: true, drop: 4},
	}
	renewalColumns = []column{
		{title: "DAYS", w: 6, right: true},
		{title: "WHAT", w: 8},
		{title: "ASSET", fit: true, min: 8, max: 32},
		{title: "DATE", w: 10, drop: 1},
		{title: "DETAIL", flex: true, min: 6, drop: 2},
	}
)

// renewalRows is the height of the renewals block in a pane h rows high.
func renewalRows(index *snapshotIndex, h int) int {
	if index == nil || len(index.renewals) == 0 {
		return 0
	}
	n := min(len(index.renewals), max(2, (h-paneHeadRows)/3))
	return n + 2
}

// functionalPane draws the business services and, below, the assets due
// for renewal, soonest first.
func (o *overviewScreen) functionalPane(e *env, w, h int, title string) []string {
	s, index := e.styles, e.index
	t := newTable(svcColumns, w, 0, index.svcW.name, 0, 0, 0, 0, 0, index.svcW.reason)
	out := make([]string, 0, h)
	out = append(out, title, t.header(s))
	rn := renewalRows(index, h)
	n := h - paneHeadRows - rn
	p := paneFunctional
	l := o.panes[p]
	svcs := index.svcs
	off := window(l.cursor, l.offset, len(svcs), n)
	for i := off; i < len(svcs) && i < off+n; i++ {
		if o.pane == p && !o.inRenewals && i == l.cursor {
			out = append(out, s.selected.paint(t.line(serviceRow(e.now, e.plain, svcs[i]))))
		} else {
			out = append(out, t.line(serviceRow(e.now, s, svcs[i])))
		}
	}
	if len(svcs) == 0 {
		empty := " no business services configured"
		if e.filter.active() {
			empty = emptyText(e.filter)
		}
		out = append(out, s.muted.paint(empty))
	}
	if rn == 0 {
		return out
	}
	out = padLines(out, w, h-rn)
	rt := newTable(renewalColumns, w, 0, 0, index.renewalW)
	out = append(out, s.bold.paint("Renewals")+s.muted.paint(" (lifecycle dates, certificates · Enter opens the asset)"), rt.header(s))
	rl := &o.renewal
	rs := index.renewals
	roff := window(rl.cursor, rl.offset, len(rs), rn-2)
	for i := roff; i < len(rs) && i < roff+rn-2; i++ {
		if o.pane == p && o.inRenewals && i == rl.cursor {
			out = append(out, s.selected.paint(rt.line(renewalRow(e.plain, rs[i]))))
		} else {
			out = append(out, rt.line(renewalRow(s, rs[i])))
		}
	}
	return out
}

// serviceRow draws one business service.
func serviceRow(now time.Time, s *styles, v *model.ServiceState) []string {
	reason := clean(v.Reason)
	if reason == "" && v.Status == model.StatusOK {
		reason = s.muted.paint(clean(v.Description))
	}
	return []string{
		statusCell(s, v.Status, ""), clean(v.Name), s.muted.paint(clean(v.Rule)),
		itoa(v.Up) + "/" + itoa(v.Total), availCell(s, v, 0), availCell(s, v, 1), availCell(s, v, 2),
		reason, s.muted.paint(ago(now, v.Since)),
	}
}

// availCell is a service's availability over one window: in the warning
// colour when below its sla, plain when it was down at all, muted at
// 100%; "–" when nothing was measured.
func availCell(s *styles, v *model.ServiceState, i int) string {
	av := v.Availability[i]
	switch {
	case !av.Known():
		return s.muted.paint("–")
	case av.Down == 0:
		return s.muted.paint("100%")
	case v.SLA > 0 && av.Percent < v.SLA:
		return s.warnText.paint(model.PercentText(av.Percent))
	}
	return model.PercentText(av.Percent)
}

// renewalRow draws one item of the register in its status's colour, with
// its symbol: past or within renewal_crit CRITICAL, within renewal_warn
// WARNING (the engine judged it).
func renewalRow(s *styles, r renewal) []string {
	return []string{
		s.status(r.status).paint(r.status.Symbol() + itoa(r.days)),
		r.what, r.asset, r.date.Format("2006-01-02"), s.muted.paint(r.detail),
	}
}
