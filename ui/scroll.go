package ui

import "time"

// Cursor and scroll of each screen. Two kinds of change move them: the
// operator (a key, a click), after which the selection is kept in view
// (follow), and a new snapshot or window size, after which each screen
// keeps what it shows (settle): the selected item is found again by name
// and the scroll offset only clamped, so a snapshot never moves what the
// operator is reading.

// move moves the cursor of the current list by d rows (clamped).
func (m *Root) move(d int) {
	f := m.top()
	if f.kind == scrOverview {
		p := m.pane
		m.paneCur[p] = clampInt(m.paneCur[p]+d, 0, m.paneLen(p)-1)
		m.paneSel[p] = m.paneItem(p, m.paneCur[p])
		m.paneOff[p] = window(m.paneCur[p], m.paneOff[p], m.paneLen(p), m.paneRows(p))
		return
	}
	f.cursor = clampInt(f.cursor+d, 0, m.listLen(f)-1)
	m.noteSel(f)
	m.follow(f)
}

// page moves by one screen. The asset screen scrolls as a document and
// its check cursor stays; triage moves to the item a screen away.
func (m *Root) page(dir int) {
	f := m.top()
	switch f.kind {
	case scrAsset:
		_, _, n := m.itemSpan(f, f.cursor)
		h := m.docHeight(f)
		f.offset = clampInt(f.offset+dir*max(h-1, 1), 0, max(n-h, 0))
	case scrTriage:
		d := m.triage()
		if len(d.items) == 0 {
			return
		}
		target := d.first[min(f.cursor, len(d.items)-1)] + dir*max(m.docHeight(f)-1, 1)
		i := 0
		for i+1 < len(d.items) && d.first[i+1] <= target {
			i++
		}
		if dir > 0 {
			i = max(i, f.cursor+1)
		} else {
			i = min(i, f.cursor-1)
		}
		f.cursor = clampInt(i, 0, len(d.items)-1)
		m.noteSel(f)
		m.follow(f)
	default:
		m.move(dir * max(m.listHeight(f)-1, 1))
	}
}

func clampInt(v, lo, hi int) int {
	if hi < lo {
		return lo
	}
	return min(max(v, lo), hi)
}

// listHeight is the number of list rows a pushed screen shows (lines for
// the document screens).
func (m *Root) listHeight(f *frame) int {
	h := m.bodyHeight()
	switch f.kind {
	case scrCheck:
		return max(h-checkHeadRows(h), 1)
	case scrService:
		return max(h-serviceHeadRows, 1)
	}
	return m.docHeight(f)
}

// docHeight is the number of document lines the asset or triage screen
// shows under its fixed head.
func (m *Root) docHeight(f *frame) int {
	h := m.bodyHeight()
	if f.kind == scrTriage {
		h -= m.triageHeadRows()
	}
	return max(h, 1)
}

// itemSpan is the line range [from, to) of item i of a document screen
// (asset: a check; triage: an asset) and the document's length in lines.
func (m *Root) itemSpan(f *frame, i int) (from, to, n int) {
	switch f.kind {
	case scrAsset:
		lines, first := m.assetLines(f, m.w)
		if first < 0 || i >= m.listLen(f) {
			return 0, 0, len(lines)
		}
		return first + i, first + i + 1, len(lines)
	case scrTriage:
		d := m.triage()
		if i >= len(d.items) {
			return 0, 0, len(d.entries)
		}
		return d.first[i], d.first[i] + itemLines[d.items[i].kind], len(d.entries)
	}
	return 0, 0, 0
}

// follow scrolls a pushed screen so its selected item is in view.
func (m *Root) follow(f *frame) {
	switch f.kind {
	case scrAsset, scrTriage:
		from, to, n := m.itemSpan(f, f.cursor)
		h := m.docHeight(f)
		off := f.offset
		if to > from {
			if from < off {
				off = from
			}
			if to > off+h {
				off = to - h
			}
			if f.cursor == 0 && to <= h {
				off = 0 // the first item: show what is above it too
			}
		}
		f.offset = clampInt(off, 0, max(n-h, 0))
	case scrCheck, scrService:
		f.offset = window(f.cursor, f.offset, m.listLen(f), m.listHeight(f))
	}
}

// clampAll settles every screen of the stack after a new snapshot, a new
// window size or a new screen: each finds its selected item again and
// keeps its scroll offset within the content.
func (m *Root) clampAll() {
	for p := range numPanes {
		m.paneOff[p] = window(m.paneCur[p], m.paneOff[p], m.paneLen(p), m.paneRows(p))
	}
	for i := range m.stack[1:] {
		m.settle(&m.stack[i+1])
	}
}

// settle keeps a pushed screen on what it showed.
func (m *Root) settle(f *frame) {
	n := m.listLen(f)
	switch {
	case f.kind == scrCheck && f.cursor == 0 && f.offset == 0:
		// At the top of the results: stay there as new ones arrive.
	case f.kind == scrCheck:
		// Results are newest first: new ones push the selected one down.
		// Keep it selected and the view still.
		if i := m.findItem(f); i >= 0 {
			f.offset += i - f.cursor
			f.cursor = i
		}
	default:
		if i := m.findItem(f); i >= 0 {
			f.cursor = i
		}
	}
	f.cursor = clampInt(f.cursor, 0, n-1)
	m.noteSel(f)
	switch f.kind {
	case scrAsset:
		_, _, lines := m.itemSpan(f, f.cursor)
		f.offset = clampInt(f.offset, 0, max(lines-m.docHeight(f), 0))
	case scrTriage:
		m.follow(f) // items come and go: keep the selected one in view
	default:
		f.offset = window(f.cursor, f.offset, n, m.listHeight(f))
	}
}

// noteSel records what the cursor is on, to find it again after the list
// changed.
func (m *Root) noteSel(f *frame) {
	f.sel, f.at = m.itemKey(f, f.cursor)
}

// itemKey names item i of a pushed screen: a check, a tree row, an asset,
// or a result's time.
func (m *Root) itemKey(f *frame, i int) (string, time.Time) {
	if m.snap == nil || i < 0 || i >= m.listLen(f) {
		return "", time.Time{}
	}
	switch f.kind {
	case scrAsset:
		return m.snap.Asset(f.asset).Checks[i].Name, time.Time{}
	case scrCheck:
		h := m.snap.Asset(f.asset).Check(f.check).History
		return "", h.Samples[h.Len()-1-i].At
	case scrService:
		r := m.serviceTree(f.service)[i]
		return r.prefix + r.name, time.Time{}
	case scrTriage:
		return m.triage().items[i].r.a.Name, time.Time{}
	}
	return "", time.Time{}
}

// findItem is the index of the item noteSel recorded, -1 when it is gone.
func (m *Root) findItem(f *frame) int {
	if m.snap == nil || f.sel == "" && f.at.IsZero() || m.listLen(f) == 0 {
		return -1
	}
	switch f.kind {
	case scrAsset:
		for i, c := range m.snap.Asset(f.asset).Checks {
			if c.Name == f.sel {
				return i
			}
		}
	case scrCheck:
		h := m.snap.Asset(f.asset).Check(f.check).History
		for i := range h.Len() {
			if h.Samples[h.Len()-1-i].At.Equal(f.at) {
				return i
			}
		}
	case scrService:
		for i, r := range m.serviceTree(f.service) {
			if r.prefix+r.name == f.sel {
				return i
			}
		}
	case scrTriage:
		for i, it := range m.triage().items {
			if it.r.a.Name == f.sel {
				return i
			}
		}
	}
	return -1
}

// rowAt maps a body row y to an item of a pushed screen.
func (m *Root) rowAt(f *frame, y int) (int, bool) {
	var row int
	switch f.kind {
	case scrCheck:
		row = y - checkHeadRows(m.bodyHeight())
	case scrService:
		row = y - serviceHeadRows
	case scrTriage:
		d, head := m.triage(), m.triageHeadRows()
		line := y - head + min(f.offset, max(len(d.entries)-m.docHeight(f), 0))
		if y < head || line >= len(d.entries) || d.entries[line].item < 0 {
			return 0, false
		}
		return d.entries[line].item, true
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
