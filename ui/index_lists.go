package ui

import (
	"cmp"
	"slices"

	"noctop/model"
)

// sortedRows is a list of rows kept in one total order (ties broken by slot),
// with a spare buffer so that a merge allocates nothing in steady state.
type sortedRows struct {
	rows, spare []*assetRow
}

// merge takes removed rows out of the list and puts added ones in their
// places in the order cmp defines: O(k log n) comparisons and one copy of
// the list, for k changed rows. removed and added are sorted here. It
// reports false when a removed row is not in the list (the caller then
// rebuilds from scratch rather than show a wrong list).
func (l *sortedRows) merge(removed, added []*assetRow, cmp func(a, b *assetRow) int) bool {
	if len(removed) == 0 && len(added) == 0 {
		return true
	}
	slices.SortFunc(removed, cmp)
	slices.SortFunc(added, cmp)
	src := l.rows
	out := l.spare[:0]
	pos := 0
	for len(removed) > 0 || len(added) > 0 {
		// Next removal and insertion points, searched in what is left.
		rp, ip := len(src), len(src)
		if len(removed) > 0 {
			i, found := slices.BinarySearchFunc(src[pos:], removed[0], cmp)
			if !found || src[pos+i] != removed[0] {
				return false
			}
			rp = pos + i
		}
		if len(added) > 0 {
			i, _ := slices.BinarySearchFunc(src[pos:], added[0], cmp)
			ip = pos + i
		}
		if len(removed) > 0 && rp <= ip {
			out = append(out, src[pos:rp]...)
			pos = rp + 1
			removed = removed[1:]
			continue
		}
		out = append(out, src[pos:ip]...)
		out = append(out, added[0])
		pos = ip
		added = added[1:]
	}
	out = append(out, src[pos:]...)
	l.rows, l.spare = out, src[:0]
	return true
}

// set replaces the list's rows (a full rebuild).
func (l *sortedRows) set(rows []*assetRow) { l.rows, l.spare = rows, l.spare[:0] }

// The orders of the index's lists, all total: compareRows's, with names
// compared by rank (the order of name, then slot), which is what a stable
// sort of the snapshot's order gives; read from the row itself where the
// sort allows.
func paneOrder(sm sortMode) func(a, b *assetRow) int {
	switch sm {
	case sortName:
		return causeOrder
	case sortSince:
		return func(a, b *assetRow) int {
			if c := b.a.Since.Compare(a.a.Since); c != 0 {
				return c
			}
			return cmp.Compare(a.rank, b.rank)
		}
	case sortKind:
		return func(a, b *assetRow) int {
			if c := cmp.Compare(a.a.Kind, b.a.Kind); c != 0 {
				return c
			}
			return cmp.Compare(a.rank, b.rank)
		}
	}
	return func(a, b *assetRow) int {
		if c := cmp.Compare(b.sev, a.sev); c != 0 {
			return c
		}
		return cmp.Compare(a.rank, b.rank)
	}
}

func causeOrder(a, b *assetRow) int { return cmp.Compare(a.rank, b.rank) }

func problemOrder(a, b *assetRow) int {
	if c := cmp.Compare(roleRank(a.a.Role), roleRank(b.a.Role)); c != 0 {
		return c
	}
	return causeOrder(a, b)
}

func slotOrder(a, b *assetRow) int { return cmp.Compare(a.slot, b.slot) }

// widthCount counts the shown rows of a pane by the width of each content
// column, so the widest is known after rows come and go without a pass
// over every row. Index w of a column counts the rows w cells wide; the
// slice ends at the widest.
type widthCount [4][]int32

func (c *widthCount) add(r *assetRow, d int32) {
	for col, w := range [4]int{r.nameW, r.kindW, r.addrW, r.reasonW} {
		n := c[col]
		if w >= len(n) {
			n = append(n, make([]int32, w+1-len(n))...)
		}
		n[w] += d
		for len(n) > 0 && n[len(n)-1] == 0 {
			n = n[:len(n)-1]
		}
		c[col] = n
	}
}

func (c *widthCount) reset() {
	for col := range c {
		c[col] = c[col][:0]
	}
}

// widths are the widest cells counted (0 for none).
func (c *widthCount) widths() widths {
	top := func(n []int32) int { return max(len(n)-1, 0) }
	return widths{name: top(c[0]), kind: top(c[1]), addr: top(c[2]), reason: top(c[3])}
}

// paneTally counts a pane's shown rows for its title ("◆1 ✗2 ▲1 ◇3 ⚑1"):
// root causes and assets waiting for a recheck under their marks, the
// others by status, acknowledged problems apart (as Tally.Acked).
type paneTally struct {
	n                 [8]int
	root, wait, acked int
}

func (t *paneTally) add(r *assetRow, d int) {
	if r.a.Acked {
		t.acked += d
		return
	}
	switch r.a.Role {
	case model.RoleRootCause:
		t.root += d
	case model.RoleChecking:
		t.wait += d
	default:
		t.n[min(int(r.a.Status), len(t.n)-1)] += d
	}
}
