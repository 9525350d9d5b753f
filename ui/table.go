package ui

import "strings"

// column describes one table column: w cells wide; or with fit, as wide as
// its widest content (and title) within min and max; or with flex, what is
// left over, at least min (or, with max, at least its content up to max, so
// narrower columns are dropped before a reason is cut). When the table is
// narrow, columns with the highest drop number go first.
type column struct {
	title    string
	w        int
	fit      bool
	flex     bool
	min, max int
	right    bool
	drop     int // 0: never dropped
}

// base is the width a column needs for content cells wide.
func (c column) base(content int) int {
	switch {
	case c.fit:
		return clampInt(max(content, width(c.title)), c.min, c.max)
	case c.flex && c.max > 0:
		return clampInt(content, c.min, c.max)
	case c.flex:
		return c.min
	}
	return c.w
}

// layoutColumns returns each column's width for a table total cells wide
// (0 for a dropped column), given the widest content of each column
// (content may be short; missing means none). Columns are separated by
// one space.
func layoutColumns(cols []column, total int, content []int) []int {
	ws := make([]int, len(cols))
	base := make([]int, len(cols))
	for i, c := range cols {
		cw := 0
		if i < len(content) {
			cw = content[i]
		}
		base[i] = c.base(cw)
	}
	need := func() int {
		n, shown := 0, 0
		for i := range cols {
			if ws[i] < 0 {
				continue
			}
			shown++
			n += base[i]
		}
		return n + max(shown-1, 0)
	}
	// Drop the most droppable column until the rest fits.
	for need() > total {
		worst := -1
		for i, c := range cols {
			if ws[i] >= 0 && c.drop > 0 && (worst < 0 || c.drop > cols[worst].drop) {
				worst = i
			}
		}
		if worst < 0 {
			break
		}
		ws[worst] = -1
	}
	left := max(total-need(), 0)
	flexes := 0
	for i, c := range cols {
		if ws[i] >= 0 && c.flex {
			flexes++
		}
	}
	for i, c := range cols {
		switch {
		case ws[i] < 0:
			ws[i] = 0
		case c.flex:
			ws[i] = base[i]
			if flexes > 0 {
				extra := left / flexes
				ws[i] += extra
				left -= extra
				flexes--
			}
		default:
			ws[i] = base[i]
		}
	}
	return ws
}

// table renders rows of cells into fixed-width lines.
type table struct {
	cols []column
	ws   []int
	w    int
}

// newTable lays out cols in total cells; content holds the widest cell of
// each fit or flex column (by column index).
func newTable(cols []column, total int, content ...int) table {
	return table{cols: cols, ws: layoutColumns(cols, total, content), w: total}
}

// used is the number of cells the shown columns take.
func (t table) used() int {
	n, shown := 0, 0
	for _, w := range t.ws {
		if w > 0 {
			n += w
			shown++
		}
	}
	return n + max(shown-1, 0)
}

// shown reports whether column i has room.
func (t table) shown(i int) bool { return t.ws[i] > 0 }

// header renders the column titles.
func (t table) header(s *styles) string {
	cells := make([]string, len(t.cols))
	for i, c := range t.cols {
		cells[i] = c.title
	}
	return s.muted.paint(t.line(cells))
}

// line joins cells at their column widths; the result is exactly t.w
// cells wide. Cells may carry escape sequences.
func (t table) line(cells []string) string {
	var b strings.Builder
	b.Grow(t.w + 32)
	used := 0
	for i, c := range t.cols {
		w := t.ws[i]
		if w == 0 {
			continue
		}
		if used > 0 {
			b.WriteByte(' ')
			used++
		}
		cell := ""
		if i < len(cells) {
			cell = cells[i]
		}
		if c.right {
			b.WriteString(fitRight(cell, w))
		} else {
			b.WriteString(fit(cell, w))
		}
		used += w
	}
	if used < t.w {
		b.WriteString(spaces(t.w - used))
	}
	return b.String()
}

// window is the part of a list that fits in h rows with the cursor
// visible: the first row to draw given the stored offset.
func window(cursor, offset, n, h int) int {
	if h <= 0 || n <= h {
		return 0
	}
	if cursor < offset {
		offset = cursor
	}
	if cursor >= offset+h {
		offset = cursor - h + 1
	}
	return min(max(offset, 0), n-h)
}
