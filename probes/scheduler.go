package probes

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"noctop/model"
)

// Sink takes a finished result (the engine's Submit). It may block: a slow
// sink holds the run's concurrency slot, so the scheduler slows down with it
// (backpressure) instead of queueing results without bound.
type Sink func(ctx context.Context, r model.Result) error

// DefaultFirstSpread caps how far the first runs are spread after Run starts.
const DefaultFirstSpread = 10 * time.Second

// overrunGrace is how late after its deadline a probe may return before its
// outcome is replaced by "probe overran its deadline": well-behaved probes
// return a little after the deadline (pro-bing up to ~100 ms).
const overrunGrace = 100 * time.Millisecond

// A run may start a little late so that runs due close together share one
// wake-up of the loop; every wake-up costs thread wake-ups, which are dear
// on a VM (a run's work on a CPU that was idle costs several times the same
// work in a busy loop). The earliest due run waits 2.5% of its check's
// interval, at least minCoalesce and at most maxCoalesce, and every run due
// meanwhile starts with it: none starts more than maxCoalesce late, and
// none early. The schedule lag the monitor reports includes this wait.
// Measured (BENCHMARKS.md): a fixed 25 ms took 10,000 checks on 60 s from
// 131 to 59 us of CPU per run; 100 ms instead of 25 ms took 1,000 http
// checks on 10 s from 2.9% to 1.9% of a core, and 250 ms instead of 100 ms
// (2.5% of the interval instead of 1%) a further 11% off (side by side).
const (
	minCoalesce = 25 * time.Millisecond
	maxCoalesce = 250 * time.Millisecond
)

// coalesceFor is how late a check run every interval may start.
func coalesceFor(every time.Duration) time.Duration {
	return min(max(every/40, minCoalesce), maxCoalesce)
}

// ErrSchedulerBusy is returned by Run or RunOnce while the other (or another
// call of the same) is still going: two loops would run one check twice.
var ErrSchedulerBusy = errors.New("scheduler is already running")

// SchedulerOptions tune a Scheduler. The zero value takes every default.
type SchedulerOptions struct {
	// Concurrency bounds the runs in flight (default
	// cfg.Scheduler.Concurrency, then model.DefaultConcurrency).
	Concurrency int
	// FirstSpread caps the spread of first runs: each check first runs at a
	// random offset in [0, min(interval, FirstSpread)) after Run starts
	// (default DefaultFirstSpread; negative: all first runs at once).
	FirstSpread time.Duration
	// Rand drives the jitter (default: randomly seeded). Run's loop owns it;
	// do not use it elsewhere while Run is going.
	Rand *rand.Rand
}

// Scheduler runs every check of a config on its interval with bounded
// concurrency and hands each result to a Sink.
//
// Timing: the first run of a check is at a random offset in [0, min(interval,
// FirstSpread)) so the screen fills within seconds. Each check also gets a
// random phase in [0, interval): its steady runs are at phase + k*interval,
// so 10,000 checks on a 60 s interval run evenly (~167/s) instead of in one
// burst every minute. The run after any run takes the first phase slot at
// least half an interval after that run started and not in the past: a run
// that outlasts its slot skips it (never two runs of one check at once).
// While a check is in a soft problem (1 <= consecutive non-OK results <
// Retries) the next run is RetryInterval after the start of the last one.
//
// One goroutine (Run's) owns a min-heap of due times and one timer, so an
// idle scheduler costs nothing but that timer (and its workers' stacks
// until they retire); runs due close together share one wake-up (a run
// may start up to 250 ms late, never early: see coalesceFor).
// Each run holds one concurrency slot, and one of Run's worker goroutines,
// from the probe until the sink took the result; a probe that ignores its
// deadline keeps its slot until it returns (then it is reported UNKNOWN,
// "overran"), so stuck probes shrink the pool instead of piling up
// goroutines. Workers are reused (see worker) and end after workerIdle
// without a run.
type Scheduler struct {
	sink    Sink
	prepare PrepareFunc
	limit   int
	spread  time.Duration
	rnd     *rand.Rand
	// workerIdle is how long a worker waits for a run before it ends (the
	// constant workerIdle; tests shorten it).
	workerIdle time.Duration
	// workers counts Run's worker goroutines, for tests.
	workers struct{ started, live atomic.Int64 }

	active  atomic.Bool      // Run or RunOnce is going
	wake    chan struct{}    // pokes Run's loop: RunNow requests are pending
	reloads chan *reloadPlan // Reload hands Run's loop a new set of checks
	// reloading serialises Reload calls: each plans against the entries the
	// previous one left.
	reloading sync.Mutex

	mu      sync.Mutex
	pending []*entry // RunNow requests not yet taken by the loop
	// entries and byKey change only when Run's loop applies a reload; RunNow
	// and Len read them under mu.
	entries []*entry
	byKey   map[model.CheckKey]*entry
}

// oneRun is what one run of a check needs.
type oneRun struct {
	key     model.CheckKey
	probe   Prepared
	timeout time.Duration
}

// entry is one check's scheduling state.
type entry struct {
	oneRun
	// asset and check are the config the probe was prepared from: Reload
	// compares them with the new config's to tell a changed check.
	asset   *model.Asset
	check   *model.Check
	every   time.Duration // interval
	retry   time.Duration // retry interval
	retries int
	slack   time.Duration // how late a run may start: coalesceFor(every)

	// Owned by Run's loop goroutine.
	due      time.Time
	anchor   time.Time // steady runs are at anchor + k*every
	inHeap   bool      // in Run's heap (dueHeap)
	heapGen  uint32    // pushes into the heap: tells a stale item (dueHeap)
	running  bool
	again    bool // RunNow arrived while running: run again right after
	onDemand bool // running because RunNow asked (demand counts its slot)
	// removed is set when a reload dropped or replaced the check: a run in
	// flight then drops its result (it may be of the old type).
	removed atomic.Bool

	// Owned by the worker running the check; handing it the run and
	// handing the worker back order these accesses with the loop's.
	tries model.Attempts // soft/hard, as the engine counts it
	next  time.Time      // planned next run, computed at the end of a run
	err   error          // the sink's error, if any

	queued bool // a RunNow request is pending; guarded by Scheduler.mu
}

// NewScheduler builds a scheduler for cfg's checks, each prepared once with
// prepare (usually (*Set).Prepare); sink is usually the engine's Submit. A
// check its prepare step refuses is scheduled all the same: each run is
// UNKNOWN with the reason and tries the prepare step again. At most one
// options value is read.
//
// cfg must be loaded (model.Load) or defaulted (ApplyDefaults): the
// scheduler takes each check's interval, retry interval, timeout and retries
// as they are, and panics, naming the check, on an interval, retry interval
// or timeout that is not positive, as time.NewTicker does.
func NewScheduler(cfg *model.Config, prepare PrepareFunc, sink Sink, opts ...SchedulerOptions) *Scheduler {
	var o SchedulerOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	s := &Scheduler{
		sink:       sink,
		prepare:    prepare,
		limit:      firstPositive(o.Concurrency, cfg.Scheduler.Concurrency, model.DefaultConcurrency),
		spread:     o.FirstSpread,
		rnd:        o.Rand,
		workerIdle: workerIdle,
		byKey:      make(map[model.CheckKey]*entry, cfg.NumChecks()),
		wake:       make(chan struct{}, 1),
		reloads:    make(chan *reloadPlan),
	}
	if s.spread == 0 {
		s.spread = DefaultFirstSpread
	}
	if s.rnd == nil {
		s.rnd = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	}
	for i := range cfg.Assets {
		a := &cfg.Assets[i]
		for j := range a.Checks {
			e, err := newEntry(a, &a.Checks[j], prepare)
			if err != nil {
				panic(err.Error())
			}
			s.entries = append(s.entries, e)
			s.byKey[e.key] = e
		}
	}
	return s
}

// newEntry prepares one check for scheduling. Its error is a check whose
// interval, retry interval or timeout is not positive.
func newEntry(a *model.Asset, c *model.Check, prepare PrepareFunc) (*entry, error) {
	e := &entry{
		oneRun:  oneRun{key: a.Key(c), timeout: c.Timeout.Duration},
		asset:   a,
		check:   c,
		every:   c.Interval.Duration,
		retry:   c.RetryInterval.Duration,
		retries: c.Retries,
		slack:   coalesceFor(c.Interval.Duration),
	}
	if e.every <= 0 || e.retry <= 0 || e.timeout <= 0 {
		return nil, fmt.Errorf("probes: check %s has interval %v, retry_interval %v, timeout %v: "+
			"build the scheduler from a loaded config (model.Load, or ApplyDefaults)", e.key, e.every, e.retry, e.timeout)
	}
	e.probe = prepareOrReport(prepare, Target{Asset: a, Check: c})
	return e, nil
}

// Len is the number of checks scheduled.
func (s *Scheduler) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.entries)
}

// RunNow asks for an immediate run of one check; if the check is running, it
// runs again right after. It never blocks and returns false for an unknown
// key. A request made while Run is not going is served when Run starts.
func (s *Scheduler) RunNow(key model.CheckKey) bool {
	s.mu.Lock()
	e, ok := s.byKey[key]
	if !ok {
		s.mu.Unlock()
		return false
	}
	if !e.queued {
		e.queued = true
		s.pending = append(s.pending, e)
	}
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default: // a wake-up is already pending; it will take this request too
	}
	return true
}

// takePending hands the RunNow requests to the loop.
func (s *Scheduler) takePending() []*entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.pending
	s.pending = nil
	for _, e := range p {
		e.queued = false
	}
	return p
}

// RunOnce runs every check once (bounded concurrency, no jitter, no retries)
// and returns when every result has been sunk. It returns the first sink
// error, or ctx's error when ctx ended before every check ran.
func (s *Scheduler) RunOnce(ctx context.Context) error {
	if !s.active.CompareAndSwap(false, true) {
		return ErrSchedulerBusy
	}
	defer s.active.Store(false)
	return runEach(ctx, s.limit, len(s.entries), s.sink, nil, func(yield func(*oneRun) bool) {
		for _, e := range s.entries {
			if !yield(&e.oneRun) {
				return
			}
		}
	})
}

// runEach runs each of total runs once, at most limit at a time, and
// returns when every result has been sunk: the first sink error, or ctx's
// error when ctx ended before every run started. done, if not nil, is
// called with each run once its result was sunk.
func runEach(ctx context.Context, limit, total int, sink Sink, done func(*oneRun), runs iter.Seq[*oneRun]) error {
	sem := make(chan struct{}, limit)
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
		ran   int
	)
dispatch:
	for e := range runs {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			break dispatch
		}
		ran++
		wg.Go(func() {
			defer func() { <-sem }()
			err := sink(ctx, execute(ctx, e))
			if err != nil {
				mu.Lock()
				if first == nil {
					first = fmt.Errorf("scheduler: sink refused %s: %w", e.key, err)
				}
				mu.Unlock()
			}
			if done != nil {
				done(e)
			}
		})
	}
	wg.Wait()
	if ran < total {
		return fmt.Errorf("%d of %d checks not run: %w", total-ran, total, ctx.Err())
	}
	return first
}

func firstPositive(vs ...int) int {
	for _, v := range vs {
		if v > 0 {
			return v
		}
	}
	return 1
}
