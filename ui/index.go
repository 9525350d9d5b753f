package ui

import (
	"cmp"
	"slices"
	"time"

	"noctop/model"
)

// sortMode orders the rows of a pane; s cycles through them.
type sortMode int

const (
	sortStatus sortMode = iota // worst first, then name
	sortName
	sortSince // most recent change first
	sortKind  // kind (services: rule), then name
	numSorts
)

func (m sortMode) String() string {
	return [...]string{"status", "name", "since", "kind"}[m]
}

// snapshotIndex is everything the panes draw, kept per snapshot (and per
// filter or sort change), never computed per frame. It counts nothing the
// engine counts: the numbers shown come from the snapshot's Tally and each
// asset's Role. Root keeps one and moves it to each new snapshot with
// update, which redoes only what the changed AssetStates touch (the engine
// shares unchanged ones by pointer); buildIndex builds one from scratch.
type snapshotIndex struct {
	snap *model.Snapshot
	f    filter
	sm   sortMode

	slots  []*assetRow         // the row of each asset, in the snapshot's order
	states []*model.AssetState // slots[i].a, side by side: update compares them with no pointer chasing
	byName map[string]int      // slot of each name (the last, should one repeat)

	// Every row of a layer in the sort order, and those the filter passes
	// (tech and app: the same rows when no filter is set).
	techAll, appAll     sortedRows
	techShown, appShown sortedRows
	tech, app           []*assetRow
	svcs                []*model.ServiceState
	renewals            []renewal
	renewalW            int       // widest asset name among renewals
	renewalDay          time.Time // the day renewals counted from
	// Widest cell of a pane's content columns (names, services, reasons),
	// so columns are sized by what they hold, and their counts behind.
	techW, appW, svcW widths
	techWC, appWC     widthCount
	// What each pane's title counts, over the rows shown.
	techN, appN, svcN paneTally

	causes      sortedRows // RoleRootCause, by name
	problems    sortedRows // every other role but unreachable, by role then name
	unreachable sortedRows // RoleUnreachable, in the snapshot's order
	// behind maps a root cause to the UNREACHABLE assets naming it.
	behind map[string][]*assetRow
	// orphans are UNREACHABLE assets none of whose root causes is a
	// RoleRootCause asset (rechecking after the parent recovered).
	orphans []*assetRow
	// rechecking holds the assets being rechecked (Snapshot.Checking), and
	// waiting the RoleChecking assets that wait for each of them.
	rechecking map[string]bool
	waiting    map[string][]*assetRow

	// Built on first use: the triage screen and each cause's services.
	triageDoc      *triageDoc
	servicesDownOf map[string][]*model.ServiceState

	scratch indexScratch // update's buffers, kept between snapshots
}

// widths are the widest cells of a list's content columns.
type widths struct{ name, kind, addr, reason int }

// roleRank orders the roles for lists of problems: what to fix first.
func roleRank(r model.Role) int {
	switch r {
	case model.RoleRootCause:
		return 0
	case model.RoleChecking:
		return 1
	case model.RoleCritical:
		return 2
	case model.RoleUnknown:
		return 3
	case model.RoleWarning:
		return 4
	case model.RoleSoft:
		return 5
	case model.RoleUnreachable:
		return 6
	}
	return 7
}

// buildIndex prepares a snapshot from scratch. Rows of AssetStates that
// did not change are reused from prev (the engine shares unchanged
// pointers).
func buildIndex(s *model.Snapshot, prev *snapshotIndex, f filter, sm sortMode) *snapshotIndex {
	ix := &snapshotIndex{snap: s, slots: make([]*assetRow, len(s.Assets)), states: slices.Clone(s.Assets),
		byName: make(map[string]int, len(s.Assets)), sm: -1}
	var causes, problems, unreachable []*assetRow
	for i, a := range s.Assets {
		var r *assetRow
		if prev != nil && i < len(prev.slots) && prev.slots[i].a == a {
			r = prev.slots[i]
		} else {
			r = newAssetRow(a, i)
		}
		ix.slots[i] = r
		ix.byName[a.Name] = i
		switch a.Role {
		case model.RoleNone:
		case model.RoleRootCause:
			causes = append(causes, r)
		case model.RoleUnreachable:
			unreachable = append(unreachable, r)
		default:
			problems = append(problems, r)
		}
	}
	ix.rankNames()
	slices.SortStableFunc(causes, func(a, b *assetRow) int { return cmp.Compare(a.a.Name, b.a.Name) })
	slices.SortStableFunc(problems, func(a, b *assetRow) int {
		if c := cmp.Compare(roleRank(a.a.Role), roleRank(b.a.Role)); c != 0 {
			return c
		}
		return cmp.Compare(a.a.Name, b.a.Name)
	})
	ix.causes.set(causes)
	ix.problems.set(problems)
	ix.unreachable.set(unreachable)
	ix.outages()
	ix.recheckings()
	ix.setRenewals()
	ix.refilter(f, sm)
	return ix
}

// rankNames numbers the rows in the order of their names (then slots):
// what the incremental lists compare instead of the names.
func (ix *snapshotIndex) rankNames() {
	order := slices.Clone(ix.slots)
	slices.SortFunc(order, func(a, b *assetRow) int {
		if c := cmp.Compare(a.a.Name, b.a.Name); c != 0 {
			return c
		}
		return cmp.Compare(a.slot, b.slot)
	})
	for i, r := range order {
		r.rank = i
	}
}

// outages derives from the problem lists who is behind each root cause and
// who waits for each recheck, and drops what was built from the old ones.
func (ix *snapshotIndex) outages() {
	ix.behind = make(map[string][]*assetRow, len(ix.causes.rows))
	for _, r := range ix.causes.rows {
		ix.behind[r.a.Name] = nil
	}
	ix.orphans = nil
	for _, r := range ix.unreachable.rows {
		found := false
		for _, rc := range r.a.RootCauses {
			if list, ok := ix.behind[rc]; ok {
				ix.behind[rc] = append(list, r)
				found = true
			}
		}
		if !found {
			ix.orphans = append(ix.orphans, r)
		}
	}
	ix.waiting = map[string][]*assetRow{}
	for _, r := range ix.problems.rows {
		if r.a.Role != model.RoleChecking {
			continue
		}
		for _, p := range r.a.Checking {
			ix.waiting[p] = append(ix.waiting[p], r)
		}
	}
	ix.triageDoc, ix.servicesDownOf = nil, map[string][]*model.ServiceState{}
}

// recheckings reads the snapshot's list of assets being rechecked.
func (ix *snapshotIndex) recheckings() {
	ix.rechecking = make(map[string]bool, len(ix.snap.Checking))
	for _, n := range ix.snap.Checking {
		ix.rechecking[n] = true
	}
	ix.triageDoc = nil
}

// setRenewals lists the snapshot's lifecycle dates, counted from its day.
func (ix *snapshotIndex) setRenewals() {
	ix.renewals, ix.renewalW = renewals(ix.snap), 0
	ix.renewalDay = renewalDay(ix.snap)
	for _, r := range ix.renewals {
		ix.renewalW = max(ix.renewalW, width(r.asset))
	}
}
