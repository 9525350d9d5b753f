package ui

import (
	"slices"

	"noctop/model"
)

// indexScratch holds update's buffers between snapshots, so a snapshot
// with a few changes allocates little more than their new rows.
type indexScratch struct {
	changed []int
	// Rows leaving and entering each list: the asset panes (all rows, and
	// shown ones under a filter) and the problem lists.
	allOut, allIn     [2][]*assetRow
	shownOut, shownIn [2][]*assetRow
	roleOut, roleIn   [3][]*assetRow
}

// The problem list a role puts an asset in (-1: none).
const (
	listCauses = iota
	listProblems
	listUnreachable
)

func roleList(r model.Role) int {
	switch r {
	case model.RoleNone:
		return -1
	case model.RoleRootCause:
		return listCauses
	case model.RoleUnreachable:
		return listUnreachable
	}
	return listProblems
}

// update moves the index to snapshot s, a later snapshot of the same
// estate: only the assets whose state pointer changed are looked at, each
// leaves its lists and re-enters them where it now sorts (binary search
// and one merge per list), the widths and counts move by its old and new
// row. It reports false when s is not of the same estate (other assets,
// or in another order; the index is then left as it was), or when a list
// did not hold a row the index put in it, which would be a bug: either
// way, build a new index.
func (ix *snapshotIndex) update(s *model.Snapshot) bool {
	old := ix.snap
	if len(s.Assets) != len(ix.slots) {
		return false
	}
	sc := &ix.scratch
	sc.changed = sc.changed[:0]
	for i, a := range s.Assets {
		if o := ix.states[i]; a != o {
			if a.Name != o.Name {
				return false
			}
			sc.changed = append(sc.changed, i)
		}
	}
	ix.snap = s
	for p := range sc.allOut {
		sc.allOut[p], sc.allIn[p] = sc.allOut[p][:0], sc.allIn[p][:0]
		sc.shownOut[p], sc.shownIn[p] = sc.shownOut[p][:0], sc.shownIn[p][:0]
	}
	for l := range sc.roleOut {
		sc.roleOut[l], sc.roleIn[l] = sc.roleOut[l][:0], sc.roleIn[l][:0]
	}
	lifecycles, rechecked := false, false
	for _, i := range sc.changed {
		o := ix.slots[i]
		n := nextAssetRow(s.Assets[i], i, o)
		ix.slots[i], ix.states[i] = n, n.a
		ix.track(o, -1)
		ix.track(n, 1)
		lifecycles = lifecycles || o.a.Lifecycle != n.a.Lifecycle || lifecycleCheck(o.a) != lifecycleCheck(n.a)
		rechecked = rechecked || ix.rechecking[n.a.Name]
	}

	sm := paneOrder(ix.sm)
	ok := ix.techAll.merge(sc.allOut[0], sc.allIn[0], sm) && ix.appAll.merge(sc.allOut[1], sc.allIn[1], sm)
	ix.tech, ix.app = ix.techAll.rows, ix.appAll.rows
	if ix.f.active() {
		ok = ok && ix.techShown.merge(sc.shownOut[0], sc.shownIn[0], sm) && ix.appShown.merge(sc.shownOut[1], sc.shownIn[1], sm)
		ix.tech, ix.app = ix.techShown.rows, ix.appShown.rows
	}
	ix.techW, ix.appW = ix.techWC.widths(), ix.appWC.widths()

	outage := false
	lists := [...]*sortedRows{listCauses: &ix.causes, listProblems: &ix.problems, listUnreachable: &ix.unreachable}
	orders := [...]func(a, b *assetRow) int{listCauses: causeOrder, listProblems: problemOrder, listUnreachable: slotOrder}
	for l, list := range lists {
		if len(sc.roleOut[l])+len(sc.roleIn[l]) > 0 {
			outage = true
			ok = ok && list.merge(sc.roleOut[l], sc.roleIn[l], orders[l])
		}
	}
	if !ok {
		return false // a list did not hold what the index said: never show it
	}
	if outage {
		ix.outages()
	}
	if !slices.Equal(old.Checking, s.Checking) {
		ix.recheckings()
	} else if rechecked {
		ix.triageDoc = nil // it holds the rows of the assets being rechecked
	}
	if servicesChanged(old, s) {
		ix.setServices()
	}
	if lifecycles || !renewalDay(s).Equal(ix.renewalDay) {
		ix.setRenewals()
	}
	return true
}

// track takes row r out of (d = -1) or into (d = 1) the index's counts
// and widths, and queues it to leave or enter its lists, as of the
// current filter.
func (ix *snapshotIndex) track(r *assetRow, d int) {
	sc := &ix.scratch
	p := 0
	tally, wc := &ix.techN, &ix.techWC
	if paneOf(r.a) == paneApplication {
		p, tally, wc = 1, &ix.appN, &ix.appWC
	}
	all, shown, roles := &sc.allIn, &sc.shownIn, &sc.roleIn
	if d < 0 {
		all, shown, roles = &sc.allOut, &sc.shownOut, &sc.roleOut
	}
	all[p] = append(all[p], r)
	if !ix.f.active() || ix.f.matchAsset(r) {
		shown[p] = append(shown[p], r)
		tally.add(r, d)
		wc.add(r, int32(d))
	}
	if l := roleList(r.a.Role); l >= 0 {
		roles[l] = append(roles[l], r)
	}
}

// servicesChanged reports whether any service state differs between two
// snapshots of an estate.
func servicesChanged(a, b *model.Snapshot) bool {
	if len(a.Services) != len(b.Services) {
		return true
	}
	for i, v := range a.Services {
		if b.Services[i] != v {
			return true
		}
	}
	return false
}
