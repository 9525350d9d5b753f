package ui

import (
	"slices"

	"noctop/model"
)

// row is the named asset's row, nil when it is not in the snapshot.
func (ix *snapshotIndex) row(name string) *assetRow {
	if i, ok := ix.byName[name]; ok {
		return ix.slots[i]
	}
	return nil
}

// rowOf is the row of an asset state of the snapshot (made on the spot for
// one that is not).
func (ix *snapshotIndex) rowOf(a *model.AssetState) *assetRow {
	if r := ix.row(a.Name); r != nil && r.a == a {
		return r
	}
	return newAssetRow(a, -1)
}

// asset is the state of the named asset, nil when it is not in the
// snapshot.
func (ix *snapshotIndex) asset(name string) *model.AssetState {
	if r := ix.row(name); r != nil {
		return r.a
	}
	return nil
}

// service is the state of the named service, nil when it is not in the
// snapshot: the engine's snapshots look it up in their shared index.
func (ix *snapshotIndex) service(name string) *model.ServiceState { return ix.snap.Service(name) }

// position is where the named item is in pane p's list, -1 when it is not
// shown: a binary search in the asset panes, whose order is total.
func (ix *snapshotIndex) position(p int, name string) int {
	if ix == nil {
		return -1
	}
	if p == paneFunctional {
		for i, v := range ix.svcs {
			if v.Name == name {
				return i
			}
		}
		return -1
	}
	r := ix.row(name)
	if r == nil || paneOf(r.a) != p {
		return -1
	}
	list := ix.shown(p)
	if i, found := slices.BinarySearchFunc(list, r, paneOrder(ix.sm)); found && list[i] == r {
		return i
	}
	return -1
}

// paneOf is the overview pane that lists an asset.
func paneOf(a *model.AssetState) int {
	if a.Layer == model.LayerApplication {
		return paneApplication
	}
	return paneTechnical
}

// shown is the list of asset pane p.
func (ix *snapshotIndex) shown(p int) []*assetRow {
	if p == paneApplication {
		return ix.app
	}
	return ix.tech
}
