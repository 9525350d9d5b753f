package ui

import (
	"fmt"
	"strings"

	"noctop/model"
)

// treeRow is one line of a service's member tree.
type treeRow struct {
	prefix    string // tree drawing
	name      string
	isService bool
	status    model.Status
	reason    string
	culprit   bool // this member made its parent fail
	role      model.Role
	acked     bool
}

// serviceTree flattens a service and its members, nested services
// expanded, root first.
func serviceTree(e *env, name string) []treeRow {
	if e.index == nil {
		return nil
	}
	v := e.index.service(name)
	if v == nil {
		return nil
	}
	rows := []treeRow{{name: v.Name, isService: true, status: v.Status, reason: v.Reason}}
	seen := map[string]bool{v.Name: true}
	addMembers(e.index, &rows, v, "", seen)
	return rows
}

func addMembers(index *snapshotIndex, rows *[]treeRow, v *model.ServiceState, indent string, seen map[string]bool) {
	for i, mem := range v.Members {
		last := i == len(v.Members)-1
		branch, next := "├─ ", "│  "
		if last {
			branch, next = "└─ ", "   "
		}
		r := treeRow{prefix: indent + branch, name: mem.Name, isService: mem.IsService, status: mem.Status, culprit: mem.Culprit}
		if mem.IsService {
			sub := index.service(mem.Name)
			if sub != nil {
				r.reason = sub.Reason
			}
			*rows = append(*rows, r)
			if sub != nil && !seen[sub.Name] && len(indent) < 64 {
				seen[sub.Name] = true
				addMembers(index, rows, sub, indent+next, seen)
			}
			continue
		}
		if a := index.asset(mem.Name); a != nil {
			r.reason, r.role, r.acked = a.Reason, a.Role, acked(a)
			if a.Status == model.StatusUnreachable && len(a.RootCauses) > 0 {
				r.reason = "unreachable: root cause " + a.RootCause
			}
		}
		*rows = append(*rows, r)
	}
}

// View draws the service and its member tree, marking the members that
// made it fail.
func (v *serviceScreen) View(e *env, w, h int) []string {
	s := e.styles
	svc := e.index.service(v.name)
	if svc == nil {
		return []string{s.muted.paint("service " + clean(v.name) + " is no longer in the configuration")}
	}
	out := []string{
		s.bold.paint(clean(svc.Name)) + s.muted.paint("  rule "+clean(svc.Rule)+"  ") + statusLong(s, svc.Status, "") +
			s.muted.paint("  since "+clock(svc.Since)+" · "+itoa(svc.Up)+" of "+itoa(svc.Total)+" members up"),
		s.muted.paint(clean(svc.Description)),
		s.muted.paint("reason  ") + clean(svc.Reason),
		availLine(s, svc),
		s.muted.paint("member tree (Enter opens a member; ◀ marks the members that made it fail)"),
	}
	rows := serviceTree(e, v.name)
	// The tree column is as wide as its widest row (within half the
	// screen); the reasons get the rest.
	lw := 0
	for _, r := range rows {
		lw = max(lw, width(treeLeft(e.plain, r)))
	}
	lw = clampInt(lw, 20, max(w/2, 30))
	n := treeHeight(svc, h)
	off := window(v.cursor, v.offset, len(rows), n)
	for i := off; i < len(rows) && i < off+n; i++ {
		if i == v.cursor {
			out = append(out, s.selected.paint(treeLine(e.plain, rows[i], lw, w)))
		} else {
			out = append(out, treeLine(s, rows[i], lw, w))
		}
	}
	// The outages follow the tree; treeHeight left them room.
	return append(out, outageLines(s, svc, outageRows(svc, h)-1)...)
}

// availLine is the service's availability over 24 h, 7 d and 30 d, its
// sla and the month's down time.
func availLine(s *styles, svc *model.ServiceState) string {
	parts := make([]string, 0, 3)
	for i, w := range model.SLAWindows() {
		parts = append(parts, model.WindowText(w)+" "+availCell(s, svc, i))
	}
	line := s.muted.paint("availability  ") + strings.Join(parts, s.muted.paint(" · "))
	if svc.SLA > 0 {
		line += s.muted.paint(fmt.Sprintf("  sla %g%%", svc.SLA))
	}
	if month := svc.Availability[2]; month.Down > 0 {
		line += s.muted.paint("  " + model.DurationText(month.Down) + " down in 30 d")
	}
	return line
}

// outageRows is the height of the outages block below the tree in a body
// h rows high: a title and up to a third of the screen of outages.
func outageRows(svc *model.ServiceState, h int) int {
	if svc == nil {
		return 0
	}
	n := len(svc.Availability[2].Outages)
	return 1 + min(n, max(2, (h-serviceHeadRows)/3))
}

// outageLines lists the service's outages of the last 30 days, newest
// first, n at most, under a title.
func outageLines(s *styles, svc *model.ServiceState, n int) []string {
	month := svc.Availability[2]
	all := month.Outages
	switch {
	case !month.Known():
		return []string{s.muted.paint("outages  availability not measured yet")}
	case len(all) == 0:
		return []string{s.muted.paint("outages  none in the last 30 d")}
	}
	title := fmt.Sprintf("outages in the last 30 d: %d, %s down, newest first", len(all), model.DurationText(month.Down))
	if len(all) > n {
		title += fmt.Sprintf(" (%d older not shown)", len(all)-n)
	}
	out := []string{s.muted.paint(title)}
	for i := len(all) - 1; i >= 0 && len(out) <= n; i-- {
		o := all[i]
		end, tail := o.End.Format("01-02 15:04"), ""
		if o.End.YearDay() == o.Start.YearDay() && o.End.Year() == o.Start.Year() {
			end = o.End.Format("15:04")
		}
		if o.Open {
			end, tail = "now", "  "+s.critText.paint("still down")
		}
		out = append(out, fmt.Sprintf("  %s → %-11s  %-9s  %s%s", o.Start.Format("01-02 15:04"), end,
			model.DurationText(o.Duration()), statusLong(s, o.Status, ""), tail))
	}
	return out
}

// treeLeft is a tree row's left part: the branch, the member's mark and name.
func treeLeft(s *styles, r treeRow) string {
	name := clean(r.name)
	if r.isService {
		name = s.bold.paint(name) + s.muted.paint(" (service)")
	}
	mark := ackMark(r.acked)
	cell, ok := roleCell(s, r.role, mark)
	if !ok {
		cell = statusCellMarked(s, r.status, "", mark)
	}
	return s.muted.paint(r.prefix) + cell + " " + name
}

// treeLine is a tree row: its left part lw cells wide, then the culprit
// mark and the reason.
func treeLine(s *styles, r treeRow, lw, w int) string {
	mark := "  "
	if r.culprit {
		mark = s.critText.paint("◀ ")
	}
	return fit(fit(treeLeft(s, r), lw)+" "+mark+clean(r.reason), w)
}
