package model

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// ErrEngineStopped is returned by Submit and Sync once Run has ended.
var ErrEngineStopped = errors.New("engine stopped")

// Defaults of EngineOptions.
const (
	DefaultHistoryLen = 120
	// StoredHistoryLen is the ring a monitor with a store keeps: the store
	// holds every result for the charts, so memory only feeds sparklines
	// and the latest results (at 10,000 icmp checks, half the ring is
	// about 25 MB of heap).
	StoredHistoryLen = 60
	// DefaultPublishEvery is the snapshot period for each publishStep
	// assets started (see publishEvery), up to maxPublishEvery.
	DefaultPublishEvery = 250 * time.Millisecond
	publishStep         = 5000
	maxPublishEvery     = time.Second
	// maxEvents bounds Snapshot.Events.
	maxEvents = 500
	// inboxSize lets a burst of results queue without blocking the
	// scheduler while the engine publishes.
	inboxSize = 1024
	// oneShotInboxSize is a one-shot engine's: it never publishes while
	// results come in, so it never stalls them (1024 messages are 350 KB).
	oneShotInboxSize = 64
)

// EngineOptions tune an Engine. The zero value is usable.
type EngineOptions struct {
	// HistoryLen bounds the per-check ring of samples (default 120; none
	// with OneShot).
	HistoryLen int
	// OneShot makes every result hard at once (noctop check). A one-shot
	// run reads each check's last result once, at Sync: it keeps no
	// history unless HistoryLen says otherwise, and publishes at Sync only,
	// so until the first Sync Latest holds the counts but no asset states
	// (at 10,000 assets the all-PENDING copies were 6 MB held for the
	// whole run).
	OneShot bool
	// Recheck is how the engine asks the scheduler to run a check now. It
	// must not block.
	Recheck func(CheckKey)
	// Now is the clock (default time.Now); tests set it. It stamps
	// snapshots and results that carry no time. Publishing is paced by the
	// real clock whatever Now says.
	Now func() time.Time
	// PublishEvery coalesces snapshots: at most one per period while
	// results stream in. Zero: 250ms, longer for a large estate (see
	// publishEvery).
	PublishEvery time.Duration
	// Resume is what an earlier run left (nil: start PENDING). See
	// engine_resume.go.
	Resume *Resume
}

// Engine owns all mutable monitoring state in one goroutine (Run). See
// doc.go for the semantics.
type Engine struct {
	opts EngineOptions
	cfg  *Config

	inbox chan message
	done  chan struct{} // closed when Run ends

	running atomic.Bool
	latest  atomic.Pointer[Snapshot]
	dropped atomic.Uint64
	// noticesDropped counts notices Notify found no room for.
	noticesDropped atomic.Uint64

	subsMu  sync.Mutex
	subs    []*Subscription // copy on write; read by the engine under subsMu
	stopped bool            // under subsMu

	// Everything below is owned by the Run goroutine (and by NewEngine
	// before Run starts).
	checks    []checkRT
	byKey     map[CheckKey]int
	assets    []assetRT
	byName    map[string]int // assets; replaced, never changed, by a reload (snapshots share it)
	svcByName map[string]int // services; likewise
	order     []int          // assets, parents first
	services  []serviceRT
	svcOrder  []int // services, members first
	queue     rankQueue

	svcStale    bool
	dirtyAssets []int // assets to copy afresh at the next publish
	counts      [numStatuses]int
	tally       Tally
	local       localReport
	lag         lagClock
	muted       int       // asset whose events a local problem silences, -1 for none
	answeredAt  time.Time // when the result being applied finished (At + Duration)
	events      window[Event]
	eventSeq    uint64
	snapSeq     uint64
	checksDone  int // checks with at least one result
	newest      time.Time
	dirty       bool // something changed since the last publish
	lastPub     time.Time
	start       time.Time

	// seeding silences events while NewEngine applies Resume; rebuild makes
	// the next snapshot copy every state (a reload changed the layout).
	seeding, rebuild bool
	// refused is the latest config a reload refused, until one applies.
	refused refusal
	sla     slaBook    // hard-state timelines for availability (engine_sla.go)
	maint   maintBook  // maintenance windows (engine_maintenance.go)
	life    lifeBook   // the lifecycle pseudo-checks (engine_lifecycle.go)
	changes changeBook // the newest change per asset (engine_correlate.go)
	prevRun time.Time  // the previous run of the check whose result is applied
}

type msgKind uint8

const (
	msgResult msgKind = iota
	msgRecheck
	msgSync
	msgNotice
	msgReload
	msgRefuse
	msgAck
	msgMaintain
)

// message is one entry of the inbox. Results and commands share it so
// that a command sees every result submitted before it.
type message struct {
	kind  msgKind
	r     Result    // msgResult; r.Key alone for msgRecheck
	n     Notice    // msgNotice
	cfg   *Config   // msgReload
	err   error     // msgRefuse
	op    *ackOp    // msgAck
	maint *maintCmd // msgMaintain
	reply chan *Snapshot
}

// NewEngine builds an engine for a validated config (after Load or
// ApplyDefaults). The engine keeps references to cfg: do not modify it
// afterwards, but for the assets' Checks, which it reads only here (a
// one-shot run consumes them: probes.Consume). Latest returns an
// all-PENDING snapshot until results arrive (OneShot: its counts only).
func NewEngine(cfg *Config, opts EngineOptions) *Engine {
	if cfg == nil {
		cfg = &Config{}
	}
	if opts.HistoryLen <= 0 && !opts.OneShot {
		opts.HistoryLen = DefaultHistoryLen
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	inbox := inboxSize
	if opts.OneShot {
		inbox = oneShotInboxSize
	}
	e := &Engine{
		opts:   opts,
		cfg:    cfg,
		inbox:  make(chan message, inbox),
		done:   make(chan struct{}),
		events: newWindow[Event](maxEvents),
		start:  opts.Now(),
		muted:  -1,
	}
	e.sla = newSLABook(e.start, opts.OneShot)
	if opts.Resume != nil {
		e.seedSLA(opts.Resume.SLA)
	}
	e.buildAssets()
	e.buildServices()
	e.seeding = opts.Resume != nil
	e.startWindows(opts.Resume)
	e.resume(opts.Resume)
	e.rollupAll(e.start)
	e.resumeServices(opts.Resume)
	e.seeding = false
	e.startLifecycles()
	if opts.OneShot {
		e.latest.Store(e.snapshotHead()) // asset states at Sync only
		e.dirty = true
	} else {
		e.publish()
	}
	e.lastPub = time.Time{} // the first result goes out at once
	return e
}

// Run processes results and commands until ctx is done. It starts no other
// goroutine. When it returns, Submit and Sync fail with ErrEngineStopped and
// every subscription channel is closed. Run may be called once.
func (e *Engine) Run(ctx context.Context) {
	if !e.running.CompareAndSwap(false, true) {
		panic("model: Engine.Run called twice")
	}
	defer e.stop()

	// Throttle with a leading and a trailing edge: a change after a quiet
	// period is published at once; while results stream in, at most one
	// snapshot per PublishEvery goes out, the last at the period's end.
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	armed := false
	windows := e.windowTimer()
	defer e.stopWindowTimer()
	for {
		select {
		case <-ctx.Done():
			return
		case m := <-e.inbox:
			e.handle(m)
		case <-windows:
			e.windowTick()
		case <-timer.C:
			armed = false
			if e.dirty {
				e.publish()
			}
			continue
		case <-e.lifecycleC():
			e.lifecycleTick()
		}
		// A one-shot run (noctop check) is read once, at Sync: snapshots on
		// the way would only be garbage.
		if e.dirty && !armed && !e.opts.OneShot {
			if wait := e.publishEvery() - time.Since(e.lastPub); wait > 0 {
				timer.Reset(wait)
				armed = true
			} else {
				e.publish()
			}
		}
	}
}

// publishEvery is the snapshot period: opts.PublishEvery when set, else
// DefaultPublishEvery for each publishStep assets started (250 ms up to
// 5,000 assets, 500 ms up to 10,000), at most maxPublishEvery. Each
// snapshot costs every subscriber a walk of the estate (the store's, the
// dashboard's index merge and frame, each SSH viewer's), so the rate falls
// as the estate grows and that cost stays about level: the 10,000-asset
// dashboard cost 13% less CPU at 500 ms than at 250 ms.
func (e *Engine) publishEvery() time.Duration {
	if e.opts.PublishEvery > 0 {
		return e.opts.PublishEvery
	}
	steps := max(1, (len(e.assets)+publishStep-1)/publishStep)
	return min(time.Duration(steps)*DefaultPublishEvery, maxPublishEvery)
}

func (e *Engine) handle(m message) {
	e.windowsDue()
	switch m.kind {
	case msgResult:
		e.applyResult(m.r)
	case msgRecheck:
		if ci, ok := e.checkIndex(m.r.Key); ok && !e.recheckLifecycle(ci) && e.opts.Recheck != nil {
			e.opts.Recheck(m.r.Key)
		}
	case msgNotice:
		e.applyNotice(m.n)
	case msgReload:
		e.applyReload(m.cfg)
		e.publish()
		m.reply <- e.latest.Load()
	case msgRefuse:
		e.applyRefusal(m.err)
		e.publish()
		m.reply <- e.latest.Load()
	case msgAck:
		m.op.reply <- e.applyAck(m.op)
	case msgSync:
		if e.dirty {
			e.publish()
		}
		m.reply <- e.latest.Load() // buffered: never blocks
	case msgMaintain:
		m.maint.reply <- e.applyMaintain(m.maint)
	}
}

// stop ends the engine: later calls fail and subscribers see C closed.
func (e *Engine) stop() {
	e.subsMu.Lock()
	e.stopped = true
	subs := e.subs
	e.subs = nil
	close(e.done)
	e.subsMu.Unlock()
	for _, s := range subs {
		s.closeChan()
	}
}

// Submit hands a result to the engine; it blocks until the inbox takes it or
// ctx is done (backpressure reaches the scheduler, never the UI). It returns
// ctx.Err() or ErrEngineStopped when the result was not taken. The engine
// keeps the result's Metrics and Attrs maps: do not modify them afterwards.
// Results for checks that are not in the config are ignored.
func (e *Engine) Submit(ctx context.Context, r Result) error {
	return e.send(ctx, message{kind: msgResult, r: r})
}

func (e *Engine) send(ctx context.Context, m message) error {
	select {
	case <-e.done:
		return ErrEngineStopped
	default:
	}
	select {
	case e.inbox <- m:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-e.done:
		return ErrEngineStopped
	}
}

// Recheck asks for an immediate run of one check: a command on the inbox,
// handled after every result submitted before it. The engine calls
// EngineOptions.Recheck with the key; unknown keys are ignored. Recheck waits
// only while the inbox is full (the engine drains it at millions per second)
// and returns at once when the engine has stopped; call it from a tea.Cmd,
// not from Update.
func (e *Engine) Recheck(key CheckKey) {
	_ = e.send(context.Background(), message{kind: msgRecheck, r: Result{Key: key}})
}

// Sync waits until everything submitted before it is processed and returns
// a snapshot that includes it (publishing one if anything changed).
func (e *Engine) Sync(ctx context.Context) (*Snapshot, error) {
	return e.sync(ctx, msgSync)
}

func (e *Engine) sync(ctx context.Context, kind msgKind) (*Snapshot, error) {
	reply := make(chan *Snapshot, 1)
	if err := e.send(ctx, message{kind: kind, reply: reply}); err != nil {
		return nil, err
	}
	select {
	case s := <-reply:
		return s, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-e.done:
		select {
		case s := <-reply: // answered just before stopping
			return s, nil
		default:
			return nil, ErrEngineStopped
		}
	}
}

// Latest returns the newest published snapshot (never nil after NewEngine).
// It does not involve the engine goroutine.
func (e *Engine) Latest() *Snapshot { return e.latest.Load() }

// publish builds a snapshot from the changed states, makes it Latest and
// offers it to every subscriber.
func (e *Engine) publish() {
	s := e.buildSnapshot()
	e.dirty = false
	e.lastPub = time.Now()
	e.subsMu.Lock()
	e.latest.Store(s)
	subs := e.subs
	e.subsMu.Unlock()
	for _, sub := range subs {
		sub.offer(s)
	}
}

// stamp is the time of a change caused by a result: when its run started,
// or the clock if the result carries no time.
func (e *Engine) stamp(at time.Time) time.Time {
	if at.IsZero() {
		return e.opts.Now()
	}
	return at
}
