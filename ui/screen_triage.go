package ui

import (
	"strings"

	"noctop/model"
)

// triageHead is the triage screen's fixed head: the banner's words from
// the same Tally, in full (wrapped between phrases, where the banner is
// cut to one line), then a blank line.
func (m *Root) triageHead(w int) []string {
	s := m.st
	t := m.snap.Tally
	if t.Quiet() {
		return []string{s.okText.paint("✓ nothing needs you: no root cause, nothing unreachable or failing"), ""}
	}
	var out []string
	cur := tallySymbol(t) + " "
	for i, p := range tallyParts(t, m.snap.Checking) {
		switch {
		case i == 0:
			cur += p
		case width(cur)+3+width(p) <= w:
			cur += " · " + p
		default:
			out = append(out, cur+" ·")
			cur = "  " + p
		}
	}
	out = append(out, cur)
	for i := range out {
		out[i] = s.st(tallyStatus(t)).paint(cut(out[i], w))
	}
	return append(out, "")
}

// triageHeadRows is the height of triageHead.
func (m *Root) triageHeadRows() int { return len(m.triageHead(m.w)) }

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

// triage returns the snapshot's triage document, built on first use.
func (m *Root) triage() *triageDoc {
	ix := m.ix
	if ix.tri != nil {
		return ix.tri
	}
	d := &triageDoc{}
	ix.tri = d
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
	if len(ix.causes) > 0 {
		section("Root causes", " — down while their parents are up: fix these. Enter opens one.")
		for _, r := range ix.causes {
			add(itemCause, r)
		}
	}
	var rechecks []*assetRow
	covered := map[*assetRow]bool{}
	for _, n := range ix.snap.Checking {
		if r := ix.byName[n]; r != nil {
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
	for _, r := range ix.problems {
		if !covered[r] {
			others = append(others, r)
		}
	}
	others = append(others, ix.orphans...)
	if len(others) > 0 {
		section("Other problems", " — hard ones first, then those still being retried")
		for _, r := range others {
			add(itemOther, r)
		}
	}
	return d
}

// triageView draws the triage screen from line f.offset: the banner's
// counts, then root causes with what each takes down, the assets being
// rechecked with those waiting for them, and the other problems.
func (m *Root) triageView(f *frame, w, h int) []string {
	s := m.st
	out := m.triageHead(w)
	d := m.triage()
	off := min(f.offset, max(len(d.entries)-(h-len(out)), 0))
	for i := off; i < len(d.entries) && len(out) < h; i++ {
		e := d.entries[i]
		if e.item < 0 {
			out = append(out, s.bold.paint(e.title)+s.muted.paint(e.note))
			continue
		}
		out = append(out, m.triageLine(d.items[e.item], e.part, w, e.item == f.cursor))
	}
	return out
}

// triageLine draws one line of an item; the selected item's head line is
// highlighted.
func (m *Root) triageLine(it triageItem, part, w int, sel bool) string {
	s := m.st
	if sel && part == 0 {
		s = m.plain
	}
	r, a := it.r, it.r.a
	var line string
	switch {
	case part == 0:
		line = m.ix.assetCell(s, r) + " " + s.bold.paint(r.name) + "  " + s.muted.paint(r.kind+" "+r.addr)
		switch it.kind {
		case itemCause:
			line += "  down since " + clock(a.Since) + " (" + ago(m.now, a.Since) + ")"
		case itemRecheck:
			line += "  rechecking now"
		}
		line += "  " + r.reason
	case it.kind == itemCause && part == 1:
		line = "    takes down " + plural(len(m.ix.behind[a.Name]), "asset", "assets") + m.rowList(s, m.ix.behind[a.Name])
	case it.kind == itemCause:
		svcs := m.ix.servicesDown(a.Name)
		var b strings.Builder
		b.WriteString("    and " + plural(len(svcs), "service", "services") + " down")
		for i, v := range svcs {
			if i == 0 {
				b.WriteString(": ")
			} else {
				b.WriteString(", ")
			}
			b.WriteString(s.st(v.Status).paint(v.Status.Symbol()) + " " + clean(v.Name))
		}
		line = b.String()
	default: // itemRecheck, part 1
		waiting := m.ix.waiting[a.Name]
		line = "    " + plural(len(waiting), "asset waits", "assets wait") + " for its verdict" + m.rowList(s, waiting)
	}
	line = fit(line, w)
	if sel && part == 0 {
		line = m.st.selected.paint(line)
	}
	return line
}

// rowList is ": ⊘ erp, ⊘ crm, …" for the assets of a triage line, each
// with its mark.
func (m *Root) rowList(s *styles, rows []*assetRow) string {
	if len(rows) == 0 {
		return ""
	}
	var b strings.Builder
	for i, x := range rows {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString(", ")
		}
		if b.Len() > 4*m.w {
			b.WriteString("…") // the line is cut at the screen's width anyway
			break
		}
		b.WriteString(m.rowMark(s, x) + " " + x.name)
	}
	return b.String()
}

// rowMark is the one-cell mark of an asset in a list of names.
func (m *Root) rowMark(s *styles, r *assetRow) string {
	switch r.a.Role {
	case model.RoleRootCause:
		return s.critText.paint(roleRoot.sym)
	case model.RoleChecking:
		return s.warnText.paint(roleWait.sym)
	}
	return s.st(r.a.Status).paint(r.a.Status.Symbol())
}
