package model

import (
	"slices"
	"strings"
	"time"
)

// Triage must never name a false root cause. Two moments used to: the
// onset of an outage, when children fail before their parent has been
// rechecked, and the recovery, when a parent is back before its children
// have been rechecked. The engine handles both by doubt: an asset whose
// parent has not given its verdict yet is not judged on its own checks.

// evaluate derives one asset's status from its checks and its parents.
// An asset with a problem whose parents are all blocked is UNREACHABLE and
// names the down ancestors at the top of the chain; one whose checks are OK
// stays OK whatever its parents say (there is another path). An asset with
// a problem whose parents are blocked or in doubt is checking: it waits for
// their verdict before it may be a root cause. After a parent recovers, an
// UNREACHABLE child stays so until its own checks ran again.
func (e *Engine) evaluate(ai int, when time.Time) {
	a := &e.assets[ai]
	own, ownHard, svcHard, down := e.ownStatus(a)
	problem := own.IsProblem() || ownHard.IsProblem()
	allBlocked, doubt, doubtNames := e.parentView(a)
	stale := e.staleProblem(a)

	status, hardStatus, rootCauses := own, ownHard, []string(nil)
	var checking []string
	switch {
	case !problem:
	case allBlocked || stale:
		rootCauses = a.rootCauses // rechecking after a recovery: the old cause
		if allBlocked {
			rootCauses = e.rootCauses(a)
		}
		if own.IsProblem() {
			status, down = StatusUnreachable, false
		}
		if ownHard.IsProblem() {
			hardStatus = StatusUnreachable
		}
	case doubt && !a.down:
		// A root cause already found stays one while a parent wavers; a
		// new problem waits for the parents' verdict.
		checking, down = doubtNames, false
	}
	svc := svcSees(hardStatus, svcHard)
	unreachable := status == StatusUnreachable || hardStatus == StatusUnreachable
	rootCause := ""
	if unreachable {
		rootCause = strings.Join(rootCauses, ", ")
	} else {
		rootCauses = nil
	}
	recovering := unreachable && !e.anyDown(rootCauses)

	prev := *a
	prevBlocked := prev.blocked()
	a.status, a.hardStatus, a.down, a.svcStatus = status, hardStatus, down, svc
	a.rootCause, a.rootCauses, a.recovering = rootCause, rootCauses, recovering
	a.checking, a.checkingList = strings.Join(checking, ", "), checking
	a.role = roleOf(status, hardStatus, down, checking != nil)
	a.maint = e.maintenanceOf(ai, a)
	e.noteAssetAck(ai, &prev, when)
	e.settleVerdict(a)
	undecided := !a.blocked() && e.undecided(a)
	a.inDoubt = a.role == RoleChecking || undecided
	a.doubtNames = checking
	if undecided {
		a.doubtNames = mergeNames(checking, []string{a.cfg.Name})
	}

	shown, prevShown := a.shown(), prev.shown()
	if shown != prevShown {
		a.since = when
		e.counts[prevShown]--
		e.counts[shown]++
	}
	e.noteMaintenance(a, &prev, when)
	assetHard := shown == a.shownHard()
	if shown != prevShown || (shown.IsProblem() && assetHard != (prevShown == prev.shownHard())) {
		e.assetEvent(a, &prev, when)
	}
	maintChanged := a.maint != prev.maint
	if status != prev.status || hardStatus != prev.hardStatus || down != prev.down || rootCause != prev.rootCause ||
		a.role != prev.role || a.checking != prev.checking || recovering != prev.recovering || maintChanged {
		e.markAsset(ai)
	}
	// Children read down, UNREACHABLE, the root cause and doubt; services
	// read the hard status and the root cause.
	if down != prev.down || (status == StatusUnreachable) != (prev.status == StatusUnreachable) ||
		rootCause != prev.rootCause || recovering != prev.recovering ||
		a.inDoubt != prev.inDoubt || !slices.Equal(a.doubtNames, prev.doubtNames) || maintChanged {
		for _, c := range a.children {
			e.enqueue(c)
		}
	}
	if svc != prev.svcStatus || maintChanged || rootCause != prev.rootCause {
		for _, s := range a.services {
			e.services[s].stale = true
			e.svcStale = true
		}
	}
	if prevBlocked && !a.blocked() && a.role != RoleChecking {
		// Known up when the result that said so arrived, not when its run
		// began: a child run that started in between may still have met
		// the outage.
		upAt := when
		if e.answeredAt.After(upAt) {
			upAt = e.answeredAt
		}
		e.recheckChildren(a, upAt)
	}
}

// ownStatus is what the asset's own checks say: the worst status, the
// worst hard status, the worst hard status but for the lifecycle check
// (what services see), and whether they make it down (the lifecycle check
// never does).
func (e *Engine) ownStatus(a *assetRT) (own, ownHard, svcHard Status, down bool) {
	own, ownHard = StatusPending, StatusPending
	checks := a.checks
	var life *checkRT // always the last check, when there is one
	if n := len(checks); n > 0 && e.checks[checks[n-1]].typ == CheckLifecycle {
		life, checks = &e.checks[checks[n-1]], checks[:n-1]
	}
	if len(checks) > 0 {
		own, ownHard = StatusOK, StatusOK
	}
	down = len(checks) > 0
	icmpDown := false
	for _, ci := range checks {
		c := &e.checks[ci]
		if c.Status.Worse(own) {
			own = c.Status
		}
		if c.HardStatus.Worse(ownHard) {
			ownHard = c.HardStatus
		}
		// A degraded CRITICAL (the target answered: an interface down, an
		// RTT over its limit) says nothing about reachability.
		hardCrit := c.Hard && c.Status == StatusCritical && !c.degraded
		if c.typ == CheckICMP && hardCrit {
			icmpDown = true
		}
		down = down && hardCrit
	}
	if a.hasICMP {
		down = icmpDown
	}
	svcHard = ownHard
	if life != nil {
		own, ownHard = withRegister(own, ownHard, len(checks), life.Status, life.HardStatus)
	}
	return own, ownHard, svcHard, down
}

// svcSees is an asset's status for services from its hard status and its
// hard status but for the lifecycle check (svcHard): services do not see
// the lifecycle check. The engine and the one-shot state share it.
func svcSees(hardStatus, svcHard Status) Status {
	if hardStatus == StatusUnreachable && svcHard.IsProblem() {
		return StatusUnreachable
	}
	return svcHard
}

// withRegister is an asset's own status and hard status once its
// lifecycle check (life, lifeHard) is read beside its other checks (how
// many, and what they say: own, ownHard). The engine and the one-shot
// state share it.
func withRegister(own, ownHard Status, checks int, life, lifeHard Status) (Status, Status) {
	switch {
	case checks == 0 && life != StatusPending:
		// The register is all the asset has: it is the verdict.
		return life, lifeHard
	case life.IsProblem():
		// A renewal due counts; an OK register does not end PENDING.
		return Worst(own, life), Worst(ownHard, lifeHard)
	}
	return own, ownHard
}

// parentView reads an asset's parents: whether all are blocked, whether
// the rest are in doubt (at least one), and what those in doubt await.
func (e *Engine) parentView(a *assetRT) (allBlocked, doubt bool, names []string) {
	if len(a.parents) == 0 {
		return false, false, nil
	}
	allBlocked, doubt = true, true
	anyDoubt := false
	for _, pi := range a.parents {
		p := &e.assets[pi]
		switch {
		case p.blocked():
		case p.inDoubt:
			allBlocked, anyDoubt = false, true
			names = mergeNames(names, p.doubtNames)
		default:
			return false, false, nil // one parent answers for itself: another path
		}
	}
	return allBlocked, doubt && anyDoubt, names
}

// undecided reports whether an asset that is not down might still turn
// out down: a check that decides it has no result yet, is awaiting the
// recheck a failing child asked for, or is a soft CRITICAL being retried.
// An asset without icmp is down only when every check is, so one check
// that answered settles it.
func (e *Engine) undecided(a *assetRT) bool {
	if len(a.checks) == 0 || a.down {
		return false
	}
	open, answered := false, false
	for _, ci := range a.checks {
		c := &e.checks[ci]
		if (a.hasICMP && c.typ != CheckICMP) || c.typ == CheckLifecycle {
			continue
		}
		failing := c.Status == StatusCritical && !c.degraded
		switch {
		case !c.seen || c.lastRun.Before(a.verdictDue) || (failing && !c.Hard):
			open = true
		case !failing:
			answered = true
		}
	}
	if a.hasICMP {
		return open
	}
	return open && !answered
}

// settleVerdict forgets a parent's pending verdict once every check ran
// after it was asked for.
func (e *Engine) settleVerdict(a *assetRT) {
	if a.verdictDue.IsZero() {
		return
	}
	for _, ci := range a.checks {
		if c := &e.checks[ci]; c.typ != CheckLifecycle && c.lastRun.Before(a.verdictDue) {
			return
		}
	}
	a.verdictDue = time.Time{}
}

// staleProblem reports whether the asset is being rechecked after a parent
// recovered and still has a problem measured before that; it forgets the
// recheck once none is left.
func (e *Engine) staleProblem(a *assetRT) bool {
	if a.recheckAfter.IsZero() {
		return false
	}
	for _, ci := range a.checks {
		c := &e.checks[ci]
		if c.Status.IsProblem() && c.lastRun.Before(a.recheckAfter) && c.typ != CheckLifecycle {
			return true
		}
	}
	a.recheckAfter = time.Time{}
	return false
}

// anyDown reports whether one of the named assets is down.
func (e *Engine) anyDown(names []string) bool {
	for _, n := range names {
		if i, ok := e.byName[n]; ok && e.assets[i].down {
			return true
		}
	}
	return false
}

// recheckParents asks for an immediate run of the checks of an asset's
// parents that are not failing, when one of the asset's checks starts failing,
// and holds the asset in doubt until they answered. Without it a child
// would often turn hard before its broken parent is even rechecked, and
// show up as a false root cause (Nagios does the same on-demand parent
// check).
func (e *Engine) recheckParents(ai int, when time.Time) {
	if e.opts.Recheck == nil || e.opts.OneShot {
		return
	}
	for _, pi := range e.assets[ai].parents {
		p := &e.assets[pi]
		if p.blocked() {
			continue // already known down: nothing to learn
		}
		// Every check that is not failing already may be stale: a WARNING
		// from before the outage says the parent answered then, not now.
		asked := false
		for _, ci := range p.checks {
			if e.checks[ci].Status != StatusCritical && e.checks[ci].typ != CheckLifecycle {
				e.opts.Recheck(e.checks[ci].key)
				asked = true
			}
		}
		if asked && when.After(p.verdictDue) {
			p.verdictDue = when
			e.enqueue(pi)
		}
	}
}

// recheckChildren runs the failing checks of the UNREACHABLE children of
// an asset that stopped blocking them, and keeps the children UNREACHABLE
// until those runs decide: a child whose own target is still broken then
// becomes a root cause, one whose target is up never poses as one.
func (e *Engine) recheckChildren(p *assetRT, when time.Time) {
	if e.opts.OneShot {
		return
	}
	for _, ci := range p.children {
		c := &e.assets[ci]
		if c.status != StatusUnreachable && c.hardStatus != StatusUnreachable {
			continue
		}
		c.recheckAfter = when
		if e.opts.Recheck == nil {
			continue // the next scheduled runs decide
		}
		for _, k := range c.checks {
			if e.checks[k].Status.IsProblem() && e.checks[k].typ != CheckLifecycle {
				e.opts.Recheck(e.checks[k].key)
			}
		}
	}
}

// assetEvent records an asset's change of status, or of hardness for a
// problem (the log then shows soft, hard and recovery alike).
func (e *Engine) assetEvent(a *assetRT, prev *assetRT, when time.Time) {
	if prev.shown() == StatusPending && a.shown() == StatusOK {
		return // a first OK is not news
	}
	if e.muted >= 0 && &e.assets[e.muted] == a {
		return // a local problem: reported once a minute (noteLocal)
	}
	e.emit(Event{
		At: when, Kind: EventState, Asset: a.cfg.Name,
		From: prev.shown(), To: a.shown(), Hard: a.shown() == a.shownHard(),
		FromHard: prev.shown() == prev.shownHard(), Summary: e.assetReason(a),
	})
}

// mergeNames is the sorted union of two sorted name lists; a is not
// modified.
func mergeNames(a, b []string) []string {
	if len(b) == 0 {
		return a
	}
	if len(a) == 0 {
		return b
	}
	out := make([]string, 0, len(a)+len(b))
	out = append(append(out, a...), b...)
	slices.Sort(out)
	return slices.Compact(out)
}

// checkingNames is the sorted union of what every checking asset awaits,
// for Snapshot.Checking. It walks the assets only while some are checking.
func (e *Engine) checkingNames() []string {
	if e.tally.Checking == 0 {
		return nil
	}
	var out []string
	for i := range e.assets {
		if a := &e.assets[i]; a.role == RoleChecking && a.maint == nil {
			for _, n := range a.checkingList {
				if !slices.Contains(out, n) {
					out = append(out, n)
				}
			}
		}
	}
	slices.Sort(out)
	return out
}
