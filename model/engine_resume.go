package model

import (
	"math"
	"slices"
	"strings"
	"time"
)

// A restart resumes from what the earlier run left (EngineOptions.Resume):
// every check whose key and type match starts from its saved state, assets
// and services are evaluated from those checks without an event (their
// state is old news), and events are numbered on from the saved ones. The
// first snapshot is therefore full, and the store sees no burst of state
// changes. A resumed check still runs on schedule; its first fresh result
// steps the soft/hard machine on from the saved attempt.

// resume seeds checks, events and assets from r (nil: nothing to do).
func (e *Engine) resume(r *Resume) {
	if r == nil {
		return
	}
	for ci := range e.checks {
		c := &e.checks[ci]
		if rc, ok := r.Checks[c.key]; ok && rc.Type == c.typ && rc.Status != StatusPending && rc.Status < numStatuses {
			e.seedCheck(c, &rc)
		}
	}
	evs := r.Events
	if len(evs) > maxEvents {
		evs = evs[len(evs)-maxEvents:]
	}
	for _, ev := range evs {
		e.events.push(ev)
		e.eventSeq = max(e.eventSeq, ev.Seq)
	}
	e.eventSeq = max(e.eventSeq, r.EventSeq)

	for ai := range e.assets {
		e.recountFlapping(ai)
		e.enqueue(ai)
	}
	for len(e.queue.items) > 0 {
		e.evaluate(e.dequeue(), e.start)
	}
	e.resumeAcks(r.Acks)
	for ai := range e.assets {
		a := &e.assets[ai]
		a.since = e.resumedAssetSince(a, evs)
	}
	// Seeded: the engine keeps copies, not the saved histories (tens of
	// MB at 10,000 checks) for its life.
	e.opts.Resume = nil
}

// seedCheck gives a check its saved state.
func (e *Engine) seedCheck(c *checkRT, rc *ResumeCheck) {
	c.Status, c.HardStatus, c.Hard = rc.Status, rc.HardStatus, rc.Hard
	if c.HardStatus >= numStatuses {
		c.HardStatus = c.Status
	}
	// Retries may have changed since: a soft problem keeps its count, at
	// most one short of hard, and the next problem decides.
	c.Attempt = min(max(rc.Attempt, 0), c.Max)
	if !c.Hard && c.Attempt >= c.Max {
		c.Attempt = max(c.Max-1, 1)
	}
	c.summary, c.metrics, c.attrs = rc.Summary, rc.Metrics, rc.Attrs
	if rc.Primary != "" {
		c.primary = rc.Primary
	}
	for i, name := range watchedAttrs() {
		c.lastAttr[i] = rc.Attrs[name]
	}
	c.lastRun, c.duration, c.since = rc.LastRun, rc.Duration, rc.Since
	if c.since.IsZero() {
		c.since = rc.LastRun
	}
	c.histNames = seedHistory(&c.history, c.histNames, rc, e.opts.HistoryLen)
	seedFlap(&c.flap, rc.History)
	c.seen, c.dirty = true, true
	e.checksDone++
	if c.lastRun.After(e.newest) {
		e.newest = c.lastRun
	}
}

// seedHistory puts the saved samples, the newest n at most, into a check's
// ring and returns its column names: what pushing them one by one gives,
// built in one pass into arrays of the size pushing would have grown
// (pushing went through a map per sample, most of a restart's seeding).
func seedHistory(h *historyRing, names []string, rc *ResumeCheck, n int) []string {
	samples := rc.History
	if len(samples) > n {
		samples = samples[len(samples)-n:]
	}
	if len(samples) == 0 {
		return names
	}
	if len(names) > 0 || len(h.samples) > 0 || len(rc.HistoryNames) > maxHistoryMetrics {
		return pushHistory(h, names, rc, samples)
	}
	// The columns in the order pushing adds them: per sample, the names
	// not seen before (values present, not derived), sorted.
	var cols, fresh []int
	seen := make([]bool, len(rc.HistoryNames))
	for _, s := range samples {
		fresh = fresh[:0]
		for j, v := range s.Values {
			if j < len(seen) && !seen[j] && !math.IsNaN(float64(v)) && !derivedMetric(rc.HistoryNames[j]) {
				seen[j] = true
				fresh = append(fresh, j)
			}
		}
		slices.SortFunc(fresh, func(a, b int) int { return strings.Compare(rc.HistoryNames[a], rc.HistoryNames[b]) })
		cols = append(cols, fresh...)
	}
	names = make([]string, len(cols))
	for i, j := range cols {
		names[i] = rc.HistoryNames[j]
	}
	// Capacity as pushing grows it: doubling from 4 up to the ring's max.
	scap := 4
	for scap < len(samples)+1 {
		scap *= 2
	}
	scap = max(min(scap, h.max), len(samples)+1)
	if h.max == h.n {
		scap = h.n // a ring without slack is exactly as long as it keeps
	}
	w := len(cols)
	h.samples = make([]histSample, 0, scap)
	h.values = make([]float32, 0, scap*max(w, 1))
	for _, s := range samples {
		voff := len(h.values)
		for _, j := range cols {
			v := float32(math.NaN())
			if j < len(s.Values) {
				v = s.Values[j]
			}
			h.values = append(h.values, v)
		}
		h.samples = append(h.samples, packSample(s.At, s.Status, s.Duration, voff, w))
	}
	return names
}

// pushHistory pushes samples into the ring one by one.
func pushHistory(h *historyRing, names []string, rc *ResumeCheck, samples []Sample) []string {
	m := make(map[string]float64, len(rc.HistoryNames))
	for _, s := range samples {
		clear(m)
		for i, v := range s.Values {
			if i < len(rc.HistoryNames) && !math.IsNaN(float64(v)) {
				m[rc.HistoryNames[i]] = float64(v)
			}
		}
		names = h.push(names, s.At, s.Status, s.Duration, m)
	}
	return names
}

// resumedAssetSince is when a resumed asset's status began: the run of its
// newest events that end in that status, or else what its checks say.
func (e *Engine) resumedAssetSince(a *assetRT, evs []Event) time.Time {
	if at, ok := sinceFromEvents(evs, a.shown(), func(ev *Event) bool {
		return ev.Asset == a.cfg.Name && ev.Check == "" && ev.Service == ""
	}); ok {
		return at
	}
	if a.status == StatusPending {
		return e.start
	}
	var since time.Time
	for _, ci := range a.checks {
		c := &e.checks[ci]
		switch {
		case !c.seen:
		case a.status.IsProblem() || a.status == StatusUnreachable:
			// The first problem made it so.
			if c.Status.IsProblem() && (since.IsZero() || c.since.Before(since)) {
				since = c.since
			}
		case c.since.After(since):
			since = c.since // the last recovery made it so
		}
	}
	if since.IsZero() {
		return e.start
	}
	return since
}

// resumeServices sets the Since of services evaluated from resumed assets.
func (e *Engine) resumeServices(r *Resume) {
	if r == nil {
		return
	}
	evs := r.Events
	for _, i := range e.svcOrder {
		s := &e.services[i]
		if at, ok := sinceFromEvents(evs, s.status, func(ev *Event) bool { return ev.Service == s.cfg.Name }); ok {
			s.since = at
			continue
		}
		if s.status == StatusPending {
			continue
		}
		// The newest change among the members that decide it.
		var since time.Time
		for j, m := range s.members {
			if m.idx < 0 || (s.status != StatusOK && !s.states[j].Culprit) {
				continue
			}
			ms := e.assets[m.idx].since
			if m.isService {
				ms = e.services[m.idx].since
			}
			if ms.After(since) {
				since = ms
			}
		}
		if !since.IsZero() {
			s.since = since
		}
	}
}

// sinceFromEvents walks back through the newest events that match and end
// in status st, and returns the time of the oldest of that run: when st
// began (a later event may only have made it hard).
func sinceFromEvents(evs []Event, st Status, match func(*Event) bool) (time.Time, bool) {
	var at time.Time
	found := false
	for i := len(evs) - 1; i >= 0; i-- {
		ev := &evs[i]
		if ev.Kind != EventState || !match(ev) {
			continue
		}
		if ev.To != st {
			break
		}
		at, found = ev.At, true
		if ev.From != st {
			break
		}
	}
	return at, found
}
