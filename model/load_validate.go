package model

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// validator collects every semantic problem of a decoded config. Paths are
// the key index's ("asset.1.parents.0"), so each error lands on the key it
// is about, or on the nearest table when the key is missing. An asset is
// validated as soon as it is read (assetDone); what the checks across
// assets need (names, parents, where they are) is kept in refs.
type validator struct {
	*loader
	refs []assetRef
	// checkNames holds the check names of the asset being validated and
	// where each is (reset per asset).
	checkNames map[string]int
	checkKeys  map[string][]string // CheckKeys by type
	maint      maintenanceCheck
	// profileErrs are the errors of the custom profile files, each in its
	// own file's positions.
	profileErrs ConfigErrors
}

// assetRef is what the checks across assets keep of one asset.
type assetRef struct {
	name      string
	nameAt    int
	parents   []string
	parentsAt []int32
	links     []string
	linksAt   []int32
}

func (v *validator) add(path string, off int, sentinel error, format string, args ...any) {
	if v.skipped(path) {
		return
	}
	v.errs.addf(off, path, sentinel, format, args...)
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
	v.add(path, v.ix.keyAt(path), sentinel, format, args...)
}

// beforeAssets checks what is read before the assets (pass 1) and applies
// the defaults the assets inherit.
func (v *validator) beforeAssets() {
	v.traps() // on raw values: defaults would hide rate = 0
	v.notifiers()
	v.maintenance()
	v.stateDir()
	v.cfg.applyGlobalDefaults()
	v.defaults()
	v.renewalDefaults()
	v.loadProfiles()
}

// assetDone validates asset a, number g in the file, as soon as it is read:
// the checks on raw values, its defaults, then what depends on effective
// values.
func (v *validator) assetDone(g int, a *Asset) {
	base := "asset." + strconv.Itoa(g)
	v.checkKeysForType(base, a)
	v.snmpBeforeDefaults(base, a)
	a.applyDefaults(&v.cfg.Defaults)
	if v.checkNames == nil {
		v.checkNames = map[string]int{}
	}
	clear(v.checkNames)
	v.asset(a, base)
	v.lifecycle(a, base)
	ref := assetRef{name: a.Name, nameAt: v.ix.at(base + ".name"), parents: a.Parents}
	if len(a.Parents) > 0 {
		ref.parentsAt = make([]int32, len(a.Parents))
		for k := range a.Parents {
			ref.parentsAt[k] = int32(v.ix.at(base + ".parents." + strconv.Itoa(k)))
		}
	}
	v.linkRefs(&ref, a, base)
	v.refs = append(v.refs, ref)
	v.maintenanceTags(a)
	v.sum.Assets++
	v.sum.Checks += len(a.Checks)
	switch a.Layer {
	case LayerTechnical:
		v.sum.Technical++
	case LayerApplication:
		v.sum.Application++
	}
}

// afterAssets checks the services, then the names and dependencies across
// the whole config. It returns early when ctx is done; the caller looks at
// ctx.
func (v *validator) afterAssets(ctx context.Context) {
	v.cfg.applyServiceDefaults()
	for i := range v.cfg.Services {
		if i%256 == 0 && ctx.Err() != nil {
			return
		}
		v.service(i)
	}
	if ctx.Err() != nil {
		return
	}
	v.names()
	v.maintenanceNames()
	v.cycles()
}

func (v *validator) defaults() {
	d := v.cfg.Defaults
	v.flap("defaults.flap", d.Flap, FlapLimits{High: DefaultFlapHigh, Low: DefaultFlapLow})
	if d.Timeout.Duration >= d.Interval.Duration {
		path := "defaults.timeout"
		if !v.ix.has(path) {
			path = "defaults.interval"
		}
		v.errf(path, ErrInvalid, "defaults: timeout %v must be less than interval %v", d.Timeout.Duration, d.Interval.Duration)
	}
}

func (v *validator) asset(a *Asset, base string) {
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
		if first, dup := v.checkNames[c.Name]; dup {
			msg := fmt.Sprintf("duplicate check name %q in asset %q (first at line %d)", c.Name, a.Name, v.errs.line(first))
			if !v.ix.has(cbase + ".name") {
				msg += fmt.Sprintf("; a check's name defaults to its type, so give each %s check its own name", c.Type)
			}
			v.errf(cbase+".name", ErrDuplicateName, "%s", msg)
		} else {
			v.checkNames[c.Name] = v.ix.at(cbase + ".name")
		}
	}
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
	if v.ix.has(base+".sla") && !(s.SLA > 0 && s.SLA <= 100) {
		v.errf(base+".sla", ErrInvalid, "service %q: sla: want a percent above 0 and at most 100, got %g", s.Name, s.SLA)
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
		name, kind string
		i, off     int
	}
	all := make([]named, 0, len(v.refs)+len(v.cfg.Services))
	for i, r := range v.refs {
		all = append(all, named{r.name, "asset", i, r.nameAt})
	}
	for i := range v.cfg.Services {
		all = append(all, named{v.cfg.Services[i].Name, "service", i, v.ix.at("service." + strconv.Itoa(i) + ".name")})
	}
	slices.SortStableFunc(all, func(a, b named) int { return a.off - b.off })
	first := make(map[string]named, len(all))
	for _, n := range all {
		if n.name == "" {
			continue
		}
		if f, dup := first[n.name]; dup {
			v.add(n.kind+"."+strconv.Itoa(n.i)+".name", n.off, ErrDuplicateName, "duplicate name %q: already used by the %s at line %d (assets and services share one namespace)",
				n.name, f.kind, v.errs.line(f.off))
			continue
		}
		first[n.name] = n
	}
	for i, r := range v.refs {
		for k, p := range r.parents {
			if f, ok := first[p]; !ok || f.kind != "asset" {
				v.add("asset."+strconv.Itoa(i)+".parents."+strconv.Itoa(k), int(r.parentsAt[k]), ErrUnknownParent, "asset %q: parent %q is not an asset", r.name, p)
			}
		}
	}
	v.links(func(name string) bool { f, ok := first[name]; return ok && f.kind == "asset" })
	for i, s := range v.cfg.Services {
		for k, n := range s.Needs {
			if _, ok := first[n]; !ok {
				v.errf(fmt.Sprintf("service.%d.needs.%d", i, k), ErrUnknownNeed, "service %q: need %q is not an asset or service", s.Name, n)
			}
		}
	}
}
