package ui

import "noctop/model"

// What a triage item is; each draws a fixed number of lines.
const (
	itemCause   = iota // a root cause: head, the assets it cuts off, the services down
	itemRecheck        // an asset being rechecked: head, the assets waiting for it
	itemOther          // any other problem: one line
)

var itemLines = [...]int{itemCause: 3, itemRecheck: 2, itemOther: 1}

// triageItem is one selectable entry of the triage screen: an asset.
type triageItem struct {
	kind int
	r    *assetRow
}

// triageEntry is one line of the triage screen: a part of an item, or a
// section's title and note (item < 0; both empty for a blank line).
type triageEntry struct {
	item, part  int
	title, note string
}

// triageDoc is the triage screen of a snapshot: items, the lines they take,
// and each item's first line. It holds no drawn text, so it is built once
// per snapshot and lines are drawn only when visible.
type triageDoc struct {
	items   []triageItem
	entries []triageEntry
	first   []int
}

// triage returns the snapshot's triage document, built on first use (an
// empty one before the first snapshot).
func (ix *snapshotIndex) triage() *triageDoc {
	if ix == nil {
		return &triageDoc{}
	}
	if ix.triageDoc != nil {
		return ix.triageDoc
	}
	d := &triageDoc{}
	ix.triageDoc = d
	section := func(title, note string) {
		if len(d.entries) > 0 {
			d.entries = append(d.entries, triageEntry{item: -1})
		}
		d.entries = append(d.entries, triageEntry{item: -1, title: title, note: note})
	}
	add := func(kind int, r *assetRow) {
		d.first = append(d.first, len(d.entries))
		for p := range itemLines[kind] {
			d.entries = append(d.entries, triageEntry{item: len(d.items), part: p})
		}
		d.items = append(d.items, triageItem{kind: kind, r: r})
	}
	// Acknowledged problems are listed apart, last: someone is on them.
	var ackedRows []*assetRow
	var causes []*assetRow
	for _, r := range ix.causes.rows {
		if r.a.Acked {
			ackedRows = append(ackedRows, r)
		} else {
			causes = append(causes, r)
		}
	}
	if len(causes) > 0 {
		section("Root causes", " — down while their parents are up: fix these. Enter opens one.")
		for _, r := range causes {
			add(itemCause, r)
		}
	}
	var rechecks []*assetRow
	covered := map[*assetRow]bool{}
	for _, n := range ix.snap.Checking {
		if r := ix.row(n); r != nil {
			rechecks = append(rechecks, r)
			covered[r] = true
			for _, w := range ix.waiting[n] {
				covered[w] = true
			}
		}
	}
	if len(rechecks) > 0 {
		section("Being rechecked", " — a child started failing; it waits for the verdict.")
		for _, r := range rechecks {
			add(itemRecheck, r)
		}
	}
	var others []*assetRow
	for _, r := range ix.problems.rows {
		switch {
		case covered[r]:
		case r.a.Acked:
			ackedRows = append(ackedRows, r)
		default:
			others = append(others, r)
		}
	}
	for _, r := range ix.orphans {
		if !r.a.Acked {
			others = append(others, r)
		}
	}
	others = append(others, ix.orphans...)
	others = changeSections(others, section, func(r *assetRow) { add(itemOther, r) })
	if len(others) > 0 {
		section("Other problems", " — hard ones first, then those still being retried")
		for _, r := range others {
			add(itemOther, r)
		}
	}
	for _, r := range ix.unreachable.rows {
		if r.a.Acked {
			ackedRows = append(ackedRows, r)
		}
	}
	if len(ackedRows) > 0 {
		section("Acknowledged", " — "+ackSym+" someone is on these; A removes an ack")
		for _, r := range ackedRows {
			kind := itemOther
			if r.a.Role == model.RoleRootCause {
				kind = itemCause
			}
			add(kind, r)
		}
	}
	return d
}
