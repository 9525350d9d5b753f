package model

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
)

// validator collects every semantic problem of a decoded config. Paths are
// the position index's ("asset.1.parents.0"), so each error lands on the
// key it is about, or on the nearest table when the key is missing.
type validator struct {
	file string
	ix   *positions
	cfg  *Config
	// skip holds paths blanked after a decode error: problems below them
	// follow from that error and would only repeat it.
	skip   map[string]bool
	errs   *errorSet
	fields fieldIndex
}

func (v *validator) add(path string, p position, sentinel error, format string, args ...any) {
	if v.skipped(path) {
		return
	}
	v.errs.addf(p, path, sentinel, format, args...)
}

// skipped reports whether path or one of its ancestors is in skip.
func (v *validator) skipped(path string) bool {
	if len(v.skip) == 0 {
		return false
	}
	for p := path; ; {
		if v.skip[p] {
			return true
		}
		i := strings.LastIndexByte(p, '.')
		if i < 0 {
			return false
		}
		p = p[:i]
	}
}

// errf reports a problem with the value at path.
func (v *validator) errf(path string, sentinel error, format string, args ...any) {
	v.add(path, v.ix.at(path), sentinel, format, args...)
}

// keyErrf reports a problem with the key at path itself.
func (v *validator) keyErrf(path string, sentinel error, format string, args ...any) {
	p := v.ix.at(path)
	if e, ok := v.ix.get(path); ok {
		p = e.Key
	}
	v.add(path, p, sentinel, format, args...)
}

// validate runs the checks on raw values, applies defaults, then checks
// what depends on effective values and on the whole config. It returns
// early when ctx is done; the caller looks at ctx.
func (v *validator) validate(ctx context.Context) {
	if v.values(ctx); ctx.Err() != nil {
		return
	}
	v.checkKeysForType()
	v.snmpBeforeDefaults()
	v.traps() // on raw values: defaults would hide rate = 0
	v.cfg.ApplyDefaults()
	v.defaults()
	seen := map[string]string{} // check names per asset, reset per asset
	for i := range v.cfg.Assets {
		if i%256 == 0 && ctx.Err() != nil {
			return
		}
		clear(seen)
		v.asset(i, seen)
	}
	for i := range v.cfg.Services {
		v.service(i)
	}
	if ctx.Err() != nil {
		return
	}
	v.names()
	v.cycles()
}

// values checks every duration, secret and date the document spells out,
// walking the position index so each error has the key's place. It runs
// before ApplyDefaults, which would replace a bad duration by the default.
func (v *validator) values(ctx context.Context) {
	root := reflect.ValueOf(v.cfg).Elem()
	for n, e := range v.ix.entries {
		if n%1024 == 0 && ctx.Err() != nil {
			return
		}
		parts := e.Parts
		t, ok := v.fields.typeAt(parts)
		if !ok {
			continue
		}
		key := shortKey(e.Path)
		switch t {
		case durationType:
			if e.Kind != unstable.String {
				v.errf(e.Path, ErrWrongType, "%s: wrong type: got %s, want %s", key, kindName(e.Kind), describeType(t))
				continue
			}
			d, ok := anyOf(v.fields.valueAt(root, parts)).(Duration)
			switch {
			case !ok:
			case d.Err() != nil:
				v.errf(e.Path, ErrBadDuration, "%s: %v", key, d.Err())
			case d.Duration <= 0:
				v.errf(e.Path, ErrInvalid, "%s: must be greater than 0, got %q", key, d.Raw())
			}
		case secretType:
			if e.Kind != unstable.String {
				v.errf(e.Path, ErrWrongType, "%s: wrong type: got %s, want %s", key, kindName(e.Kind), describeType(t))
				continue
			}
			if s, ok := anyOf(v.fields.valueAt(root, parts)).(Secret); ok && s.Err() != nil {
				v.errf(e.Path, ErrSecret, "%s: %v", key, s.Err())
			}
		case localDateType:
			if e.Kind != unstable.LocalDate {
				v.errf(e.Path, ErrWrongType, "%s: wrong type: got %s, want %s", key, kindName(e.Kind), describeType(t))
			}
		}
		if t.Kind() == reflect.Int {
			if x := v.fields.valueAt(root, parts); x.IsValid() && x.Kind() == reflect.Int {
				v.intRange(e.Path, parts[len(parts)-1], x.Int())
			}
		}
	}
}

// anyOf is x's value, or nil where the index names a key the decoded
// config does not have at that path.
func anyOf(x reflect.Value) any {
	if !x.IsValid() || !x.CanInterface() {
		return nil
	}
	return x.Interface()
}

// intRange checks the integer keys. It runs on raw values because
// ApplyDefaults takes 0 for "unset" and would hide `retries = 0`.
func (v *validator) intRange(path, key string, n int64) {
	lo, hi, unit := int64(1), int64(1<<31-1), ""
	switch key {
	case "count":
		hi, unit = MaxICMPCount, " packets"
	case "port":
		hi = 65535
	case "max_repetitions":
		hi = maxMaxRepetitions
	case "retries", "concurrency":
	default:
		return
	}
	if n < lo || n > hi {
		v.errf(path, ErrInvalid, "%s: want %d to %d%s, got %d", key, lo, hi, unit, n)
	}
}

func (v *validator) defaults() {
	d := v.cfg.Defaults
	if d.Timeout.Duration >= d.Interval.Duration {
		path := "defaults.timeout"
		if !v.ix.has(path) {
			path = "defaults.interval"
		}
		v.errf(path, ErrInvalid, "defaults: timeout %v must be less than interval %v", d.Timeout.Duration, d.Interval.Duration)
	}
}

func (v *validator) asset(i int, checkNames map[string]string) {
	a := &v.cfg.Assets[i]
	base := "asset." + strconv.Itoa(i)
	switch {
	case !v.ix.has(base + ".name"):
		v.errf(base+".name", ErrMissing, "asset has no name")
	case a.Name == "":
		v.errf(base+".name", ErrInvalid, "name: must not be empty")
	case strings.Contains(a.Name, "/"):
		v.errf(base+".name", ErrInvalid, "name %q: must not contain \"/\" (it separates asset and check in keys)", a.Name)
	}
	if a.Layer != LayerTechnical && a.Layer != LayerApplication {
		v.errf(base+".layer", ErrInvalid, "layer %q: want %q or %q", a.Layer, LayerTechnical, LayerApplication)
	}
	if strings.ContainsAny(a.Address, "/ \t") {
		v.errf(base+".address", ErrInvalid, "address %q: want a host name or IP address, not a URL", a.Address)
	}
	for j := range a.Checks {
		c := &a.Checks[j]
		cbase := base + ".check." + strconv.Itoa(j)
		v.check(a, c, cbase)
		if first, dup := checkNames[c.Name]; dup {
			msg := fmt.Sprintf("duplicate check name %q in asset %q (first at %s)", c.Name, a.Name, first)
			if !v.ix.has(cbase + ".name") {
				msg += fmt.Sprintf("; a check's name defaults to its type, so give each %s check its own name", c.Type)
			}
			v.errf(cbase+".name", ErrDuplicateName, "%s", msg)
		} else {
			checkNames[c.Name] = v.where(cbase + ".name")
		}
	}
}

// where prints a path's position for messages ("line 12").
func (v *validator) where(path string) string {
	return fmt.Sprintf("line %d", v.ix.at(path).Line)
}

func (v *validator) service(i int) {
	s := &v.cfg.Services[i]
	base := "service." + strconv.Itoa(i)
	if !v.ix.has(base + ".name") {
		v.errf(base+".name", ErrMissing, "service has no name")
	} else if s.Name == "" {
		v.errf(base+".name", ErrInvalid, "name: must not be empty")
	}
	if len(s.Needs) == 0 {
		v.errf(base+".needs", ErrMissing, "service %q: needs lists no assets or services", s.Name)
	}
	seen := map[string]bool{}
	for k, n := range s.Needs {
		if seen[n] {
			v.errf(base+".needs."+strconv.Itoa(k), ErrInvalid, "service %q: %q is listed twice in needs", s.Name, n)
		}
		seen[n] = true
	}
	if err := checkRule(s.Rule, len(s.Needs)); err != "" {
		v.errf(base+".rule", ErrInvalid, "rule %q: %s", s.Rule, err)
	}
}

// checkRule validates "all", "any" or "N of M" against the number of needs.
func checkRule(rule string, needs int) string {
	if rule == "all" || rule == "any" {
		return ""
	}
	f := strings.Fields(rule)
	if len(f) != 3 || f[1] != "of" {
		return `want "all", "any" or "N of M" (e.g. "2 of 3")`
	}
	n, err1 := strconv.Atoi(f[0])
	m, err2 := strconv.Atoi(f[2])
	switch {
	case err1 != nil || err2 != nil:
		return `want "all", "any" or "N of M" with whole numbers (e.g. "2 of 3")`
	case m != needs:
		return fmt.Sprintf("M is %d but needs lists %d", m, needs)
	case n < 1 || n > m:
		return fmt.Sprintf("N must be between 1 and %d", m)
	}
	return ""
}

// names checks the one namespace shared by assets and services (a service
// need may name either), then every parent and need.
func (v *validator) names() {
	type named struct {
		name, path, kind string
		pos              position
	}
	var all []named
	for i := range v.cfg.Assets {
		p := "asset." + strconv.Itoa(i) + ".name"
		all = append(all, named{v.cfg.Assets[i].Name, p, "asset", v.ix.at(p)})
	}
	for i := range v.cfg.Services {
		p := "service." + strconv.Itoa(i) + ".name"
		all = append(all, named{v.cfg.Services[i].Name, p, "service", v.ix.at(p)})
	}
	slices.SortStableFunc(all, func(a, b named) int {
		if a.pos.Line != b.pos.Line {
			return a.pos.Line - b.pos.Line
		}
		return a.pos.Col - b.pos.Col
	})
	first := map[string]named{}
	for _, n := range all {
		if n.name == "" {
			continue
		}
		if f, dup := first[n.name]; dup {
			v.errf(n.path, ErrDuplicateName, "duplicate name %q: already used by the %s at line %d (assets and services share one namespace)", n.name, f.kind, f.pos.Line)
			continue
		}
		first[n.name] = n
	}
	for i, a := range v.cfg.Assets {
		for k, p := range a.Parents {
			if f, ok := first[p]; !ok || f.kind != "asset" {
				v.errf(fmt.Sprintf("asset.%d.parents.%d", i, k), ErrUnknownParent, "asset %q: parent %q is not an asset", a.Name, p)
			}
		}
	}
	for i, s := range v.cfg.Services {
		for k, n := range s.Needs {
			if _, ok := first[n]; !ok {
				v.errf(fmt.Sprintf("service.%d.needs.%d", i, k), ErrUnknownNeed, "service %q: need %q is not an asset or service", s.Name, n)
			}
		}
	}
}
