package main

import (
	"context"
	"sync"

	"noctop/model"
	"noctop/probes"
	"noctop/traps"
)

// monitor is the running pipeline: probes -> scheduler -> engine. Whoever
// calls run owns its goroutines; they end before run returns.
type monitor struct {
	cfg    *model.Config
	set    *probes.Set
	engine *model.Engine
	sched  *probes.Scheduler
	rx     *traps.Receiver // nil unless [traps] listen is set
}

func newMonitor(cfg *model.Config, oneShot bool, resume *model.Resume, opts ...probes.SetOption) *monitor {
	m := &monitor{cfg: cfg, set: probes.NewSet(opts...)}
	// The engine asks the scheduler for rechecks; the scheduler hands results
	// to the engine. The closure breaks the construction cycle.
	m.engine = model.NewEngine(cfg, model.EngineOptions{
		OneShot: oneShot,
		Recheck: func(k model.CheckKey) { m.sched.RunNow(k) },
		Resume:  resume,
	})
	m.sched = probes.NewScheduler(cfg, m.set.Prepare, m.engine.Submit)
	return m
}

// listen binds what must be bound before the monitor may claim to run: the
// trap socket when [traps] sets listen. An operator who configured traps
// must not believe they arrive, so failing here stops noctop before any
// front end starts.
func (m *monitor) listen(ctx context.Context) error {
	if !m.cfg.Traps.Enabled() {
		return nil
	}
	rx, err := traps.Listen(ctx, m.cfg, traps.Options{Notify: m.engine.Notify})
	if err != nil {
		return err
	}
	m.rx = rx
	return nil
}

// run runs the engine, the scheduler and the trap receiver (if listen bound
// one) until ctx is done.
func (m *monitor) run(ctx context.Context) error {
	if m.rx == nil {
		if err := m.listen(ctx); err != nil {
			return err
		}
	}
	var wg sync.WaitGroup
	wg.Go(func() { m.engine.Run(ctx) })
	if m.rx != nil {
		wg.Go(func() { _ = m.rx.Run(ctx) }) // returns nil when ctx ends
	}
	err := m.sched.Run(ctx)
	wg.Wait()
	if ctx.Err() != nil {
		return nil
	}
	return err
}

// once runs every check once and returns the final snapshot.
func (m *monitor) once(ctx context.Context) (*model.Snapshot, error) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer wg.Wait() // runs after cancel: defers are LIFO
	defer cancel()
	wg.Go(func() { m.engine.Run(ctx) })
	if err := m.sched.RunOnce(ctx); err != nil {
		return nil, err
	}
	return m.engine.Sync(ctx)
}

func (m *monitor) close() { _ = m.set.Close() }
