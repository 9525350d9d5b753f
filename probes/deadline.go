package probes

import (
	"errors"
	"time"
)

// errNoDeadline: a probe that must stop waiting before the deadline was run
// without one. The caller sets it (the scheduler: the check's timeout); a
// probe has no clock of its own.
var errNoDeadline = errors.New("probe run without a deadline")

// replyCutoff is when a probe stops waiting for answers so that it returns
// by deadline: a tenth of the time left, at most 50 ms, is kept for building
// the outcome.
func replyCutoff(now, deadline time.Time) time.Time {
	return deadline.Add(-min(deadline.Sub(now)/10, 50*time.Millisecond))
}
