package ui

import (
	"slices"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// helpColW is the width of one column of key help.
const helpColW = 54

// helpInner is the size of the help box's inside: as much as the key list
// needs (two columns when they fit), within the body less a margin of one
// row and two columns around a one-cell border.
func (m *Root) helpInner() (w, h int) {
	w = min(max(m.w-6, 10), 2*helpColW)
	h = min(len(m.helpView(w, 1<<20)), max(m.bodyHeight()-4, 3))
	return w, h
}

// overlayHelp draws the help in a bordered box over the current screen, so
// the operator keeps their place.
func (m *Root) overlayHelp(body []string, w, h int) []string {
	iw, ih := m.helpInner()
	inner := padLines(m.helpView(iw, ih), iw, ih)
	box := strings.Split(lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).Render(strings.Join(inner, "\n")), "\n")
	x, bw := max((w-iw-2)/2, 0), iw+2
	out := slices.Clone(body)
	for i, line := range box {
		y := 1 + i
		if y >= len(out) {
			break
		}
		// Cut the screen line around the box; reset styles at the seams so
		// colours of the screen do not bleed into the box or back.
		under := out[y]
		out[y] = ansi.Cut(under, 0, x) + "\x1b[m" + line + "\x1b[m" + ansi.Cut(under, x+bw, w)
	}
	return padLines(out, w, h)
}

// helpView lists every key binding, generated from the key map, in
// columns when there is room.
func (m *Root) helpView(w, h int) []string {
	s := m.st
	var blocks [][]string
	for _, g := range m.keys.groups() {
		lines := []string{s.bold.paint(g.title)}
		for _, b := range g.keys {
			hl := b.Help()
			lines = append(lines, s.accent.paint(fit(hl.Key, 10))+" "+hl.Desc)
		}
		blocks = append(blocks, lines)
	}
	extra := []string{
		s.bold.paint("Mouse"),
		s.accent.paint(fit("click", 10)) + " select a row (and a pane, side by side)",
		s.accent.paint(fit("wheel", 10)) + " scroll",
		"",
		s.bold.paint("Statuses"),
	}
	for _, st := range statusOrder() {
		extra = append(extra, fit(statusLong(s, st, ""), 14)+s.muted.paint("  "+statusMeaning(st)))
	}
	extra = append(extra, "", s.bold.paint("Marks"),
		fit(s.critText.paint(roleRoot.sym+" ROOT"), 14)+s.muted.paint("  root cause: down, its parents up"),
		fit(s.warnText.paint(roleWait.sym+" WAIT"), 14)+s.muted.paint("  failing, waits for a parent's recheck"),
		fit(recheckSym+" OK", 14)+s.muted.paint("  rechecked now: a child is failing"))
	blocks = append(blocks, extra)
	colW := helpColW
	cols := max(min(w/colW, 2), 1)
	if cols == 1 {
		colW = w
	}
	var out []string
	out = append(out, s.title.paint("Keys")+s.muted.paint("  (? or Esc closes)"), "")
	// Fill columns top to bottom, block by block.
	colLines := make([][]string, cols)
	per := (len(blocks) + cols - 1) / cols
	for i, b := range blocks {
		c := min(i/per, cols-1)
		colLines[c] = append(colLines[c], b...)
		colLines[c] = append(colLines[c], "")
	}
	rows := 0
	for _, c := range colLines {
		rows = max(rows, len(c))
	}
	for r := range rows {
		var b strings.Builder
		for c := range cols {
			cell := ""
			if r < len(colLines[c]) {
				cell = colLines[c][r]
			}
			b.WriteString(fit(cell, colW-1) + " ") // a gap, so a long line never runs into the next column
		}
		out = append(out, b.String())
	}
	if len(out) <= h {
		return out
	}
	// Too tall: scroll the key list under the title (j/k, PgUp/PgDn).
	off := min(m.helpOff, len(out)-h)
	body := append([]string{out[0] + s.muted.paint("  ↑↓ scroll")}, out[1+off:]...)
	return body[:h]
}
