package ui

import (
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"noctop/model"
)

// helpColW is the width of one column of key help.
const helpColW = 54

// helpOverlay is the key help, floating in a box over the current screen
// so the operator keeps their place; it scrolls when taller than the body.
type helpOverlay struct {
	open   bool
	offset int
}

// update handles a key while the help is open: ? or Esc closes it, the
// movement keys scroll it.
func (o *helpOverlay) update(pressed keyName, k keyMap, e *env) {
	switch {
	case key.Matches(pressed, k.Help, k.Back):
		o.open, o.offset = false, 0
	case key.Matches(pressed, k.Down):
		o.offset++
	case key.Matches(pressed, k.Up):
		o.offset = max(o.offset-1, 0)
	case key.Matches(pressed, k.PageDown):
		_, ih := o.inner(k, e)
		o.offset += max(ih-2, 1)
	case key.Matches(pressed, k.PageUp, k.Top):
		o.offset = 0
	}
	iw, ih := o.inner(k, e)
	o.offset = min(o.offset, max(len(o.lines(k, e.styles, iw, 1<<20))-ih, 0))
}

// inner is the size of the help box's inside: as much as the key list
// needs (two columns when they fit), within the body less a margin of one
// row and two columns around a one-cell border.
func (o *helpOverlay) inner(k keyMap, e *env) (w, h int) {
	w = min(max(e.width-6, 10), 2*helpColW)
	h = min(len(o.lines(k, e.styles, w, 1<<20)), max(e.bodyHeight()-4, 3))
	return w, h
}

// over draws the help in a bordered box over the body of the current
// screen.
func (o *helpOverlay) over(body []string, k keyMap, e *env, w, h int) []string {
	iw, ih := o.inner(k, e)
	inner := padLines(o.lines(k, e.styles, iw, ih), iw, ih)
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

// lines lists every key binding, generated from the key map, in columns
// when there is room, scrolled to the offset when taller than h.
func (o *helpOverlay) lines(k keyMap, s *styles, w, h int) []string {
	var blocks [][]string
	for _, g := range k.groups() {
		lines := []string{s.bold.paint(g.title)}
		for _, b := range g.keys {
			hl := b.Help()
			lines = append(lines, s.accent.paint(fit(hl.Key, 10))+" "+hl.Desc)
		}
		blocks = append(blocks, lines)
	}
	mouse := []string{
		s.bold.paint("Mouse"),
		s.accent.paint(fit("click", 10)) + " select a row (and a pane, side by side)",
		s.accent.paint(fit("wheel", 10)) + " scroll",
	}
	statuses := []string{s.bold.paint("Statuses")}
	for _, status := range model.Statuses() {
		statuses = append(statuses, fit(statusLong(s, status, ""), 14)+s.muted.paint("  "+statusMeaning(status)))
	}
	marks := []string{s.bold.paint("Marks"),
		fit(s.critText.paint(roleRoot.sym+" ROOT"), 14) + s.muted.paint("  root cause: down, its parents up"),
		fit(s.warnText.paint(roleWait.sym+" WAIT"), 14) + s.muted.paint("  failing, waits for a parent's recheck"),
		fit(recheckSym+" OK", 14) + s.muted.paint("  rechecked now: a child is failing"),
		fit(s.warnText.paint(flapSym), 14) + s.muted.paint("  flapping: no alerts until it settles"),
		fit(s.status(model.StatusCritical).paint(model.StatusCritical.Symbol()+ackSym+" CRIT"), 14) + s.muted.paint("  acknowledged (a): someone is on it")}
	// The mouse goes with the moving keys, before the long Act block, so
	// the two columns come out even.
	blocks = slices.Insert(blocks, min(3, len(blocks)), mouse)
	blocks = append(blocks, statuses, marks)
	colW := helpColW
	cols := max(min(w/colW, 2), 1)
	if cols == 1 {
		colW = w
	}
	var out []string
	out = append(out, s.title.paint("Keys")+s.muted.paint("  (? or Esc closes)"), "")
	// Fill columns top to bottom, block by block, splitting where the
	// taller column is shortest.
	colLines := make([][]string, cols)
	split := len(blocks)
	if cols == 2 {
		split = balancedSplit(blocks)
	}
	for i, b := range blocks {
		c := 0
		if i >= split {
			c = 1
		}
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
	off := min(o.offset, len(out)-h)
	body := append([]string{out[0] + s.muted.paint("  ↑↓ scroll")}, out[1+off:]...)
	return body[:h]
}

// statusMeaning explains a status in the help.
func statusMeaning(status model.Status) string {
	switch status {
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

// balancedSplit is where two columns of blocks, in order, divide so that
// the taller one is as short as it can be (each block is followed by a
// blank line).
func balancedSplit(blocks [][]string) int {
	total := 0
	for _, b := range blocks {
		total += len(b) + 1
	}
	best, bestH, left := len(blocks), total, 0
	for i := range blocks {
		if h := max(left, total-left); h < bestH {
			best, bestH = i, h
		}
		left += len(blocks[i]) + 1
	}
	return best
}
