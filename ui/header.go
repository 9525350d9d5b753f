package ui

import (
	"path/filepath"
	"strings"

	"noctop/model"
)

// shortStatus names a status in a narrow cell.
func shortStatus(st model.Status) string {
	switch st {
	case model.StatusPending:
		return "PEND"
	case model.StatusWarning:
		return "WARN"
	case model.StatusCritical:
		return "CRIT"
	case model.StatusUnknown:
		return "UNKN"
	case model.StatusUnreachable:
		return "UNRE"
	case model.StatusMaintenance:
		return "MAINT"
	}
	return st.String()
}

// statusCell is "✗ CRIT" (hard) or "✗ CRIT 1/3" (soft), in its colour.
func statusCell(s *styles, st model.Status, soft string) string {
	t := st.Symbol() + " " + shortStatus(st)
	if soft != "" {
		t += " " + soft
	}
	return s.st(st).paint(t)
}

// statusLong is "✗ CRITICAL" or "✗ CRITICAL soft 1/3".
func statusLong(s *styles, st model.Status, soft string) string {
	t := st.Symbol() + " " + st.String()
	if soft != "" {
		t += " soft " + soft
	}
	return s.st(st).paint(t)
}

// header is the top line: product, config, counts per status, ICMP mode,
// clock and the age of the newest result.
func (m *Root) header() string {
	s := m.st
	name := "noctop"
	if m.opts.Version != "" {
		name += " " + m.opts.Version
	}
	cfg := m.opts.ConfigName
	if cfg == "" && m.snap != nil {
		cfg = filepath.Base(m.snap.ConfigPath)
	}
	var counts strings.Builder
	for _, st := range model.Statuses() {
		n := 0
		if m.snap != nil {
			n = m.snap.Count(st)
		}
		if counts.Len() > 0 {
			counts.WriteByte(' ')
		}
		if n == 0 {
			counts.WriteString(s.muted.paint(st.Symbol() + "0"))
		} else {
			counts.WriteString(s.st(st).paint(st.Symbol() + itoa(n)))
		}
	}
	var right []string
	if m.paused {
		p := "⏸ PAUSED"
		if m.heldN > 0 {
			p += " (" + plural(m.heldN, "update", "updates") + " held)"
		}
		right = append(right, s.warnText.paint(p))
	}
	if m.opts.ICMPMode != "" {
		mode := "icmp " + m.opts.ICMPMode
		if m.opts.ICMPMode == "unavailable" {
			mode = s.st(model.StatusUnknown).paint(mode)
		}
		right = append(right, mode)
	}
	right = append(right, clock(m.now))
	if m.snap != nil && !m.snap.Newest.IsZero() {
		right = append(right, "newest "+agoSecs(m.now, m.snap.Newest))
	}
	r := strings.Join(right, "  ")
	l := s.title.paint(name) + " " + s.muted.paint("·") + " "
	room := m.w - width(l) - width(counts.String()) - width(r) - 4
	if room < 4 {
		room = max(m.w-width(l)-width(r)-2, 4)
		return fit(l+cut(clean(cfg), room), m.w-width(r)-1) + " " + r
	}
	left := l + cut(clean(cfg), room) + "  " + counts.String()
	return left + spaces(m.w-width(left)-width(r)) + r
}

// navLine is the breadcrumb of the navigation stack, with sort and filter
// on the right.
func (m *Root) navLine() string {
	s := m.st
	var parts []string
	for _, f := range m.stack {
		switch f.kind {
		case scrOverview:
			parts = append(parts, "Overview", paneNames[m.pane])
		case scrAsset:
			parts = append(parts, clean(f.asset))
		case scrCheck:
			parts = append(parts, clean(f.check))
		case scrService:
			parts = append(parts, "service "+clean(f.service))
		case scrTriage:
			parts = append(parts, "Triage")
		}
	}
	if m.help {
		parts = append(parts, "Help")
	}
	crumb := s.crumb.paint(strings.Join(parts[:len(parts)-1], " › ")+" › ") + s.bold.paint(parts[len(parts)-1])
	right := "sort: " + m.sort.String()
	if m.flt.active() && m.ix != nil {
		right = "filter: " + clean(m.flt.String()) + " (" + itoa(len(m.ix.tech)+len(m.ix.app)) + " of " + itoa(len(m.snap.Assets)) + ")  " + right
	}
	right = s.muted.paint(right)
	rw := min(width(right), m.w/2)
	return fit(crumb, m.w-rw-1) + " " + fitRight(right, rw)
}

// statusLine is the bottom line: the filter being typed, the startup
// progress, the latest notice, or key hints.
func (m *Root) statusLine() string {
	s := m.st
	if m.editing {
		return fit(s.accent.paint("/")+" "+clean(m.in.value)+"█"+s.muted.paint("   Enter keep · Esc clear · status:crit tag:site:hq layer:app"), m.w)
	}
	hints := s.muted.paint("? help  / filter  s sort  t triage  w wall  q quit")
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
	return m.hintLine(left, hints, s.muted.paint("? help  q quit"))
}

// hintLine is a bottom line: left (notes, progress), then key hints at the
// right edge. The hints always show: the full ones when left fits beside
// them, else the shortest, with left cut to the room that remains.
func (m *Root) hintLine(left string, hints ...string) string {
	lw := width(left)
	for i, h := range hints {
		hw := width(h)
		if lw+hw+2 <= m.w || i == len(hints)-1 {
			if hw+2 > m.w {
				return fit(h, m.w)
			}
			return fit(left, m.w-hw-2) + "  " + h
		}
	}
	return fit(left, m.w)
}

// statusMeaning explains a status in the help overlay.
func statusMeaning(st model.Status) string {
	switch st {
	case model.StatusCritical:
		return "down, refused, no answer"
	case model.StatusUnknown:
		return "the probe could not decide"
	case model.StatusWarning:
		return "over a warning threshold"
	case model.StatusUnreachable:
		return "a parent is down: see its root cause"
	case model.StatusPending:
		return "not checked yet"
	case model.StatusMaintenance:
		return "in a maintenance window"
	}
	return "fine"
}

func statusOrder() []model.Status { return model.Statuses() }
