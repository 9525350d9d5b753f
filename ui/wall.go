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

// wallMode is the NOC wall: big counters, the problems, and a pane that
// rotates. It has no cursor.
type wallMode struct {
	on    bool
	start time.Time // the panes rotate from here
}

// pane is the pane on show: the three rotate every period.
func (w wallMode) pane(now time.Time, period time.Duration) int {
	return int(now.Sub(w.start)/max(period, time.Second)) % numPanes
}

// wallCounters are the wall's numbers, most urgent first: the same counts
// the banner and triage word, from the snapshot's Tally.
func wallCounters(e *env) []wallCounter {
	s, t := e.styles, e.snap.Tally
	crit := s.status(model.StatusCritical)
	all := []wallCounter{
		{roleRoot.sym, "ROOT CAUSES", "ROOT", t.RootCauses, crit, true},
		{model.StatusUnreachable.Symbol(), "UNREACHABLE", "UNRE", t.Unreachable, s.status(model.StatusUnreachable), true},
		{model.StatusCritical.Symbol(), "CRITICAL", "CRIT", t.Critical, crit, true},
		{model.StatusCritical.Symbol(), "SERVICES DOWN", "SVC DOWN", t.ServicesDown, crit, true},
		{roleWait.sym, "WAITING", "WAIT", t.Checking, s.warnText, false},
		{model.StatusUnknown.Symbol(), "UNKNOWN", "UNKN", t.Unknown, s.status(model.StatusUnknown), true},
		{model.StatusWarning.Symbol(), "WARNING", "WARN", t.Warning, s.status(model.StatusWarning), true},
		{ackSym, "ACKED", "ACK", t.Acked, s.muted, false},
		{model.StatusOK.Symbol(), "OK", "OK", e.snap.Count(model.StatusOK), s.status(model.StatusOK), true},
	}
	out := all[:0]
	for _, c := range all {
		if c.always || c.n > 0 {
			out = append(out, c)
		}
	}
	return out
}

// wallView is the NOC wall: header, banner, big per-status counters,
// problems first, then a pane that rotates. No cursor.
func (m *Root) wallView() []string {
	e := &m.env
	s := e.styles
	w, h := e.width, e.height
	out := []string{m.header()}
	if b, ok := m.banner(); ok {
		out = append(out, b)
	}
	if e.snap == nil {
		return append(out, "", center(m.spin.View()+" waiting for the first snapshot…", w))
	}
	counters := wallCounters(e)
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
	probs := e.index.triage().items
	if len(probs) > 0 && left > 4 {
		n := min(len(probs), max(left/3, 2))
		out = append(out, s.bold.paint("Problems")+s.muted.paint(" root causes first"))
		for _, it := range probs[:n] {
			r := it.r
			// What hangs on it comes before the reason, which may be long.
			line := e.index.assetCell(s, r) + " " + s.bold.paint(r.name) + "  " + s.muted.paint(r.kind) + "  "
			switch it.kind {
			case itemCause:
				line += "takes down " + plural(len(e.index.behind[r.a.Name]), "asset", "assets") +
					", " + plural(len(e.index.servicesDown(r.a.Name)), "service", "services") + " — "
			case itemRecheck:
				line += plural(len(e.index.waiting[r.a.Name]), "asset waits", "assets wait") + " for it — "
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
		p := m.wall.pane(e.now, m.opts.Rotate)
		title := s.tabOn.paint(" "+paneNames[p]+" ") + " " + paneCounts(e, p) + s.muted.paint("  (rotates every "+m.opts.Rotate.String()+")")
		out = append(out, m.overview().drawPane(e, p, w, left, title)...)
	}
	out = padLines(out, w, h-1)
	return append(out, m.hintLine(s.accent.paint(m.notice), s.muted.paint("w leave wall mode · ? help · q quit"), s.muted.paint("w leave · ? help · q quit")))
}
