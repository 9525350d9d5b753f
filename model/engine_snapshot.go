package model

import "slices"

// buildSnapshot makes an immutable snapshot. Only states marked dirty are
// copied afresh; every other AssetState, CheckState and ServiceState pointer
// is shared with the previous snapshot, so the cost is one slice of
// pointers per snapshot plus the changed states.
func (e *Engine) buildSnapshot() *Snapshot {
	s := e.snapshotHead()
	s.assetIx = e.byName
	if prev := e.latest.Load(); prev != nil && !e.rebuild && len(prev.Assets) == len(e.assets) {
		// Copy the previous pointers and replace the changed ones: cheaper
		// than visiting every asset when few changed.
		s.Assets = slices.Clone(prev.Assets)
		for _, i := range e.dirtyAssets {
			a := &e.assets[i]
			a.pub = e.buildAsset(a)
			a.dirty = false
			s.Assets[i] = a.pub
		}
	} else {
		s.Assets = make([]*AssetState, len(e.assets))
		for i := range e.assets {
			a := &e.assets[i]
			a.pub = e.buildAsset(a)
			a.dirty = false
			s.Assets[i] = a.pub
		}
	}
	e.dirtyAssets = e.dirtyAssets[:0]
	e.rebuild = false
	return s
}

// snapshotHead is a snapshot without its assets: counts, tally, services,
// events, the refused config.
func (e *Engine) snapshotHead() *Snapshot {
	e.snapSeq++
	now := e.opts.Now()
	e.refreshSLA(now) // may change services and emit events: before they are read
	s := &Snapshot{
		Seq:        e.snapSeq,
		At:         now,
		ConfigPath: e.cfg.Path,
		Services:   make([]*ServiceState, len(e.services)),
		// The lifecycle pseudo-checks are judged (seen) from the start:
		// they are no checks to wait for.
		Checks:          len(e.checks) - len(e.life.checks),
		Done:            e.checksDone - len(e.life.checks),
		Newest:          e.newest,
		Events:          e.events.view(),
		Dropped:         e.dropped.Load(),
		Lag:             e.lag.stats(now),
		serviceIx:       e.svcByName,
		ConfigErrors:    e.refused.lines,
		ConfigRefusedAt: e.refused.at,
		AdHocWindows:    e.maint.adhoc,
	}
	s.Counts = e.counts
	s.Tally = e.tally
	s.Checking = e.checkingNames()
	for i := range e.services {
		v := &e.services[i]
		if v.dirty || v.pub == nil {
			v.pub = &ServiceState{
				Name: v.cfg.Name, Rule: v.cfg.Rule, Description: v.cfg.Description,
				Status: v.status, Reason: v.reason, Up: v.up, Total: len(v.members),
				Since: v.since, Members: v.states, SLA: v.cfg.SLA, Availability: v.avail,
			}
			v.dirty = false
		}
		s.Services[i] = v.pub
	}
	return s
}

func (e *Engine) buildAsset(a *assetRT) *AssetState { return e.assetState(a, true) }

// assetState builds a's published state; keep caches the check states it
// builds (c.pub) for the snapshots that follow.
func (e *Engine) assetState(a *assetRT, keep bool) *AssetState {
	ac := a.cfg
	as := &AssetState{
		Name: ac.Name, Layer: ac.Layer, Kind: ac.Kind, Address: ac.Address,
		Tags: a.tags, Parents: a.parentNames, Children: a.childNames,
		Lifecycle: ac.Lifecycle,
		Status:    a.shown(), Hard: a.shown() == a.shownHard(), HardStatus: a.shownHard(),
		Down: a.down, RootCauses: a.rootCauses, RootCause: a.rootCause, Role: a.shownRole(), Checking: a.checkingList, Reason: e.assetReason(a),
		Maintenance: a.maint, Flapping: a.flapping,
		Since:  a.since,
		Checks: make([]*CheckState, len(a.checks)),
		Ack:    a.ack, Acked: a.acked,
	}
	for j, ci := range a.checks {
		c := &e.checks[ci]
		if !keep && (c.dirty || c.pub == nil) {
			as.Checks[j] = e.stateOf(ci)
			continue
		}
		if c.dirty || c.pub == nil {
			c.pub = e.stateOf(ci)
			c.dirty = false
		}
		as.Checks[j] = c.pub
	}
	return as
}

// stateOf is check ci's published state.
func (e *Engine) stateOf(ci int) *CheckState {
	c := &e.checks[ci]
	cs := c.state()
	e.decorateLifecycle(ci, cs)
	return cs
}

func (c *checkRT) state() *CheckState {
	return &CheckState{
		Asset: c.key.Asset, Name: c.key.Check, Type: c.typ,
		Status: c.Status, Hard: c.Hard, HardStatus: c.HardStatus,
		Attempt: c.Attempt, MaxAttempts: c.Max,
		Summary: c.summary, Metrics: c.metrics, Primary: c.primary, Custom: c.custom, Attrs: c.attrs,
		LastRun: c.lastRun, Duration: c.duration, NextRun: c.nextRun,
		Since: c.since, History: c.history.view(c.histNames), Interfaces: c.ifaces,
		Host: c.host, Profile: c.profile, Ack: c.ack, Flapping: c.flap.on, FlapPercent: float64(c.flap.pct), Correlation: c.corr,
	}
}
