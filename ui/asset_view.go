package ui

import (
	"math"
	"slices"
	"strings"
	"time"

	"noctop/model"
)

var checkColumns = []column{
	{title: "STATUS", w: 19},
	{title: "CHECK", fit: true, min: 5, max: 24},
	{title: "TYPE", w: 5, drop: 4},
	{title: "REASON", flex: true, min: 16},
	{title: "VALUE", w: 9, right: true, drop: 3},
	{title: "HISTORY", w: 16, drop: 2},
	{title: "LAST", w: 8, drop: 1},
	{title: "NEXT", w: 8, drop: 1},
}

// lines is the whole asset screen, and the line of its first check.
func (a *assetScreen) lines(e *env, w int) ([]string, int) {
	s, index := e.styles, e.index
	if e.snap == nil {
		return nil, -1
	}
	asset := a.state(e)
	if asset == nil {
		return []string{s.muted.paint("asset " + clean(a.name) + " is no longer in the configuration")}, -1
	}
	var out []string
	add := func(l ...string) { out = append(out, l...) }
	head := s.bold.paint(clean(asset.Name)) + "  " + s.muted.paint(clean(asset.Kind)+"  "+clean(asset.Address)+"  "+asset.Layer) + "   " +
		statusLongMarked(s, asset.Status, index.rowOf(asset).soft, ackMark(acked(asset))) + s.muted.paint("  since "+clock(asset.Since)+" ("+ago(e.now, asset.Since)+")")
	if asset.Flapping {
		head += "  " + s.warnText.paint(flapSym+" flapping")
	}
	add(head)
	reason := clean(asset.Reason)
	if asset.Status == model.StatusUnreachable && len(asset.RootCauses) > 0 {
		reason = "parents down: root cause " + clean(asset.RootCause) + " — its own checks are not to blame"
	}
	if reason != "" {
		add(s.muted.paint("reason  ") + reason)
	}
	add(maintenanceLines(e, asset.Maintenance)...)
	switch {
	case asset.Role == model.RoleRootCause:
		behind := "its own problem: no asset behind it is cut off"
		if n := len(index.behind[asset.Name]); n > 0 {
			behind = plural(n, "asset behind it is", "assets behind it are") + " UNREACHABLE"
		}
		add(s.critText.paint(roleRoot.sym+" root cause") + ": " + behind)
	case asset.Role == model.RoleChecking:
		add(s.warnText.paint(roleWait.sym+" waits for the recheck of "+clean(strings.Join(asset.Checking, ", "))) + ": not a root cause until that verdict")
	}
	add(ackLines(e, asset, w)...)
	if index.rechecking[asset.Name] {
		add(s.accent.paint(recheckSym+" being rechecked: ") +
			plural(len(index.waiting[asset.Name]), "child started failing and waits", "children started failing and wait") + " for this verdict")
	}
	add(relatives(e, "parents ", asset.Parents, w), relatives(e, "children", asset.Children, w))
	if len(asset.Tags) > 0 {
		add(s.muted.paint("tags    ") + clean(strings.Join(asset.Tags, " ")))
	}
	if l := asset.Lifecycle; l != nil {
		add(s.muted.paint("life    ") + lifecycleText(e, l, lifecycleCheck(asset) != nil))
	}
	add("", s.bold.paint("Checks"))
	nameW := 0
	for _, c := range asset.Checks {
		nameW = max(nameW, width(clean(c.Name)))
	}
	t := newTable(checkColumns, w, 0, nameW)
	add(t.header(s))
	first := len(out)
	for i, c := range asset.Checks {
		if i == a.cursor {
			add(s.selected.paint(t.line(checkRow(e.plain, c, t))))
		} else {
			add(t.line(checkRow(s, c, t)))
		}
	}
	for _, c := range asset.Checks {
		if c.Type == model.CheckHost && len(c.Metrics) > 0 {
			add("", s.bold.paint("Hardware")+s.muted.paint("  "+clean(c.Name)))
			add(hardware(s, c, w)...)
		}
	}
	for _, c := range asset.Checks {
		if c.Profile != nil && len(c.Profile.Rows) > 0 {
			add("", s.bold.paint(profileTitle(c.Profile))+s.muted.paint("  "+clean(c.Name)))
			add(profileLines(s, c.Profile, w)...)
		}
	}
	if lc := lifecycleCheck(asset); lc != nil && len(lc.Renewals()) > 0 {
		add("", s.bold.paint("Renewals")+s.muted.paint("  lifecycle dates and certificates seen · soonest first"))
		add(renewalLines(s, lc.Renewals(), w)...)
	}
	for _, c := range asset.Checks {
		if len(c.Interfaces) > 0 {
			add("", s.bold.paint("Interfaces")+s.muted.paint("  "+clean(c.Name)+" · "+plural(len(c.Interfaces), "interface", "interfaces")))
			add(interfaceTable(s, c.Interfaces, w)...)
		}
	}
	if facts := factsLines(asset, w); len(facts) > 0 {
		add("", s.bold.paint("Facts"))
		for _, l := range facts {
			add(s.muted.paint(l))
		}
	}
	add("", s.bold.paint("Events")+s.muted.paint(" newest first · ")+a.log.source(e))
	add(a.eventLines(e)...)
	return out, first
}

// checkRow draws one check of the asset screen.
func checkRow(s *styles, c *model.CheckState, t table) []string {
	soft := ""
	if !c.Hard && c.Status.IsProblem() {
		soft = softLabel(c)
	}
	summary := clean(c.Summary)
	if c.Correlation != nil {
		summary += s.warnText.paint("; " + clean(c.Correlation.Text()))
	}
	if c.LastRun.IsZero() {
		summary = s.muted.paint("not run yet")
	}
	name := primaryMetric(c)
	status := statusLongMarked(s, c.Status, soft, ackMark(c.Ack != nil))
	if c.Flapping {
		status += " " + s.warnText.paint(flapSym)
	}
	cells := []string{status, clean(c.Name), s.muted.paint(c.Type), summary,
		formatMetric(c, name, metric(c, name)), "", s.muted.paint(clock(c.LastRun)), s.muted.paint(clock(c.NextRun))}
	if t.shown(5) && chartable(c, name) {
		cells[5] = s.accent.paint(sparkline(history(c, name, t.ws[5]), t.ws[5]))
	}
	return cells
}

// relatives lists parents or children with their status symbols.
func relatives(e *env, label string, names []string, w int) string {
	s := e.styles
	if len(names) == 0 {
		return s.muted.paint(label + "  none")
	}
	var b strings.Builder
	b.WriteString(s.muted.paint(label) + " ")
	for i, n := range names {
		mark := s.status(model.StatusPending).paint(model.StatusPending.Symbol())
		if r := e.index.row(n); r != nil {
			mark = rowMark(s, r)
		}
		if i > 0 {
			b.WriteString("  ")
		}
		b.WriteString(mark + " " + clean(n))
	}
	return cut(b.String(), w)
}

// lifecycleText is the asset's lifecycle line; with a lifecycle check its
// dates are left to the Renewals table, which has the engine's verdicts.
func lifecycleText(e *env, l *model.Lifecycle, judged bool) string {
	var parts []string
	if l.Commissioned != nil {
		parts = append(parts, "commissioned "+l.Commissioned.String())
	}
	today := e.now.UTC().Truncate(24 * time.Hour)
	date := func(what string, y, mo, d int, txt string) {
		t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
		days := int(math.Floor(t.Sub(today).Hours() / 24))
		parts = append(parts, what+" "+txt+" "+"("+e.styles.mark(itoa(days)+" d", float64(days), 90, 30, false)+")")
	}
	if w := l.WarrantyEnd; w != nil && !judged {
		date("warranty end", w.Year, w.Month, w.Day, w.String())
	}
	if e := l.EOL; e != nil && !judged {
		date("EOL", e.Year, e.Month, e.Day, e.String())
	}
	if l.Licence != "" {
		parts = append(parts, "licence "+clean(l.Licence))
	}
	if l.Owner != "" {
		parts = append(parts, "owner "+clean(l.Owner))
	}
	return strings.Join(parts, " · ")
}

// factsLines lists the non-numeric facts the checks reported (host OS,
// TLS issuer), sorted, several per line.
func factsLines(a *model.AssetState, w int) []string {
	var facts []string
	for _, c := range a.Checks {
		if c.Type == model.CheckLifecycle {
			continue // its attrs keep the certificates for the store: Renewals shows them
		}
		keys := make([]string, 0, len(c.Attrs))
		for k := range c.Attrs {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			facts = append(facts, clean(k)+"="+clean(c.Attrs[k]))
		}
	}
	var lines []string
	cur := ""
	for _, f := range facts {
		f = cut(f, w-2)
		if cur != "" && width(cur)+2+width(f) > w {
			lines = append(lines, cur)
			cur = ""
		}
		if cur != "" {
			cur += "  "
		}
		cur += f
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}

// eventLines lists the asset's events, newest first, and where the list
// ends (in the store, or this run's window without one). The events'
// lines are kept until the list or the styles change: the document is
// built several times per key.
func (a *assetScreen) eventLines(e *env) []string {
	s := e.styles
	if a.evLines == nil || a.evVersion != a.log.version || a.evStyles != s {
		a.evLines = a.evLines[:0]
		for i := range a.log.evs {
			ev := &a.log.evs[i].Event
			what := clean(ev.Check)
			if what == "" {
				what = "asset"
			}
			a.evLines = append(a.evLines, s.muted.paint(ev.At.Format("01-02 15:04:05"))+" "+s.status(ev.To).paint(ev.To.Symbol())+" "+what+" "+
				eventChange(s, ev)+": "+clean(ev.Summary))
		}
		if len(a.evLines) == 0 {
			a.evLines = append(a.evLines, s.muted.paint("no events yet"))
		}
		a.evVersion, a.evStyles = a.log.version, s
	}
	return append(a.evLines[:len(a.evLines):len(a.evLines)], a.log.footer(e))
}
