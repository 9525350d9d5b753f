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

// checkSpec is what the engine reads of a check: 64 bytes where the
// config's Check is 616.
type checkSpec struct {
	name, typ string
	retries   int32
	certs     bool // reportsCerts
	custom    []Metric
	flap      FlapLimits
}

// readChecks reads every check when Indexed consumes them: the specs first,
// then each asset to Indexed, so the config's checks are garbage before
// the engine's arrays are allocated (at 10,000 ICMP assets they would be
// 6 MB held beside 8). It returns nil otherwise: the checks are read in
// place.
func (e *Engine) readChecks() (specs []checkSpec, counts []int32) {
	cfg := e.cfg
	if e.opts.Indexed == nil {
		return nil, nil
	}
	specs, counts = make([]checkSpec, 0, cfg.NumChecks()), make([]int32, len(cfg.Assets))
	for i := range cfg.Assets {
		ac := &cfg.Assets[i]
		for j := range ac.Checks {
			ch := &ac.Checks[j]
			specs = append(specs, checkSpec{name: ch.Name, typ: ch.Type, retries: int32(ch.Retries), certs: reportsCerts(ch), custom: ch.CustomMetrics(), flap: FlapLimitsOf(&cfg.Defaults, ch)})
		}
		counts[i] = int32(len(ac.Checks))
		e.opts.Indexed(ac)
	}
	return specs, counts
}

// buildAssets indexes assets and checks and orders assets parents first.
func (e *Engine) buildAssets() {
	cfg := e.cfg
	specs, counts := e.readChecks()
	e.assets = make([]assetRT, len(cfg.Assets))
	e.byName = make(map[string]int, len(cfg.Assets))
	e.checks = make([]checkRT, 0, max(len(specs), cfg.NumChecks()))
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
		add := func(cs checkSpec) {
			key := CheckKey{Asset: ac.Name, Check: cs.name}
			if _, dup := e.checkIndex(key); dup {
				return // the loader rejects duplicates; keep the first
			}
			maxAtt := max(int(cs.retries), 1)
			if e.opts.OneShot {
				maxAtt = 1
			}
			if e.byKey != nil {
				e.byKey[key] = len(e.checks)
			}
			a.checks = append(a.checks, len(e.checks))
			a.hasICMP = a.hasICMP || cs.typ == CheckICMP
			e.checks = append(e.checks, checkRT{
				key: key, typ: cs.typ, asset: i, Attempts: NewAttempts(maxAtt),
				primary: DefaultPrimary(cs.typ), custom: cs.custom,
				since: e.start, certs: cs.certs, flap: flapState{limits: cs.flap},
			})
			if e.opts.HistoryLen > 0 {
				e.checks[len(e.checks)-1].history = newHistoryRing(e.opts.HistoryLen)
			}
		}
		if specs != nil {
			for _, cs := range specs[:counts[i]] {
				add(cs)
			}
			specs = specs[counts[i]:]
			continue
		}
		for j := range ac.Checks {
			ch := &ac.Checks[j]
			add(checkSpec{name: ch.Name, typ: ch.Type, retries: int32(ch.Retries), certs: reportsCerts(ch), custom: ch.CustomMetrics(), flap: FlapLimitsOf(&cfg.Defaults, ch)})
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

// orderAssets sorts assets parents first (Kahn). The loader rejects cycles
// and unknown parents; should one slip through, the assets in the cycle
// follow in config order and edges that point backwards are dropped, so
// evaluation always ends.
func (e *Engine) orderAssets() {
	n := len(e.assets)
	declared := make([][]int, n)
	indeg := make([]int, n)
	kids := make([][]int, n)
	for i := range e.assets {
		for _, pn := range e.assets[i].cfg.Parents {
			p, ok := e.byName[pn]
			if !ok || p == i || slices.Contains(declared[i], p) {
				continue
			}
			declared[i] = append(declared[i], p)
			kids[p] = append(kids[p], i)
			indeg[i]++
		}
	}
	e.order = make([]int, 0, n)
	placed := make([]bool, n)
	for i := range n {
		if indeg[i] == 0 {
			e.order = append(e.order, i)
			placed[i] = true
		}
	}
	for k := 0; k < len(e.order); k++ {
		for _, c := range kids[e.order[k]] {
			if indeg[c]--; indeg[c] == 0 {
				e.order = append(e.order, c)
				placed[c] = true
			}
		}
	}
	for i := range n {
		if !placed[i] {
			e.order = append(e.order, i)
		}
	}
	for r, i := range e.order {
		e.assets[i].rank = r
	}
	for i := range e.assets {
		for _, p := range declared[i] {
			if e.assets[p].rank < e.assets[i].rank {
				e.assets[i].parents = append(e.assets[i].parents, p)
			}
		}
	}
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
	own := e.ownReason(a)
	if a.maint != nil {
		return maintenanceReason(a.maint) + e.naturalReason(a, own)
	}
	return e.naturalReason(a, own)
}

// naturalReason is the reason outside a window.
func (e *Engine) naturalReason(a *assetRT, own string) string {
	switch {
	case a.status == StatusUnreachable && a.recovering:
		return fmt.Sprintf("unreachable: %s recovered, rechecking; %s", a.rootCause, own)
	case a.status == StatusUnreachable:
		verb := "is"
		if len(a.rootCauses) > 1 {
			verb = "are"
		}
		return fmt.Sprintf("unreachable: %s %s down; %s", a.rootCause, verb, own)
	case a.role == RoleChecking:
		return fmt.Sprintf("checking %s first; %s", a.checking, own)
	}
	return own
}

// ownReason names the worst check (the first in config order) and how many
// other checks have problems.
func (e *Engine) ownReason(a *assetRT) string {
	if len(a.checks) == 0 {
		return "no checks"
	}
	worst, problems, pending, n := -1, 0, 0, 0
	for _, ci := range a.checks {
		c := &e.checks[ci]
		if c.typ == CheckLifecycle && !c.Status.IsProblem() && len(a.checks) > 1 {
			continue // an OK register is no news beside the checks
		}
		n++
		switch {
		case c.Status.IsProblem():
			problems++
		case c.Status == StatusPending:
			pending++
		}
		if worst < 0 || c.Status.Worse(e.checks[worst].Status) {
			worst = ci
		}
	}
	c := &e.checks[worst]
	switch {
	case problems > 0:
		r := c.key.Check + ": " + c.describe()
		if problems > 1 {
			r += fmt.Sprintf(" (+%d more)", problems-1)
		}
		return r
	case pending == n:
		return "waiting for first result"
	case pending > 0:
		return fmt.Sprintf("%d of %d checks pending", pending, n)
	}
	return fmt.Sprintf("%d/%d checks OK", n, n)
}
