package probes

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"noctop/model"
)

// schedConfig builds n assets with one check each; the retry interval is the
// interval unless a test sets it.
func schedConfig(n int, every, timeout time.Duration) *model.Config {
	cfg := &model.Config{}
	for i := range n {
		cfg.Assets = append(cfg.Assets, model.Asset{
			Name: fmt.Sprintf("a%d", i),
			Checks: []model.Check{{
				Type: model.CheckTCP, Interval: model.D(every), Timeout: model.D(timeout),
				RetryInterval: model.D(every),
			}},
		})
	}
	cfg.ApplyDefaults()
	return cfg
}

func key(i int) model.CheckKey { return model.CheckKey{Asset: fmt.Sprintf("a%d", i), Check: "tcp"} }

// collector is a sink that keeps every result and signals each arrival.
type collector struct {
	mu      sync.Mutex
	results []model.Result
	arrived chan struct{}
}

func newCollector() *collector { return &collector{arrived: make(chan struct{}, 1)} }

func (c *collector) sink(ctx context.Context, r model.Result) error {
	c.mu.Lock()
	c.results = append(c.results, r)
	c.mu.Unlock()
	select {
	case c.arrived <- struct{}{}:
	default:
	}
	return nil
}

func (c *collector) snapshot() []model.Result {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]model.Result(nil), c.results...)
}

func (c *collector) of(k model.CheckKey) []model.Result {
	var rs []model.Result
	for _, r := range c.snapshot() {
		if r.Key == k {
			rs = append(rs, r)
		}
	}
	return rs
}

// waitFor polls until cond holds or fails the test after 10 s.
func (c *collector) waitFor(t *testing.T, what string, cond func([]model.Result) bool) []model.Result {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		if rs := c.snapshot(); cond(rs) {
			return rs
		}
		select {
		case <-c.arrived:
		case <-time.After(20 * time.Millisecond):
		case <-deadline:
			t.Fatalf("timed out waiting for %s; have %d results", what, len(c.snapshot()))
		}
	}
}

// startRun runs s in the background; the returned stop cancels it and
// returns Run's error.
func startRun(t *testing.T, s *Scheduler) (stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- s.Run(ctx) }()
	var once sync.Once
	var err error
	stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case err = <-errc:
			case <-time.After(10 * time.Second):
				t.Fatal("Run did not return after cancel")
			}
		})
		return err
	}
	t.Cleanup(func() { stop() })
	return stop
}

// perRun makes a test probe a prepare step that prepares nothing.
func perRun(probe func(context.Context, Target) model.Outcome) PrepareFunc {
	return func(t Target) (Prepared, error) { return eachRun(probe, t) }
}

func okProbe(ctx context.Context, t Target) model.Outcome {
	return model.Outcome{Status: model.StatusOK, Summary: "fine"}
}

func TestSchedulerPlanSpreadsFirstRunsWithinFirstInterval(t *testing.T) {
	for _, tc := range []struct {
		every, spread, window time.Duration
	}{
		{every: 60 * time.Second, spread: 0, window: DefaultFirstSpread}, // default spread caps at 10 s
		{every: 2 * time.Second, spread: 0, window: 2 * time.Second},     // short interval caps the spread
		{every: time.Hour, spread: 100 * time.Millisecond, window: 100 * time.Millisecond},
	} {
		cfg := schedConfig(2000, tc.every, time.Second)
		s := NewScheduler(cfg, perRun(okProbe), newCollector().sink, SchedulerOptions{
			FirstSpread: tc.spread, Rand: rand.New(rand.NewPCG(1, 2)),
		})
		t0 := time.Now()
		q := s.plan(t0)
		if len(q) != 2000 {
			t.Fatalf("heap holds %d entries, want 2000", len(q))
		}
		var lo, hi time.Duration = tc.window, 0
		buckets := make([]int, 10)
		for _, e := range s.entries {
			off := e.due.Sub(t0)
			if off < 0 || off >= tc.window {
				t.Fatalf("every=%s: first run at +%s, outside [0, %s)", tc.every, off, tc.window)
			}
			if ph := e.anchor.Sub(t0); ph < 0 || ph >= tc.every {
				t.Fatalf("every=%s: phase +%s outside [0, %s)", tc.every, ph, tc.every)
			}
			lo, hi = min(lo, off), max(hi, off)
			buckets[int(off*10/tc.window)]++
		}
		// 2000 uniform draws: each tenth of the window holds ~200.
		for i, n := range buckets {
			if n < 100 || n > 300 {
				t.Errorf("every=%s: tenth %d of the spread holds %d first runs, want ~200 (%v)", tc.every, i, n, buckets)
			}
		}
		if q[0].due.Sub(t0) != lo {
			t.Errorf("heap top is not the earliest first run")
		}
	}
}

func TestSchedulerJitterSpreadsFirstRunsLive(t *testing.T) {
	const n, every = 200, 400 * time.Millisecond
	c := newCollector()
	s := NewScheduler(schedConfig(n, every, time.Second), perRun(okProbe), c.sink)
	t0 := time.Now()
	startRun(t, s)
	c.waitFor(t, "a first run of every check", func(rs []model.Result) bool {
		seen := map[model.CheckKey]bool{}
		for _, r := range rs {
			seen[r.Key] = true
		}
		return len(seen) == n
	})
	first := map[model.CheckKey]time.Duration{}
	for _, r := range c.snapshot() {
		if _, ok := first[r.Key]; !ok {
			first[r.Key] = r.At.Sub(t0)
		}
	}
	early, last := 0, time.Duration(0)
	for _, off := range first {
		if off < every/10 {
			early++
		}
		last = max(last, off)
	}
	// Uniform over 400 ms puts ~10% in the first 40 ms; load only delays
	// runs, so more there would mean no jitter.
	if early > n/4 {
		t.Errorf("%d of %d first runs in the first %s: not spread", early, n, every/10)
	}
	if last < every/2 {
		t.Errorf("last first run at +%s: the sweep was not spread over the %s interval", last, every)
	}
}

func TestNextSlot(t *testing.T) {
	t0 := time.Unix(1000, 0)
	sec := time.Second
	for _, tc := range []struct {
		name               string
		anchor, start, now time.Duration // offsets from t0
		want               time.Duration
	}{
		{"steady: next slot one interval on", 70 * sec, 70 * sec, 70 * sec, 130 * sec},
		{"first run early: phase slot itself", 50 * sec, 5 * sec, 5 * sec, 50 * sec},
		{"first run close to phase: next period", 20 * sec, 5 * sec, 5 * sec, 80 * sec},
		{"run outlasted slots: skip them", 10 * sec, 10 * sec, 200 * sec, 250 * sec},
		{"slot exactly now is taken", 10 * sec, 10 * sec, 70 * sec, 70 * sec},
	} {
		got := nextSlot(t0.Add(tc.anchor), 60*sec, t0.Add(tc.start), t0.Add(tc.now))
		if want := t0.Add(tc.want); !got.Equal(want) {
			t.Errorf("%s: next at +%s, want +%s", tc.name, got.Sub(t0), tc.want)
		}
	}
}

func TestSchedulerConcurrencyBound(t *testing.T) {
	const limit = 4
	var active, peak, calls atomic.Int64
	probe := func(ctx context.Context, t Target) model.Outcome {
		calls.Add(1)
		n := active.Add(1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		time.Sleep(30 * time.Millisecond)
		active.Add(-1)
		return model.Outcome{Status: model.StatusOK, Summary: "ok"}
	}

	t.Run("RunOnce", func(t *testing.T) {
		peak.Store(0)
		s := NewScheduler(schedConfig(40, time.Minute, time.Second), perRun(probe), newCollector().sink,
			SchedulerOptions{Concurrency: limit})
		if err := s.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		if p := peak.Load(); p != limit {
			t.Errorf("peak concurrency %d, want exactly %d (bounded and used)", p, limit)
		}
	})

	t.Run("Run", func(t *testing.T) {
		peak.Store(0)
		calls.Store(0)
		cfg := schedConfig(40, 30*time.Millisecond, time.Second)
		cfg.Scheduler.Concurrency = limit // the config's value is the default
		c := newCollector()
		s := NewScheduler(cfg, perRun(probe), c.sink, SchedulerOptions{FirstSpread: -1})
		stop := startRun(t, s)
		c.waitFor(t, "120 results", func(rs []model.Result) bool { return len(rs) >= 120 })
		if err := stop(); err != nil {
			t.Fatal(err)
		}
		if p := peak.Load(); p > limit || p < 2 {
			t.Errorf("peak concurrency %d, want 2..%d", p, limit)
		}
	})
}

func TestSchedulerNoOverlapPerCheck(t *testing.T) {
	const n = 5
	var running [n]atomic.Int32
	var runs [n]atomic.Int32
	var overlap atomic.Bool
	probe := func(ctx context.Context, t Target) model.Outcome {
		var i int
		fmt.Sscanf(t.Asset.Name, "a%d", &i)
		if running[i].Add(1) > 1 {
			overlap.Store(true)
		}
		runs[i].Add(1)
		time.Sleep(40 * time.Millisecond) // longer than the interval
		running[i].Add(-1)
		return model.Outcome{Status: model.StatusOK, Summary: "ok"}
	}
	c := newCollector()
	s := NewScheduler(schedConfig(n, 10*time.Millisecond, time.Second), perRun(probe), c.sink,
		SchedulerOptions{FirstSpread: -1})
	stop := startRun(t, s)
	// Hammer RunNow while checks are running: it must queue, not double.
	deadline := time.Now().Add(300 * time.Millisecond)
	for time.Now().Before(deadline) {
		for i := range n {
			s.RunNow(key(i))
		}
		time.Sleep(time.Millisecond)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if overlap.Load() {
		t.Fatal("two runs of one check overlapped")
	}
	for i := range n {
		if r := runs[i].Load(); r < 3 {
			t.Errorf("check %d ran %d times in 300 ms with a 10 ms interval, want >= 3", i, r)
		}
	}
}

func TestSchedulerDeadlineIsTimeout(t *testing.T) {
	cfg := schedConfig(3, time.Minute, time.Second)
	for i := range cfg.Assets {
		cfg.Assets[i].Checks[0].Timeout = model.D(time.Duration(i+1) * 700 * time.Millisecond)
	}
	var mu sync.Mutex
	deadlines := map[string]time.Time{}
	probe := func(ctx context.Context, t Target) model.Outcome {
		d, ok := ctx.Deadline()
		if !ok {
			return model.Unknown("no deadline in ctx")
		}
		mu.Lock()
		deadlines[t.Asset.Name] = d
		mu.Unlock()
		return model.Outcome{Status: model.StatusOK, Summary: "ok"}
	}
	c := newCollector()
	if err := NewScheduler(cfg, perRun(probe), c.sink).RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	for i, r := range c.snapshot() {
		if r.Status != model.StatusOK {
			t.Fatalf("result %d: %s %s", i, r.Status, r.Summary)
		}
		timeout := cfg.Assets[0].Checks[0].Timeout.Duration
		for j := range cfg.Assets {
			if cfg.Assets[j].Name == r.Key.Asset {
				timeout = cfg.Assets[j].Checks[0].Timeout.Duration
			}
		}
		if got := deadlines[r.Key.Asset].Sub(r.At); got != timeout {
			t.Errorf("%s: deadline is start+%s, want start+%s", r.Key, got, timeout)
		}
	}
}

func TestSchedulerPanicBecomesUnknown(t *testing.T) {
	var calls atomic.Int32
	probe := func(ctx context.Context, t Target) model.Outcome {
		if t.Asset.Name == "a0" && calls.Add(1) == 1 {
			panic("boom at first run")
		}
		return model.Outcome{Status: model.StatusOK, Summary: "ok"}
	}
	c := newCollector()
	s := NewScheduler(schedConfig(2, 20*time.Millisecond, time.Second), perRun(probe), c.sink,
		SchedulerOptions{FirstSpread: -1})
	startRun(t, s)
	c.waitFor(t, "3 runs of the panicking check", func([]model.Result) bool { return len(c.of(key(0))) >= 3 })
	rs := c.of(key(0))
	if rs[0].Status != model.StatusUnknown || !strings.Contains(rs[0].Summary, "panic: boom at first run") {
		t.Fatalf("first result %s %q, want UNKNOWN with the panic text", rs[0].Status, rs[0].Summary)
	}
	if !strings.Contains(rs[0].Attrs["panic_stack"], "scheduler_test.go") {
		t.Errorf("panic_stack does not point at the probe: %q", rs[0].Attrs["panic_stack"])
	}
	for _, r := range rs[1:] {
		if r.Status != model.StatusOK {
			t.Errorf("run after the panic: %s %q, want OK", r.Status, r.Summary)
		}
	}
	if len(c.of(key(1))) == 0 {
		t.Error("the other check never ran")
	}
}

func TestSchedulerOverrunBecomesUnknown(t *testing.T) {
	cfg := schedConfig(2, time.Minute, 20*time.Millisecond)
	probe := func(ctx context.Context, t Target) model.Outcome {
		if t.Asset.Name == "a0" {
			time.Sleep(300 * time.Millisecond) // ignores ctx
			return model.Outcome{Status: model.StatusOK, Summary: "late but fine"}
		}
		<-ctx.Done() // honours ctx
		return model.Critical("timed out: %v", ctx.Err())
	}
	c := newCollector()
	if err := NewScheduler(cfg, perRun(probe), c.sink).RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	over, polite := c.of(key(0)), c.of(key(1))
	if len(over) != 1 || len(polite) != 1 {
		t.Fatalf("got %d and %d results, want 1 each", len(over), len(polite))
	}
	if r := over[0]; r.Status != model.StatusUnknown ||
		!strings.Contains(r.Summary, "probe overran its deadline by") || !strings.Contains(r.Summary, "late but fine") {
		t.Errorf("overrunning probe: %s %q", r.Status, r.Summary)
	}
	if r := polite[0]; r.Status != model.StatusCritical || !strings.Contains(r.Summary, "deadline exceeded") {
		t.Errorf("probe that honours ctx: %s %q, want its own CRITICAL", r.Status, r.Summary)
	}
}

func TestSchedulerRetryIntervalWhileSoft(t *testing.T) {
	cfg := schedConfig(2, time.Hour, time.Second)
	for i := range cfg.Assets {
		cfg.Assets[i].Checks[0].RetryInterval = model.D(20 * time.Millisecond)
	}
	cfg.Assets[1].Checks[0].Retries = 1 // hard at once: never a retry interval
	// a0 says CRITICAL, CRITICAL, OK, CRITICAL, ...: counts reset on OK.
	script := []model.Status{model.StatusCritical, model.StatusCritical, model.StatusOK}
	var n atomic.Int32
	probe := func(ctx context.Context, t Target) model.Outcome {
		if t.Asset.Name != "a0" {
			return model.Critical("down")
		}
		i := int(n.Add(1)) - 1
		if i < len(script) {
			return model.Outcome{Status: script[i], Summary: "scripted"}
		}
		return model.Critical("down")
	}
	c := newCollector()
	s := NewScheduler(cfg, perRun(probe), c.sink, SchedulerOptions{FirstSpread: -1})
	startRun(t, s)
	c.waitFor(t, "3 results of a0", func([]model.Result) bool { return len(c.of(key(0))) >= 3 })

	rs := c.of(key(0))
	for i, r := range rs[:2] {
		if gap := r.Next.Sub(r.At); gap > time.Second {
			t.Errorf("soft result %d (%s): next run +%s, want the 20ms retry interval", i+1, r.Status, gap)
		}
	}
	if gap := rs[2].Next.Sub(rs[2].At); gap < 30*time.Minute {
		t.Errorf("after recovery: next run +%s, want back on the 1h interval", gap)
	}
	hard := c.of(key(1))
	if gap := hard[0].Next.Sub(hard[0].At); gap < 30*time.Minute {
		t.Errorf("retries=1: next run +%s, want the 1h interval (already hard)", gap)
	}

	// A fresh problem: a0 retries twice, then its third failure is hard.
	s.RunNow(key(0))
	c.waitFor(t, "3 more results of a0", func([]model.Result) bool { return len(c.of(key(0))) >= 6 })
	rs = c.of(key(0))
	for i, r := range rs[3:5] {
		if gap := r.Next.Sub(r.At); gap > time.Second {
			t.Errorf("new soft result %d: next run +%s, want the retry interval", i+1, gap)
		}
	}
	if gap := rs[5].Next.Sub(rs[5].At); gap < 30*time.Minute {
		t.Errorf("third failure is hard: next run +%s, want the 1h interval", gap)
	}
	time.Sleep(100 * time.Millisecond)
	if got := len(c.of(key(0))); got != 6 {
		t.Errorf("a0 ran %d times, want 6: hard problems wait for the interval", got)
	}
}

func TestSchedulerRunNow(t *testing.T) {
	gate := make(chan struct{})
	var calls atomic.Int32
	started := make(chan struct{}, 10)
	probe := func(ctx context.Context, t Target) model.Outcome {
		if calls.Add(1) == 2 {
			started <- struct{}{}
			<-gate // hold the second run until the test releases it
		}
		return model.Outcome{Status: model.StatusOK, Summary: "ok"}
	}
	c := newCollector()
	// First runs may be up to an hour away: only RunNow brings them early.
	s := NewScheduler(schedConfig(1, time.Hour, time.Minute), perRun(probe), c.sink,
		SchedulerOptions{FirstSpread: time.Hour, Rand: rand.New(rand.NewPCG(3, 4))})
	if s.RunNow(model.CheckKey{Asset: "nope", Check: "tcp"}) {
		t.Error("RunNow took an unknown key")
	}
	if !s.RunNow(key(0)) { // before Run: served when Run starts
		t.Fatal("RunNow refused a known key")
	}
	startRun(t, s)
	c.waitFor(t, "the requested first run", func(rs []model.Result) bool { return len(rs) == 1 })

	s.RunNow(key(0))
	<-started // the second run is in the probe now
	if !s.RunNow(key(0)) || !s.RunNow(key(0)) {
		t.Fatal("RunNow refused while running")
	}
	close(gate)
	c.waitFor(t, "the run asked for while running", func(rs []model.Result) bool { return len(rs) == 3 })
	time.Sleep(50 * time.Millisecond)
	if got := calls.Load(); got != 3 {
		t.Errorf("probe ran %d times, want 3 (two RunNow during one run make one more run)", got)
	}
}

func TestSchedulerRunOnceRunsEachOnce(t *testing.T) {
	const n = 300
	var mu sync.Mutex
	count := map[string]int{}
	probe := func(ctx context.Context, t Target) model.Outcome {
		mu.Lock()
		count[t.Asset.Name]++
		mu.Unlock()
		return model.Outcome{Status: model.StatusOK, Summary: "ok"}
	}
	var sunk atomic.Int32
	sink := func(ctx context.Context, r model.Result) error {
		time.Sleep(time.Millisecond)
		sunk.Add(1)
		return nil
	}
	s := NewScheduler(schedConfig(n, time.Minute, time.Second), perRun(probe), sink, SchedulerOptions{Concurrency: 8})
	if err := s.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := sunk.Load(); got != n {
		t.Fatalf("RunOnce returned with %d of %d results sunk", got, n)
	}
	if len(count) != n {
		t.Fatalf("%d distinct checks ran, want %d", len(count), n)
	}
	for name, k := range count {
		if k != 1 {
			t.Errorf("%s ran %d times", name, k)
		}
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.RunOnce(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("RunOnce with a cancelled ctx: %v, want context.Canceled", err)
	}
}

func TestSchedulerExclusiveRuns(t *testing.T) {
	s := NewScheduler(schedConfig(1, time.Hour, time.Second), perRun(okProbe), newCollector().sink)
	stop := startRun(t, s)
	time.Sleep(10 * time.Millisecond)
	if err := s.RunOnce(context.Background()); !errors.Is(err, ErrSchedulerBusy) {
		t.Errorf("RunOnce during Run: %v, want ErrSchedulerBusy", err)
	}
	if err := s.Run(context.Background()); !errors.Is(err, ErrSchedulerBusy) {
		t.Errorf("second Run: %v, want ErrSchedulerBusy", err)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if err := s.RunOnce(context.Background()); err != nil {
		t.Errorf("RunOnce after Run ended: %v", err)
	}
}

func TestSchedulerBackpressure(t *testing.T) {
	const limit = 3
	release := make(chan struct{})
	var probed atomic.Int32
	probe := func(ctx context.Context, t Target) model.Outcome {
		probed.Add(1)
		return model.Outcome{Status: model.StatusOK, Summary: "ok"}
	}
	var sunk atomic.Int32
	sink := func(ctx context.Context, r model.Result) error {
		select {
		case <-release:
		case <-ctx.Done():
			return ctx.Err()
		}
		sunk.Add(1)
		return nil
	}
	s := NewScheduler(schedConfig(20, 10*time.Millisecond, time.Second), perRun(probe), sink,
		SchedulerOptions{Concurrency: limit, FirstSpread: -1})
	stop := startRun(t, s)
	for probed.Load() < limit {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond) // 10 intervals pass with a stuck sink
	if got := probed.Load(); got != limit {
		t.Errorf("%d probes ran while the sink was stuck, want %d (one per slot)", got, limit)
	}
	close(release)
	for sunk.Load() < 40 {
		time.Sleep(time.Millisecond)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}

var errEngineGone = errors.New("engine gone")

func TestSchedulerSinkErrorEndsRun(t *testing.T) {
	sink := func(ctx context.Context, r model.Result) error { return errEngineGone }
	s := NewScheduler(schedConfig(3, time.Hour, time.Second), perRun(okProbe), sink, SchedulerOptions{FirstSpread: -1})
	err := s.Run(context.Background())
	if !errors.Is(err, errEngineGone) || !strings.Contains(err.Error(), "/tcp") {
		t.Fatalf("Run: %v, want the sink's error naming the check", err)
	}
}

func TestSchedulerRunEndsCleanly(t *testing.T) {
	before := runtime.NumGoroutine()
	var inProbe atomic.Int32
	probe := func(ctx context.Context, t Target) model.Outcome {
		inProbe.Add(1)
		defer inProbe.Add(-1)
		select {
		case <-ctx.Done():
			return model.Critical("cut short: %v", ctx.Err())
		case <-time.After(30 * time.Millisecond):
			return model.Outcome{Status: model.StatusOK, Summary: "ok"}
		}
	}
	c := newCollector()
	s := NewScheduler(schedConfig(100, 10*time.Millisecond, time.Second), perRun(probe), c.sink,
		SchedulerOptions{Concurrency: 16})
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- s.Run(ctx) }()
	c.waitFor(t, "50 results", func(rs []model.Result) bool { return len(rs) >= 50 })
	for inProbe.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-errc; err != nil {
		t.Fatalf("Run after cancel: %v, want nil", err)
	}
	if n := inProbe.Load(); n != 0 {
		t.Fatalf("Run returned with %d probes still running", n)
	}
	// Goroutines that called Done may need a moment to exit.
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if after := runtime.NumGoroutine(); after > before {
		buf := make([]byte, 1<<16)
		t.Fatalf("%d goroutines before Run, %d after:\n%s", before, after, buf[:runtime.Stack(buf, true)])
	}
}

// Rechecks (RunNow) take turns with due scheduled runs and hold at most half
// the slots while any wait: a burst of them cannot starve the estate. The
// a* checks are due every 10 ms and need more slots than there are, so
// scheduled runs always wait while the 100 rechecks are served.
func TestSchedulerRechecksShareSlots(t *testing.T) {
	const (
		limit = 8
		n     = 100
	)
	cfg := schedConfig(n, 10*time.Millisecond, 5*time.Millisecond)
	for i := range n {
		cfg.Assets = append(cfg.Assets, model.Asset{Name: fmt.Sprintf("child%d", i), Checks: []model.Check{{
			Type: model.CheckTCP, Interval: model.D(time.Hour), Timeout: model.D(time.Second), RetryInterval: model.D(time.Hour),
		}}})
	}
	cfg.ApplyDefaults()
	var (
		mu                     sync.Mutex
		sched, rechecks        int
		running, worst, served int
	)
	probe := func(ctx context.Context, t Target) model.Outcome {
		child := strings.HasPrefix(t.Asset.Name, "child")
		mu.Lock()
		if child {
			rechecks++
			running++
			worst = max(worst, running)
		} else {
			sched++
		}
		mu.Unlock()
		time.Sleep(2 * time.Millisecond)
		mu.Lock()
		if child {
			running--
			served++
		}
		mu.Unlock()
		return model.Outcome{Status: model.StatusOK, Summary: "ok"}
	}
	// Children's first runs are spread over an hour: they run when asked.
	s := NewScheduler(cfg, perRun(probe), func(context.Context, model.Result) error { return nil },
		SchedulerOptions{Concurrency: limit, FirstSpread: time.Hour, Rand: rand.New(rand.NewPCG(5, 6))})
	startRun(t, s)
	waitUntil := func(what string, cond func() bool) {
		t.Helper()
		for range 1000 {
			mu.Lock()
			ok := cond()
			mu.Unlock()
			if ok {
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
		t.Fatalf("timed out waiting for %s", what)
	}
	waitUntil("the estate to run", func() bool { return sched > 4*n })
	mu.Lock()
	before := rechecks
	mu.Unlock()
	for i := range n {
		s.RunNow(model.CheckKey{Asset: fmt.Sprintf("child%d", i), Check: model.CheckTCP})
	}
	waitUntil("every recheck", func() bool { return served >= before+n })
	mu.Lock()
	defer mu.Unlock()
	if worst > limit/2 {
		t.Errorf("rechecks held %d of %d slots while scheduled runs waited, want at most %d", worst, limit, limit/2)
	}
	if worst < 2 {
		t.Errorf("rechecks never ran side by side (worst %d): they are not served at once", worst)
	}
}

// A scheduled run says when it was due, so the engine can keep the lag; a
// run asked for out of schedule says nothing.
func TestSchedulerResultsCarryDue(t *testing.T) {
	c := newCollector()
	s := NewScheduler(schedConfig(2, time.Hour, time.Second), perRun(okProbe), c.sink,
		SchedulerOptions{FirstSpread: -1, Rand: rand.New(rand.NewPCG(7, 8))})
	startRun(t, s)
	rs := c.waitFor(t, "the first runs", func(rs []model.Result) bool { return len(rs) == 2 })
	for _, r := range rs {
		if r.Due.IsZero() || r.At.Before(r.Due) {
			t.Errorf("scheduled run of %s: due %v, started %v", r.Key, r.Due, r.At)
		}
	}
	s.RunNow(key(0))
	rs = c.waitFor(t, "the run asked for", func(rs []model.Result) bool { return len(rs) == 3 })
	if !rs[2].Due.IsZero() {
		t.Errorf("a RunNow run carries due %v", rs[2].Due)
	}
}

// How late a run may start to share a wake-up: 2.5% of the interval, 25 ms
// for short intervals, 250 ms at most.
func TestCoalesceFor(t *testing.T) {
	for _, c := range []struct{ every, want time.Duration }{
		{10 * time.Millisecond, 25 * time.Millisecond},
		{time.Second, 25 * time.Millisecond},
		{5 * time.Second, 125 * time.Millisecond},
		{10 * time.Second, 250 * time.Millisecond},
		{time.Hour, 250 * time.Millisecond},
	} {
		if got := coalesceFor(c.every); got != c.want {
			t.Errorf("coalesceFor(%v) = %v, want %v", c.every, got, c.want)
		}
	}
}
