package model

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"strings"
	"time"
)

// Live reload: a new config replaces the old one in the engine's goroutine.
// A check keeps its state and history when its identity (asset name, check
// name and type) is unchanged, whatever else changed (thresholds, interval);
// a check that is new starts PENDING; one the new config lacks is gone, and
// a result still in flight for it is ignored (its key is unknown). Assets
// and services keep their state by name and are evaluated again, so a change
// the new config causes (a removed failing check) is an ordinary event.

// maxConfigErrorLines bounds Snapshot.ConfigErrors.
const maxConfigErrorLines = 5

// refusal is the config a reload refused, as published.
type refusal struct {
	lines []string
	at    time.Time
}

// Reload applies cfg (loaded and validated: Load) in place of the running
// config and waits until a snapshot includes it; it fails only when ctx ends
// or the engine stopped. The engine keeps cfg: do not modify it afterwards.
// Every reload is an EventReload, naming the settings that only a restart
// applies (RestartNeeded).
func (e *Engine) Reload(ctx context.Context, cfg *Config) error {
	if cfg == nil {
		return errors.New("reload: no config")
	}
	return e.ask(ctx, message{kind: msgReload, cfg: cfg})
}

// RefuseConfig records a config that failed to load (err, as Load returned
// it): an EventReload and Snapshot.ConfigErrors, until a Reload succeeds.
// The running config is untouched.
func (e *Engine) RefuseConfig(ctx context.Context, err error) error {
	if err == nil {
		return errors.New("refuse config: no error")
	}
	return e.ask(ctx, message{kind: msgRefuse, err: err})
}

// ask sends a command and waits for the snapshot that answers it.
func (e *Engine) ask(ctx context.Context, m message) error {
	m.reply = make(chan *Snapshot, 1)
	if err := e.send(ctx, m); err != nil {
		return err
	}
	select {
	case <-m.reply:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-e.done:
		select {
		case <-m.reply:
			return nil
		default:
			return ErrEngineStopped
		}
	}
}

// ConfigErrorLines words a load error as lines of file:line:col: message,
// the first n at most, the last saying how many more there are.
func ConfigErrorLines(err error, n int) []string {
	var listed ConfigErrors
	more := 0
	var tooMany *TooManyErrors
	switch {
	case errors.As(err, &tooMany):
		listed, more = tooMany.Listed, tooMany.More
	case errors.As(err, &listed):
	default:
		return []string{Clip(err.Error(), MaxNetText)}
	}
	n = max(n, 1)
	var out []string
	for i, ce := range listed {
		if i == n {
			more += len(listed) - n
			break
		}
		out = append(out, ce.Error())
	}
	switch {
	case tooMany != nil && tooMany.Uncounted:
		out = append(out, tooMany.Summary())
	case more > 0:
		out = append(out, fmt.Sprintf("… and %d more", more))
	}
	return out
}

// applyRefusal publishes a refused config.
func (e *Engine) applyRefusal(err error) {
	now := e.opts.Now()
	lines := ConfigErrorLines(err, maxConfigErrorLines)
	e.refused = refusal{lines: lines, at: now}
	summary := "config refused, still running the old one: " + lines[0]
	if len(lines) > 1 {
		summary += fmt.Sprintf(" (+%d more)", len(lines)-1)
	}
	e.emit(Event{At: now, Kind: EventReload, From: StatusOK, To: StatusWarning, Hard: true, FromHard: true, Summary: summary})
}

// applyReload swaps in a new config, keeping what its identity allows.
func (e *Engine) applyReload(cfg *Config) {
	now := e.opts.Now()
	oldCfg := e.cfg
	oldChecks, oldByKey := e.checks, e.byKey
	if oldByKey == nil { // a one-shot engine's (it keeps none)
		oldByKey = make(map[CheckKey]int, len(oldChecks))
		for i := range oldChecks {
			if _, dup := oldByKey[oldChecks[i].key]; !dup {
				oldByKey[oldChecks[i].key] = i
			}
		}
	}
	oldAssets, oldByName := e.assets, e.byName
	oldServices := e.services
	oldLife := len(e.life.checks)
	oldSvcByName := e.svcByName

	e.cfg = cfg
	e.buildAssets() // fresh PENDING checks and assets, since e.start
	e.checksDone, e.dirtyAssets, e.queue.items = 0, e.dirtyAssets[:0], e.queue.items[:0]
	kept, added := 0, 0
	for ci := range e.checks {
		c := &e.checks[ci]
		oi, ok := oldByKey[c.key]
		pseudo := c.typ == CheckLifecycle // not counted: no check of the config
		switch {
		case ok && oldChecks[oi].typ == c.typ:
			c.adopt(&oldChecks[oi])
			if !pseudo {
				kept++
			}
		case pseudo:
			c.since = now
		default:
			c.since = now
			added++
		}
		if c.seen {
			e.checksDone++
		}
	}
	removed := len(oldChecks) - oldLife - kept
	e.pruneChanges()

	// Assets keep their state by name; counts and roles are recounted.
	e.counts, e.tally = [numStatuses]int{}, Tally{}
	for ai := range e.assets {
		a := &e.assets[ai]
		if oi, ok := oldByName[a.cfg.Name]; ok {
			a.adopt(&oldAssets[oi])
		} else {
			a.since = now
		}
		e.counts[a.shown()]++
		e.recountAcks(ai)
		e.recountFlapping(ai)
	}
	e.buildServices()
	for i := range e.services {
		s := &e.services[i]
		if oi, ok := oldSvcByName[s.cfg.Name]; ok {
			o := &oldServices[oi]
			s.status, s.reason, s.up, s.states, s.since = o.status, o.reason, o.up, o.states, o.since
		} else {
			s.since = now
		}
		e.tally.moveService(StatusPending, s.status)
	}
	if e.muted >= len(e.assets) {
		e.muted = -1
	}

	from := StatusOK
	if !e.refused.at.IsZero() {
		from = StatusWarning // the refused config's warning is over
	}
	e.refused = refusal{}
	e.rebuild, e.dirty = true, true
	summary := fmt.Sprintf("config reloaded: %s added, %d removed, %d kept", plural(added, "check", "checks"), removed, kept)
	if restart := RestartNeeded(oldCfg, cfg); len(restart) > 0 {
		summary += "; " + strings.Join(restart, ", ") + " changed: needs a restart to apply"
	}
	e.emit(Event{At: now, Kind: EventReload, From: from, To: StatusOK, Hard: true, FromHard: true, Summary: summary})

	e.reloadWindows(now)
	for ai := range e.assets {
		e.enqueue(ai)
	}
	for len(e.queue.items) > 0 {
		e.evaluate(e.dequeue(), now)
	}
	e.rollupAll(now)
	e.judgeLifecycles(now)
}

// adopt takes an old check's state, keeping what the new config decides:
// where it sits, its declared metrics and how many tries make it hard.
func (c *checkRT) adopt(old *checkRT) {
	asset, custom, maxTries, flapLimits := c.asset, c.custom, c.Max, c.flap.limits
	*c = *old
	c.asset, c.custom, c.Max, c.flap.limits = asset, custom, maxTries, flapLimits
	c.flap.judge() // new limits may end (or start) flapping; quietly, like a resume
	if !c.Hard && c.Attempt >= c.Max {
		c.Attempt = max(c.Max-1, 1)
	}
	c.pub, c.dirty = nil, true
}

// adopt takes an old asset's state; what the config decides (its checks,
// parents, services, order) stays as built.
func (a *assetRT) adopt(old *assetRT) {
	a.status, a.hardStatus, a.down, a.since, a.svcStatus = old.status, old.hardStatus, old.down, old.since, old.svcStatus
	a.rootCause, a.rootCauses, a.role, a.recovering = old.rootCause, old.rootCauses, old.role, old.recovering
	a.checking, a.checkingList, a.doubtNames, a.inDoubt = old.checking, old.checkingList, old.doubtNames, old.inDoubt
	a.verdictDue, a.recheckAfter, a.ack, a.maint = old.verdictDue, old.recheckAfter, old.ack, old.maint
}

// RestartNeeded names the settings that differ between two configs and
// that a reload cannot apply: the trap receiver's socket and credentials
// (and, with traps on, which address is which asset), and the scheduler's
// concurrency.
func RestartNeeded(old, cfg *Config) []string {
	var out []string
	if !reflect.DeepEqual(old.Traps, cfg.Traps) {
		out = append(out, "[traps]")
	} else if cfg.Traps.Enabled() && !maps.Equal(assetAddresses(old), assetAddresses(cfg)) {
		out = append(out, "asset addresses (trap sources)")
	}
	if old.Scheduler != cfg.Scheduler {
		out = append(out, "[scheduler] concurrency")
	}
	return out
}

func assetAddresses(cfg *Config) map[string]string {
	m := make(map[string]string, len(cfg.Assets))
	for i := range cfg.Assets {
		m[cfg.Assets[i].Name] = cfg.Assets[i].Address
	}
	return m
}
