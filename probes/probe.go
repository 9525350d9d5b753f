// Package probes measures: one file per probe kind, each with one prepare
// step of one shape (PrepareFunc) that turns a loaded check into a ready
// probe (Prepared), plus the scheduler that prepares every check once and
// runs them. The caller sets the deadline once, in ctx; a probe takes no
// other timeout. Every outcome has a human reason.
package probes

import (
	"context"

	"noctop/model"
)

// Target is what a prepare step reads: the asset and the check, both from
// the validated config (read-only).
type Target struct {
	Asset *model.Asset
	Check *model.Check
}

// Prepared is one check made ready to run by its kind's prepare step: what
// its config says (a URL, a regexp, a CA pool, a query type, an address,
// thresholds) is parsed, compiled and read once, so that a run only
// measures.
//
// Run runs the check once. ctx carries the deadline, set by the caller
// (the scheduler: the check's timeout); it is the probe's only clock. Run
// must return by that deadline and must not panic on any input (the
// scheduler still guards against it). The scheduler never runs one
// Prepared twice at once.
type Prepared interface {
	Run(ctx context.Context) model.Outcome
}

// PrepareFunc is the shape of every kind's prepare step ((*Set).Prepare,
// (*Net).PrepareHTTP, (*ICMP).Prepare, ...). It reads the check and the
// files it names, never the network, and fails only where the loader
// rejects the check too, or where a file it named is gone since.
type PrepareFunc func(t Target) (Prepared, error)

// runFunc is a function used as a Prepared.
type runFunc func(ctx context.Context) model.Outcome

// Run calls f.
func (f runFunc) Run(ctx context.Context) model.Outcome { return f(ctx) }

// eachRun is the prepare step of a probe that still reads its check on
// every run: it prepares nothing.
func eachRun(probe func(context.Context, Target) model.Outcome, t Target) (Prepared, error) {
	return runFunc(func(ctx context.Context) model.Outcome { return probe(ctx, t) }), nil
}

// unprepared stands for a check whose prepare step failed (a CA file
// removed between validation and start): every run is UNKNOWN with the
// reason, and tries the prepare step again, so the check runs once the file
// is back, without a restart.
type unprepared struct {
	prepare PrepareFunc
	target  Target
	err     error
	ready   Prepared // set once a later try succeeds
}

// prepareOrReport prepares t, or returns a stand-in that reports why it
// could not, run after run: a prepare error never stops the monitor.
func prepareOrReport(prepare PrepareFunc, t Target) Prepared {
	p, err := prepare(t)
	if err != nil {
		return &unprepared{prepare: prepare, target: t, err: err}
	}
	return p
}

// Run runs the check once it is ready, else reports why it is not.
func (u *unprepared) Run(ctx context.Context) model.Outcome {
	if u.ready == nil {
		if u.ready, u.err = u.prepare(u.target); u.err != nil {
			u.ready = nil
			return notReady(u.err)
		}
	}
	return u.ready.Run(ctx)
}

// notReady is the outcome of a check its prepare step refused: UNKNOWN, the
// error as the reason (it names the key: "ca_file: open ...").
func notReady(err error) model.Outcome {
	return model.Outcome{Status: model.StatusUnknown, Summary: err.Error(), Local: isLocal(err)}
}
