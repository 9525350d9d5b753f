package ui

import (
	"strings"

	"noctop/model"
)

// paneHeadRows are the title and column header lines above a pane's rows.
const paneHeadRows = 2

// View draws the three panes side by side on wide terminals, or the
// focused one under a tab bar.
func (o *overviewScreen) View(e *env, w, h int) []string {
	if w >= sideBySide {
		ws := paneWidths(e, w)
		cols := make([][]string, numPanes)
		for p := range numPanes {
			cols[p] = padLines(o.drawPane(e, p, ws[p], h, o.paneTitle(e, p)), ws[p], h)
		}
		sep := e.styles.muted.paint("│")
		out := make([]string, h)
		for i := range h {
			out[i] = cols[0][i] + sep + cols[1][i] + sep + cols[2][i]
		}
		return out
	}
	return o.drawPane(e, o.pane, w, h, o.tabs(e))
}

// paneWidths splits w between three panes and two separators. The
// technical and application panes take what their columns use within an
// equal share; the functional pane, whose reasons say why a service is
// down, gets the rest.
func paneWidths(e *env, w int) [numPanes]int {
	inner := w - (numPanes - 1)
	share := inner / numPanes
	tw := min(newTable(techColumns, share, techContent(e.index.techW)...).used(), share)
	aw := min(newTable(appColumns, share, appContent(e.index.appW)...).used(), share)
	return [numPanes]int{tw, aw, inner - tw - aw}
}

// paneAt is the pane under column x, side by side.
func paneAt(e *env, x int) int {
	ws := paneWidths(e, e.width)
	for p := range numPanes - 1 {
		if x < ws[p]+1 {
			return p
		}
		x -= ws[p] + 1
	}
	return numPanes - 1
}

// drawPane draws pane p under a title line.
func (o *overviewScreen) drawPane(e *env, p, w, h int, title string) []string {
	switch p {
	case paneTechnical:
		return o.assetPane(e, p, e.index.tech, newTable(techColumns, w, techContent(e.index.techW)...), techRow, h, title)
	case paneApplication:
		return o.assetPane(e, p, e.index.app, newTable(appColumns, w, appContent(e.index.appW)...), appRow, h, title)
	}
	return o.functionalPane(e, w, h, title)
}

// paneTitle is "Technical 12 ✗2 ▲1", highlighted when focused.
func (o *overviewScreen) paneTitle(e *env, p int) string {
	t := " " + itoa(p+1) + " " + paneNames[p] + " "
	if p == o.pane {
		t = e.styles.tabOn.paint(t)
	} else {
		t = e.styles.bold.paint(t)
	}
	return t + " " + paneCounts(e, p)
}

// tabs is the tab bar of the narrow layout.
func (o *overviewScreen) tabs(e *env) string {
	var b strings.Builder
	for p := range numPanes {
		t := " " + itoa(p+1) + " " + paneNames[p] + " " + itoa(paneLen(e, p)) + " "
		if p == o.pane {
			b.WriteString(e.styles.tabOn.paint(t))
		} else {
			b.WriteString(e.styles.tabOff.paint(t))
		}
		b.WriteByte(' ')
	}
	b.WriteString(" " + paneCounts(e, o.pane))
	return b.String()
}

// paneCounts lists the problems in a pane ("◆1 ✗2 ▲1 ◇3"), root causes and
// assets waiting for a recheck under their marks, or "all OK".
func paneCounts(e *env, p int) string {
	s := e.styles
	t, total := e.index.svcN, len(e.index.svcs)
	switch p {
	case paneTechnical:
		t, total = e.index.techN, len(e.index.tech)
	case paneApplication:
		t, total = e.index.appN, len(e.index.app)
	}
	n, root, wait := t.n, t.root, t.wait
	var parts []string
	if root > 0 {
		parts = append(parts, s.critText.paint(roleRoot.sym+itoa(root)))
	}
	for _, status := range model.Statuses() {
		if status != model.StatusOK && n[status] > 0 {
			parts = append(parts, s.status(status).paint(status.Symbol()+itoa(n[status])))
		}
		if status == model.StatusWarning && wait > 0 {
			parts = append(parts, s.warnText.paint(roleWait.sym+itoa(wait)))
		}
	}
	if t.acked > 0 {
		parts = append(parts, s.muted.paint(ackSym+itoa(t.acked)))
	}
	if len(parts) == 0 {
		if total == 0 {
			return s.muted.paint("none")
		}
		return s.okText.paint("✓ all " + itoa(total) + " OK")
	}
	return strings.Join(parts, " ")
}

// rowFunc draws one asset row into table cells.
type rowFunc func(e *env, s *styles, r *assetRow, t table) []string

// assetPane draws a list of assets: title, column header, visible rows.
func (o *overviewScreen) assetPane(e *env, p int, rows []*assetRow, t table, row rowFunc, h int, title string) []string {
	out := make([]string, 0, h)
	out = append(out, title, t.header(e.styles))
	n := h - paneHeadRows
	l := o.panes[p]
	off := window(l.cursor, l.offset, len(rows), n)
	lines := &o.lines[p]
	lines.newFrame()
	for i := off; i < len(rows) && i < off+n; i++ {
		r, sel := rows[i], p == o.pane && i == l.cursor
		k, keep := keyOf(e, r, t, sel)
		if keep {
			if line, ok := lines.get(r, k); ok {
				out = append(out, line)
				continue
			}
		}
		var line string
		if sel {
			line = e.styles.selected.paint(t.line(row(e, e.plain, r, t)))
		} else {
			line = t.line(row(e, e.styles, r, t))
		}
		if keep {
			lines.put(r, k, line)
		}
		out = append(out, line)
	}
	if len(rows) == 0 {
		out = append(out, e.styles.muted.paint(emptyText(e.filter)))
	}
	return out
}

func emptyText(f filter) string {
	if f.active() {
		return " nothing matches the filter (Esc clears it)"
	}
	return " nothing configured in this layer"
}
