package model

import (
	"strconv"
	"time"
)

// Validation of the lifecycle register's settings: renewal_crit must be
// closer than renewal_warn, in [defaults] and per asset; a check may not
// take the lifecycle pseudo-check's name.

// renewalDefaults checks [defaults] renewal_warn and renewal_crit (filled
// by applyGlobalDefaults).
func (v *validator) renewalDefaults() {
	d := v.cfg.Defaults
	if d.RenewalCrit.Duration >= d.RenewalWarn.Duration {
		path, crit := "defaults.renewal_crit", dayText(d.RenewalCrit.Duration)
		if !v.ix.has(path) {
			path, crit = "defaults.renewal_warn", crit+" (the default)"
		}
		v.errf(path, ErrThresholdOrder, "renewal_crit %s must be less than renewal_warn %s", crit, dayText(d.RenewalWarn.Duration))
	}
}

// lifecycle checks an asset's own renewal limits against the effective
// ones, and that no check is named like the pseudo-check.
func (v *validator) lifecycle(a *Asset, base string) {
	for j := range a.Checks {
		if a.Checks[j].Name == CheckLifecycle {
			path := base + ".check." + strconv.Itoa(j) + ".name"
			if !v.ix.has(path) {
				path = base + ".check." + strconv.Itoa(j) + ".type"
			}
			v.errf(path, ErrInvalid, "check name %q is reserved for the asset's lifecycle register", CheckLifecycle)
		}
	}
	l := a.Lifecycle
	if l == nil || (!l.RenewalWarn.Set() && !l.RenewalCrit.Set()) {
		return
	}
	lim := v.cfg.RenewalLimits(a)
	if lim.Crit >= lim.Warn {
		path := base + ".lifecycle.renewal_crit"
		if !v.ix.has(path) {
			path = base + ".lifecycle.renewal_warn"
		}
		v.errf(path, ErrThresholdOrder, "lifecycle: renewal_crit %s must be less than renewal_warn %s",
			dayText(lim.Crit), dayText(lim.Warn))
	}
}

// dayText words a renewal limit in days when it is whole days.
func dayText(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return strconv.Itoa(int(d/(24*time.Hour))) + " d"
	}
	return d.String()
}
