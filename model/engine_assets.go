package model

import (
	"fmt"
	"slices"
	"time"
)

// assetRT is the engine's mutable state of one asset.
type assetRT struct {
	cfg      *Asset
	checks   []int // into Engine.checks
	parents  []int // effective parents: back edges of a cycle are dropped
	children []int
	services []int // services that need this asset
	rank     int   // position in Engine.order

	// Static parts of AssetState, copied once.
	tags, parentNames, childNames []string

	rootCause  string
	rootCauses []string // sorted, deduplicated
	since      time.Time

	// Triage (engine_triage.go).
	checking     string    // in-doubt ancestors while role is RoleChecking
	checkingList []string  // the same, sorted
	doubtNames   []string  // what children in doubt through this asset await
	verdictDue   time.Time // a child failed: results older than this are no verdict
	recheckAfter time.Time // a parent recovered: problems older than this are stale

	pub *AssetState
	// maint is the window the asset is in (its own or its root causes'),
	// nil outside one; status and the rest stay what the checks say.
	maint *Maintenance

	ack       *Ack  // the operator's acknowledgement of the asset (engine_ack.go)
	checkAcks int32 // its checks that carry an ack

	// The one-byte fields together (one between words takes a word):
	// 400 bytes an asset instead of 424.
	status, hardStatus Status
	svcStatus          Status // hardStatus but for the lifecycle check: what services see
	role               Role
	hasICMP            bool
	queued             bool
	down               bool
	inDoubt            bool // undecided itself, or checking: children wait
	recovering         bool // UNREACHABLE, but no root cause is down any more
	flapping           bool // a check flaps (engine_flap.go)
	acked              bool // its problem is acknowledged: counted in Tally.Acked
	dirty              bool
}

// blocked reports whether the asset cuts its children off: it is hard-down
// itself, or unreachable because of down ancestors.
func (a *assetRT) blocked() bool { return a.down || a.status == StatusUnreachable }

// buildAssets indexes assets and checks and orders assets parents first.
func (e *Engine) buildAssets() {
	cfg := e.cfg
	e.assets = make([]assetRT, len(cfg.Assets))
	e.byName = make(map[string]int, len(cfg.Assets))
	e.checks = make([]checkRT, 0, cfg.NumChecks())
	e.byKey = nil // a one-shot engine finds checks through byName (checkIndex)
	if !e.opts.OneShot {
		e.byKey = make(map[CheckKey]int, cfg.NumChecks())
	}
	for i := range cfg.Assets {
		ac := &cfg.Assets[i]
		a := &e.assets[i]
		a.cfg = ac
		a.status, a.hardStatus, a.svcStatus, a.since = StatusPending, StatusPending, StatusPending, e.start
		a.tags = slices.Clone(ac.Tags)
		a.parentNames = slices.Clone(ac.Parents)
		if _, dup := e.byName[ac.Name]; !dup {
			e.byName[ac.Name] = i
		}
		for j := range ac.Checks {
			ch := &ac.Checks[j]
			key := ac.Key(ch)
			if _, dup := e.checkIndex(key); dup {
				continue // the loader rejects duplicates; keep the first
			}
			maxAtt := max(ch.Retries, 1)
			if e.opts.OneShot {
				maxAtt = 1
			}
			if e.byKey != nil {
				e.byKey[key] = len(e.checks)
			}
			a.checks = append(a.checks, len(e.checks))
			a.hasICMP = a.hasICMP || ch.Type == CheckICMP
			e.checks = append(e.checks, checkRT{
				key: key, typ: ch.Type, asset: i, Attempts: NewAttempts(maxAtt),
				primary: DefaultPrimary(ch.Type), custom: ch.CustomMetrics(),
				since: e.start, certs: feedsRegister(ch), flap: flapState{limits: FlapLimitsOf(&cfg.Defaults, ch)},
			})
			if e.opts.HistoryLen > 0 {
				e.checks[len(e.checks)-1].history = newHistoryRing(e.opts.HistoryLen)
			}
		}
	}
	e.addLifecycleChecks()
	e.orderAssets()
	for i := range e.assets {
		a := &e.assets[i]
		for _, p := range a.parents {
			e.assets[p].children = append(e.assets[p].children, i)
		}
	}
	for i := range e.assets {
		a := &e.assets[i]
		for _, ci := range a.children {
			a.childNames = append(a.childNames, e.assets[ci].cfg.Name)
		}
	}
	e.counts[StatusPending] = len(e.assets)
}

// checkIndex finds a check by its key. A one-shot engine keeps no key
// index (770 KB at 10,000 checks, for one lookup a result): it finds the
// asset by name and looks through its few checks. Either way the first
// check of a duplicated key wins.
func (e *Engine) checkIndex(k CheckKey) (int, bool) {
	if e.byKey != nil {
		ci, ok := e.byKey[k]
		return ci, ok
	}
	ai, ok := e.byName[k.Asset]
	if !ok {
		return 0, false
	}
	for _, ci := range e.assets[ai].checks {
		if e.checks[ci].key == k {
			return ci, true
		}
	}
	return 0, false
}

// orderAssets sorts assets parents first (parentsFirst) and keeps each
// asset's rank and effective parents.
func (e *Engine) orderAssets() {
	var rank []int
	var parents [][]int
	e.order, rank, parents = parentsFirst(e.cfg.Assets, func(name string) (int, bool) {
		i, ok := e.byName[name]
		return i, ok
	})
	for i := range e.assets {
		e.assets[i].rank, e.assets[i].parents = rank[i], parents[i]
	}
}

// parentsFirst sorts assets parents first (Kahn) and returns the order,
// each asset's rank in it and its effective parents; index finds an asset
// by name. The loader rejects cycles and unknown parents; should one slip
// through, the assets in the cycle follow in config order and edges that
// point backwards are dropped, so evaluation always ends.
func parentsFirst(assets []Asset, index func(string) (int, bool)) (order, rank []int, parents [][]int) {
	n := len(assets)
	declared := make([][]int, n)
	indeg := make([]int, n)
	kids := make([][]int, n)
	for i := range assets {
		for _, pn := range assets[i].Parents {
			p, ok := index(pn)
			if !ok || p == i || slices.Contains(declared[i], p) {
				continue
			}
			declared[i] = append(declared[i], p)
			kids[p] = append(kids[p], i)
			indeg[i]++
		}
	}
	order = make([]int, 0, n)
	placed := make([]bool, n)
	for i := range n {
		if indeg[i] == 0 {
			order = append(order, i)
			placed[i] = true
		}
	}
	for k := 0; k < len(order); k++ {
		for _, c := range kids[order[k]] {
			if indeg[c]--; indeg[c] == 0 {
				order = append(order, c)
				placed[c] = true
			}
		}
	}
	for i := range n {
		if !placed[i] {
			order = append(order, i)
		}
	}
	rank = make([]int, n)
	for r, i := range order {
		rank[i] = r
	}
	parents = declared
	for i := range declared {
		kept := declared[i][:0]
		for _, p := range declared[i] {
			if rank[p] < rank[i] {
				kept = append(kept, p)
			}
		}
		if len(kept) == 0 {
			kept = nil
		}
		parents[i] = kept
	}
	return order, rank, parents
}

// rankQueue pops assets parents first, so an asset with two changed
// parents is evaluated once, after both. A plain binary heap of indices
// (container/heap would box every int).
type rankQueue struct{ items []int }

func (e *Engine) enqueue(ai int) {
	a := &e.assets[ai]
	if a.queued {
		return
	}
	a.queued = true
	q := append(e.queue.items, ai)
	for i := len(q) - 1; i > 0; {
		p := (i - 1) / 2
		if e.assets[q[p]].rank <= a.rank {
			break
		}
		q[i], q[p] = q[p], q[i]
		i = p
	}
	e.queue.items = q
}

func (e *Engine) dequeue() int {
	q := e.queue.items
	top := q[0]
	last := len(q) - 1
	q[0] = q[last]
	q = q[:last]
	for i := 0; ; {
		l, m := 2*i+1, i
		if l < len(q) && e.assets[q[l]].rank < e.assets[q[m]].rank {
			m = l
		}
		if r := l + 1; r < len(q) && e.assets[q[r]].rank < e.assets[q[m]].rank {
			m = r
		}
		if m == i {
			break
		}
		q[i], q[m] = q[m], q[i]
		i = m
	}
	e.queue.items = q
	e.assets[top].queued = false
	return top
}

// markAsset queues an asset for the next snapshot.
func (e *Engine) markAsset(ai int) {
	if a := &e.assets[ai]; !a.dirty {
		a.dirty = true
		e.dirtyAssets = append(e.dirtyAssets, ai)
	}
	e.dirty = true
}

// evaluateFrom re-evaluates an asset whose checks changed, then every
// descendant whose inputs changed, then the services affected.
func (e *Engine) evaluateFrom(ai int, when time.Time) {
	e.enqueue(ai)
	for len(e.queue.items) > 0 {
		e.evaluate(e.dequeue(), when)
	}
	if e.svcStale {
		e.rollup(when)
	}
}

// rootCauses collects the down ancestors behind an asset's blocked parents.
func (e *Engine) rootCauses(a *assetRT) []string {
	if len(a.parents) == 1 {
		p := &e.assets[a.parents[0]]
		if p.down {
			return []string{p.cfg.Name}
		}
		return p.rootCauses // immutable once set: safe to share
	}
	var out []string
	for _, pi := range a.parents {
		p := &e.assets[pi]
		if p.down {
			out = append(out, p.cfg.Name)
		} else {
			out = append(out, p.rootCauses...)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// assetReason says why an asset has its status, e.g. "icmp: 3/3 lost",
// "unreachable: core-sw1 is down; icmp: 3/3 lost" or "checking core-sw1
// first; icmp: 3/3 lost".
func (e *Engine) assetReason(a *assetRT) string {
	return reasonText(a.maint, a.status, a.role, a.recovering, a.rootCause, len(a.rootCauses), a.checking, e.ownReason(a))
}

// reasonText words an asset's reason from its window (nil: none), its
// verdict and what its own checks say (own); the one-shot state words its
// assets alike.
func reasonText(m *Maintenance, status Status, role Role, recovering bool, rootCause string, causes int, checking, own string) string {
	if m != nil {
		return maintenanceReason(m) + reasonText(nil, status, role, recovering, rootCause, causes, checking, own)
	}
	switch {
	case status == StatusUnreachable && recovering:
		return fmt.Sprintf("unreachable: %s recovered, rechecking; %s", rootCause, own)
	case status == StatusUnreachable:
		verb := "is"
		if causes > 1 {
			verb = "are"
		}
		return fmt.Sprintf("unreachable: %s %s down; %s", rootCause, verb, own)
	case role == RoleChecking:
		return fmt.Sprintf("checking %s first; %s", checking, own)
	}
	return own
}

// ownReason names the worst check (the first in config order) and how many
// other checks have problems.
func (e *Engine) ownReason(a *assetRT) string {
	oc := newOwnCount(len(a.checks))
	for _, ci := range a.checks {
		c := &e.checks[ci]
		oc.add(ci, c.typ, c.Status)
	}
	return oc.text(func(ci int) string {
		c := &e.checks[ci]
		return c.key.Check + ": " + c.describe()
	})
}

// ownCount counts an asset's checks, in config order, for the reason its
// own checks give (the engine's and the one-shot state's).
type ownCount struct {
	total, n, problems, pending, worst int
	worstStatus                        Status
}

// newOwnCount counts the total checks of an asset, its lifecycle check
// included.
func newOwnCount(total int) ownCount { return ownCount{total: total, worst: -1} }

// add counts check i of type typ with status st.
func (oc *ownCount) add(i int, typ string, st Status) {
	if typ == CheckLifecycle && !st.IsProblem() && oc.total > 1 {
		return // an OK register is no news beside the checks
	}
	oc.n++
	switch {
	case st.IsProblem():
		oc.problems++
	case st == StatusPending:
		oc.pending++
	}
	if oc.worst < 0 || st.Worse(oc.worstStatus) {
		oc.worst, oc.worstStatus = i, st
	}
}

// text words the count; what words the worst check ("icmp: 3/3 lost").
func (oc *ownCount) text(what func(i int) string) string {
	worst := ""
	if oc.problems > 0 {
		worst = what(oc.worst)
	}
	return ownReasonText(oc.n, oc.problems, oc.pending, worst)
}

// ownReasonText words what an asset's checks say: worst ("icmp: 3/3
// lost") and how many more have problems, or how many are pending or OK.
func ownReasonText(checks, problems, pending int, worst string) string {
	switch {
	case checks == 0:
		return "no checks"
	case problems > 0:
		if problems > 1 {
			return worst + fmt.Sprintf(" (+%d more)", problems-1)
		}
		return worst
	case pending == checks:
		return "waiting for first result"
	case pending > 0:
		return fmt.Sprintf("%d of %d checks pending", pending, checks)
	}
	return fmt.Sprintf("%d/%d checks OK", checks, checks)
}
