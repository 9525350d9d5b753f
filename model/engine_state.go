package model

import (
	"fmt"
	"time"
)

// Attrs whose change is an event (a new TLS certificate, a new firmware).
const (
	AttrFingerprint = "fingerprint"
	AttrVersion     = "version"
)

// watchedAttrs lists the attrs whose change is an event.
func watchedAttrs() [2]string { return [2]string{AttrFingerprint, AttrVersion} }

// checkRT is the engine's mutable state of one check.
type checkRT struct {
	key   CheckKey
	typ   string
	asset int
	Attempts

	summary  string
	metrics  map[string]float64
	primary  string
	custom   []Metric // the config's own metric declarations (shared, read-only)
	attrs    map[string]string
	degraded bool // the last result was a problem the target answered with
	local    bool // the last result was a problem of this machine (Outcome.Local)
	seen     bool // at least one result
	certs    bool // feeds the lifecycle register: certificates (tls, https), a printer's supplies
	dirty    bool // pub is stale
	ifaces   []Interface
	host     *HostTable
	profile  *ProfileTable
	lastRun  time.Time
	duration time.Duration
	nextRun  time.Time
	since    time.Time
	history  historyRing
	// histNames names the columns of Sample.Values; append-only, so views
	// published earlier stay valid.
	histNames []string
	// lastAttr holds the last non-empty value of each watched attr.
	lastAttr [2]string
	ack      *Ack // the operator's acknowledgement (engine_ack.go)
	flap     flapState
	// corr is the change this problem followed (nil: none or OK); began
	// is when the problem began (OK -> problem).
	corr     *Correlation
	corrText string // corr.Text(), made once
	began    time.Time

	pub *CheckState // published state; rebuilt when dirty
}

// probeStatus accepts the statuses a probe may return; anything else
// (PENDING from an unset Outcome, or an engine-only status) is UNKNOWN with
// a reason, because the engine cannot trust it.
func probeStatus(o Outcome) (Status, string) {
	switch o.Status {
	case StatusOK, StatusWarning, StatusCritical, StatusUnknown:
		return o.Status, o.Summary
	}
	return StatusUnknown, fmt.Sprintf("probe returned status %s: %s", o.Status, o.Summary)
}

// applyResult runs one result through its check, its asset, the assets
// that depend on it and the services that need them.
func (e *Engine) applyResult(r Result) {
	ci, ok := e.checkIndex(r.Key)
	if !ok {
		return
	}
	c := &e.checks[ci]
	when := e.stamp(r.At)
	e.answeredAt = when.Add(r.Duration)
	// Changes are stamped when they became known, at the answer: a slow
	// run (3 pings) started before a fast one is applied after it, and its
	// events must not read as if they came first.
	known := e.answeredAt
	if !r.Due.IsZero() {
		e.lag.note(e.opts.Now(), r.At.Sub(r.Due))
	}
	st, summary := probeStatus(r.Outcome)

	prevStatus, prevHard, prevAttempt := c.Status, c.Hard, c.Attempt
	e.prevRun = c.lastRun // when this check last saw what may have changed
	c.Step(st)
	c.summary = summary
	c.metrics = r.Metrics
	if r.Primary != "" {
		c.primary = r.Primary
	}
	c.attrs = r.Attrs
	c.ifaces = r.Interfaces
	c.host = r.Host
	c.profile = r.Profile
	c.degraded = r.Degraded
	c.lastRun = when
	c.duration = r.Duration
	c.nextRun = r.Next
	if e.opts.HistoryLen > 0 { // none in a one-shot run
		c.histNames = c.history.push(c.histNames, when, st, r.Duration, r.Metrics)
	}
	if !c.seen {
		c.seen = true
		e.checksDone++
	}
	if when.After(e.newest) && c.typ != CheckLifecycle {
		e.newest = when
	}
	if c.Status != prevStatus {
		c.since = known
	}
	// A local problem (this machine out of file descriptors) hits every
	// check at once: it is reported once a minute with a count, and the
	// checks entering or leaving it stay quiet.
	local := r.Local && st.IsProblem()
	quiet := local || c.local
	if local != c.local {
		e.noteLocal(known, summary, local)
		c.local = local
	}
	e.muted = -1
	if quiet {
		e.muted = c.asset
	}
	// Changes first, so that a problem arriving with its change (a reboot
	// and its interfaces down) is tied to it.
	e.watchAttrs(c, r.Attrs, known)
	for _, n := range r.Notes {
		e.emit(Event{
			At: known, Kind: n.Kind, Asset: c.key.Asset, Check: c.key.Check,
			From: c.Status, To: c.Status, Hard: c.Hard, Summary: n.Summary,
		})
		e.noteNoteChange(c, n, known)
	}
	e.correlateCheck(c, prevStatus, known)
	// A first OK is not news: 10,000 of them at start would push every
	// real event out of the window.
	if (c.Status != prevStatus || c.Hard != prevHard) && !(prevStatus == StatusPending && c.Status == StatusOK) && !quiet {
		e.emit(Event{
			At: known, Kind: EventState, Asset: c.key.Asset, Check: c.key.Check,
			From: prevStatus, To: c.Status, Hard: c.Hard, Summary: c.describe(),
			FromHard: prevHard, FromAttempt: prevAttempt, Attempt: c.Attempt, MaxAttempts: c.Max,
		})
	}
	e.noteCheckAck(c, prevStatus, known)
	e.noteFlap(c, st, known)
	// A check that starts failing asks its asset's parents for a verdict;
	// so does one that goes from WARNING (a threshold: the target
	// answered) to CRITICAL or UNKNOWN (it may not answer any more): the
	// lab printer, WARNING for its low toner, otherwise turned hard before
	// its switch was rechecked and posed as a root cause.
	if c.Status.IsProblem() && (!prevStatus.IsProblem() || (prevStatus == StatusWarning && c.Status != StatusWarning)) &&
		c.typ != CheckLifecycle {
		e.recheckParents(c.asset, when)
	}

	c.dirty = true
	e.markAsset(c.asset)
	e.evaluateFrom(c.asset, known)
	e.muted = -1
	e.noteCerts(c, r.Certs)
	e.noteSupplies(c, r.Profile)
}

// describe is the check's summary with its soft attempt, e.g.
// "HTTP 503 in 12 ms (soft 1/3)", and the change it followed: "...; began
// 2 min after crm changed 4.2.0 -> 4.3.0".
func (c *checkRT) describe() string {
	s := c.summary
	if !c.Hard {
		s = fmt.Sprintf("%s (soft %d/%d)", c.summary, c.Attempt, c.Max)
	}
	if c.corr != nil {
		s += "; " + c.corrText
	}
	return s
}

// watchAttrs emits a change event when a watched attr differs from its last
// non-empty value.
func (e *Engine) watchAttrs(c *checkRT, attrs map[string]string, when time.Time) {
	for i, name := range watchedAttrs() {
		v := attrs[name]
		if v == "" {
			continue
		}
		if old := c.lastAttr[i]; old != "" && old != v {
			e.emit(Event{
				At: when, Kind: EventChange, Asset: c.key.Asset, Check: c.key.Check,
				From: c.Status, To: c.Status, Hard: c.Hard,
				Summary: fmt.Sprintf("%s changed: %s -> %s", name, old, v),
			})
			e.noteAttrChange(c, name, old, v, when)
		}
		c.lastAttr[i] = v
	}
}

// emit appends an event with the next sequence number.
func (e *Engine) emit(ev Event) {
	if e.seeding {
		return // a state resumed from the store is no news
	}
	e.eventSeq++
	ev.Seq = e.eventSeq
	e.noteSLA(&ev)
	e.events.push(ev)
	e.dirty = true
}
