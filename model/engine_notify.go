package model

import (
	"errors"
	"fmt"
	"time"
)

// EventTrap is an SNMP trap, or a report about traps (dropped by the rate
// limit, failed authentication).
const EventTrap = "trap"

// ErrInboxFull is returned by Notify when the engine's inbox has no room:
// the notice is dropped and counted (NoticesDropped).
var ErrInboxFull = errors.New("engine inbox full: notice dropped")

// Notice is something that happened outside the checks, such as an SNMP
// trap. The engine records it as an event and may recheck the asset.
type Notice struct {
	// Asset names the asset it is about, "" when none (a trap from an
	// unknown source).
	Asset string
	// Kind is the event kind, e.g. EventTrap.
	Kind    string
	Summary string
	// At is when it happened; zero means the engine's clock.
	At time.Time
	// Recheck asks for an immediate run of every check of Asset.
	Recheck bool
}

// Notify hands a notice to the engine without ever waiting: it is called
// from receivers (the trap listener) that must keep reading their socket.
// When the inbox is full the notice is dropped, counted and ErrInboxFull
// returned; once Run has ended it returns ErrEngineStopped. Like results, a
// notice is handled after everything submitted before it.
func (e *Engine) Notify(n Notice) error {
	select {
	case <-e.done:
		return ErrEngineStopped
	default:
	}
	select {
	case e.inbox <- message{kind: msgNotice, n: n}:
		return nil
	default:
		e.noticesDropped.Add(1)
		return ErrInboxFull
	}
}

// NoticesDropped counts the notices Notify dropped because the inbox was
// full.
func (e *Engine) NoticesDropped() uint64 { return e.noticesDropped.Load() }

// applyNotice records a notice as an event. On a known asset the event
// carries the asset's status (From = To: a notice changes no state) and,
// when asked, every check of the asset is rechecked. A name that is not an
// asset is kept in the summary, not in Event.Asset, which always names an
// asset of the config.
func (e *Engine) applyNotice(n Notice) {
	ev := Event{At: e.stamp(n.At), Kind: n.Kind, Summary: n.Summary}
	ai, known := e.byName[n.Asset]
	switch {
	case known:
		a := &e.assets[ai]
		ev.Asset, ev.From, ev.To, ev.Hard = n.Asset, a.shown(), a.shown(), a.shownHard() == a.shown()
	case n.Asset != "":
		ev.Summary = fmt.Sprintf("%s (asset %q is not in the config)", n.Summary, n.Asset)
	}
	e.emit(ev)
	if !known || !n.Recheck || e.opts.Recheck == nil {
		return
	}
	for _, ci := range e.assets[ai].checks {
		e.opts.Recheck(e.checks[ci].key)
	}
}
