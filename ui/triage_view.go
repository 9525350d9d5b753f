package ui

import "strings"

// triageHead is the triage screen's fixed head: the banner's words from
// the same Tally, in full (wrapped between phrases, where the banner is
// cut to one line), then a blank line.
func triageHead(e *env, w int) []string {
	if e.snap == nil {
		return nil
	}
	s := e.styles
	t := e.snap.Tally
	if t.Quiet() {
		return []string{s.okText.paint("✓ nothing needs you: no root cause, nothing unreachable or failing"), ""}
	}
	var out []string
	cur := tallySymbol(t) + " "
	for i, p := range tallyParts(t, e.snap.Checking) {
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
		out[i] = s.status(tallyStatus(t)).paint(cut(out[i], w))
	}
	return append(out, "")
}

// triageHeadRows is the height of triageHead.
func triageHeadRows(e *env) int { return len(triageHead(e, e.width)) }

// View draws the triage screen from its scroll offset: the banner's
// counts, then root causes with what each takes down, the assets being
// rechecked with those waiting for them, and the other problems.
func (t *triageScreen) View(e *env, w, h int) []string {
	s := e.styles
	out := triageHead(e, w)
	d := e.index.triage()
	off := min(t.offset, max(len(d.entries)-(h-len(out)), 0))
	for i := off; i < len(d.entries) && len(out) < h; i++ {
		entry := d.entries[i]
		if entry.item < 0 {
			out = append(out, s.bold.paint(entry.title)+s.muted.paint(entry.note))
			continue
		}
		out = append(out, triageLine(e, d.items[entry.item], entry.part, w, entry.item == t.cursor))
	}
	return out
}

// triageLine draws one line of an item; the selected item's head line is
// highlighted.
func triageLine(e *env, it triageItem, part, w int, sel bool) string {
	s, index := e.styles, e.index
	if sel && part == 0 {
		s = e.plain
	}
	r, a := it.r, it.r.a
	var line string
	switch {
	case part == 0:
		line = index.assetCell(s, r) + " " + s.bold.paint(r.name) + "  " + s.muted.paint(r.kind+" "+r.addr)
		switch it.kind {
		case itemCause:
			line += "  down since " + clock(a.Since) + " (" + ago(e.now, a.Since) + ")"
		case itemRecheck:
			line += "  rechecking now"
		}
		line += "  " + r.reason
	case it.kind == itemCause && part == 1:
		line = "    takes down " + plural(len(index.behind[a.Name]), "asset", "assets") + rowList(s, index.behind[a.Name], w)
	case it.kind == itemCause:
		svcs := index.servicesDown(a.Name)
		var b strings.Builder
		b.WriteString("    and " + plural(len(svcs), "service", "services") + " down")
		for i, v := range svcs {
			if i == 0 {
				b.WriteString(": ")
			} else {
				b.WriteString(", ")
			}
			b.WriteString(s.status(v.Status).paint(v.Status.Symbol()) + " " + clean(v.Name))
		}
		line = b.String()
	default: // itemRecheck, part 1
		waiting := index.waiting[a.Name]
		line = "    " + plural(len(waiting), "asset waits", "assets wait") + " for its verdict" + rowList(s, waiting, w)
	}
	line = fit(line, w)
	if sel && part == 0 {
		line = e.styles.selected.paint(line)
	}
	return line
}

// rowList is ": ⊘ erp, ⊘ crm, …" for the assets of a triage line, each
// with its mark; a line w cells wide cuts it anyway.
func rowList(s *styles, rows []*assetRow, w int) string {
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
		if b.Len() > 4*w {
			b.WriteString("…") // the line is cut at the screen's width anyway
			break
		}
		b.WriteString(rowMark(s, x) + " " + x.name)
	}
	return b.String()
}
