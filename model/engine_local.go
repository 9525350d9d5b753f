package model

import (
	"fmt"
	"time"
)

// EventLocal reports a problem of this machine (out of file descriptors,
// no source address) that hits many checks at once.
const EventLocal = "local"

// localEvery is how often a lasting local problem is reported.
const localEvery = time.Minute

// localReport counts checks entering and leaving a local problem between
// two reports, so that with `ulimit -n 64` and 500 checks the log gets one
// line a minute, not one per check.
type localReport struct {
	now       int       // checks in a local problem now
	hit, left int       // since the last report
	reason    string    // the first reason since the last report
	last      time.Time // the last report; zero: none yet
}

// noteLocal counts a check entering (in) or leaving a local problem and
// reports when the problem starts, a minute after the last report, and
// when it is over.
func (e *Engine) noteLocal(when time.Time, reason string, in bool) {
	l := &e.local
	if in {
		l.now++
		l.hit++
		if l.reason == "" {
			l.reason = reason
		}
	} else {
		l.now--
		l.left++
	}
	first := l.last.IsZero()
	if !first && l.now > 0 && when.Sub(l.last) < localEvery {
		return
	}
	var summary string
	to := StatusUnknown
	switch {
	case first:
		summary = fmt.Sprintf("local problem on this machine: %s (checks affected are UNKNOWN; reported once a minute)", l.reason)
	case l.now == 0:
		summary = fmt.Sprintf("local problem over: %d checks recovered", l.left)
		to = StatusOK
	default:
		summary = fmt.Sprintf("local problem goes on: %s (%d checks hit, %d recovered in %s; %d affected now)",
			l.reason, l.hit, l.left, when.Sub(l.last).Round(time.Second), l.now)
	}
	e.emit(Event{At: when, Kind: EventLocal, From: StatusOK, To: to, Hard: true, FromHard: true, Summary: summary})
	l.hit, l.left, l.reason = 0, 0, ""
	l.last = when
	if l.now == 0 {
		l.last = time.Time{}
	}
}
