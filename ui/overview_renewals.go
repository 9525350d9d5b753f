package ui

// The functional pane's renewals list is the continuation of its services
// list: moving down past the last service enters it, moving up past its
// first row leaves it; Enter opens the asset of the selected row (Esc
// comes back, as from any screen on the stack).

// moveRenewals moves the cursor within or into or out of the renewals;
// it reports whether it handled the move.
func (o *overviewScreen) moveRenewals(e *env, by int) bool {
	if o.pane != paneFunctional || e.index == nil || len(e.index.renewals) == 0 {
		return false
	}
	rs := e.index.renewals
	n := paneLen(e, paneFunctional)
	r := &o.renewal
	if !o.inRenewals {
		l := &o.panes[paneFunctional]
		if by <= 0 || l.cursor+by < n {
			return false
		}
		o.inRenewals = true
		r.cursor = min(max(l.cursor+by-n, 0), len(rs)-1)
		if n == 0 {
			r.cursor = min(max(by-1, 0), len(rs)-1)
		}
	} else {
		c := r.cursor + by
		if c < 0 && n > 0 {
			o.inRenewals = false
			l := &o.panes[paneFunctional]
			l.cursor = min(max(n+c, 0), n-1)
			l.selected = paneItem(e, paneFunctional, l.cursor)
			l.offset = window(l.cursor, l.offset, n, paneRows(e, paneFunctional))
			return true
		}
		r.cursor = min(max(c, 0), len(rs)-1)
	}
	o.noteRenewal(e)
	return true
}

// noteRenewal remembers the selected row and keeps it in view.
func (o *overviewScreen) noteRenewal(e *env) {
	rs := e.index.renewals
	r := &o.renewal
	r.selected = ""
	if r.cursor >= 0 && r.cursor < len(rs) {
		r.selected = rs[r.cursor].key
	}
	r.offset = window(r.cursor, r.offset, len(rs), max(renewalRows(e.index, e.bodyHeight())-2, 1))
}

// settleRenewals finds the selected row again in a new snapshot's list,
// or clamps the cursor; with no renewals left the cursor goes back to the
// services.
func (o *overviewScreen) settleRenewals(e *env) {
	if e.index == nil || len(e.index.renewals) == 0 {
		o.inRenewals, o.renewal = false, paneList{}
		return
	}
	r := &o.renewal
	for i, rn := range e.index.renewals {
		if rn.key == r.selected {
			r.cursor = i
			break
		}
	}
	r.cursor = min(max(r.cursor, 0), len(e.index.renewals)-1)
	o.noteRenewal(e)
}

// openRenewal is the asset screen of the selected renewal.
func (o *overviewScreen) openRenewal(e *env) screen {
	rs := e.index.renewals
	if o.renewal.cursor < 0 || o.renewal.cursor >= len(rs) {
		return nil
	}
	return &assetScreen{name: rs[o.renewal.cursor].name}
}

// renewalAsset is the asset of the selected renewal ("" for none).
func (o *overviewScreen) renewalAsset(e *env) string {
	if e.index == nil || o.renewal.cursor < 0 || o.renewal.cursor >= len(e.index.renewals) {
		return ""
	}
	return e.index.renewals[o.renewal.cursor].name
}
