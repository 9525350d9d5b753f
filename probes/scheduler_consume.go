package probes

import (
	"context"
	"fmt"

	"noctop/model"
)

// Consume runs every check of cfg once, as a Scheduler's RunOnce does (the
// same deadline, guard and results), for a run that ends at once (noctop
// check): each check is prepared just before its run, so only the runs in
// flight hold a prepared probe, and cfg's checks are consumed: an asset's
// Checks is nil once its checks are under way, and each check's settings
// are garbage when its run ends. At 10,000 checks a scheduler's entries and
// probes (4 MB) never exist, and the checks' settings (6 MB) shrink as the
// results grow. cfg must be loaded (model.Load) or defaulted; opts as
// NewScheduler's (Concurrency only).
func Consume(ctx context.Context, cfg *model.Config, prepare PrepareFunc, sink Sink, opts ...SchedulerOptions) error {
	var o SchedulerOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	limit := firstPositive(o.Concurrency, cfg.Scheduler.Concurrency, model.DefaultConcurrency)
	return runEach(ctx, limit, cfg.NumChecks(), sink, func(yield func(*entry) bool) {
		for i := range cfg.Assets {
			a := &cfg.Assets[i]
			checks := a.Checks
			a.Checks = nil // the runs below hold what they read
			for j := range checks {
				c := &checks[j]
				e := &entry{key: a.Key(c), timeout: c.Timeout.Duration}
				if e.timeout <= 0 {
					panic(fmt.Sprintf("probes: check %s has timeout %v: run a loaded config (model.Load, or ApplyDefaults)", e.key, e.timeout))
				}
				e.probe = prepareOrReport(prepare, Target{Asset: a, Check: c})
				if !yield(e) {
					return
				}
			}
		}
	})
}
