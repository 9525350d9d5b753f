package ui

import (
	"cmp"
	"slices"

	"noctop/model"
)

// refilter recomputes the filtered, sorted pane lists from scratch: both
// asset lists are sorted again only when the sort changed.
func (ix *snapshotIndex) refilter(f filter, sm sortMode) {
	if sm != ix.sm {
		var tech, app []*assetRow
		for _, r := range ix.slots {
			if paneOf(r.a) == paneApplication {
				app = append(app, r)
			} else {
				tech = append(tech, r)
			}
		}
		sortRows := func(a, b *assetRow) int { return compareRows(a, b, sm) }
		slices.SortStableFunc(tech, sortRows)
		slices.SortStableFunc(app, sortRows)
		ix.techAll.set(tech)
		ix.appAll.set(app)
	}
	ix.f, ix.sm = f, sm
	ix.tech, ix.app = ix.techAll.rows, ix.appAll.rows
	if f.active() {
		ix.techShown.set(filterRows(ix.techAll.rows, f))
		ix.appShown.set(filterRows(ix.appAll.rows, f))
		ix.tech, ix.app = ix.techShown.rows, ix.appShown.rows
	}
	ix.techW, ix.appW = rowWidths(ix.tech), rowWidths(ix.app)
	ix.techN, ix.appN = paneTally{}, paneTally{}
	ix.techWC.reset()
	ix.appWC.reset()
	for _, r := range ix.tech {
		ix.techN.add(r, 1)
		ix.techWC.add(r, 1)
	}
	for _, r := range ix.app {
		ix.appN.add(r, 1)
		ix.appWC.add(r, 1)
	}
	ix.setServices()
}

// setServices filters and sorts the services (a few, compared with the
// assets: done whole whenever one changed).
func (ix *snapshotIndex) setServices() {
	ix.svcs = ix.svcs[:0]
	for _, v := range ix.snap.Services {
		if !ix.f.active() || ix.f.matchService(v) {
			ix.svcs = append(ix.svcs, v)
		}
	}
	ix.svcW, ix.svcN = widths{}, paneTally{}
	for _, v := range ix.svcs {
		ix.svcW.name = max(ix.svcW.name, width(clean(v.Name)))
		ix.svcW.reason = max(ix.svcW.reason, width(clean(v.Reason)))
		ix.svcN.n[min(int(v.Status), len(ix.svcN.n)-1)]++
	}
	slices.SortStableFunc(ix.svcs, func(a, b *model.ServiceState) int { return compareServices(a, b, ix.sm) })
	ix.servicesDownOf = map[string][]*model.ServiceState{}
}

// filterRows is the rows that pass f, in their order.
func filterRows(rows []*assetRow, f filter) []*assetRow {
	var out []*assetRow
	for _, r := range rows {
		if f.matchAsset(r) {
			out = append(out, r)
		}
	}
	return out
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
