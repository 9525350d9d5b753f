package ui

import (
	"time"

	"noctop/model"
)

// wallStatuses are always shown on the wall; maintenance and pending join
// them when non-zero.
var wallStatuses = []model.Status{
	model.StatusCritical, model.StatusUnknown, model.StatusWarning, model.StatusUnreachable, model.StatusOK,
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
	sts := append([]model.Status(nil), wallStatuses...)
	for _, st := range []model.Status{model.StatusMaintenance, model.StatusPending} {
		if m.snap.Count(st) > 0 {
			sts = append(sts, st)
		}
	}
	cw := w / len(sts)
	block := make([]string, bigRows+2)
	for i, st := range sts {
		bw := cw
		if i == len(sts)-1 {
			bw = w - cw*(len(sts)-1)
		}
		n := m.snap.Count(st)
		t := s.st(st)
		if n == 0 {
			t = s.muted
		}
		label := st.Symbol() + " " + st.String()
		if width(label) > bw-1 {
			label = st.Symbol() + " " + shortStatus(st)
		}
		block[0] += center(t.paint(label), bw)
		big := bigNumber(n)
		if width(big[0]) > bw-1 {
			big = [bigRows]string{"", "", itoa(n), "", ""}
		}
		for r := range bigRows {
			block[r+1] += t.paint(center(big[r], bw))
		}
		block[bigRows+1] += spaces(bw)
	}
	out = append(out, "")
	out = append(out, block...)
	left := h - len(out) - 1
	probs := m.ix.problems
	if len(probs) > 0 && left > 4 {
		n := min(len(probs), max(left/3, 2))
		out = append(out, s.bold.paint("Problems")+s.muted.paint(" worst first"))
		for _, r := range probs[:n] {
			line := statusCell(s, r.a.Status, r.soft) + " " + s.bold.paint(r.name) + "  " + s.muted.paint(r.kind) + "  " + clean(r.a.Reason)
			out = append(out, line)
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
	foot := s.muted.paint("w leave wall mode · ? help · q quit")
	if m.notice != "" {
		foot = s.accent.paint(m.notice) + "  " + foot
	}
	return append(out, foot)
}
