package model

import (
	"encoding/json"
	"fmt"
	"iter"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The lifecycle pseudo-check. Every asset with lifecycle dates or a check
// that reports certificates (tls, https) gets one more check, named and
// typed "lifecycle", that no probe runs: the engine judges it from the
// config's dates and the certificates last seen (lifecycle.go), at start,
// on every result that carries certificates, on reload, and when the next
// threshold or local midnight passes (one timer, Run). Its verdict goes
// through applyResult like a probe's, so its changes are ordinary state
// events and it counts in the asset's status and role; it is always
// degraded and triage skips it, so it never makes an asset down, never
// holds a verdict, and services do not see it (svcStatus).

// lifeBook is the engine's lifecycle state.
type lifeBook struct {
	// checks maps an asset index to its lifecycle check; rebuilt with the
	// assets.
	checks map[int]int
	// items are each lifecycle check's judged items, soonest first.
	items map[int][]Renewal
	// certs are the certificates each check last reported, by key: a
	// reload keeps them for the checks it keeps.
	certs map[CheckKey][]Cert
	// supplies are the low supplies each printer check last reported.
	supplies map[CheckKey][]Supply
	next     time.Time // the earliest instant a judgement may change
	timer    *time.Timer
}

// certAttr prefixes the lifecycle check's attrs that keep the
// certificates seen, so that the store keeps them with the check's state
// (noctop renewals reads them, a restart resumes them).
const certAttr = "cert."

// StoredCert is one certificate as a lifecycle check's attrs keep it,
// with the check that saw it.
type StoredCert struct {
	Check string `json:"check"`
	Cert
}

// feedsRegister says whether a check feeds its asset's lifecycle
// register: it reports certificates, or it is a printer profile's (its
// low supplies are consumables to renew).
func feedsRegister(c *Check) bool {
	return reportsCerts(c) || (c.Type == CheckSNMP && c.Profile == ProfilePrinter)
}

// reportsCerts says whether a check reports certificates.
func reportsCerts(c *Check) bool {
	return c.Type == CheckTLS || (c.Type == CheckHTTP && strings.HasPrefix(strings.ToLower(c.URL), "https:"))
}

// addLifecycleChecks appends the pseudo-check of every asset that needs
// one, after its own checks (buildAssets).
func (e *Engine) addLifecycleChecks() {
	e.life.checks, e.life.items = map[int]int{}, map[int][]Renewal{}
	if e.life.certs == nil {
		e.life.certs = map[CheckKey][]Cert{}
	}
	if e.life.supplies == nil {
		e.life.supplies = map[CheckKey][]Supply{}
	}
	for ai := range e.assets {
		a := &e.assets[ai]
		need := a.cfg.Lifecycle.HasDates()
		for _, ci := range a.checks {
			need = need || e.checks[ci].certs
		}
		if !need {
			continue
		}
		key := CheckKey{Asset: a.cfg.Name, Check: CheckLifecycle}
		if _, dup := e.checkIndex(key); dup {
			continue // the loader reserves the name; keep the first
		}
		ci := len(e.checks)
		if e.byKey != nil {
			e.byKey[key] = ci
		}
		a.checks = append(a.checks, ci)
		e.checks = append(e.checks, checkRT{key: key, typ: CheckLifecycle, asset: ai, Attempts: NewAttempts(1), since: e.start})
		if e.opts.HistoryLen > 0 {
			e.checks[ci].history = newHistoryRing(e.opts.HistoryLen)
		}
		e.life.checks[ai] = ci
	}
	// Certificates of checks that are gone, or no longer report any.
	maps.DeleteFunc(e.life.certs, func(k CheckKey, _ []Cert) bool {
		ci, ok := e.checkIndex(k)
		return !ok || !e.checks[ci].certs
	})
	maps.DeleteFunc(e.life.supplies, func(k CheckKey, _ []Supply) bool {
		ci, ok := e.checkIndex(k)
		return !ok || !e.checks[ci].certs
	})
}

// noteCerts keeps the certificates a result reported and judges its
// asset's lifecycle again. A result without any (a refused connection)
// keeps the last seen: the register lists what was last seen.
func (e *Engine) noteCerts(c *checkRT, certs []Cert) {
	if !c.certs || len(certs) == 0 {
		return
	}
	e.life.certs[c.key] = certs
	e.rejudgeLifecycle(c)
}

// noteSupplies keeps the low supplies a printer's result reported (none:
// they were refilled) and judges its asset's lifecycle again when they
// changed. A result without a profile table (no answer) keeps the last.
func (e *Engine) noteSupplies(c *checkRT, t *ProfileTable) {
	if !c.certs || t == nil || t.Profile != ProfilePrinter {
		return
	}
	low := LowSupplies(t)
	if slices.Equal(low, e.life.supplies[c.key]) {
		return
	}
	e.life.supplies[c.key] = low
	e.rejudgeLifecycle(c)
}

// rejudgeLifecycle judges the lifecycle check of c's asset again.
func (e *Engine) rejudgeLifecycle(c *checkRT) {
	if ci, ok := e.life.checks[c.asset]; ok {
		now := e.opts.Now()
		e.judgeLifecycle(ci, now)
		e.armLifecycle(now)
	}
}

// judgeLifecycles judges every lifecycle check at now and arms the timer
// for the next change (at start, on reload, when the timer fires).
func (e *Engine) judgeLifecycles(now time.Time) {
	e.life.next = time.Time{}
	for _, ci := range e.life.checks {
		e.judgeLifecycle(ci, now)
	}
	e.armLifecycle(now)
}

// judgeLifecycle judges one lifecycle check at now, as a result of its
// own.
func (e *Engine) judgeLifecycle(ci int, now time.Time) {
	c := &e.checks[ci]
	a := &e.assets[c.asset]
	j := judgeRegister(e.cfg, a.cfg, now, func(yield func(string, registerInput) bool) {
		for _, cj := range a.checks {
			k := e.checks[cj].key
			if !yield(k.Check, registerInput{certs: e.life.certs[k], supplies: e.life.supplies[k]}) {
				return
			}
		}
	})
	if e.life.next.IsZero() || j.next.Before(e.life.next) {
		e.life.next = j.next
	}
	e.life.items[ci] = j.items
	if c.seen && j.status == c.Status && j.summary == c.summary && maps.Equal(j.attrs, c.attrs) {
		return // nothing new: no sample, no snapshot
	}
	// Next says when it is judged again, as a probe's next run.
	e.applyResult(Result{Key: c.key, At: now, Next: j.next, Outcome: Outcome{Status: j.status, Summary: j.summary, Attrs: j.attrs, Degraded: true}})
}

// registerJudged is an asset's lifecycle register judged at an instant.
type registerJudged struct {
	items   []Renewal         // soonest first
	attrs   map[string]string // the certificates seen, as the check's attrs keep them
	next    time.Time         // when a judgement may change
	status  Status
	summary string
}

// registerInput is what one check feeds its asset's register.
type registerInput struct {
	certs    []Cert
	supplies []Supply
}

// judgeRegister judges asset a's register at now: its lifecycle dates,
// the certificates its checks last saw and the supplies its printer
// checks reported low (inputs yields each check's name and input, in
// config order; one item per certificate, whichever check saw it first).
// The engine and the one-shot state share it.
func judgeRegister(cfg *Config, a *Asset, now time.Time, inputs iter.Seq2[string, registerInput]) registerJudged {
	lim := cfg.RenewalLimits(a)
	items := LifecycleRenewals(a, now.Location())
	owner := ""
	if a.Lifecycle != nil {
		owner = a.Lifecycle.Owner
	}
	attrs := map[string]string{}
	seen := map[string]bool{}
	supplies := 0
	for check, in := range inputs {
		for _, s := range in.supplies {
			items = append(items, SupplyRenewal(a.Name, owner, check, s, now))
			supplies++
			if b, err := json.Marshal(StoredSupply{Check: check, Supply: s}); err == nil {
				attrs[supplyAttr+strconv.Itoa(supplies)] = string(b)
			}
		}
		cs := in.certs
		for i := range cs {
			cert := &cs[i]
			if seen[cert.Fingerprint] {
				continue
			}
			seen[cert.Fingerprint] = true
			items = append(items, CertRenewal(a.Name, owner, check, cert))
			if b, err := json.Marshal(StoredCert{Check: check, Cert: *cert}); err == nil {
				attrs[certAttr+strconv.Itoa(len(seen))] = string(b)
			}
		}
	}
	for i := range items {
		items[i].Judge(now, lim)
	}
	SortRenewals(items)
	j := registerJudged{items: items, attrs: attrs, next: nextRenewalChange(items, now, now.Location(), lim)}
	j.status, j.summary = lifecycleVerdict(items)
	return j
}

// lifecycleVerdict is the worst item's status and a reason naming the
// nearest item of that status.
func lifecycleVerdict(items []Renewal) (Status, string) {
	if len(items) == 0 {
		return StatusOK, "no lifecycle dates; no certificate seen yet"
	}
	worst := 0
	for i := range items {
		if items[i].Status.Worse(items[worst].Status) {
			worst = i
		}
	}
	w := &items[worst]
	if w.Status == StatusOK {
		return StatusOK, "next: " + w.Text()
	}
	more := 0
	for i := range items {
		if i != worst && items[i].Status.IsProblem() {
			more++
		}
	}
	if more > 0 {
		return w.Status, fmt.Sprintf("%s (+%d more due)", w.Text(), more)
	}
	return w.Status, w.Text()
}

// armLifecycle sets the timer for the next change, at most an hour away
// (the clock may jump; the next tick judges afresh). A one-shot engine
// judges once.
func (e *Engine) armLifecycle(now time.Time) {
	if e.opts.OneShot || len(e.life.checks) == 0 || e.life.next.IsZero() {
		return
	}
	d := min(max(e.life.next.Sub(now), time.Second), time.Hour)
	if e.life.timer == nil {
		e.life.timer = time.NewTimer(d)
		return
	}
	e.life.timer.Reset(d)
}

// lifecycleC is the timer's channel for Run's select (nil: never ready).
func (e *Engine) lifecycleC() <-chan time.Time {
	if e.life.timer == nil {
		return nil
	}
	return e.life.timer.C
}

// lifecycleTick judges again once the next change is due, else waits on.
func (e *Engine) lifecycleTick() {
	now := e.opts.Now()
	if now.Before(e.life.next) {
		e.armLifecycle(now)
		return
	}
	e.judgeLifecycles(now)
}

// resumeCerts takes the certificates a lifecycle check's resumed attrs
// hold for the checks that still report them, so the register is whole
// before the first tls run.
func (e *Engine) resumeCerts() {
	for _, ci := range e.life.checks {
		for _, sc := range CertsFromAttrs(e.checks[ci].attrs) {
			k := CheckKey{Asset: e.checks[ci].key.Asset, Check: sc.Check}
			if cj, ok := e.checkIndex(k); ok && e.checks[cj].certs && len(e.life.certs[k]) < MaxCerts {
				e.life.certs[k] = append(e.life.certs[k], sc.Cert)
			}
		}
	}
}

// CertsFromAttrs reads the certificates a lifecycle check's attrs keep
// (what the store saved), in order; malformed entries are skipped.
func CertsFromAttrs(attrs map[string]string) []StoredCert {
	var out []StoredCert
	for i := 1; ; i++ {
		v, ok := attrs[certAttr+strconv.Itoa(i)]
		if !ok {
			return out
		}
		var sc StoredCert
		if json.Unmarshal([]byte(v), &sc) == nil && sc.Check != "" {
			out = append(out, sc)
		}
	}
}

// decorateLifecycle adds the lifecycle register's parts to a published
// check state.
func (e *Engine) decorateLifecycle(ci int, cs *CheckState) {
	c := &e.checks[ci]
	switch {
	case c.typ == CheckLifecycle:
		cs.Register = &Register{Items: e.life.items[ci]}
	case c.certs && len(e.life.certs[c.key]) > 0:
		cs.Register = &Register{Certs: e.life.certs[c.key]}
	}
}

// startLifecycles judges the lifecycle checks once the engine is built,
// the certificates a restart resumed included.
func (e *Engine) startLifecycles() {
	e.resumeCerts()
	e.judgeLifecycles(e.opts.Now())
}

// recheckLifecycle judges check ci now if it is a lifecycle check (no
// probe runs it), and reports whether it was one.
func (e *Engine) recheckLifecycle(ci int) bool {
	if e.checks[ci].typ != CheckLifecycle {
		return false
	}
	now := e.opts.Now()
	e.judgeLifecycle(ci, now)
	e.armLifecycle(now)
	return true
}
