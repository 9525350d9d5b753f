package ui

import "strings"

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
		extra = append(extra, fit(statusLong(s, st, ""), 14)+s.muted.paint("  "+statusMeaning[st]))
	}
	blocks = append(blocks, extra)
	colW := 58
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
			b.WriteString(fit(cell, colW))
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
