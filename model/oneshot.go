package model

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"
)

// OneShot is the engine of a run that ends once every check ran once
// (noctop check). It keeps each check's last result, and nothing else,
// until Head works out the assets' verdicts (dependencies, root causes,
// roles) and the services in one pass, parents first; Assets then yields
// each asset's state, built as it is read.
//
// Once every check has a result it reports what an Engine with OneShot
// reports (TestOneShotMatchesTheEngine): the same statuses, roles, root
// causes, reasons, counts, tally and services, the config's maintenance
// windows open at Head's time and the lifecycle pseudo-checks judged then.
// It keeps no events, no lag and no next run, and knows nothing of what
// needs history or a store (flapping, acks, ad hoc windows, correlation);
// Since of an asset or service is when its last check answered rather
// than when the engine saw its status change. Before every check has a
// result its verdicts are those of a single pass (an Engine's depend on
// the order results came in). An asset with one icmp check
// costs it ~300 bytes, the result's values and the verdict included
// (TestOneShotHoldsLittleAnAsset), where an Engine holds ~1,000 (its
// tables are the dashboard's): at 10,000 assets 3 MB instead of 10.
type OneShot struct {
	cfg     *Config // set by Seal
	start   time.Time
	now     func() time.Time
	indexed func(*Asset)

	// mu guards everything below: results come from many runs at once.
	mu     sync.Mutex
	checks []shotCheck // config order
	first  []int32     // asset i's checks are checks[first[i]:first[i+1]]
	byName []int32     // assets by name, then config order (Submit's lookup)
	extra  map[int32]*shotExtra
	packed *packedResults
	done   int   // checks with a result
	newest int64 // the newest result's start, UnixNano
	last   int64 // the newest answer (start + duration), UnixNano

	verdicts *shotVerdicts // Head's; nil before
}

// shotCheck is one check's last result: 72 bytes.
type shotCheck struct {
	name, typ, summary string
	at                 int64 // when the run started, UnixNano; 0 before a result
	took               time.Duration
	status             Status
	flags              uint8
}

// shotCheck flags.
const (
	shotSeen     = 1 << iota // a result came
	shotDegraded             // it was a problem the target answered with
	shotDup                  // a second check of the asset with this name: ignored, as the engine does
	shotCerts                // it reports certificates (tls, https): the lifecycle register's
)

// shotExtra is what few checks have: custom metric declarations, a
// primary metric other than their kind's, a table, the certificates a tls
// or https check saw, the lifecycle pseudo-check's register.
type shotExtra struct {
	custom  []Metric
	primary string
	ifaces  []Interface
	host    *HostTable
	profile *ProfileTable
	certs   []Cert
	items   []Renewal         // the lifecycle check's, judged at Head
	attrs   map[string]string // the lifecycle check's
}

// OneShotOptions tune a OneShot. The zero value is usable.
type OneShotOptions struct {
	// Now is the clock (default time.Now): the start, Head's time and the
	// time of a result that carries none.
	Now func() time.Time
	// Indexed, when set, is called by Add with each asset once its checks
	// were read, and may consume them (set the asset's Checks to nil):
	// noctop check prepares each asset's probes there as the config is
	// read (LoadEach), so the config's checks (616 bytes each) are never
	// all held.
	Indexed func(*Asset)
}

// NewOneShot reads cfg (validated: after Load or ApplyDefaults). It keeps
// references to cfg: do not modify it afterwards, but for the assets'
// Checks, which it reads only here.
func NewOneShot(cfg *Config, opts OneShotOptions) *OneShot {
	if cfg == nil {
		cfg = &Config{}
	}
	o := StartOneShot(opts)
	for i := range cfg.Assets {
		o.Add(&cfg.Assets[i])
	}
	o.Seal(cfg)
	return o
}

// StartOneShot is NewOneShot in steps, for a config read asset by asset
// (LoadEach): Add reads each asset as it is loaded, Seal takes the loaded
// config. Submit, Head and Assets wait for Seal.
func StartOneShot(opts OneShotOptions) *OneShot {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	o := &OneShot{now: opts.Now, indexed: opts.Indexed, extra: map[int32]*shotExtra{}}
	o.start = o.now()
	return o
}

// Add reads the next asset of the config (defaulted and validated, in
// config order): each check's name, type, custom metrics and whether it
// reports certificates, then hands the asset to OneShotOptions.Indexed,
// which may consume its checks. An asset with lifecycle dates or a check
// that reports certificates gets the lifecycle pseudo-check after its
// own, as in the engine (engine_lifecycle.go); Head judges it.
func (o *OneShot) Add(a *Asset) {
	o.first = append(o.first, int32(len(o.checks)))
	life := a.Lifecycle.HasDates()
	for j := range a.Checks {
		ch := &a.Checks[j]
		if custom := ch.CustomMetrics(); custom != nil {
			o.extra[int32(len(o.checks))] = &shotExtra{custom: custom}
		}
		c := shotCheck{name: ch.Name, typ: ch.Type}
		if feedsRegister(ch) {
			c.flags, life = shotCerts, true
		}
		o.checks = append(o.checks, c)
	}
	if life {
		o.checks = append(o.checks, shotCheck{name: CheckLifecycle, typ: CheckLifecycle})
	}
	if o.indexed != nil {
		o.indexed(a)
	}
}

// Seal takes the config whose assets were added, every one in order, and
// makes the state ready for results. It keeps references to cfg: do not
// modify it afterwards.
func (o *OneShot) Seal(cfg *Config) {
	if len(o.first) != len(cfg.Assets) {
		panic(fmt.Sprintf("model: OneShot.Seal: %d assets added, the config has %d", len(o.first), len(cfg.Assets)))
	}
	o.cfg = cfg
	o.first = append(o.first, int32(len(o.checks)))
	o.byName = make([]int32, len(cfg.Assets))
	for i := range o.byName {
		o.byName[i] = int32(i)
	}
	slices.SortStableFunc(o.byName, func(a, b int32) int {
		return cmp.Compare(cfg.Assets[a].Name, cfg.Assets[b].Name)
	})
	// A check whose key came before (a name twice in an asset, or an
	// asset's name twice: results find the first asset's checks) is
	// ignored, as the engine does; the loader rejects both.
	for i := range cfg.Assets {
		same, _ := o.asset(cfg.Assets[i].Name)
		for ci := o.first[i]; ci < o.first[i+1]; ci++ {
			end := o.first[same+1]
			if same == i {
				end = ci
			}
			name := o.checks[ci].name
			if slices.ContainsFunc(o.checks[o.first[same]:end], func(k shotCheck) bool { return k.name == name && k.flags&shotDup == 0 }) {
				o.checks[ci].flags |= shotDup
			}
		}
	}
	o.packed = newPackedResults(len(o.checks))
}

// asset finds an asset by name: the first in config order.
func (o *OneShot) asset(name string) (int, bool) {
	assets := o.cfg.Assets
	k, ok := slices.BinarySearchFunc(o.byName, name, func(i int32, name string) int {
		return cmp.Compare(assets[i].Name, name)
	})
	if !ok {
		return 0, false
	}
	return int(o.byName[k]), true
}

// check finds a check a probe runs by its key, as the engine does (the
// first of a duplicated asset name; a duplicated check name is ignored).
// No probe runs the lifecycle pseudo-check.
func (o *OneShot) check(k CheckKey) (int, bool) {
	ai, ok := o.asset(k.Asset)
	if !ok {
		return 0, false
	}
	for ci := o.first[ai]; ci < o.first[ai+1]; ci++ {
		if c := &o.checks[ci]; c.name == k.Check && c.flags&shotDup == 0 {
			return int(ci), c.typ != CheckLifecycle
		}
	}
	return 0, false
}

// Submit keeps a result as its check's last one (a Sink for the runs); it
// may be called from many goroutines and never blocks on them for long.
// Results for checks that are not in the config are ignored. It keeps the
// values of the result's Metrics and Attrs, not the maps.
func (o *OneShot) Submit(_ context.Context, r Result) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	ci, ok := o.check(r.Key)
	if !ok {
		return nil
	}
	c := &o.checks[ci]
	when := r.At
	if when.IsZero() {
		when = o.now()
	}
	if c.flags&shotSeen == 0 {
		o.done++
	}
	c.status, c.summary = probeStatus(r.Outcome)
	c.at, c.took = when.UnixNano(), r.Duration
	c.flags = c.flags&(shotDup|shotCerts) | shotSeen
	if r.Degraded {
		c.flags |= shotDegraded
	}
	o.newest = max(o.newest, c.at)
	o.last = max(o.last, c.at+int64(c.took))
	o.packed.put(int(ci), r.Metrics, r.Attrs)
	x := o.extra[int32(ci)]
	// As the engine: an empty Primary keeps the one before; tables are the
	// last result's; a result without certificates keeps the last seen.
	certs := c.flags&shotCerts != 0 && len(r.Certs) > 0
	if x == nil && (r.Interfaces != nil || r.Host != nil || r.Profile != nil || (r.Primary != "" && r.Primary != DefaultPrimary(c.typ)) || certs) {
		x = &shotExtra{}
		o.extra[int32(ci)] = x
	}
	if x != nil {
		x.ifaces, x.host, x.profile = r.Interfaces, r.Host, r.Profile
		if r.Primary != "" {
			x.primary = r.Primary
		}
		if certs {
			x.certs = r.Certs
		}
	}
	o.verdicts = nil
	return nil
}

// Head works out the verdicts of the results submitted so far and returns
// a snapshot with the counts, tally and services and no Assets (read them
// with Assets).
func (o *OneShot) Head() *Snapshot {
	o.mu.Lock()
	defer o.mu.Unlock()
	v := o.settle()
	now := o.now()
	var lag lagClock
	s := &Snapshot{
		Seq:        1,
		At:         now,
		ConfigPath: o.cfg.Path,
		Services:   v.services,
		Counts:     v.counts,
		Tally:      v.tally,
		Checking:   v.awaited,
		Checks:     o.numChecks(),
		Done:       o.done,
		Newest:     o.timeOf(o.newest),
		Lag:        lag.stats(now),
		serviceIx:  v.svcByName,
	}
	return s
}

// numChecks counts the checks probes run (the lifecycle pseudo-checks
// are none: the engine counts them out too).
func (o *OneShot) numChecks() int {
	n := 0
	for i := range o.checks {
		if c := &o.checks[i]; c.flags&shotDup == 0 && c.typ != CheckLifecycle {
			n++
		}
	}
	return n
}

// timeOf is a stored time: zero for none.
func (o *OneShot) timeOf(ns int64) time.Time {
	if ns == 0 {
		return time.Time{}
	}
	return time.Unix(0, ns)
}
