package model

import (
	"errors"
	"path/filepath"
	"slices"
	"strconv"
)

// loadProfiles reads the custom profile files [defaults] profiles names
// (relative to the config file's directory). A file's own errors keep its
// positions; one that cannot be read is an error at its entry.
func (v *validator) loadProfiles() {
	names := map[string]string{} // profile name -> file
	for i, p := range v.cfg.Defaults.Profiles {
		path := "defaults.profiles." + strconv.Itoa(i)
		if p == "" {
			v.errf(path, ErrInvalid, "profiles: an empty file name")
			continue
		}
		if !filepath.IsAbs(p) {
			p = filepath.Join(filepath.Dir(v.file), p)
		}
		prof, err := LoadProfile(v.ctx, p)
		var ce ConfigErrors
		var many *TooManyErrors
		switch {
		case errors.As(err, &many):
			v.profileErrs = append(v.profileErrs, many.Listed...)
			continue
		case errors.As(err, &ce):
			v.profileErrs = append(v.profileErrs, ce...)
			continue
		case err != nil:
			v.errf(path, ErrInvalid, "profiles: %v", err)
			continue
		}
		if f, dup := names[prof.Name]; dup {
			v.errf(path, ErrDuplicateName, "profiles: %s names profile %q, as %s does", p, prof.Name, f)
			continue
		}
		names[prof.Name] = p
		v.cfg.Profiles = append(v.cfg.Profiles, prof)
	}
}

// withProfileErrors puts the profile files' errors before the config's
// (they are read first, from [defaults]).
func withProfileErrors(prof ConfigErrors, err error) error {
	if len(prof) == 0 {
		return err
	}
	var ce ConfigErrors
	switch {
	case err == nil:
		return prof
	case errors.As(err, &ce):
		return append(slices.Clip(prof), ce...)
	}
	return err // too many errors: the config's listing stands
}

// customProfile is the loaded custom profile named name, or nil.
func (c *Config) customProfile(name string) *CustomProfile {
	for _, p := range c.Profiles {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// snmpProfile checks an snmp check's profile and thresholds and hands it
// the custom profiles it may read.
func (v *validator) snmpProfile(c *Check, base string) {
	has := func(key string) bool { return v.ix.has(base + "." + key) }
	if !has("profile") {
		if err := CheckThresholdsHaveProfile(c); err != nil {
			v.keyErrf(base+".thresholds", ErrInvalid, "%v", err)
		}
		return
	}
	if err := CheckProfileName(c.Profile, v.cfg.Profiles); err != nil {
		v.errf(base+".profile", ErrInvalid, "%v", err)
		return
	}
	switch {
	case c.Profile == ProfileAuto:
		c.CustomProfiles = v.cfg.Profiles
	case c.Profile == ProfileWireless:
		for _, p := range v.cfg.Profiles {
			if p.Extends == ProfileWireless {
				c.CustomProfiles = append(c.CustomProfiles, p)
			}
		}
	case IsBuiltinProfile(c.Profile):
	default:
		c.CustomProfiles = []*CustomProfile{v.cfg.customProfile(c.Profile)}
	}
	limits := c.ProfileLimits()
	keys := make([]string, 0, len(c.Thresholds))
	for k := range c.Thresholds {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		path := base + ".thresholds." + k
		i := slices.IndexFunc(limits, func(l ProfileLimit) bool { return l.Name == k })
		if i < 0 {
			v.keyErrf(path, ErrUnknownKey, "%v", CheckProfileThreshold(c, k, nil))
			continue
		}
		l := c.Thresholds[k]
		if l == nil {
			continue // its value was refused
		}
		lim := limits[i]
		// An override of one side is judged with the other side's default.
		merged := Limits{Warn: lim.Warn, Crit: lim.Crit}
		if l.Warn != nil {
			merged.Warn = l.Warn
		}
		if l.Crit != nil {
			merged.Crit = l.Crit
		}
		v.limits(path, &merged, lim.Lo, lim.Hi, lim.Unit, lim.Below)
	}
}

// ProfileLimits are the thresholds the check's profile declares: a
// built-in's, its custom profiles' (auto: every built-in's too).
func (c *Check) ProfileLimits() []ProfileLimit {
	var out []ProfileLimit
	if c.Profile == ProfileAuto {
		for _, n := range BuiltinProfiles() {
			out = append(out, BuiltinProfileLimits(n)...)
		}
	} else {
		out = BuiltinProfileLimits(c.Profile)
	}
	for _, p := range c.CustomProfiles {
		for _, l := range p.Limits() {
			if !slices.ContainsFunc(out, func(o ProfileLimit) bool { return o.Name == l.Name }) {
				out = append(out, l)
			}
		}
	}
	return out
}

// ProfileLimit returns the check's threshold name of its profile, with
// the check's override applied; ok is false when the profile has none.
func (c *Check) ProfileLimit(name string) (Threshold, bool) {
	for _, l := range c.ProfileLimits() {
		if l.Name == name {
			return l.Threshold(c.Thresholds[name]), true
		}
	}
	return Threshold{}, false
}

// profileMetrics declares the metrics of the check's profile.
func (c *Check) profileMetrics() []Metric {
	if c.Profile == "" {
		return nil
	}
	var out []Metric
	if c.Profile == ProfileAuto {
		for _, n := range BuiltinProfiles() {
			out = append(out, ProfileMetrics(n)...)
		}
	} else {
		out = ProfileMetrics(c.Profile)
	}
	for _, p := range c.CustomProfiles {
		out = append(out, p.MetricDecls()...)
	}
	return out
}
