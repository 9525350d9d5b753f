package ui

import (
	"cmp"
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

// assetView draws the asset screen scrolled to f.offset.
func (m *Root) assetView(f *frame, w, h int) []string {
	lines, _ := m.assetLines(f, w)
	off := min(f.offset, max(len(lines)-h, 0))
	return lines[off:]
}

// assetCursorLine is the line of the selected check (-1 without asset).
func (m *Root) assetCursorLine(f *frame) int {
	_, first := m.assetLines(f, m.w)
	if first < 0 {
		return -1
	}
	return first + f.cursor
}

// assetLines is the whole asset screen, and the line of its first check.
func (m *Root) assetLines(f *frame, w int) ([]string, int) {
	s := m.st
	if m.snap == nil {
		return nil, -1
	}
	a := m.snap.Asset(f.asset)
	if a == nil {
		return []string{s.muted.paint("asset " + clean(f.asset) + " is no longer in the configuration")}, -1
	}
	var out []string
	add := func(l ...string) { out = append(out, l...) }
	head := s.bold.paint(clean(a.Name)) + "  " + s.muted.paint(clean(a.Kind)+"  "+clean(a.Address)+"  "+a.Layer) + "   " +
		statusLong(s, a.Status, m.ix.rows[a].soft) + s.muted.paint("  since "+clock(a.Since)+" ("+ago(m.now, a.Since)+")")
	add(head)
	reason := clean(a.Reason)
	if a.Status == model.StatusUnreachable && a.RootCause != "" {
		reason = "parents down: root cause " + clean(a.RootCause) + " — its own checks are not to blame"
	}
	if reason != "" {
		add(s.muted.paint("reason  ") + reason)
	}
	switch {
	case a.Role == model.RoleRootCause:
		add(s.critText.paint(roleRoot.sym+" root cause") + ": " +
			plural(len(m.ix.behind[a.Name]), "asset behind it is", "assets behind it are") + " UNREACHABLE")
	case a.Role == model.RoleChecking:
		add(s.warnText.paint(roleWait.sym+" waits for the recheck of "+clean(a.Checking)) + ": not a root cause until that verdict")
	}
	if m.ix.rechecking[a.Name] {
		add(s.accent.paint(recheckSym+" being rechecked: ") +
			plural(len(m.ix.waiting[a.Name]), "child started failing and waits", "children started failing and wait") + " for this verdict")
	}
	add(m.relatives("parents ", a.Parents, w), m.relatives("children", a.Children, w))
	if len(a.Tags) > 0 {
		add(s.muted.paint("tags    ") + clean(strings.Join(a.Tags, " ")))
	}
	if l := a.Lifecycle; l != nil {
		add(s.muted.paint("life    ") + m.lifecycleText(l))
	}
	add("", s.bold.paint("Checks"))
	nameW := 0
	for _, c := range a.Checks {
		nameW = max(nameW, width(clean(c.Name)))
	}
	t := newTable(checkColumns, w, 0, nameW)
	add(t.header(s))
	first := len(out)
	for i, c := range a.Checks {
		if i == f.cursor {
			add(s.selected.paint(t.line(m.checkRow(m.plain, c, t))))
		} else {
			add(t.line(m.checkRow(s, c, t)))
		}
	}
	for _, c := range a.Checks {
		if c.Type == model.CheckHost && len(c.Metrics) > 0 {
			add("", s.bold.paint("Hardware")+s.muted.paint("  "+clean(c.Name)))
			add(m.hardware(c, w)...)
		}
	}
	for _, c := range a.Checks {
		if len(c.Interfaces) > 0 {
			add("", s.bold.paint("Interfaces")+s.muted.paint("  "+clean(c.Name)+" · "+plural(len(c.Interfaces), "interface", "interfaces")))
			add(interfaceTable(s, c.Interfaces, w)...)
		}
	}
	if facts := factsLines(a, w); len(facts) > 0 {
		add("", s.bold.paint("Facts"))
		for _, l := range facts {
			add(s.muted.paint(l))
		}
	}
	add("", s.bold.paint("Recent events")+s.muted.paint(" newest first"))
	add(m.eventLines(a.Name, 10)...)
	return out, first
}

// checkRow draws one check of the asset screen.
func (m *Root) checkRow(s *styles, c *model.CheckState, t table) []string {
	soft := ""
	if !c.Hard && c.Status.IsProblem() {
		soft = softLabel(c)
	}
	summary := clean(c.Summary)
	if c.LastRun.IsZero() {
		summary = s.muted.paint("not run yet")
	}
	key := mainMetric(c)
	cells := []string{statusLong(s, c.Status, soft), clean(c.Name), s.muted.paint(c.Type), summary,
		formatMetric(key, metric(c, key)), "", s.muted.paint(clock(c.LastRun)), s.muted.paint(clock(c.NextRun))}
	if t.shown(5) && key != "" {
		cells[5] = s.accent.paint(sparkline(history(c, key, t.ws[5]), t.ws[5]))
	}
	return cells
}

// relatives lists parents or children with their status symbols.
func (m *Root) relatives(label string, names []string, w int) string {
	s := m.st
	if len(names) == 0 {
		return s.muted.paint(label + "  none")
	}
	var b strings.Builder
	b.WriteString(s.muted.paint(label) + " ")
	for i, n := range names {
		mark := s.st(model.StatusPending).paint(model.StatusPending.Symbol())
		if r := m.ix.byName[n]; r != nil {
			mark = m.rowMark(s, r)
		}
		if i > 0 {
			b.WriteString("  ")
		}
		b.WriteString(mark + " " + clean(n))
	}
	return cut(b.String(), w)
}

func (m *Root) lifecycleText(l *model.Lifecycle) string {
	var parts []string
	if l.Commissioned != nil {
		parts = append(parts, "commissioned "+l.Commissioned.String())
	}
	today := m.now.UTC().Truncate(24 * time.Hour)
	date := func(what string, y, mo, d int, txt string) {
		t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
		days := int(math.Floor(t.Sub(today).Hours() / 24))
		parts = append(parts, what+" "+txt+" "+"("+m.st.mark(itoa(days)+" d", float64(days), 90, 30, false)+")")
	}
	if w := l.WarrantyEnd; w != nil {
		date("warranty end", w.Year, w.Month, w.Day, w.String())
	}
	if e := l.EOL; e != nil {
		date("EOL", e.Year, e.Month, e.Day, e.String())
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

// eventLines lists an asset's n newest events, newest first by the time
// they happened (then by sequence): results are recorded in the order they
// arrive, which is not the order the checks ran in.
func (m *Root) eventLines(asset string, n int) []string {
	s := m.st
	var evs []model.Event
	for _, e := range m.snap.Events {
		if e.Asset == asset {
			evs = append(evs, e)
		}
	}
	slices.SortFunc(evs, func(a, b model.Event) int {
		if c := b.At.Compare(a.At); c != 0 {
			return c
		}
		return cmp.Compare(b.Seq, a.Seq)
	})
	var out []string
	for _, e := range evs[:min(n, len(evs))] {
		what := clean(e.Check)
		if what == "" {
			what = "asset"
		}
		line := s.muted.paint(e.At.Format("01-02 15:04:05")) + " " + s.st(e.To).paint(e.To.Symbol()) + " " + what + " "
		if e.Kind == model.EventState {
			from, to, _ := strings.Cut(e.Transition(), " -> ")
			line += from + " -> " + s.st(e.To).paint(to) + ": "
		} else {
			line += s.accent.paint(e.Kind) + ": "
		}
		out = append(out, line+clean(e.Summary))
	}
	if len(out) == 0 {
		out = append(out, s.muted.paint("no events yet"))
	}
	return out
}
