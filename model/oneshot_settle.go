package model

import (
	"iter"
	"slices"
	"strings"
	"time"
)

// shotVerdicts is what Head worked out: each asset's verdict and the
// services, from the results submitted before it.
type shotVerdicts struct {
	assets   []shotAsset
	parents  [][]int // effective parents (parentsFirst)
	children [][]int
	// checking and doubt hold, for the few assets that have them, the
	// ancestors whose verdict an asset awaits (RoleChecking) and what
	// children in doubt through it await.
	checking, doubt map[int][]string

	services  []*ServiceState
	svcByName map[string]int
	counts    [numStatuses]int
	tally     Tally
	awaited   []string // Snapshot.Checking: what every checking asset awaits
}

// shotAsset is one asset's verdict. A one-shot result is hard at once, so
// an asset's hard status is its status.
type shotAsset struct {
	rootCauses []string     // the down ancestors at the top of the chain, when UNREACHABLE (sorted)
	maint      *Maintenance // the window it is in; nil for none
	status     Status       // its own, under a window
	svc        Status       // what services see: status but for the lifecycle check
	role       Role
	down       bool
	recovering bool
	inDoubt    bool
}

func (a *shotAsset) blocked() bool { return a.down || a.status == StatusUnreachable }

// shown is the status front ends see: MAINTENANCE inside a window.
func (a *shotAsset) shown() Status { return shownStatus(a.maint, a.status) }

// shownRole is RoleNone inside a window: planned work is nobody's problem.
func (a *shotAsset) shownRole() Role { return shownRoleOf(a.maint, a.role) }

// settle works out the verdicts the engine's evaluate reaches once every
// result is in (engine_triage.go), in one pass parents first: an asset
// with a problem whose parents are all blocked is UNREACHABLE with their
// root causes; one whose parents are blocked or in doubt is checking. A
// one-shot run asks for no rechecks, so nothing is stale or awaits a
// parent's recheck. The lifecycle registers and the config's maintenance
// windows are read at the clock's now, as the engine reads them at its
// last message.
func (o *OneShot) settle() *shotVerdicts {
	if o.verdicts != nil {
		return o.verdicts
	}
	now := o.now()
	assets := o.cfg.Assets
	v := &shotVerdicts{assets: make([]shotAsset, len(assets)), checking: map[int][]string{}, doubt: map[int][]string{}}
	o.judgeRegisters(now)
	services, svcByName, svcOrder := newServices(o.cfg, o.start, o.asset)
	own, _, _ := windowsAt(resolveWindows(o.cfg, o.asset, services, svcByName), nil, o.asset, now)
	var order []int
	order, _, v.parents = parentsFirst(assets, o.asset)
	v.children = make([][]int, len(assets))
	for i, ps := range v.parents {
		for _, p := range ps {
			v.children[p] = append(v.children[p], i)
		}
	}
	for _, ai := range order {
		a := &v.assets[ai]
		status, svcOwn, down := o.ownStatus(ai)
		allBlocked, doubt, doubtNames := v.parentView(ai)
		var causes, checking []string
		switch {
		case !status.IsProblem():
		case allBlocked:
			causes, status, down = v.rootCauses(ai, assets), StatusUnreachable, false
		case doubt:
			checking, down = doubtNames, false
		}
		a.status, a.down, a.svc = status, down, svcSees(status, svcOwn)
		rootCause := ""
		if status == StatusUnreachable {
			a.rootCauses = causes
			a.recovering = !v.anyDown(causes, o.asset)
			rootCause = strings.Join(causes, ", ")
		}
		a.maint = windowOf(own, ai, status == StatusUnreachable, a.rootCauses, rootCause, o.asset)
		a.role = roleOf(status, status, down, checking != nil)
		if checking != nil {
			v.checking[ai] = checking
		}
		undecided := !a.blocked() && o.undecided(ai, down)
		a.inDoubt = a.role == RoleChecking || undecided
		if undecided {
			checking = mergeNames(checking, []string{assets[ai].Name})
		}
		if a.inDoubt {
			v.doubt[ai] = checking
		}
		v.counts[a.shown()]++
		v.tally.Add(a.shownRole())
	}
	for i := range v.assets {
		if v.assets[i].role == RoleChecking && v.assets[i].maint == nil {
			for _, n := range v.checking[i] {
				if !slices.Contains(v.awaited, n) {
					v.awaited = append(v.awaited, n)
				}
			}
		}
	}
	slices.Sort(v.awaited)
	o.settleServices(v, services, svcByName, svcOrder)
	o.verdicts = v
	return v
}

// judgeRegisters judges each asset's lifecycle pseudo-check at now from
// its dates and the certificates its checks saw, as the engine does
// (judgeRegister).
func (o *OneShot) judgeRegisters(now time.Time) {
	for ai := range o.cfg.Assets {
		for ci, c := range o.assetChecks(ai) {
			if c.typ != CheckLifecycle {
				continue
			}
			j := judgeRegister(o.cfg, &o.cfg.Assets[ai], now, func(yield func(string, registerInput) bool) {
				for cj, k := range o.assetChecks(ai) {
					var in registerInput
					if x := o.extra[int32(cj)]; x != nil {
						in.certs = x.certs
						if x.profile != nil && x.profile.Profile == ProfilePrinter && k.flags&shotCerts != 0 {
							in.supplies = LowSupplies(x.profile)
						}
					}
					if !yield(k.name, in) {
						return
					}
				}
			})
			c.status, c.summary, c.at, c.took = j.status, j.summary, now.UnixNano(), 0
			c.flags = c.flags&shotDup | shotSeen | shotDegraded
			o.extra[int32(ci)] = &shotExtra{items: j.items, attrs: j.attrs}
		}
	}
}

// ownStatus is what asset ai's own checks say, what they say but for the
// lifecycle check (what services see), and whether they make it down (the
// engine's ownStatus, every result hard).
func (o *OneShot) ownStatus(ai int) (own, svc Status, down bool) {
	own = StatusPending
	checks := o.assetChecks(ai)
	any, icmp, icmpDown := false, false, false
	n := 0
	var life *shotCheck
	down = true
	for _, c := range checks {
		if c.typ == CheckLifecycle {
			life = c
			continue
		}
		n++
		if !any {
			own, any = StatusOK, true
		}
		if c.status.Worse(own) {
			own = c.status
		}
		hardCrit := c.status == StatusCritical && c.flags&shotDegraded == 0
		if c.typ == CheckICMP {
			icmp = true
			icmpDown = icmpDown || hardCrit
		}
		down = down && hardCrit
	}
	if icmp {
		down = icmpDown
	}
	svc = own
	if life != nil {
		own, _ = withRegister(own, own, n, life.status, life.status)
	}
	return own, svc, down && any
}

// assetChecks yields the checks of asset ai the engine counts.
func (o *OneShot) assetChecks(ai int) iter.Seq2[int, *shotCheck] {
	return func(yield func(int, *shotCheck) bool) {
		for ci := o.first[ai]; ci < o.first[ai+1]; ci++ {
			if c := &o.checks[ci]; c.flags&shotDup == 0 && !yield(int(ci), c) {
				return
			}
		}
	}
}

// undecided reports whether asset ai, not down, might still turn out
// down: a check that decides it has no result yet (the engine's undecided
// with no recheck asked for).
func (o *OneShot) undecided(ai int, down bool) bool {
	if down {
		return false
	}
	icmp, any := false, false
	for _, c := range o.assetChecks(ai) {
		any = true
		icmp = icmp || c.typ == CheckICMP
	}
	if !any {
		return false
	}
	open, answered := false, false
	for _, c := range o.assetChecks(ai) {
		if (icmp && c.typ != CheckICMP) || c.typ == CheckLifecycle {
			continue
		}
		switch {
		case c.flags&shotSeen == 0:
			open = true
		case c.status != StatusCritical || c.flags&shotDegraded != 0:
			answered = true
		}
	}
	if icmp {
		return open
	}
	return open && !answered
}

// parentView reads asset ai's parents as the engine's parentView does.
func (v *shotVerdicts) parentView(ai int) (allBlocked, doubt bool, names []string) {
	if len(v.parents[ai]) == 0 {
		return false, false, nil
	}
	allBlocked = true
	for _, pi := range v.parents[ai] {
		p := &v.assets[pi]
		switch {
		case p.blocked():
		case p.inDoubt:
			allBlocked, doubt = false, true
			names = mergeNames(names, v.doubt[pi])
		default:
			return false, false, nil // one parent answers for itself: another path
		}
	}
	return allBlocked, doubt, names
}

// rootCauses collects the down ancestors behind asset ai's blocked parents.
func (v *shotVerdicts) rootCauses(ai int, assets []Asset) []string {
	ps := v.parents[ai]
	if len(ps) == 1 {
		if p := &v.assets[ps[0]]; p.down {
			return []string{assets[ps[0]].Name}
		}
		return v.assets[ps[0]].rootCauses // shared, never changed
	}
	var out []string
	for _, pi := range ps {
		if p := &v.assets[pi]; p.down {
			out = append(out, assets[pi].Name)
		} else {
			out = append(out, p.rootCauses...)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// anyDown reports whether one of the named assets is down.
func (v *shotVerdicts) anyDown(names []string, index func(string) (int, bool)) bool {
	for _, n := range names {
		if i, ok := index(n); ok && v.assets[i].down {
			return true
		}
	}
	return false
}

// settleServices rolls the services (newServices) up, members first,
// from the assets' verdicts, as the engine's rollup does.
func (o *OneShot) settleServices(v *shotVerdicts, services []serviceRT, byName map[string]int, order []int) {
	member := func(m memberRef) (Status, string) {
		return memberOf(m, func(i int) Status { return services[i].status }, func(i int) (bool, Status, string) {
			a := &v.assets[i]
			rootCause := ""
			if a.svc == StatusUnreachable {
				rootCause = strings.Join(a.rootCauses, ", ")
			}
			return a.maint != nil, a.svc, rootCause
		})
	}
	since := o.start
	if o.last != 0 {
		since = time.Unix(0, o.last)
	}
	for _, i := range order {
		s := &services[i]
		s.status, s.reason, s.up, s.states = rollupMembers(s, member)
		v.tally.moveService(StatusPending, s.status)
		if s.status != StatusPending {
			s.since = since
		}
	}
	v.svcByName = byName
	v.services = make([]*ServiceState, len(services))
	for i := range services {
		s := &services[i]
		v.services[i] = &ServiceState{
			Name: s.cfg.Name, Rule: s.cfg.Rule, Description: s.cfg.Description,
			Status: s.status, Reason: s.reason, Up: s.up, Total: len(s.members),
			Since: s.since, Members: s.states, SLA: s.cfg.SLA,
		}
	}
}

// Assets yields every asset's state in config order, each built afresh and
// kept by nobody, so a reader that writes them out holds one at a time.
// The verdicts are Head's (worked out here if Head was not called or
// results came since).
func (o *OneShot) Assets() iter.Seq[*AssetState] {
	return func(yield func(*AssetState) bool) {
		o.mu.Lock()
		v := o.settle()
		o.mu.Unlock()
		for i := range o.cfg.Assets {
			o.mu.Lock()
			as := o.assetState(v, i)
			o.mu.Unlock()
			if !yield(as) {
				return
			}
		}
	}
}

// assetState builds asset ai's state.
func (o *OneShot) assetState(v *shotVerdicts, ai int) *AssetState {
	ac := &o.cfg.Assets[ai]
	a := &v.assets[ai]
	shown := a.shown()
	as := &AssetState{
		Name: ac.Name, Layer: ac.Layer, Kind: ac.Kind, Address: ac.Address,
		Tags: ac.Tags, Parents: ac.Parents, Lifecycle: ac.Lifecycle,
		Status: shown, Hard: true, HardStatus: shown, Down: a.down,
		RootCauses: a.rootCauses, RootCause: strings.Join(a.rootCauses, ", "), Role: a.shownRole(),
		Checking: v.checking[ai], Since: o.start, Maintenance: a.maint,
	}
	for _, c := range v.children[ai] {
		as.Children = append(as.Children, o.cfg.Assets[c].Name)
	}
	total := 0
	for range o.assetChecks(ai) {
		total++
	}
	oc := newOwnCount(total)
	for ci, c := range o.assetChecks(ai) {
		as.Checks = append(as.Checks, o.checkState(ac, ci))
		oc.add(ci, c.typ, c.status)
		if c.flags&shotSeen != 0 && c.typ != CheckLifecycle {
			if t := time.Unix(0, c.at+int64(c.took)); t.After(as.Since) {
				as.Since = t
			}
		}
	}
	if as.Checks == nil {
		as.Checks = []*CheckState{}
	}
	own := oc.text(func(ci int) string { return o.checks[ci].name + ": " + o.checks[ci].summary })
	as.Reason = reasonText(a.maint, a.status, a.role, a.recovering, as.RootCause, len(a.rootCauses), strings.Join(as.Checking, ", "), own)
	return as
}

// checkState builds check ci's state.
func (o *OneShot) checkState(ac *Asset, ci int) *CheckState {
	c := &o.checks[ci]
	cs := &CheckState{
		Asset: ac.Name, Name: c.name, Type: c.typ,
		Status: c.status, Hard: true, HardStatus: c.status, MaxAttempts: 1,
		Summary: c.summary, Primary: DefaultPrimary(c.typ),
		LastRun: o.timeOf(c.at), Duration: c.took, Since: o.start,
	}
	if c.status.IsProblem() {
		cs.Attempt = 1
	}
	if c.flags&shotSeen != 0 {
		cs.Since = time.Unix(0, c.at+int64(c.took))
	}
	x := o.extra[int32(ci)]
	if c.typ == CheckLifecycle {
		// As the engine's: judged, not run; no metrics, the certificates
		// seen in its attrs.
		cs.Attrs, cs.Register = x.attrs, &Register{Items: x.items}
		return cs
	}
	cs.Metrics, cs.Attrs = o.packed.maps(ci)
	if x != nil {
		cs.Custom, cs.Interfaces, cs.Host, cs.Profile = x.custom, x.ifaces, x.host, x.profile
		if x.primary != "" {
			cs.Primary = x.primary
		}
		if len(x.certs) > 0 {
			cs.Register = &Register{Certs: x.certs}
		}
	}
	return cs
}
