package model

import (
	"testing"
	"time"
)

// Each lifecycle setting problem is reported on its key.
func TestLoadLifecycleErrors(t *testing.T) {
	checkLoadErrors(t, []loadErrorCase{
		{"renewal_order", ErrThresholdOrder, "4:16", "renewal_crit 60 d must be less than renewal_warn 30 d"},
		{"renewal_warn_below_default_crit", ErrThresholdOrder, "3:16", "renewal_crit 30 d (the default) must be less than renewal_warn 14 d"},
		{"lifecycle_renewal_order", ErrThresholdOrder, "4:105", "lifecycle: renewal_crit 150 d must be less than renewal_warn 120 d"},
		{"lifecycle_bad_renewal", ErrBadDuration, "4:48", `lifecycle.renewal_warn: bad duration: "three months"`},
		{"check_named_lifecycle", ErrInvalid, "8:10", `check name "lifecycle" is reserved`},
		{"lifecycle_eos_string", ErrWrongType, "4:21", "want a local date"},
	})
}

// The renewal limits: built-in defaults, [defaults], then the asset's own.
func TestRenewalLimits(t *testing.T) {
	day := 24 * time.Hour
	cfg := &Config{}
	a := &Asset{Name: "a"}
	if got := cfg.RenewalLimits(a); got != (RenewalLimits{Warn: 90 * day, Crit: 30 * day}) {
		t.Errorf("built-in = %+v", got)
	}
	cfg.Defaults.RenewalWarn, cfg.Defaults.RenewalCrit = D(60*day), D(10*day)
	if got := cfg.RenewalLimits(a); got != (RenewalLimits{Warn: 60 * day, Crit: 10 * day}) {
		t.Errorf("defaults = %+v", got)
	}
	a.Lifecycle = &Lifecycle{RenewalWarn: D(120 * day)}
	if got := cfg.RenewalLimits(a); got != (RenewalLimits{Warn: 120 * day, Crit: 10 * day}) {
		t.Errorf("asset = %+v", got)
	}
}
