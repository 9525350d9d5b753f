package ui

import (
	"time"

	"noctop/model"
)

// wallCounter is one big number of the wall: a count of the engine's
// Tally (or of OK assets), with a long and a short label.
type wallCounter struct {
	sym, long, short string
	n                int
	tone             tone
	always           bool // shown even at zero
}

// wallCounters are the wall's numbers, most urgent first: the same counts
// the banner and triage word, from the snapshot's Tally.
func (m *Root) wallCounters() []wallCounter {
	s, t := m.st, m.snap.Tally
	crit := s.st(model.StatusCritical)
	all := []wallCounter{
		{roleRoot.sym, "ROOT CAUSES", "ROOT", t.RootCauses, crit, true},
		{model.StatusUnreachable.Symbol(), "UNREACHABLE", "UNRE", t.Unreachable, s.st(model.StatusUnreachable), true},
		{model.StatusCritical.Symbol(), "CRITICAL", "CRIT", t.Critical, crit, true},
		{model.StatusCritical.Symbol(), "SERVICES DOWN", "SVC DOWN", t.ServicesDown, crit, true},
		{roleWait.sym, "WAITING", "WAIT", t.Checking, s.warnText, false},
		{model.StatusUnknown.Symbol(), "UNKNOWN", "UNKN", t.Unknown, s.st(model.StatusUnknown), true},
		{model.StatusWarning.Symbol(), "WARNING", "WARN", t.Warning, s.st(model.StatusWarning), true},
		{model.StatusOK.Symbol(), "OK", "OK", m.snap.Count(model.StatusOK), s.st(model.StatusOK), true},
	}
	out := all[:0]
	for _, c := range all {
		if c.always || c.n > 0 {
			out = append(out, c)
		}
	}
	return out
}

// wallPane is the pane on show: the three rotate every Rotate.
func (m *Root) wallPane() int {
	return int(m.now.Sub(m.wallStart)/max(m.opts.Rotate, time.Second)) % numPanes
}

// wallView is the NOC wall: header, banner, big per-status counters,
// problems first, then a pane that rotates. No cursor.
func (m *Root) wallView() []string {
	s := m.st
	w, h := m.w, m.h
	out := []string{m.header()}
	if b, ok := m.banner(); ok {
		out = append(out, b)
	}
	if m.snap == nil {
		return append(out, "", center(m.spin.View()+" waiting for the first snapshot…", w))
	}
	counters := m.wallCounters()
	cw := w / len(counters)
	long := true // one kind of label for all, so the row reads evenly
	for _, c := range counters {
		long = long && width(c.sym+" "+c.long) <= cw-1
	}
	block := make([]string, bigRows+2)
	for i, c := range counters {
		bw := cw
		if i == len(counters)-1 {
			bw = w - cw*(len(counters)-1)
		}
		t := c.tone
		if c.n == 0 {
			t = s.muted
		}
		label := c.sym + " " + c.short
		if long {
			label = c.sym + " " + c.long
		}
		block[0] += center(t.paint(label), bw)
		big := bigNumber(c.n)
		if width(big[0]) > bw-1 {
			big = [bigRows]string{"", "", itoa(c.n), "", ""}
		}
		for r := range bigRows {
			block[r+1] += t.paint(center(big[r], bw))
		}
		block[bigRows+1] += spaces(bw)
	}
	out = append(out, "")
	out = append(out, block...)
	left := h - len(out) - 1
	// The problems in triage's order: root causes with what they take
	// down, assets being rechecked with what waits for them, the rest.
	probs := m.triage().items
	if len(probs) > 0 && left > 4 {
		n := min(len(probs), max(left/3, 2))
		out = append(out, s.bold.paint("Problems")+s.muted.paint(" root causes first"))
		for _, it := range probs[:n] {
			r := it.r
			// What hangs on it comes before the reason, which may be long.
			line := m.ix.assetCell(s, r) + " " + s.bold.paint(r.name) + "  " + s.muted.paint(r.kind) + "  "
			switch it.kind {
			case itemCause:
				line += "takes down " + plural(len(m.ix.behind[r.a.Name]), "asset", "assets") +
					", " + plural(len(m.ix.servicesDown(r.a.Name)), "service", "services") + " — "
			case itemRecheck:
				line += plural(len(m.ix.waiting[r.a.Name]), "asset waits", "assets wait") + " for it — "
			}
			out = append(out, line+r.reason)
		}
		if len(probs) > n {
			out = append(out, s.muted.paint("… and "+itoa(len(probs)-n)+" more"))
		}
		out = append(out, "")
		left = h - len(out) - 1
	}
	if left > paneHeadRows {
		p := m.wallPane()
		title := m.st.tabOn.paint(" "+paneNames[p]+" ") + " " + m.paneCounts(p) + s.muted.paint("  (rotates every "+m.opts.Rotate.String()+")")
		out = append(out, m.pane1(p, w, left, title)...)
	}
	out = padLines(out, w, h-1)
	return append(out, m.hintLine(s.accent.paint(m.notice), s.muted.paint("w leave wall mode · ? help · q quit"), s.muted.paint("w leave · ? help · q quit")))
}
