package ui

import (
	"noctop/model"
)

// serviceHeadRows are the rows of the service screen above its tree.
const serviceHeadRows = 4

// treeRow is one line of a service's member tree.
type treeRow struct {
	prefix    string // tree drawing
	name      string
	isService bool
	status    model.Status
	reason    string
	culprit   bool // this member made its parent fail
	role      model.Role
}

// serviceTree flattens a service and its members, nested services
// expanded, root first.
func (m *Root) serviceTree(name string) []treeRow {
	if m.snap == nil {
		return nil
	}
	v := m.snap.Service(name)
	if v == nil {
		return nil
	}
	rows := []treeRow{{name: v.Name, isService: true, status: v.Status, reason: v.Reason}}
	seen := map[string]bool{v.Name: true}
	m.addMembers(&rows, v, "", seen)
	return rows
}

func (m *Root) addMembers(rows *[]treeRow, v *model.ServiceState, indent string, seen map[string]bool) {
	for i, mem := range v.Members {
		last := i == len(v.Members)-1
		branch, next := "├─ ", "│  "
		if last {
			branch, next = "└─ ", "   "
		}
		r := treeRow{prefix: indent + branch, name: mem.Name, isService: mem.IsService, status: mem.Status, culprit: mem.Culprit}
		if mem.IsService {
			sub := m.snap.Service(mem.Name)
			if sub != nil {
				r.reason = sub.Reason
			}
			*rows = append(*rows, r)
			if sub != nil && !seen[sub.Name] && len(indent) < 64 {
				seen[sub.Name] = true
				m.addMembers(rows, sub, indent+next, seen)
			}
			continue
		}
		if a := m.snap.Asset(mem.Name); a != nil {
			r.reason, r.role = a.Reason, a.Role
			if a.Status == model.StatusUnreachable && a.RootCause != "" {
				r.reason = "unreachable: root cause " + a.RootCause
			}
		}
		*rows = append(*rows, r)
	}
}

// serviceView draws a service and its member tree, marking the members
// that made it fail.
func (m *Root) serviceView(f *frame, w, h int) []string {
	s := m.st
	v := m.snap.Service(f.service)
	if v == nil {
		return []string{s.muted.paint("service " + clean(f.service) + " is no longer in the configuration")}
	}
	out := []string{
		s.bold.paint(clean(v.Name)) + s.muted.paint("  rule "+clean(v.Rule)+"  ") + statusLong(s, v.Status, "") +
			s.muted.paint("  since "+clock(v.Since)+" · "+itoa(v.Up)+" of "+itoa(v.Total)+" members up"),
		s.muted.paint(clean(v.Description)),
		s.muted.paint("reason  ") + clean(v.Reason),
		s.muted.paint("member tree (Enter opens a member; ◀ marks the members that made it fail)"),
	}
	rows := m.serviceTree(f.service)
	// The tree column is as wide as its widest row (within half the
	// screen); the reasons get the rest.
	lw := 0
	for _, r := range rows {
		lw = max(lw, width(m.treeLeft(m.plain, r)))
	}
	lw = clampInt(lw, 20, max(w/2, 30))
	n := h - serviceHeadRows
	off := window(f.cursor, f.offset, len(rows), n)
	for i := off; i < len(rows) && i < off+n; i++ {
		st := s
		if i == f.cursor {
			st = m.plain
		}
		line := m.treeLine(st, rows[i], lw, w)
		if i == f.cursor {
			line = s.selected.paint(line)
		}
		out = append(out, line)
	}
	return out
}

// treeLeft is a tree row's left part: the branch, the member's mark and name.
func (m *Root) treeLeft(s *styles, r treeRow) string {
	name := clean(r.name)
	if r.isService {
		name = s.bold.paint(name) + s.muted.paint(" (service)")
	}
	cell, ok := roleCell(s, r.role)
	if !ok {
		cell = statusCell(s, r.status, "")
	}
	return s.muted.paint(r.prefix) + cell + " " + name
}

// treeLine is a tree row: its left part lw cells wide, then the culprit
// mark and the reason.
func (m *Root) treeLine(s *styles, r treeRow, lw, w int) string {
	mark := "  "
	if r.culprit {
		mark = s.critText.paint("◀ ")
	}
	return fit(fit(m.treeLeft(s, r), lw)+" "+mark+clean(r.reason), w)
}
