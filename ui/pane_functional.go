package ui

import (
	"noctop/model"
)

// Columns of the services list and the renewals list.
var (
	svcColumns = []column{
		{title: "STATUS", w: 10},
		{title: "SERVICE", fit: true, min: 8, max: 32},
		{title: "RULE", w: 6, drop: 2},
		{title: "UP", w: 5, right: true, drop: 1},
		// The reason says why a service is down: narrower columns go
		// before it is cut below its content (up to 24 cells).
		{title: "REASON", flex: true, min: 10, max: 24},
		{title: "SINCE", w: 6, right: true, drop: 3},
	}
	renewalColumns = []column{
		{title: "DAYS", w: 6, right: true},
		{title: "WHAT", w: 8},
		{title: "ASSET", fit: true, min: 8, max: 32},
		{title: "DATE", w: 10, drop: 1},
		{title: "OWNER", flex: true, min: 6, drop: 2},
	}
)

// renewalRows is the height of the renewals block in a pane h rows high.
func (m *Root) renewalRows(h int) int {
	if m.ix == nil || len(m.ix.renewals) == 0 {
		return 0
	}
	n := min(len(m.ix.renewals), max(2, (h-paneHeadRows)/3))
	return n + 2
}

// functionalPane draws the business services and, below, the assets due
// for renewal, soonest first.
func (m *Root) functionalPane(w, h int, title string) []string {
	t := newTable(svcColumns, w, 0, m.ix.svcW.name, 0, 0, m.ix.svcW.reason)
	out := make([]string, 0, h)
	out = append(out, title, t.header(m.st))
	rn := m.renewalRows(h)
	n := h - paneHeadRows - rn
	p := paneFunctional
	svcs := m.ix.svcs
	off := window(m.paneCur[p], m.paneOff[p], len(svcs), n)
	for i := off; i < len(svcs) && i < off+n; i++ {
		if m.pane == p && i == m.paneCur[p] {
			out = append(out, m.st.selected.paint(t.line(m.serviceRow(m.plain, svcs[i], t))))
		} else {
			out = append(out, t.line(m.serviceRow(m.st, svcs[i], t)))
		}
	}
	if len(svcs) == 0 {
		empty := " no business services configured"
		if m.flt.active() {
			empty = m.emptyText()
		}
		out = append(out, m.st.muted.paint(empty))
	}
	if rn == 0 {
		return out
	}
	out = padLines(out, w, h-rn)
	rt := newTable(renewalColumns, w, 0, 0, m.ix.renewalW)
	out = append(out, m.st.bold.paint("Renewals")+m.st.muted.paint(" (warranty end, EOL)"), rt.header(m.st))
	for _, r := range m.ix.renewals[:rn-2] {
		out = append(out, rt.line(renewalRow(m.st, r)))
	}
	return out
}

// serviceRow draws one business service.
func (m *Root) serviceRow(s *styles, v *model.ServiceState, t table) []string {
	reason := clean(v.Reason)
	if reason == "" && v.Status == model.StatusOK {
		reason = s.muted.paint(clean(v.Description))
	}
	return []string{
		statusCell(s, v.Status, ""), clean(v.Name), s.muted.paint(clean(v.Rule)),
		itoa(v.Up) + "/" + itoa(v.Total), reason, s.muted.paint(ago(m.now, v.Since)),
	}
}

// renewalRow draws one lifecycle date, coloured by urgency: past or
// within 30 days critical, within 90 days warning.
func renewalRow(s *styles, r renewal) []string {
	return []string{
		s.mark(itoa(r.days), float64(r.days), 90, 30, false),
		r.what, r.asset, r.date.Format("2006-01-02"), s.muted.paint(r.owner),
	}
}
