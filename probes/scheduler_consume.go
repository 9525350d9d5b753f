package probes

import (
	"context"
	"fmt"
	"runtime"

	"noctop/model"
)

// Consume runs every check of cfg once, as a Scheduler's RunOnce does (the
// same deadline, guard and results), for a run that ends at once (noctop
// check), holding no more than the run needs: it prepares every check and
// consumes cfg's checks as it goes (each asset's Checks is nil afterwards;
// a prepared ICMP probe is 140 bytes, a check's settings 640), then drops
// each prepared probe once its result was sunk. cfg must be loaded
// (model.Load) or defaulted; opts as NewScheduler's (Concurrency only).
func Consume(ctx context.Context, cfg *model.Config, prepare PrepareFunc, sink Sink, opts ...SchedulerOptions) error {
	r := NewRuns(cfg, prepare, opts...)
	for i := range cfg.Assets {
		r.Take(&cfg.Assets[i])
	}
	return r.Run(ctx, sink)
}

// Runs is Consume in two steps, for a caller that walks the assets itself:
// Take prepares one asset's checks and consumes them, Run runs what was
// taken. noctop check takes each asset as the config is read
// (model.LoadEach, model.OneShotOptions.Indexed), so the config's checks
// are never all held.
type Runs struct {
	prepare PrepareFunc
	limit   int
	runs    []oneRun
}

// NewRuns starts an empty batch for cfg's checks; opts as Consume's.
func NewRuns(cfg *model.Config, prepare PrepareFunc, opts ...SchedulerOptions) *Runs {
	var o SchedulerOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	return &Runs{
		prepare: prepare,
		limit:   firstPositive(o.Concurrency, cfg.Scheduler.Concurrency, model.DefaultConcurrency),
		runs:    make([]oneRun, 0, cfg.NumChecks()),
	}
}

// Take prepares each check of a (a loaded asset of the config given to
// NewRuns) and sets a.Checks to nil.
func (r *Runs) Take(a *model.Asset) {
	for j := range a.Checks {
		c := &a.Checks[j]
		run := oneRun{key: a.Key(c), timeout: c.Timeout.Duration}
		if run.timeout <= 0 {
			panic(fmt.Sprintf("probes: check %s has timeout %v: run a loaded config (model.Load, or ApplyDefaults)", run.key, run.timeout))
		}
		run.probe = prepareOrReport(r.prepare, Target{Asset: a, Check: c})
		r.runs = append(r.runs, run)
	}
	a.Checks = nil
}

// Run runs every check taken once, at most the config's concurrency at a
// time, and drops each prepared probe once its result was sunk. Call it
// once.
func (r *Runs) Run(ctx context.Context, sink Sink) error {
	// The checks' settings are garbage now (6 MB at 10,000): collect them
	// before the runs allocate, so the collector paces the runs from the
	// heap they need rather than from the config's (1.3 MiB of peak RSS at
	// 10,000 ICMP checks, one collection of ~15 MB).
	runtime.GC()
	runs := r.runs
	r.runs = nil
	return runEach(ctx, r.limit, len(runs), sink, func(r *oneRun) { *r = oneRun{} }, func(yield func(*oneRun) bool) {
		for i := range runs {
			if !yield(&runs[i]) {
				return
			}
		}
	})
}
