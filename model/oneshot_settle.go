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
	rootCauses []string // the down ancestors at the top of the chain, when UNREACHABLE (sorted)
	status     Status
	role       Role
	down       bool
	recovering bool
	inDoubt    bool
}

func (a *shotAsset) blocked() bool { return a.down || a.status == StatusUnreachable }

// settle works out the verdicts the engine's evaluate reaches once every
// result is in (engine_triage.go), in one pass parents first: an asset
// with a problem whose parents are all blocked is UNREACHABLE with their
// root causes; one whose parents are blocked or in doubt is checking. A
// one-shot run asks for no rechecks, so nothing is stale or awaits a
// parent's recheck.
func (o *OneShot) settle() *shotVerdicts {
	if o.verdicts != nil {
		return o.verdicts
	}
	assets := o.cfg.Assets
	v := &shotVerdicts{assets: make([]shotAsset, len(assets)), checking: map[int][]string{}, doubt: map[int][]string{}}
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
		own, down := o.ownStatus(ai)
		allBlocked, doubt, doubtNames := v.parentView(ai)
		status := own
		var causes, checking []string
		switch {
		case !own.IsProblem():
		case allBlocked:
			causes, status, down = v.rootCauses(ai, assets), StatusUnreachable, false
		case doubt:
			checking, down = doubtNames, false
		}
		a.status, a.down = status, down
		if status == StatusUnreachable {
			a.rootCauses = causes
			a.recovering = !v.anyDown(causes, o.asset)
		}
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
		v.counts[status]++
		v.tally.Add(a.role)
	}
	for i := range v.assets {
		if v.assets[i].role == RoleChecking {
			for _, n := range v.checking[i] {
				if !slices.Contains(v.awaited, n) {
					v.awaited = append(v.awaited, n)
				}
			}
		}
	}
	slices.Sort(v.awaited)
	o.settleServices(v)
	o.verdicts = v
	return v
}

// ownStatus is what asset ai's own checks say and whether they make it
// down (the engine's ownStatus, every result hard).
func (o *OneShot) ownStatus(ai int) (own Status, down bool) {
	own = StatusPending
	checks := o.assetChecks(ai)
	any, icmp, icmpDown := false, false, false
	down = true
	for _, c := range checks {
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
	return own, down && any
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
		if icmp && c.typ != CheckICMP {
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

// settleServices rolls the services up, members first, from the assets'
// verdicts, as the engine's rollup does.
func (o *OneShot) settleServices(v *shotVerdicts) {
	services, byName, order := newServices(o.cfg, o.start, o.asset)
	member := func(m memberRef) (Status, string) {
		switch {
		case m.idx < 0:
			return StatusUnknown, "not in config"
		case m.isService:
			return services[m.idx].status, ""
		}
		a := &v.assets[m.idx]
		if a.status == StatusUnreachable {
			return a.status, strings.Join(a.rootCauses, ", ")
		}
		return a.status, ""
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
	as := &AssetState{
		Name: ac.Name, Layer: ac.Layer, Kind: ac.Kind, Address: ac.Address,
		Tags: ac.Tags, Parents: ac.Parents, Lifecycle: ac.Lifecycle,
		Status: a.status, Hard: true, HardStatus: a.status, Down: a.down,
		RootCauses: a.rootCauses, RootCause: strings.Join(a.rootCauses, ", "), Role: a.role,
		Checking: v.checking[ai], Since: o.start,
	}
	for _, c := range v.children[ai] {
		as.Children = append(as.Children, o.cfg.Assets[c].Name)
	}
	problems, pending, worst := 0, 0, -1
	for ci, c := range o.assetChecks(ai) {
		as.Checks = append(as.Checks, o.checkState(ac, ci))
		switch {
		case c.status.IsProblem():
			problems++
		case c.status == StatusPending:
			pending++
		}
		if worst < 0 || c.status.Worse(o.checks[worst].status) {
			worst = ci
		}
		if c.flags&shotSeen != 0 {
			if t := time.Unix(0, c.at+int64(c.took)); t.After(as.Since) {
				as.Since = t
			}
		}
	}
	if as.Checks == nil {
		as.Checks = []*CheckState{}
	}
	what := ""
	if problems > 0 {
		what = o.checks[worst].name + ": " + o.checks[worst].summary
	}
	own := ownReasonText(len(as.Checks), problems, pending, what)
	as.Reason = reasonText(a.status, a.role, a.recovering, as.RootCause, len(a.rootCauses), strings.Join(as.Checking, ", "), own)
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
	cs.Metrics, cs.Attrs = o.packed.maps(ci)
	if x := o.extra[int32(ci)]; x != nil {
		cs.Custom, cs.Interfaces, cs.Host = x.custom, x.ifaces, x.host
		if x.primary != "" {
			cs.Primary = x.primary
		}
	}
	return cs
}
