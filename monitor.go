package main

import (
	"context"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"noctop/model"
	"noctop/notify"
	"noctop/probes"
	"noctop/shard"
	"noctop/traps"
)

// monitor is the running pipeline: probes -> scheduler -> engine. Whoever
// calls run owns its goroutines; they end before run returns.
type monitor struct {
	cfg    *model.Config
	set    *probes.Set
	engine *model.Engine     // nil in a one-shot monitor
	shot   *model.OneShot    // a one-shot monitor's results and verdicts; nil otherwise
	sched  *probes.Scheduler // nil in a one-shot monitor (once)
	runs   *probes.Runs      // a one-shot monitor's prepared checks; nil otherwise
	rx     *traps.Receiver   // nil unless [traps] listen is set
	// notifier tells [[notify]] receivers (notify_wiring.go); nil in a
	// one-shot monitor.
	notifier *notify.Notifier
	// trapRx is rx for readers on other goroutines (/metrics): run binds
	// rx on its own.
	trapRx atomic.Pointer[traps.Receiver]
	// watcher, set by watch, makes run reload the config when it changes
	// (reload.go). hup carries SIGHUP's requests.
	watcher *configWatch
	hup     chan struct{}
	// plan is the part of the estate this poller owns (--shard, --shards,
	// --site); a reloaded config is split by it too.
	plan shard.Plan
}

func newMonitor(cfg *model.Config, oneShot bool, resume *model.Resume, opts ...probes.SetOption) *monitor {
	if oneShot {
		m := newOneShotMonitor(cfg, opts...)
		for i := range cfg.Assets {
			m.shot.Add(&cfg.Assets[i])
		}
		m.seal(cfg)
		return m
	}
	m := &monitor{cfg: cfg, set: probes.NewSet(opts...), hup: make(chan struct{}, 1)}
	// The engine asks the scheduler for rechecks; the scheduler hands results
	// to the engine. The closure breaks the construction cycle.
	eo := model.EngineOptions{Resume: resume}
	if resume != nil { // a store is attached: it keeps the longer history
		eo.HistoryLen = model.StoredHistoryLen
	}
	eo.Recheck = func(k model.CheckKey) { m.sched.RunNow(k) }
	m.engine = model.NewEngine(cfg, eo)
	m.sched = probes.NewScheduler(cfg, m.set.Prepare, m.engine.Submit)
	m.notifier = newNotifier(cfg, m.engine, shard.Plan{})
	return m
}

// newOneShotMonitor starts the monitor of a run that ends at once (check)
// for cfg, which may still be loading (its [scheduler] is read): add each
// asset with m.shot.Add, in config order, as it is loaded (LoadEach), then
// seal the loaded config. Each asset's checks are prepared and dropped as
// they are added, so the config's checks are never all held, nor beside
// the one-shot state.
func newOneShotMonitor(cfg *model.Config, opts ...probes.SetOption) *monitor {
	m := &monitor{cfg: cfg, set: probes.NewSet(opts...), hup: make(chan struct{}, 1)}
	m.runs = probes.NewRuns(cfg, m.set.Prepare)
	m.shot = model.StartOneShot(model.OneShotOptions{Indexed: m.runs.Take})
	return m
}

// seal ends a one-shot monitor's adding: cfg is the loaded config.
func (m *monitor) seal(cfg *model.Config) {
	m.cfg = cfg
	m.shot.Seal(cfg)
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
	m.trapRx.Store(rx)
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
	// The runtime's tuners (gc.go, procs.go) end before run returns.
	tuneCtx, stopTuning := context.WithCancel(ctx)
	var tuning sync.WaitGroup
	tuning.Go(func() { tuneGC(tuneCtx, os.Getenv) })
	tuning.Go(func() {
		t := time.NewTicker(procsTick)
		defer t.Stop()
		tuneProcs(tuneCtx, os.Getenv, t.C, selfCPU)
	})
	defer func() { stopTuning(); tuning.Wait() }()
	var wg sync.WaitGroup
	wg.Go(func() { m.engine.Run(ctx) })
	if m.rx != nil {
		wg.Go(func() { _ = m.rx.Run(ctx) }) // returns nil when ctx ends
	}
	if m.watcher != nil {
		wg.Go(func() { m.watchConfig(ctx, m.watcher) })
	}
	if m.notifier != nil {
		wg.Go(func() { m.runNotifier(ctx) })
	}
	err := m.sched.Run(ctx)
	wg.Wait()
	if ctx.Err() != nil {
		return nil
	}
	return err
}

// once runs every check once and returns the head of the final snapshot
// (no asset states: m.shot.Assets yields them). newMonitor consumed
// m.cfg's checks.
func (m *monitor) once(ctx context.Context) (*model.Snapshot, error) {
	// The checks were prepared and the config's dropped while the one-shot
	// state was built (newMonitor); each probe is dropped once it ran.
	runs := m.runs
	m.runs = nil
	if err := runs.Run(ctx, m.shot.Submit); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return m.shot.Head(), nil
}

func (m *monitor) close() {
	if m.watcher != nil && m.watcher.w != nil {
		_ = m.watcher.w.Close()
	}
	_ = m.set.Close()
}
