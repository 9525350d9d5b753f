package probes

import (
	"context"
	"runtime/debug"
	"time"

	"noctop/model"
)

// maxStack bounds the panic stack kept in a result's attributes.
const maxStack = 4 << 10

// runScheduled is one run under Run: probe, plan the next run, sink. It owns
// e's run fields until it returns; the loop set e.due and e.onDemand before
// it started and changes them only after it ended.
func (s *Scheduler) runScheduled(ctx context.Context, e *entry) {
	r := execute(ctx, &e.oneRun)
	if !e.onDemand {
		r.Due = e.due // the engine keeps how late runs start (schedule lag)
	}
	e.tries.Step(r.Status) // the engine's own state machine, stepped alike
	now := time.Now()
	if e.tries.Retrying() {
		// Soft problem: confirm it soon, as the engine counts toward hard.
		e.next = r.At.Add(e.retry)
		if e.next.Before(now) {
			e.next = now
		}
	} else {
		e.next = nextSlot(e.anchor, e.every, r.At, now)
	}
	r.Next = e.next
	if e.removed.Load() {
		return // a reload dropped or replaced the check while it ran
	}
	e.err = s.sink(ctx, r)
}

// execute runs the probe once with the check's deadline set in ctx, and
// turns a panic, an overrun or an empty outcome into an UNKNOWN result.
func execute(ctx context.Context, e *oneRun) model.Result {
	start := time.Now()
	// WithDeadline from the start stamp: the deadline is exactly At+Timeout.
	rctx, cancel := context.WithDeadline(ctx, start.Add(e.timeout))
	out := guard(rctx, e.probe)
	cancel()
	took := time.Since(start)

	switch over := took - e.timeout; {
	case over > overrunGrace:
		// The probe ignored ctx; whatever it measured is too late to trust.
		// Its goroutine held the slot all along, so nothing leaked.
		said := out.Status.String() + " " + out.Summary
		out = model.Unknown("probe overran its deadline by %s (it said: %s)", over.Round(time.Millisecond), said)
	case out.Status == model.StatusPending:
		out = model.Unknown("probe returned no status (summary %q)", out.Summary)
	case out.Summary == "":
		out.Summary = "probe gave no reason"
	}
	return model.Result{Key: e.key, Outcome: out, At: start, Duration: took}
}

// guard calls the probe and turns a panic into an UNKNOWN outcome, so one
// bad probe never takes the monitor down.
func guard(ctx context.Context, p Prepared) (out model.Outcome) {
	defer func() {
		if v := recover(); v != nil {
			out = model.Unknown("panic: %v", v)
			stack := debug.Stack()
			if len(stack) > maxStack {
				stack = stack[:maxStack]
			}
			out.Attrs = map[string]string{"panic_stack": string(stack)}
		}
	}()
	return p.Run(ctx)
}
