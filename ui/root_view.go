package ui

import (
	"strings"

	tea "charm.land/bubbletea/v2"
)

// View draws the whole screen.
func (m *Root) View() tea.View {
	v := tea.NewView(m.Render())
	v.AltScreen = true
	if !m.wall.on {
		v.MouseMode = tea.MouseModeCellMotion
	}
	v.WindowTitle = "noctop " + m.opts.ConfigName
	return v
}

// Render is the screen as text: exactly height lines of width cells.
func (m *Root) Render() string {
	w, h := m.width, m.height
	if w < minWidth || h < minHeight {
		return m.tooSmall()
	}
	var lines []string
	if m.wall.on {
		lines = padLines(m.wallView(), w, h)
	} else {
		// Each line is fitted once: the body's by padLines, Root's own here.
		lines = append(lines, fit(m.header(), w))
		if b, ok := m.banner(); ok {
			lines = append(lines, fit(b, w))
		}
		lines = append(lines, fit(m.navLine(), w))
		bodyH := h - len(lines) - 1
		body := padLines(m.body(w, bodyH), w, bodyH)
		if m.help.open {
			body = padLines(m.help.over(body, m.keys, &m.env, w, bodyH), w, bodyH)
		}
		lines = append(lines, body...)
		lines = append(lines, fit(m.statusLine(), w))
	}
	var b strings.Builder
	b.Grow(w * h * 2)
	for i, l := range lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(l)
	}
	return b.String()
}

// padLines returns exactly h lines of w cells.
func padLines(lines []string, w, h int) []string {
	if len(lines) > h {
		lines = lines[:h]
	}
	out := make([]string, h)
	for i := range h {
		if i < len(lines) {
			out[i] = fit(lines[i], w)
		} else {
			out[i] = spaces(w)
		}
	}
	return out
}

// body draws the screen on top of the stack.
func (m *Root) body(w, h int) []string {
	if m.snap == nil {
		return []string{"", center(m.spin.View()+" waiting for the first snapshot…", w)}
	}
	return m.top().View(&m.env, w, h)
}

func (m *Root) tooSmall() string {
	w, h := m.width, m.height
	msg := []string{"noctop needs at least 80x24", "make the window larger (now " + itoa(w) + "x" + itoa(h) + ")"}
	lines := make([]string, max(h, 1))
	top := max((len(lines)-len(msg))/2, 0)
	for i := range lines {
		if j := i - top; j >= 0 && j < len(msg) {
			lines[i] = center(msg[j], max(w, 1))
		} else {
			lines[i] = spaces(w)
		}
	}
	return strings.Join(lines, "\n")
}
