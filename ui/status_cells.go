package ui

import "noctop/model"

// shortStatus names a status in a narrow cell.
func shortStatus(status model.Status) string {
	switch status {
	case model.StatusPending:
		return "PEND"
	case model.StatusWarning:
		return "WARN"
	case model.StatusCritical:
		return "CRIT"
	case model.StatusUnknown:
		return "UNKN"
	case model.StatusUnreachable:
		return "UNRE"
	case model.StatusMaintenance:
		return "MAINT"
	}
	return status.String()
}

// statusCell is "✗ CRIT" (hard) or "✗ CRIT 1/3" (soft), in its colour.
func statusCell(s *styles, status model.Status, soft string) string {
	return statusCellMarked(s, status, soft, "")
}

// statusCellMarked is statusCell with a mark beside the symbol ("✗⚑ CRIT":
// acknowledged).
func statusCellMarked(s *styles, status model.Status, soft, mark string) string {
	t := status.Symbol() + mark + " " + shortStatus(status)
	if soft != "" {
		t += " " + soft
	}
	return s.status(status).paint(t)
}

// statusLong is "✗ CRITICAL" or "✗ CRITICAL soft 1/3".
func statusLong(s *styles, status model.Status, soft string) string {
	return statusLongMarked(s, status, soft, "")
}

// statusLongMarked is statusLong with a mark beside the symbol.
func statusLongMarked(s *styles, status model.Status, soft, mark string) string {
	t := status.Symbol() + mark + " " + status.String()
	if soft != "" {
		t += " soft " + soft
	}
	return s.status(status).paint(t)
}

// roleMark is how a row shows a role that its status alone would misstate.
type roleMark struct{ sym, word string }

var (
	// roleRoot marks a root cause: hard-down while its parents are up,
	// what to fix.
	roleRoot = roleMark{"◆", "ROOT"}
	// roleWait marks an asset with a problem that waits for the recheck of
	// a parent: not a root cause until that verdict.
	roleWait = roleMark{"◇", "WAIT"}
)

// flapSym marks a flapping asset or check (its reason column, the check
// screen): a wave, readable without colour.
const flapSym = "≈"

// recheckSym marks an asset being rechecked because a child started
// failing; it takes the place of the status symbol.
const recheckSym = "↻"

// assetCell is an asset's STATUS cell: "◆ ROOT" for a root cause,
// "◇ WAIT" for an asset waiting for its parent's recheck, "↻ OK" for an
// asset being rechecked, else its status ("✗ CRIT 1/3"); "≈" follows when
// the asset flaps and the column has room.
func (ix *snapshotIndex) assetCell(s *styles, r *assetRow) string {
	cell := ix.statusOrRole(s, r)
	if r.a.Flapping && r.soft == "" { // a soft label fills the column
		cell += " " + s.warnText.paint(flapSym)
	}
	return cell
}

func (ix *snapshotIndex) statusOrRole(s *styles, r *assetRow) string {
	a := r.a
	mark := ackMark(acked(a))
	if cell, ok := roleCell(s, a.Role, mark); ok {
		return cell
	}
	switch {
	case ix.rechecking[a.Name]:
		t := recheckSym + mark + " " + shortStatus(a.Status)
		if r.soft != "" {
			t += " " + r.soft
		}
		return s.status(a.Status).paint(t)
	}
	return statusCellMarked(s, a.Status, r.soft, mark)
}

// roleCell is the STATUS cell of a role that replaces the status: "◆ ROOT"
// or "◇ WAIT" (with mark beside the symbol).
func roleCell(s *styles, r model.Role, mark string) (string, bool) {
	switch r {
	case model.RoleRootCause:
		return s.critText.paint(roleRoot.sym + mark + " " + roleRoot.word), true
	case model.RoleChecking:
		return s.warnText.paint(roleWait.sym + mark + " " + roleWait.word), true
	}
	return "", false
}

// rowMark is the one-cell mark of an asset in a list of names.
func rowMark(s *styles, r *assetRow) string {
	mark := ackMark(acked(r.a))
	switch r.a.Role {
	case model.RoleRootCause:
		return s.critText.paint(roleRoot.sym + mark)
	case model.RoleChecking:
		return s.warnText.paint(roleWait.sym + mark)
	}
	return s.status(r.a.Status).paint(r.a.Status.Symbol() + mark)
}
