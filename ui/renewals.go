package ui

import (
	"cmp"
	"math"
	"slices"
	"time"

	"noctop/model"
)

// renewal is one lifecycle date of an asset.
type renewal struct {
	asset, what, owner string
	date               time.Time
	days               int
}

// renewals lists warranty ends and EOL dates, soonest first.
func renewals(s *model.Snapshot) []renewal {
	today := renewalDay(s)
	var out []renewal
	for _, a := range s.Assets {
		l := a.Lifecycle
		if l == nil {
			continue
		}
		add := func(what string, y, m, day int) {
			t := time.Date(y, time.Month(m), day, 0, 0, 0, 0, time.UTC)
			out = append(out, renewal{asset: clean(a.Name), what: what, owner: clean(l.Owner), date: t,
				days: int(math.Floor(t.Sub(today).Hours() / 24))})
		}
		if w := l.WarrantyEnd; w != nil {
			add("warranty", w.Year, w.Month, w.Day)
		}
		if e := l.EOL; e != nil {
			add("EOL", e.Year, e.Month, e.Day)
		}
	}
	slices.SortStableFunc(out, func(a, b renewal) int {
		if c := cmp.Compare(a.days, b.days); c != 0 {
			return c
		}
		return cmp.Compare(a.asset, b.asset)
	})
	return out
}

// renewalDay is the day a snapshot counts the days to a renewal from.
func renewalDay(s *model.Snapshot) time.Time { return s.At.UTC().Truncate(24 * time.Hour) }
