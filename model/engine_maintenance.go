package model

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Maintenance windows in the engine. An asset inside a window of its own
// (config or ad hoc) is shown MAINTENANCE with no role: its checks still
// run and keep their statuses and events, but the asset leaves the Tally's
// problem counters, services count it as up and availability does not
// measure it. A child cut off by assets that are all in maintenance (its
// root causes) is covered: MAINTENANCE too, CoveredBy naming them. The
// engine keeps the asset's own status underneath (assetRT.status), so the
// dependency logic and the end of a window see the truth at once.

// Errors of the maintenance commands.
var (
	// ErrUnknownAsset (engine_ack.go) is a command naming an asset the
	// config lacks.
	// ErrWindowOver is an ad hoc window whose end is not in the future.
	ErrWindowOver = errors.New("window ends before it starts")
	// ErrNoWindow is EndMaintenance on an asset without an ad hoc window.
	ErrNoWindow = errors.New("no ad hoc maintenance window on the asset")
)

// AdHocWindow is a maintenance window an operator opened on one asset.
// The engine keeps at most one per asset (a new one replaces it); they
// survive a reload and, through Resume, a restart.
type AdHocWindow struct {
	Asset, Reason, By string
	From, Until       time.Time
}

// MaintainRequest opens (or replaces) an ad hoc window on Asset from now
// until Until.
type MaintainRequest struct {
	Asset  string
	Until  time.Time
	Reason string
	By     string
}

// maxWindowTimer bounds the wait for the next boundary: the timer runs on
// the monotonic clock, so a wall clock that jumped is caught up within it.
const maxWindowTimer = time.Minute

// adHocLabel is the Window name of ad hoc windows.
const adHocLabel = "ad hoc"

// maintBook is the engine's maintenance state (owned by Run).
type maintBook struct {
	windows []cfgWindow
	adhoc   []AdHocWindow // sorted by asset; replaced, never changed (snapshots share it)
	// own holds the assets inside a window of their own; nil when none is.
	own  map[int]*Maintenance
	next time.Time // the next boundary of any window; zero for none
	// timer is Run's (nil before Run); it fires at next.
	timer *time.Timer
	// target and actor name the asset and operator of the command being
	// applied, and noted whether an event about target was emitted.
	target, actor string
	noted         bool
}

// cfgWindow is a [[maintenance]] window, resolved.
type cfgWindow struct {
	name, reason string
	sched        Schedule
	assets       []int
}

// maintCmd is an ad hoc window command on the inbox.
type maintCmd struct {
	req   MaintainRequest
	end   bool
	reply chan error
}

// shown is the status front ends see: MAINTENANCE inside a window.
func (a *assetRT) shown() Status { return shownStatus(a.maint, a.status) }

func (a *assetRT) shownHard() Status { return shownStatus(a.maint, a.hardStatus) }

// shownRole is RoleNone inside a window: planned work is nobody's problem.
func (a *assetRT) shownRole() Role { return shownRoleOf(a.maint, a.role) }

// shownStatus is status as front ends see it in window m (nil: none). The
// engine and the one-shot state share it and shownRoleOf.
func shownStatus(m *Maintenance, status Status) Status {
	if m != nil {
		return StatusMaintenance
	}
	return status
}

// shownRoleOf is role as front ends see it in window m: RoleNone inside.
func shownRoleOf(m *Maintenance, role Role) Role {
	if m != nil {
		return RoleNone
	}
	return role
}

// startWindows reads the config's windows and the resumed ad hoc ones and
// applies them at the engine's start (NewEngine).
func (e *Engine) startWindows(r *Resume) {
	e.buildWindows()
	if r != nil {
		for _, w := range r.AdHocWindows {
			if _, ok := e.byName[w.Asset]; ok && w.Until.After(e.start) {
				e.maint.adhoc = append(e.maint.adhoc, w)
			}
		}
		slices.SortFunc(e.maint.adhoc, func(a, b AdHocWindow) int { return strings.Compare(a.Asset, b.Asset) })
	}
	if len(e.maint.windows) > 0 || len(e.maint.adhoc) > 0 {
		e.applyWindows(e.start)
	}
}

// buildWindows resolves the config's windows to assets.
func (e *Engine) buildWindows() {
	e.maint.windows = resolveWindows(e.cfg, e.assetIndex, e.services, e.svcByName)
}

// assetIndex finds an asset by name (the first of a name).
func (e *Engine) assetIndex(name string) (int, bool) {
	i, ok := e.byName[name]
	return i, ok
}

// resolveWindows resolves cfg's windows to the assets they select: by
// name (asset finds one), by tag, and the member assets of the services
// named, recursively. The engine and the one-shot state share it.
func resolveWindows(cfg *Config, asset func(string) (int, bool), services []serviceRT, svcByName map[string]int) []cfgWindow {
	var windows []cfgWindow
	for i := range cfg.Maintenance {
		w := &cfg.Maintenance[i]
		sched, err := w.Schedule()
		if err != nil {
			continue // Load refuses it; a hand-made config may not have been checked
		}
		cw := cfgWindow{name: w.Label(i), reason: w.Reason, sched: sched}
		seen := make([]bool, len(cfg.Assets))
		add := func(ai int) {
			if !seen[ai] {
				seen[ai] = true
				cw.assets = append(cw.assets, ai)
			}
		}
		for _, n := range w.Assets {
			if ai, ok := asset(n); ok {
				add(ai)
			}
		}
		if len(w.Tags) > 0 {
			for ai := range cfg.Assets {
				if slices.ContainsFunc(cfg.Assets[ai].Tags, func(t string) bool { return slices.Contains(w.Tags, t) }) {
					add(ai)
				}
			}
		}
		visited := make([]bool, len(services))
		var members func(si int)
		members = func(si int) {
			if visited[si] {
				return
			}
			visited[si] = true
			for _, m := range services[si].members {
				switch {
				case m.idx < 0:
				case m.isService:
					members(m.idx)
				default:
					add(m.idx)
				}
			}
		}
		for _, n := range w.Services {
			if si, ok := svcByName[n]; ok {
				members(si)
			}
		}
		windows = append(windows, cw)
	}
	return windows
}

// ownWindows computes which assets are inside a window of their own at
// now, and the next boundary. It returns the assets whose window changed.
func (e *Engine) ownWindows(now time.Time) (changed []int) {
	own, next, kept := windowsAt(e.maint.windows, e.maint.adhoc, e.assetIndex, now)
	if len(kept) != len(e.maint.adhoc) {
		e.maint.adhoc = kept
	}
	e.maint.next = next
	for ai, m := range own {
		// Keep the pointer when nothing changed, so the asset is not copied.
		if old := e.maint.own[ai]; old != nil && *old == *m {
			own[ai] = old
			continue
		}
		changed = append(changed, ai)
	}
	for ai := range e.maint.own {
		if own[ai] == nil {
			changed = append(changed, ai)
		}
	}
	e.maint.own = own
	return changed
}

// windowsAt is which assets are inside a window of their own at now (nil
// when none is), the next boundary of any window (zero for none), and the
// ad hoc windows not over yet (adhoc itself when none ended). The engine
// and the one-shot state share it.
func windowsAt(windows []cfgWindow, adhoc []AdHocWindow, asset func(string) (int, bool), now time.Time) (own map[int]*Maintenance, next time.Time, kept []AdHocWindow) {
	// The assets of one window share its Maintenance (read-only once made).
	pick := func(ai int, m *Maintenance) {
		if own == nil {
			own = map[int]*Maintenance{}
		}
		// Of two windows open at once the one that ends last decides.
		if cur := own[ai]; cur == nil || m.Until.After(cur.Until) {
			own[ai] = m
		}
	}
	later := func(t time.Time, ok bool) {
		if ok && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	for i := range windows {
		w := &windows[i]
		if from, until, ok := w.sched.Span(now); ok {
			m := &Maintenance{Window: w.name, Reason: w.reason, From: from, Until: until}
			for _, ai := range w.assets {
				pick(ai, m)
			}
		}
		later(w.sched.Next(now))
	}
	kept = adhoc[:0:0]
	for _, w := range adhoc {
		if !now.Before(w.Until) {
			continue // over
		}
		kept = append(kept, w)
		if ai, ok := asset(w.Asset); ok && !now.Before(w.From) {
			pick(ai, &Maintenance{Window: adHocLabel, Reason: w.Reason, By: w.By, From: w.From, Until: w.Until})
		}
		later(w.From, w.From.After(now))
		later(w.Until, true)
	}
	if len(kept) == len(adhoc) {
		kept = adhoc
	}
	return own, next, kept
}

// applyWindows brings every asset to the windows open at now and arms the
// timer for the next boundary.
func (e *Engine) applyWindows(now time.Time) {
	for _, ai := range e.ownWindows(now) {
		e.enqueue(ai)
	}
	for len(e.queue.items) > 0 {
		e.evaluate(e.dequeue(), now)
	}
	if e.svcStale {
		e.rollup(now)
	}
	e.armWindows()
}

// windowsDue applies the windows when the clock passed the next boundary:
// the timer does it on time, this catches a clock that jumped (and a test's
// clock) at the next message.
func (e *Engine) windowsDue() {
	if e.maint.next.IsZero() {
		return
	}
	if now := e.opts.Now(); !now.Before(e.maint.next) {
		e.catchUpWindows(now)
	}
}

// maxWindowSteps bounds the boundaries caught up one by one.
const maxWindowSteps = 1000

// catchUpWindows applies each boundary passed by now at its own time, so a
// late timer (a busy engine, a suspended machine) still starts and ends
// windows when they did, and a window that opened and closed meanwhile is
// in the events and the timelines.
func (e *Engine) catchUpWindows(now time.Time) {
	for i := 0; !e.maint.next.IsZero() && !now.Before(e.maint.next); i++ {
		if i == maxWindowSteps {
			e.applyWindows(now)
			return
		}
		e.applyWindows(e.maint.next)
	}
	e.armWindows()
}

// windowTimer makes Run's timer for window boundaries; stopWindowTimer
// ends it.
func (e *Engine) windowTimer() <-chan time.Time {
	e.maint.timer = time.NewTimer(time.Hour)
	e.maint.timer.Stop()
	e.armWindows()
	return e.maint.timer.C
}

func (e *Engine) stopWindowTimer() { e.maint.timer.Stop() }

func (e *Engine) armWindows() {
	t := e.maint.timer
	if t == nil || e.opts.OneShot {
		return
	}
	t.Stop()
	if e.maint.next.IsZero() {
		return
	}
	t.Reset(min(max(e.maint.next.Sub(e.opts.Now()), 0), maxWindowTimer))
}

// windowTick is the timer's: apply what is due and arm for the next.
func (e *Engine) windowTick() {
	e.catchUpWindows(e.opts.Now())
}

// maintenanceOf is the window an asset is in (windowOf). It returns
// a.maint itself when that is unchanged.
func (e *Engine) maintenanceOf(ai int, a *assetRT) *Maintenance {
	if len(e.maint.own) == 0 {
		return nil
	}
	unreachable := a.status == StatusUnreachable || a.hardStatus == StatusUnreachable
	m := windowOf(e.maint.own, ai, unreachable, a.rootCauses, a.rootCause, e.assetIndex)
	if m != nil && a.maint != nil && m != a.maint && *a.maint == *m {
		return a.maint
	}
	return m
}

// windowOf is the window asset ai is in, given the assets inside a window
// of their own (windowsAt): its own, or, when it is UNREACHABLE and every
// root cause is in a window of its own, the one of them that ends first,
// with CoveredBy naming them (rootCause). The engine and the one-shot
// state share it.
func windowOf(own map[int]*Maintenance, ai int, unreachable bool, rootCauses []string, rootCause string, asset func(string) (int, bool)) *Maintenance {
	if len(own) == 0 {
		return nil
	}
	if m := own[ai]; m != nil {
		return m
	}
	if !unreachable || len(rootCauses) == 0 {
		return nil
	}
	var cover *Maintenance
	for _, n := range rootCauses {
		ri, ok := asset(n)
		m := own[ri]
		if !ok || m == nil {
			return nil
		}
		if cover == nil || m.Until.Before(cover.Until) {
			cover = m
		}
	}
	c := *cover
	c.CoveredBy = rootCause
	return &c
}

// noteMaintenance records an asset entering, leaving or changing windows.
func (e *Engine) noteMaintenance(a, prev *assetRT, when time.Time) {
	m, pm := a.maint, prev.maint
	if m == pm || (m != nil && pm != nil && m.Window == pm.Window && m.By == pm.By && m.Until.Equal(pm.Until) && m.CoveredBy == pm.CoveredBy) {
		return
	}
	var summary string
	if m == nil {
		summary = "maintenance " + windowWords(pm) + " ended"
		if e.maint.actor != "" && a.cfg.Name == e.maint.target {
			summary += " by " + e.maint.actor
		}
		summary += "; now " + a.shown().String()
	} else {
		summary = "maintenance " + windowWords(m) + " until " + m.Until.Format("2006-01-02 15:04 MST")
		if m.By != "" {
			summary += " by " + m.By
		}
		if m.Reason != "" {
			summary += ": " + m.Reason
		}
	}
	if a.cfg.Name == e.maint.target {
		e.maint.noted = true
	}
	e.emit(Event{
		At: when, Kind: EventMaintenance, Asset: a.cfg.Name,
		From: prev.shown(), To: a.shown(), Hard: a.shown() == a.shownHard(), FromHard: prev.shown() == prev.shownHard(),
		Summary: summary,
	})
}

// windowWords names a window: `"core firmware"`, `(ad hoc)`, or `"core
// firmware" of core-sw1` for a covered child.
func windowWords(m *Maintenance) string {
	w := fmt.Sprintf("%q", m.Window)
	if m.Window == adHocLabel {
		w = "(ad hoc)"
	}
	if m.CoveredBy != "" {
		w += " of " + m.CoveredBy
	}
	return w
}

// maintenanceReason is the start of a reason inside a window:
// `maintenance "core firmware" (firmware upgrade); `.
func maintenanceReason(m *Maintenance) string {
	r := "maintenance " + windowWords(m)
	if m.Reason != "" {
		r += " (" + m.Reason + ")"
	}
	return r + "; "
}

// maintainedMembers appends to a service's reason the members it counts
// as up because they are in maintenance: "…; erp-db (maintenance)".
func maintainedMembers(reason string, states []MemberState) string {
	var names []string
	for _, m := range states {
		if m.Status == StatusMaintenance {
			names = append(names, m.Name)
		}
	}
	if len(names) == 0 {
		return reason
	}
	return reason + "; " + strings.Join(names, ", ") + " (maintenance)"
}

// Maintain opens an ad hoc window on an asset from now until req.Until,
// replacing one it has; it is an EventMaintenance. It fails with
// ErrUnknownAsset, ErrWindowOver (Until not in the future) or when ctx ends
// or the engine stopped (ErrEngineStopped).
func (e *Engine) Maintain(ctx context.Context, req MaintainRequest) error {
	return e.command(ctx, &maintCmd{req: req})
}

// EndMaintenance closes the ad hoc window on an asset (a config window
// keeps its course); it is an EventMaintenance. It fails with
// ErrUnknownAsset or ErrNoWindow.
func (e *Engine) EndMaintenance(ctx context.Context, asset, by string) error {
	return e.command(ctx, &maintCmd{req: MaintainRequest{Asset: asset, By: by}, end: true})
}

func (e *Engine) command(ctx context.Context, c *maintCmd) error {
	c.reply = make(chan error, 1)
	return e.call(ctx, message{kind: msgMaintain, maint: c}, c.reply)
}

// applyMaintain runs a command in the engine's goroutine.
func (e *Engine) applyMaintain(c *maintCmd) error {
	now := e.opts.Now()
	req := c.req
	if _, ok := e.byName[req.Asset]; !ok {
		return fmt.Errorf("%w %q", ErrUnknownAsset, Clip(req.Asset, MaxNetText))
	}
	i := slices.IndexFunc(e.maint.adhoc, func(w AdHocWindow) bool { return w.Asset == req.Asset })
	adhoc := slices.Clone(e.maint.adhoc) // published snapshots share the old slice
	var summary string
	if c.end {
		if i < 0 {
			return fmt.Errorf("%w %q", ErrNoWindow, req.Asset)
		}
		adhoc = slices.Delete(adhoc, i, i+1)
		summary = fmt.Sprintf("%s ended the ad hoc maintenance window", orSomeone(req.By))
	} else {
		if !req.Until.After(now) {
			return fmt.Errorf("%w: until %s is not after now (%s)", ErrWindowOver, req.Until.Format(time.RFC3339), now.Format(time.RFC3339))
		}
		w := AdHocWindow{Asset: req.Asset, Reason: Clip(req.Reason, MaxNetText), By: Clip(req.By, MaxNetText), From: now, Until: req.Until}
		if i >= 0 {
			adhoc[i] = w
		} else {
			adhoc = append(adhoc, w)
			slices.SortFunc(adhoc, func(a, b AdHocWindow) int { return strings.Compare(a.Asset, b.Asset) })
		}
		summary = fmt.Sprintf("%s opened an ad hoc maintenance window until %s", orSomeone(w.By), w.Until.Format("2006-01-02 15:04 MST"))
		if w.Reason != "" {
			summary += ": " + w.Reason
		}
	}
	e.maint.adhoc = adhoc
	e.maint.target, e.maint.actor, e.maint.noted = req.Asset, req.By, false
	e.applyWindows(now)
	if !e.maint.noted {
		// The asset stays in another window: the command is still news.
		a := &e.assets[e.byName[req.Asset]]
		if a.maint != nil {
			summary += "; still in maintenance " + windowWords(a.maint) + " until " + a.maint.Until.Format("2006-01-02 15:04 MST")
		}
		e.emit(Event{At: now, Kind: EventMaintenance, Asset: req.Asset, From: a.shown(), To: a.shown(), Hard: true, FromHard: true, Summary: summary})
	}
	e.maint.target, e.maint.actor = "", ""
	e.dirty = true
	return nil
}

// reloadWindows applies a reloaded config's windows: ad hoc ones stay on
// the assets still there. Called before the reload evaluates every asset.
func (e *Engine) reloadWindows(now time.Time) {
	e.buildWindows()
	e.maint.own = nil // indexes of the old config
	e.maint.adhoc = slices.DeleteFunc(slices.Clone(e.maint.adhoc), func(w AdHocWindow) bool {
		_, ok := e.byName[w.Asset]
		return !ok
	})
	e.ownWindows(now)
	e.armWindows()
}
