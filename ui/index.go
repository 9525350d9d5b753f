package ui

import (
	"cmp"
	"slices"

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

// snapshotIndex is everything the panes draw, computed once per snapshot (and per
// filter or sort change), never per frame. It counts nothing: the numbers
// shown come from the snapshot's Tally and each asset's Role, which the
// engine computes once for every front end.
type snapshotIndex struct {
	snap   *model.Snapshot
	rows   map[*model.AssetState]*assetRow
	byName map[string]*assetRow

	tech, app []*assetRow
	svcs      []*model.ServiceState
	renewals  []renewal
	renewalW  int // widest asset name among renewals
	// Widest cell of a pane's content columns (names, services, reasons),
	// so columns are sized by what they hold.
	techW, appW, svcW widths

	causes   []*assetRow // RoleRootCause, by name
	problems []*assetRow // every other role but unreachable, by role then name
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

// buildIndex prepares a snapshot. Rows of AssetStates that did not change
// are reused from prev (the engine shares unchanged pointers).
func buildIndex(s *model.Snapshot, prev *snapshotIndex, f filter, sm sortMode) *snapshotIndex {
	index := &snapshotIndex{snap: s, rows: make(map[*model.AssetState]*assetRow, len(s.Assets)), byName: make(map[string]*assetRow, len(s.Assets)),
		servicesDownOf: map[string][]*model.ServiceState{}}
	var unreachable []*assetRow
	for _, a := range s.Assets {
		var r *assetRow
		if prev != nil {
			r = prev.rows[a]
		}
		if r == nil {
			r = newAssetRow(a)
		}
		index.rows[a] = r
		index.byName[a.Name] = r
		switch a.Role {
		case model.RoleNone:
		case model.RoleRootCause:
			index.causes = append(index.causes, r)
		case model.RoleUnreachable:
			unreachable = append(unreachable, r)
		default:
			index.problems = append(index.problems, r)
		}
	}
	slices.SortFunc(index.causes, func(a, b *assetRow) int { return cmp.Compare(a.a.Name, b.a.Name) })
	slices.SortFunc(index.problems, func(a, b *assetRow) int {
		if c := cmp.Compare(roleRank(a.a.Role), roleRank(b.a.Role)); c != 0 {
			return c
		}
		return cmp.Compare(a.a.Name, b.a.Name)
	})
	index.behind = make(map[string][]*assetRow, len(index.causes))
	for _, r := range index.causes {
		index.behind[r.a.Name] = nil
	}
	for _, r := range unreachable {
		found := false
		for _, rc := range r.a.RootCauses {
			if list, ok := index.behind[rc]; ok {
				index.behind[rc] = append(list, r)
				found = true
			}
		}
		if !found {
			index.orphans = append(index.orphans, r)
		}
	}
	index.rechecking = make(map[string]bool, len(s.Checking))
	index.waiting = make(map[string][]*assetRow, len(s.Checking))
	for _, n := range s.Checking {
		index.rechecking[n] = true
	}
	for _, r := range index.problems {
		if r.a.Role != model.RoleChecking {
			continue
		}
		for _, p := range r.a.Checking {
			index.waiting[p] = append(index.waiting[p], r)
		}
	}
	index.renewals = renewals(s)
	for _, r := range index.renewals {
		index.renewalW = max(index.renewalW, width(r.asset))
	}
	index.refilter(f, sm)
	return index
}

// asset is the state of the named asset, nil when it is not in the
// snapshot: a map lookup, whether or not the snapshot has its own index
// (hand-made ones fall back to a scan).
func (ix *snapshotIndex) asset(name string) *model.AssetState {
	if r := ix.byName[name]; r != nil {
		return r.a
	}
	return nil
}

// service is the state of the named service, nil when it is not in the
// snapshot: the engine's snapshots look it up in their shared index.
func (ix *snapshotIndex) service(name string) *model.ServiceState { return ix.snap.Service(name) }

// refilter recomputes the filtered, sorted pane lists.
func (ix *snapshotIndex) refilter(f filter, sm sortMode) {
	ix.tech, ix.app, ix.svcs = ix.tech[:0], ix.app[:0], ix.svcs[:0]
	for _, a := range ix.snap.Assets {
		r := ix.rows[a]
		if f.active() && !f.matchAsset(r) {
			continue
		}
		if a.Layer == model.LayerApplication {
			ix.app = append(ix.app, r)
		} else {
			ix.tech = append(ix.tech, r)
		}
	}
	for _, v := range ix.snap.Services {
		if !f.active() || f.matchService(v) {
			ix.svcs = append(ix.svcs, v)
		}
	}
	ix.techW, ix.appW, ix.svcW = rowWidths(ix.tech), rowWidths(ix.app), widths{}
	for _, v := range ix.svcs {
		ix.svcW.name = max(ix.svcW.name, width(clean(v.Name)))
		ix.svcW.reason = max(ix.svcW.reason, width(clean(v.Reason)))
	}
	sortRows := func(a, b *assetRow) int { return compareRows(a, b, sm) }
	slices.SortStableFunc(ix.tech, sortRows)
	slices.SortStableFunc(ix.app, sortRows)
	slices.SortStableFunc(ix.svcs, func(a, b *model.ServiceState) int { return compareServices(a, b, sm) })
}

func compareRows(a, b *assetRow, sm sortMode) int {
	switch sm {
	case sortName:
	case sortSince:
		if c := b.a.Since.Compare(a.a.Since); c != 0 {
			return c
		}
	case sortKind:
		if c := cmp.Compare(a.a.Kind, b.a.Kind); c != 0 {
			return c
		}
	default:
		if c := cmp.Compare(b.a.Status.Severity(), a.a.Status.Severity()); c != 0 {
			return c
		}
	}
	return cmp.Compare(a.a.Name, b.a.Name)
}

func compareServices(a, b *model.ServiceState, sm sortMode) int {
	switch sm {
	case sortName:
	case sortSince:
		if c := b.Since.Compare(a.Since); c != 0 {
			return c
		}
	case sortKind:
		if c := cmp.Compare(a.Rule, b.Rule); c != 0 {
			return c
		}
	default:
		if c := cmp.Compare(b.Status.Severity(), a.Status.Severity()); c != 0 {
			return c
		}
	}
	return cmp.Compare(a.Name, b.Name)
}

// rowWidths is the widest name and reason among rows.
func rowWidths(rows []*assetRow) widths {
	var w widths
	for _, r := range rows {
		w.name = max(w.name, r.nameW)
		w.kind = max(w.kind, r.kindW)
		w.addr = max(w.addr, r.addrW)
		w.reason = max(w.reason, r.reasonW)
	}
	return w
}
