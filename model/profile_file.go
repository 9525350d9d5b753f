package model

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// CustomProfile is a device profile read from a TOML file named in
// [defaults] profiles: a site's vendor OIDs, without code. README's
// "Custom profiles" and dist/profiles/ show the format.
type CustomProfile struct {
	// File is where it was read from.
	File string `toml:"-"`
	// Name is what `profile = "..."` on an snmp check names.
	Name        string `toml:"name"`
	Description string `toml:"description"`
	// Extends names the built-in profile it adds to ("wireless"): a
	// check with that profile reads this one's metrics too, on devices
	// whose sysObjectID starts with one of SysObjectID (any device when
	// empty).
	Extends string `toml:"extends"`
	// SysObjectID are sysObjectID prefixes of the devices it is for; auto
	// detection picks the profile for them.
	SysObjectID []string        `toml:"sys_object_id"`
	Metrics     []ProfileMetric `toml:"metric"`
}

// ProfileMetric is one object a custom profile reads: every instance
// under OID (the rows of a column, or a scalar's .0), each a metric
// "<name>:<label>" judged against warn/crit, or against ok for an
// enumeration.
type ProfileMetric struct {
	Name string `toml:"name"`
	OID  string `toml:"oid"`
	// Label is the column whose value (same row index) names each row;
	// without it a row is named by its index.
	Label string   `toml:"label"`
	Unit  string   `toml:"unit"`
	Warn  *float64 `toml:"warn"`
	Crit  *float64 `toml:"crit"`
	Below bool     `toml:"below"`
	// OK lists the values that are fine (an enumeration, e.g. [1] for
	// "up"); any other value is CRITICAL. States words the values.
	OK     []int64           `toml:"ok"`
	States map[string]string `toml:"states"`
	// Total adds the rows' sum as the metric "<name>_total" (clients of
	// all APs), judged by nothing.
	Total bool `toml:"total"`
}

// Threshold is the metric's warn/crit pair, with a check's override.
func (m *ProfileMetric) Threshold(over *Limits) Threshold {
	return ProfileLimit{Warn: m.Warn, Crit: m.Crit, Below: m.Below, Unit: m.Unit}.Threshold(over)
}

// State words value v of the metric ("down"), or its digits.
func (m *ProfileMetric) State(v int64) string {
	s := strconv.FormatInt(v, 10)
	if w, ok := m.States[s]; ok {
		return w
	}
	return s
}

// Limits are the thresholds a check may override: its metrics that have
// warn or crit.
func (p *CustomProfile) Limits() []ProfileLimit {
	var out []ProfileLimit
	for i := range p.Metrics {
		m := &p.Metrics[i]
		if m.Warn != nil || m.Crit != nil {
			out = append(out, ProfileLimit{Name: m.Name, Warn: m.Warn, Crit: m.Crit, Below: m.Below, Unit: m.Unit, Lo: -1e18, Hi: 1e18})
		}
	}
	return out
}

// MetricDecls declares the profile's metrics (families by name).
func (p *CustomProfile) MetricDecls() []Metric {
	var out []Metric
	for i := range p.Metrics {
		m := &p.Metrics[i]
		b := BetterLower
		if m.Below {
			b = BetterHigher
		}
		out = append(out, Metric{Name: m.Name, UnitText: m.Unit, Kind: KindGauge, Better: b, Help: "SNMP " + m.OID + " (profile " + p.Name + ")"})
		if m.Total {
			out = append(out, Metric{Name: m.Name + "_total", UnitText: m.Unit, Kind: KindGauge, Better: BetterNeither, Help: "sum of " + m.Name})
		}
	}
	return out
}

// Matches reports whether the profile is for a device of sysObjectID
// (every device when it names none).
func (p *CustomProfile) Matches(sysObjectID string) bool {
	if len(p.SysObjectID) == 0 {
		return true
	}
	o := "." + strings.TrimPrefix(sysObjectID, ".")
	for _, pre := range p.SysObjectID {
		pre = "." + strings.TrimPrefix(pre, ".")
		if o == pre || strings.HasPrefix(o, pre+".") {
			return true
		}
	}
	return false
}

// MaxProfileBytes bounds a profile file (a profile is a few KB).
const MaxProfileBytes = 1 << 20

// LoadProfile reads and checks a custom profile file. Errors are
// ConfigErrors, each "file:line:col: message".
func LoadProfile(ctx context.Context, path string) (*CustomProfile, error) {
	data, err := readConfig(path)
	if errors.Is(err, ErrConfigNotFound) {
		return nil, fmt.Errorf("profile file %s not found: %w", path, fs.ErrNotExist)
	}
	if err != nil {
		return nil, err
	}
	return ParseProfile(ctx, path, data)
}

// ParseProfile checks a custom profile's text; file names it in errors.
func ParseProfile(ctx context.Context, file string, data []byte) (*CustomProfile, error) {
	if len(data) > MaxProfileBytes {
		return nil, fmt.Errorf("profile %s is %d bytes; the limit is %d", file, len(data), MaxProfileBytes)
	}
	p := &CustomProfile{File: file}
	// The config's loader, rooted at the profile: the same strict keys,
	// types, TOML rules and positions.
	l := newLoader(ctx, file, data, true)
	l.root = reflect.ValueOf(p).Elem()
	if err := l.pass(false); err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("load %s: %w", file, ctx.Err())
		}
		errs := newErrorSet(file, data, MaxConfigErrors)
		errs.add(syntaxOffset(data, err), "", ErrSyntax, func() string { return "syntax: " + err.Error() })
		return nil, errs.err()
	}
	l.v.profile(p)
	if err := l.errs.err(); err != nil {
		return nil, err
	}
	return p, nil
}

// profileNamePattern is what a custom profile may be named: a metric-like
// word, so it reads well in `profile = "..."`.
func profileNamePattern() *regexp.Regexp { return regexp.MustCompile(`^[a-z][a-z0-9_-]{0,39}$`) }

// profile checks a custom profile once decoded.
func (v *validator) profile(p *CustomProfile) {
	switch {
	case !v.ix.has("name"):
		v.errf("name", ErrMissing, "profile has no name (checks name it in profile = \"...\")")
	case !profileNamePattern().MatchString(p.Name):
		v.errf("name", ErrInvalid, "name %q: want a lower-case word of letters, digits, _ and - (at most 40)", p.Name)
	case IsBuiltinProfile(p.Name):
		v.errf("name", ErrInvalid, "name %q is a built-in profile; pick another", p.Name)
	}
	if v.ix.has("extends") && p.Extends != ProfileWireless {
		v.errf("extends", ErrInvalid, "extends %q: only %q can be extended", p.Extends, ProfileWireless)
	}
	for i, o := range p.SysObjectID {
		if !validOID(o) {
			v.errf("sys_object_id."+strconv.Itoa(i), ErrInvalid, "sys_object_id %q: want dotted numbers such as \".1.3.6.1.4.1.99999\"", o)
		}
	}
	if len(p.Metrics) == 0 {
		v.errf("name", ErrMissing, "profile %q has no [[metric]]", p.Name)
	}
	seen := map[string]bool{}
	for i := range p.Metrics {
		m := &p.Metrics[i]
		base := "metric." + strconv.Itoa(i)
		switch {
		case !v.ix.has(base + ".name"):
			v.errf(base, ErrMissing, "metric.%d has no name (it names the metric)", i)
		case !metricName(m.Name):
			v.errf(base+".name", ErrInvalid, "name %q: want a letter, then letters, digits or _ (it is a metric name)", m.Name)
		case seen[m.Name] || (m.Total && seen[m.Name+"_total"]):
			v.errf(base+".name", ErrDuplicateName, "metric name %q is used twice", m.Name)
		}
		seen[m.Name] = true
		if m.Total {
			seen[m.Name+"_total"] = true
		}
		if !v.ix.has(base + ".oid") {
			v.errf(base, ErrMissing, "metric.%d has no oid", i)
		} else if !validOID(m.OID) {
			v.errf(base+".oid", ErrInvalid, "oid %q: want dotted numbers such as \"1.3.6.1.4.1.99999.1.1.1.4\"", m.OID)
		}
		if v.ix.has(base+".label") && !validOID(m.Label) {
			v.errf(base+".label", ErrInvalid, "label %q: want the dotted OID of the column naming the rows", m.Label)
		}
		v.order(base, (&Limits{Warn: m.Warn, Crit: m.Crit}).Threshold(m.Unit, m.Below))
		if len(m.OK) > 0 && (m.Warn != nil || m.Crit != nil) {
			v.keyErrf(base+".ok", ErrInvalid, "metric %q has both ok and warn/crit: an enumeration or a number, not both", m.Name)
		}
		keys := make([]string, 0, len(m.States))
		for k := range m.States {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if _, err := strconv.ParseInt(k, 10, 64); err != nil {
				v.keyErrf(base+".states."+k, ErrInvalid, "states key %q: want an integer value of the object", Clip(k, MaxNetText))
			}
		}
	}
}
