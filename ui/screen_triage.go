package ui

import "strings"

// Triage layout: two head rows, then three rows per root cause.
const (
	triageHeadRows = 2
	triageBlock    = 3
)

// triageView lists the root causes (hard-down assets), each with the
// assets it makes UNREACHABLE and the services it takes down.
func (m *Root) triageView(f *frame, w, h int) []string {
	s := m.st
	causes := m.ix.causes
	out := []string{
		s.bold.paint("Root causes") + s.muted.paint(" — hard-down assets, with what they take down. Enter opens one."),
		"",
	}
	if len(causes) == 0 {
		out = append(out, s.okText.paint("✓ nothing is hard-down"))
		if len(m.ix.problems) > 0 {
			out = append(out, "", s.bold.paint("Other problems"))
			for _, r := range m.ix.problems {
				out = append(out, statusCell(s, r.a.Status, r.soft)+" "+r.name+"  "+s.muted.paint(clean(r.a.Reason)))
			}
		}
		return out
	}
	n := max((h-triageHeadRows)/triageBlock, 1)
	off := window(f.cursor, f.offset, len(causes), n)
	for i := off; i < len(causes) && i < off+n; i++ {
		block := m.triageBlock(causes[i], w, i == f.cursor)
		out = append(out, block[:]...)
	}
	return out
}

func (m *Root) triageBlock(r *assetRow, w int, sel bool) [triageBlock]string {
	s := m.st
	if sel {
		s = m.plain
	}
	a := r.a
	assets, svcs := m.ix.affectedBy(a.Name)
	head := statusCell(s, a.Status, r.soft) + " " + s.bold.paint(r.name) + "  " + s.muted.paint(r.kind+" "+r.addr) +
		"  down since " + clock(a.Since) + " (" + ago(m.now, a.Since) + ")  " + clean(a.Reason)
	var b strings.Builder
	b.WriteString("    takes down " + plural(len(assets), "asset", "assets"))
	if len(assets) > 0 {
		b.WriteString(": ")
		for i, x := range assets {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(s.st(x.a.Status).paint(x.a.Status.Symbol()) + " " + x.name)
		}
	}
	var c strings.Builder
	c.WriteString("    and " + plural(len(svcs), "service", "services"))
	for i, v := range svcs {
		if i == 0 {
			c.WriteString(": ")
		} else {
			c.WriteString(", ")
		}
		c.WriteString(s.st(v.Status).paint(v.Status.Symbol()) + " " + clean(v.Name))
	}
	lines := [triageBlock]string{fit(head, w), fit(b.String(), w), fit(c.String(), w)}
	if sel {
		lines[0] = m.st.selected.paint(lines[0])
	}
	return lines
}

// listHeight is the number of list rows a pushed screen shows.
func (m *Root) listHeight(f *frame) int {
	h := m.bodyHeight()
	switch f.kind {
	case scrCheck:
		return max(h-checkHeadRows(h), 1)
	case scrService:
		return max(h-serviceHeadRows, 1)
	case scrTriage:
		return max((h-triageHeadRows)/triageBlock, 1)
	}
	return max(h, 1)
}

// rowAt maps a body row y to a list row of a pushed screen.
func (m *Root) rowAt(f *frame, y int) (int, bool) {
	var row int
	switch f.kind {
	case scrCheck:
		row = y - checkHeadRows(m.bodyHeight())
	case scrService:
		row = y - serviceHeadRows
	case scrTriage:
		if y < triageHeadRows {
			return 0, false
		}
		row = (y - triageHeadRows) / triageBlock
	case scrAsset:
		lines, first := m.assetLines(f, m.w)
		line := y + min(f.offset, max(len(lines)-m.bodyHeight(), 0))
		if first < 0 || line < first {
			return 0, false
		}
		return line - first, line-first < m.listLen(f)
	}
	if row < 0 {
		return 0, false
	}
	off := window(f.cursor, f.offset, m.listLen(f), m.listHeight(f))
	row += off
	return row, row < m.listLen(f)
}
