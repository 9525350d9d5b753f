package ui

import (
	"path/filepath"
	"strings"

	"noctop/model"
)

// Root's own lines around the screen on show: the header, the breadcrumb
// and the status line.

// header is the top line: product, config, counts per status, ICMP mode,
// the schedule's lag when its p99 is past a second, the clock and the age
// of the newest result.
func (m *Root) header() string {
	s := m.styles
	name := "noctop"
	if m.opts.Version != "" {
		name += " " + m.opts.Version
	}
	cfg := m.opts.ConfigName
	if cfg == "" && m.snap != nil {
		cfg = filepath.Base(m.snap.ConfigPath)
	}
	var counts strings.Builder
	for _, status := range model.Statuses() {
		n := 0
		if m.snap != nil {
			n = m.snap.Count(status)
		}
		if counts.Len() > 0 {
			counts.WriteByte(' ')
		}
		if n == 0 {
			counts.WriteString(s.muted.paint(status.Symbol() + "0"))
		} else {
			counts.WriteString(s.status(status).paint(status.Symbol() + itoa(n)))
		}
	}
	var right []string
	if m.paused {
		p := "⏸ PAUSED"
		if m.heldUpdates > 0 {
			p += " (" + plural(m.heldUpdates, "update", "updates") + " held)"
		}
		right = append(right, s.warnText.paint(p))
	}
	if m.opts.ICMPMode != "" {
		mode := "icmp " + m.opts.ICMPMode
		if m.opts.ICMPMode == "unavailable" {
			mode = s.status(model.StatusUnknown).paint(mode)
		}
		right = append(right, mode)
	}
	if m.snap != nil && m.snap.Lag.Slow() {
		// The monitor cannot keep up: runs start late, so every figure on
		// screen is older than it looks.
		right = append(right, s.warnText.paint("▲ lag p99 "+took(m.snap.Lag.P99)))
	}
	right = append(right, clock(m.now))
	if m.snap != nil && !m.snap.Newest.IsZero() {
		right = append(right, "newest "+agoSecs(m.now, m.snap.Newest))
	}
	r := strings.Join(right, "  ")
	l := s.title.paint(name) + " " + s.muted.paint("·") + " "
	w := m.width
	room := w - width(l) - width(counts.String()) - width(r) - 4
	if room < 4 {
		room = max(w-width(l)-width(r)-2, 4)
		return fit(l+cut(clean(cfg), room), w-width(r)-1) + " " + r
	}
	left := l + cut(clean(cfg), room) + "  " + counts.String()
	return left + spaces(w-width(left)-width(r)) + r
}

// navLine is the breadcrumb of the navigation stack, with sort and filter
// on the right.
func (m *Root) navLine() string {
	s := m.styles
	var room [8]string // deep enough for most stacks, without allocating
	parts := append(room[:0], "Overview")
	for _, scr := range m.stack {
		parts = append(parts, scr.Crumb())
	}
	if m.help.open {
		parts = append(parts, "Help")
	}
	crumb := s.crumb.paint(strings.Join(parts[:len(parts)-1], " › ")+" › ") + s.bold.paint(parts[len(parts)-1])
	right := "sort: " + m.sort.String()
	if m.filter.active() && m.index != nil {
		right = "filter: " + clean(m.filter.String()) + " (" + itoa(len(m.index.tech)+len(m.index.app)) + " of " + itoa(len(m.snap.Assets)) + ")  " + right
	}
	right = s.muted.paint(right)
	rw := min(width(right), m.width/2)
	return fit(crumb, m.width-rw-1) + " " + fitRight(right, rw)
}

// statusLine is the bottom line: the filter being typed, the startup
// progress, the latest notice, or key hints.
func (m *Root) statusLine() string {
	s := m.styles
	if m.maint.open {
		return m.maintLine()
	}
	if m.ack.open {
		return m.ackLine()
	}
	if m.editingFilter {
		return fit(s.accent.paint("/")+" "+clean(m.filterInput.value)+"█"+s.muted.paint("   Enter keep · Esc clear · status:crit tag:site:hq layer:app"), m.width)
	}
	hints := s.muted.paint("? help  / filter  s sort  t triage  e events  w wall  q quit")
	var left string
	switch {
	case m.snap == nil:
		left = m.spin.View() + " starting…"
	case m.starting():
		left = m.spin.View() + " " + itoa(m.snap.Done) + " of " + plural(m.snap.Checks, "check", "checks") + " done"
	}
	if m.notice != "" {
		if left != "" {
			left += "  "
		}
		left += s.accent.paint(m.notice)
	}
	if m.closed {
		left = s.critText.paint("engine stopped: the screen no longer updates") + "  " + left
	}
	return m.hintLine(left, hints, s.muted.paint("? help  / filter  e events  q quit"), s.muted.paint("? help  q quit"))
}

// hintLine is a bottom line: left (notes, progress), then key hints at the
// right edge. The hints always show: the full ones when left fits beside
// them, else the shortest, with left cut to the room that remains.
func (m *Root) hintLine(left string, hints ...string) string {
	w, lw := m.width, width(left)
	for i, h := range hints {
		hw := width(h)
		if lw+hw+2 <= w || i == len(hints)-1 {
			if hw+2 > w {
				return fit(h, w)
			}
			return fit(left, w-hw-2) + "  " + h
		}
	}
	return fit(left, w)
}
