package ui

import "strings"

// column describes one table column. A column with flex takes the width
// left over (at least min); others are w wide. When the table is narrow,
// columns with the highest drop number go first.
type column struct {
	title string
	w     int
	min   int // flex columns only
	flex  bool
	right bool
	drop  int // 0: never dropped
}

// layoutColumns returns each column's width for a table total cells wide
// (0 for a dropped column). Columns are separated by one space.
func layoutColumns(cols []column, total int) []int {
	ws := make([]int, len(cols))
	need := func() int {
		n, shown := 0, 0
		for i, c := range cols {
			if ws[i] < 0 {
				continue
			}
			shown++
			if c.flex {
				n += c.min
			} else {
				n += c.w
			}
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
			ws[i] = c.min
			if flexes > 0 {
				extra := left / flexes
				ws[i] += extra
				left -= extra
				flexes--
			}
		default:
			ws[i] = c.w
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

func newTable(cols []column, total int) table {
	return table{cols: cols, ws: layoutColumns(cols, total), w: total}
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
