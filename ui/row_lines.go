package ui

// rowLines keeps the lines a pane drew for its rows in the last frame, so
// that the next frame draws only the rows that changed. A row's line is a
// function of its row (a new row per new AssetState), the table's columns,
// the styles, the selection, its "since" text and whether the asset is
// being rechecked: rowKey holds all but the row. At 10 snapshots a second
// on a large estate, most rows on screen did not change between frames.
type rowLines struct {
	prev, cur map[*assetRow]rowLine
}

type rowLine struct {
	key  rowKey
	line string
}

// maxCachedCols bounds the columns rowKey holds; a wider table is drawn
// without the cache.
const maxCachedCols = 10

type rowKey struct {
	styles  *styles
	cols    *column // the pane's column set
	ws      [maxCachedCols]int
	w       int
	since   string
	sel     bool
	recheck bool
	day     int // the day of the year inside a window ("until 23:00" or a date)
}

// newFrame starts a frame: lines not drawn in it are forgotten after it.
func (c *rowLines) newFrame() {
	c.prev, c.cur = c.cur, c.prev
	if c.cur == nil {
		c.cur = map[*assetRow]rowLine{}
	}
	clear(c.cur)
}

// keyOf is what row r's line depends on besides r, and whether it can be
// kept at all.
func keyOf(e *env, r *assetRow, t table, sel bool) (rowKey, bool) {
	if len(t.ws) > maxCachedCols || len(t.cols) == 0 {
		return rowKey{}, false
	}
	k := rowKey{styles: e.styles, cols: &t.cols[0], w: t.w, since: ago(e.now, r.a.Since), sel: sel, recheck: e.index.rechecking[r.a.Name]}
	if r.a.Maintenance != nil {
		k.day = e.now.YearDay()
	}
	copy(k.ws[:], t.ws)
	return k, true
}

// get is the line kept for r under key k, from this frame or the last.
func (c *rowLines) get(r *assetRow, k rowKey) (string, bool) {
	for _, m := range [2]map[*assetRow]rowLine{c.cur, c.prev} {
		if l, ok := m[r]; ok && l.key == k {
			c.cur[r] = l
			return l.line, true
		}
	}
	return "", false
}

func (c *rowLines) put(r *assetRow, k rowKey, line string) { c.cur[r] = rowLine{key: k, line: line} }
