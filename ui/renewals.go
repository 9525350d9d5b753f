package ui

import (
	"cmp"
	"slices"
	"time"

	"noctop/model"
)

// renewal is one row of the lifecycle register: a date of an asset or a
// certificate one of its checks saw.
type renewal struct {
	name                string // the asset's, as the snapshot has it
	asset, what, detail string // cleaned for the screen
	date                time.Time
	days                int
	status              model.Status
	key                 string // finds the row again after a re-sort
}

// renewalKinds are the short names of the WHAT column.
var renewalKinds = map[string]string{
	model.RenewalWarranty: "warranty", model.RenewalEOL: "EOL", model.RenewalEOS: "EOS",
	model.RenewalLicence: "licence", model.RenewalCert: "cert", model.RenewalConsumable: "supply",
}

// renewals lists the register, worst first, then soonest: the items the
// engine judged on each asset's lifecycle check, or, for an asset without
// one (a snapshot made by hand), its dates judged here with the default
// limits.
func renewals(s *model.Snapshot) []renewal {
	var out []renewal
	for _, a := range s.Assets {
		items := lifecycleItems(a)
		if items == nil && a.Lifecycle.HasDates() {
			cfg := model.Asset{Name: a.Name, Lifecycle: a.Lifecycle}
			items = model.LifecycleRenewals(&cfg, time.UTC)
			for i := range items {
				items[i].Judge(renewalDay(s), model.RenewalLimits{Warn: model.DefaultRenewalWarn, Crit: model.DefaultRenewalCrit})
			}
		}
		for _, r := range items {
			out = append(out, newRenewal(r))
		}
	}
	slices.SortStableFunc(out, func(a, b renewal) int {
		if c := cmp.Compare(b.status.Severity(), a.status.Severity()); c != 0 {
			return c
		}
		if c := cmp.Compare(a.days, b.days); c != 0 {
			return c
		}
		return cmp.Compare(a.asset, b.asset)
	})
	return out
}

func newRenewal(r model.Renewal) renewal {
	what := renewalKinds[r.Kind]
	detail := clean(r.Owner)
	switch {
	case r.Cert != nil:
		detail = clean(r.Cert.Name()) + " · " + clean(r.Check)
	case r.Kind == model.RenewalConsumable:
		// A low toner: what it is and its level, due now.
		detail = clean(r.Text()) + " · " + clean(r.Check)
	case r.Kind == model.RenewalLicence && r.Label != "licence":
		detail = clean(r.Label[len("licence "):])
		if r.Owner != "" {
			detail += " · " + clean(r.Owner)
		}
	}
	return renewal{name: r.Asset, asset: clean(r.Asset), what: what, detail: detail, date: r.Date, days: r.Days, status: r.Status,
		key: r.Asset + "\x00" + r.Kind + "\x00" + r.Label + "\x00" + r.Check}
}

// lifecycleItems are the items of an asset's lifecycle check (nil for
// none); it is the last check, when there is one.
func lifecycleItems(a *model.AssetState) []model.Renewal {
	if c := lifecycleCheck(a); c != nil {
		return c.Renewals()
	}
	return nil
}

// lifecycleCheck is the asset's lifecycle pseudo-check, nil for none.
func lifecycleCheck(a *model.AssetState) *model.CheckState {
	if n := len(a.Checks); n > 0 && a.Checks[n-1].Type == model.CheckLifecycle {
		return a.Checks[n-1]
	}
	return nil
}

// renewalDay is the day a snapshot counts the days to a renewal from.
func renewalDay(s *model.Snapshot) time.Time { return s.At.UTC().Truncate(24 * time.Hour) }
