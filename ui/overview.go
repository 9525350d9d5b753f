package ui

import (
	"strings"

	"noctop/model"
)

// paneHeadRows are the title and column header lines above a pane's rows.
const paneHeadRows = 2

// overview draws the three panes side by side on wide terminals, or the
// focused one under a tab bar.
func (m *Root) overview(w, h int) []string {
	if w >= sideBySide {
		ws := m.paneWidths(w)
		cols := make([][]string, numPanes)
		for p := range numPanes {
			cols[p] = padLines(m.pane1(p, ws[p], h, m.paneTitle(p, ws[p])), ws[p], h)
		}
		sep := m.st.muted.paint("│")
		out := make([]string, h)
		for i := range h {
			out[i] = cols[0][i] + sep + cols[1][i] + sep + cols[2][i]
		}
		return out
	}
	return m.pane1(m.pane, w, h, m.tabs(w))
}

// paneWidths splits w between three panes and two separators. The
// technical and application panes take what their columns use within an
// equal share; the functional pane, whose reasons say why a service is
// down, gets the rest.
func (m *Root) paneWidths(w int) [numPanes]int {
	inner := w - (numPanes - 1)
	share := inner / numPanes
	tw := min(newTable(techColumns, share, techContent(m.ix.techW)...).used(), share)
	aw := min(newTable(appColumns, share, appContent(m.ix.appW)...).used(), share)
	return [numPanes]int{tw, aw, inner - tw - aw}
}

// paneAt is the pane under column x, side by side.
func (m *Root) paneAt(x int) int {
	ws := m.paneWidths(m.w)
	for p := range numPanes - 1 {
		if x < ws[p]+1 {
			return p
		}
		x -= ws[p] + 1
	}
	return numPanes - 1
}

// pane1 draws pane p under a title line.
func (m *Root) pane1(p, w, h int, title string) []string {
	switch p {
	case paneTechnical:
		return m.assetPane(p, m.ix.tech, newTable(techColumns, w, techContent(m.ix.techW)...), m.techRow, h, title)
	case paneApplication:
		return m.assetPane(p, m.ix.app, newTable(appColumns, w, appContent(m.ix.appW)...), m.appRow, h, title)
	}
	return m.functionalPane(w, h, title)
}

// paneTitle is "Technical 12 ✗2 ▲1", highlighted when focused.
func (m *Root) paneTitle(p, w int) string {
	t := " " + itoa(p+1) + " " + paneNames[p] + " "
	if p == m.pane {
		t = m.st.tabOn.paint(t)
	} else {
		t = m.st.bold.paint(t)
	}
	return t + " " + m.paneCounts(p)
}

// tabs is the tab bar of the narrow layout.
func (m *Root) tabs(w int) string {
	var b strings.Builder
	for p := range numPanes {
		t := " " + itoa(p+1) + " " + paneNames[p] + " " + itoa(m.paneLen(p)) + " "
		if p == m.pane {
			b.WriteString(m.st.tabOn.paint(t))
		} else {
			b.WriteString(m.st.tabOff.paint(t))
		}
		b.WriteByte(' ')
	}
	b.WriteString(" " + m.paneCounts(m.pane))
	return b.String()
}

// paneCounts lists the problems in a pane ("◆1 ✗2 ▲1 ◇3"), root causes and
// assets waiting for a recheck under their marks, or "all OK".
func (m *Root) paneCounts(p int) string {
	var n [8]int
	root, wait, total := 0, 0, 0
	switch p {
	case paneTechnical, paneApplication:
		rows := m.ix.tech
		if p == paneApplication {
			rows = m.ix.app
		}
		for _, r := range rows {
			switch r.a.Role {
			case model.RoleRootCause:
				root++
			case model.RoleChecking:
				wait++
			default:
				n[min(int(r.a.Status), len(n)-1)]++
			}
		}
		total = len(rows)
	default:
		for _, v := range m.ix.svcs {
			n[min(int(v.Status), len(n)-1)]++
		}
		total = len(m.ix.svcs)
	}
	var parts []string
	if root > 0 {
		parts = append(parts, m.st.critText.paint(roleRoot.sym+itoa(root)))
	}
	for _, st := range model.Statuses() {
		if st != model.StatusOK && n[st] > 0 {
			parts = append(parts, m.st.st(st).paint(st.Symbol()+itoa(n[st])))
		}
		if st == model.StatusWarning && wait > 0 {
			parts = append(parts, m.st.warnText.paint(roleWait.sym+itoa(wait)))
		}
	}
	if len(parts) == 0 {
		if total == 0 {
			return m.st.muted.paint("none")
		}
		return m.st.okText.paint("✓ all " + itoa(total) + " OK")
	}
	return strings.Join(parts, " ")
}

// paneRows is how many list rows pane p shows.
func (m *Root) paneRows(p int) int {
	h := m.bodyHeight() - paneHeadRows
	if p == paneFunctional {
		h -= m.renewalRows(m.bodyHeight())
	}
	return max(h, 0)
}

// rowFunc draws one asset row into table cells.
type rowFunc func(s *styles, r *assetRow, t table) []string

// assetPane draws a list of assets: title, column header, visible rows.
func (m *Root) assetPane(p int, rows []*assetRow, t table, row rowFunc, h int, title string) []string {
	out := make([]string, 0, h)
	out = append(out, title, t.header(m.st))
	n := h - paneHeadRows
	off := window(m.paneCur[p], m.paneOff[p], len(rows), n)
	for i := off; i < len(rows) && i < off+n; i++ {
		if p == m.pane && i == m.paneCur[p] {
			out = append(out, m.st.selected.paint(t.line(row(m.plain, rows[i], t))))
		} else {
			out = append(out, t.line(row(m.st, rows[i], t)))
		}
	}
	if len(rows) == 0 {
		out = append(out, m.st.muted.paint(m.emptyText()))
	}
	return out
}

func (m *Root) emptyText() string {
	if m.flt.active() {
		return " nothing matches the filter (Esc clears it)"
	}
	return " nothing configured in this layer"
}
