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
	var o SchedulerOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	limit := firstPositive(o.Concurrency, cfg.Scheduler.Concurrency, model.DefaultConcurrency)
	runs := make([]oneRun, 0, cfg.NumChecks())
	for i := range cfg.Assets {
		a := &cfg.Assets[i]
		for j := range a.Checks {
			c := &a.Checks[j]
			r := oneRun{key: a.Key(c), timeout: c.Timeout.Duration}
			if r.timeout <= 0 {
				panic(fmt.Sprintf("probes: check %s has timeout %v: run a loaded config (model.Load, or ApplyDefaults)", r.key, r.timeout))
			}
			r.probe = prepareOrReport(prepare, Target{Asset: a, Check: c})
			runs = append(runs, r)
		}
		a.Checks = nil
	}
	// The checks' settings are garbage now (6 MB at 10,000): collect them
	// before the runs allocate, so the collector paces the runs from the
	// heap they need rather than from the config's (1.3 MiB of peak RSS at
	// 10,000 ICMP checks, one collection of ~15 MB).
	runtime.GC()
	return runEach(ctx, limit, len(runs), sink, func(r *oneRun) { *r = oneRun{} }, func(yield func(*oneRun) bool) {
		for i := range runs {
			if !yield(&runs[i]) {
				return
			}
		}
	})
}
