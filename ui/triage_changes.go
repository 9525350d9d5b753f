package ui

import (
	"slices"

	"noctop/model"
)

// changeSections lists, before the other problems, those that began
// shortly after a change, one section per change (newest first): "After
// crm changed 4.2.0 -> 4.3.0 (14:02)". It returns the problems left.
// UNREACHABLE assets stay under their root cause: the outage explains them.
func changeSections(others []*assetRow, section func(title, note string), add func(*assetRow)) []*assetRow {
	type group struct {
		c    *model.Correlation
		rows []*assetRow
	}
	var groups []*group
	rest := others[:0:0]
	for _, r := range others {
		c := assetChange(r.a)
		if c == nil {
			rest = append(rest, r)
			continue
		}
		i := slices.IndexFunc(groups, func(g *group) bool { return sameChange(g.c, c) })
		if i < 0 {
			groups = append(groups, &group{c: c})
			i = len(groups) - 1
		}
		groups[i].rows = append(groups[i].rows, r)
	}
	slices.SortStableFunc(groups, func(a, b *group) int { return b.c.At.Compare(a.c.At) })
	for _, g := range groups {
		section("After "+clean(g.c.Change()), " ("+clock(g.c.At)+") — began within the correlation window after it")
		for _, r := range g.rows {
			add(r)
		}
	}
	return rest
}

// assetChange is the change the asset's problem followed: that of its
// worst check that has one.
func assetChange(a *model.AssetState) *model.Correlation {
	if a == nil || a.Status == model.StatusUnreachable {
		return nil
	}
	var best *model.CheckState
	for _, c := range a.Checks {
		if c.Correlation != nil && c.Status.IsProblem() && (best == nil || c.Status.Worse(best.Status)) {
			best = c
		}
	}
	if best == nil {
		return nil
	}
	return best.Correlation
}

// sameChange reports whether two correlations name one change.
func sameChange(a, b *model.Correlation) bool {
	return a.Asset == b.Asset && a.What == b.What && a.From == b.From && a.To == b.To && a.At.Equal(b.At)
}

// correlationLine is the check screen's line under its head: the change
// its problem followed, or blank.
func correlationLine(s *styles, cs *model.CheckState) string {
	if cs.Correlation == nil {
		return ""
	}
	return s.warnText.paint("Change: " + clean(cs.Correlation.Text()) + " (" + clock(cs.Correlation.At) + ")")
}
