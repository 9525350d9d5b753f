package probes

import (
	"context"
	"io"
	"reflect"
	"slices"
	"time"

	"noctop/model"
)

// ReloadCounts says what a reload did to the scheduled checks.
type ReloadCounts struct {
	// Kept checks go on as they were (their schedule, their prepared
	// probe); Changed ones were prepared again from the new config and keep
	// their place in the schedule; Added ones start like first runs;
	// Removed ones stop (a run in flight finishes; its result is dropped).
	Kept, Changed, Added, Removed int
}

// reloadPlan is a new set of checks, prepared by Reload for Run's loop.
type reloadPlan struct {
	entries []*entry // the new config's checks, in config order
	byKey   map[model.CheckKey]*entry
	fresh   map[*entry]*entry // new entry -> the one it replaces (nil: added)
	gone    []*entry          // entries that stop: removed or replaced
	applied chan struct{}
}

// Reload replaces the scheduled checks with cfg's (loaded and validated).
// A check whose asset and check config are unchanged keeps running as it
// was; a changed one is prepared again and keeps its place in the
// schedule; a new one is planned like a first run; a removed one stops. The
// checks are prepared in the caller's goroutine; then Reload waits until
// Run's loop has taken them (a Reload before Run starts waits for it). It
// fails only when ctx ends first, or when a check's interval, retry
// interval or timeout is not positive (cfg was not loaded). The scheduler's
// concurrency stays as built.
func (s *Scheduler) Reload(ctx context.Context, cfg *model.Config) (ReloadCounts, error) {
	s.reloading.Lock()
	defer s.reloading.Unlock()
	s.mu.Lock()
	old, oldByKey := s.entries, s.byKey
	s.mu.Unlock()

	var n ReloadCounts
	var kept []repoint
	p := &reloadPlan{
		byKey:   make(map[model.CheckKey]*entry, cfg.NumChecks()),
		fresh:   make(map[*entry]*entry),
		applied: make(chan struct{}),
	}
	for i := range cfg.Assets {
		a := &cfg.Assets[i]
		for j := range a.Checks {
			c := &a.Checks[j]
			key := a.Key(c)
			if _, dup := p.byKey[key]; dup {
				continue // the loader rejects duplicates; keep the first
			}
			prev := oldByKey[key]
			if prev != nil && sameCheck(prev, a, c) {
				p.entries = append(p.entries, prev)
				p.byKey[key] = prev
				kept = append(kept, repoint{prev, a, c})
				continue
			}
			e, err := newEntry(a, c, s.prepare)
			if err != nil {
				return ReloadCounts{}, err
			}
			p.entries = append(p.entries, e)
			p.byKey[key] = e
			p.fresh[e] = prev
			if prev != nil {
				n.Changed++
				p.gone = append(p.gone, prev)
			} else {
				n.Added++
			}
		}
	}
	for _, e := range old {
		if _, ok := p.byKey[e.key]; !ok {
			p.gone = append(p.gone, e)
			n.Removed++
		}
	}
	n.Kept = len(kept)
	select {
	case s.reloads <- p:
	case <-ctx.Done():
		return ReloadCounts{}, ctx.Err()
	}
	<-p.applied // the loop applies it at once
	// Kept entries now point at the new config, so the old one can go.
	for _, k := range kept {
		k.e.asset, k.e.check = k.a, k.c
	}
	return n, nil
}

// repoint is a kept entry and the new config's asset and check.
type repoint struct {
	e *entry
	a *model.Asset
	c *model.Check
}

// sameCheck reports whether a check's config, and its asset's apart from
// the other checks, are what e was prepared from.
func sameCheck(e *entry, a *model.Asset, c *model.Check) bool {
	if !reflect.DeepEqual(e.check, c) {
		return false
	}
	oa, na := *e.asset, *a
	oa.Checks, na.Checks = nil, nil
	return reflect.DeepEqual(oa, na)
}

// apply installs a reload plan; Run's loop calls it, owning q and d.
func (s *Scheduler) apply(p *reloadPlan, q *dueQueue, d *demand, now time.Time) {
	for _, e := range p.gone {
		e.removed.Store(true)
		q.remove(e)
		if !e.running {
			release(e) // a running one is released when its run ends
		}
	}
	d.queue = slices.DeleteFunc(d.queue, func(e *entry) bool { return e.removed.Load() })
	for e, prev := range p.fresh {
		e.tries = model.NewAttempts(e.retries)
		switch {
		case prev == nil:
			e.anchor, e.due = s.firstRun(now, e.every)
		case prev.running:
			// Its run ends on its own; the new one starts in its phase.
			e.anchor = prev.anchor
			e.due = nextSlot(e.anchor, e.every, now, now)
		default:
			// Its place in the schedule, and its soft count, as the engine
			// keeps them; a shorter interval brings the next run forward.
			e.anchor, e.due = prev.anchor, prev.due
			if latest := now.Add(e.every); e.due.After(latest) {
				e.due = nextSlot(e.anchor, e.every, now, now)
			}
			e.tries = prev.tries
			e.tries.Max = max(e.retries, 1)
		}
		q.push(e)
	}
	s.mu.Lock()
	s.entries, s.byKey = p.entries, p.byKey
	s.mu.Unlock()
}

// release frees what a dropped check's prepared probe holds (an SNMP
// client's socket); only the loop calls it, while the check is not running.
func release(e *entry) {
	if c, ok := e.probe.(io.Closer); ok {
		_ = c.Close()
	}
}

// firstRun is a new check's phase and first run, as plan draws them.
func (s *Scheduler) firstRun(t0 time.Time, every time.Duration) (anchor, due time.Time) {
	anchor = t0.Add(time.Duration(s.rnd.Int64N(int64(every))))
	due = t0
	if spread := min(every, s.spread); spread > 0 {
		due = t0.Add(time.Duration(s.rnd.Int64N(int64(spread))))
	}
	return anchor, due
}
