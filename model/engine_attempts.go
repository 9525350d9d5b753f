package model

// Attempts is the soft/hard state machine of one check (Nagios semantics),
// the one both the engine (a check's state) and the scheduler (when to
// retry) step, so the two can never disagree. OK recovers hard at once; a
// problem after OK or PENDING is soft, attempt 1 of Max; further problems
// count up and turn hard at Max; a hard problem that changes to another
// problem stays hard. The zero value is not ready: use NewAttempts.
type Attempts struct {
	// Status is the latest verdict; HardStatus the last hard one (it
	// differs while a problem is soft).
	Status, HardStatus Status
	// Hard is false only while a problem is being retried.
	Hard bool
	// Attempt counts a soft problem's tries: 0 for OK, Max when hard.
	Attempt, Max int
}

// NewAttempts starts PENDING (hard: nothing to retry) with max tries
// before a problem is hard (at least 1).
func NewAttempts(maxTries int) Attempts {
	return Attempts{Status: StatusPending, HardStatus: StatusPending, Hard: true, Max: max(maxTries, 1)}
}

// Step applies one verdict.
func (a *Attempts) Step(st Status) {
	switch {
	case st == StatusOK:
		a.Status, a.HardStatus, a.Hard, a.Attempt = StatusOK, StatusOK, true, 0
	case a.Max <= 1 || (a.Hard && a.HardStatus.IsProblem()):
		a.Status, a.HardStatus, a.Hard, a.Attempt = st, st, true, a.Max
	case !a.Hard: // a soft problem goes on
		a.Status = st
		a.Attempt++
		if a.Attempt >= a.Max {
			a.Hard, a.HardStatus = true, st
		}
	default: // hard OK or PENDING: a new soft problem
		a.Status, a.Hard, a.Attempt = st, false, 1
	}
}

// Retrying reports whether a problem is soft: the check should run again
// after its retry interval rather than its interval.
func (a Attempts) Retrying() bool { return !a.Hard && a.Status.IsProblem() }
