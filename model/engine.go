package model

import (
	"context"
	"errors"
	"time"
)

// EngineOptions tune an Engine. The zero value is usable.
type EngineOptions struct {
	// HistoryLen bounds the per-check ring of samples (default 120).
	HistoryLen int
	// OneShot makes every result hard at once (noctop check).
	OneShot bool
	// Recheck is how the engine asks the scheduler to run a check now. It
	// must not block.
	Recheck func(CheckKey)
	// Now is the clock (default time.Now); tests set it.
	Now func() time.Time
	// PublishEvery coalesces snapshots (default 100ms): at most one per
	// period while results stream in.
	PublishEvery time.Duration
}

// Engine owns all mutable monitoring state in one goroutine (Run).
type Engine struct{}

// NewEngine builds an engine for a validated config.
func NewEngine(cfg *Config, opts EngineOptions) *Engine { return &Engine{} }

// Run processes results and commands until ctx is done.
func (e *Engine) Run(ctx context.Context) {}

// Submit hands a result to the engine; it blocks until the inbox takes it or
// ctx is done.
func (e *Engine) Submit(ctx context.Context, r Result) error {
	return errors.New("TODO(engine helper)")
}

// Recheck asks for an immediate run of one check (a command on the inbox).
func (e *Engine) Recheck(key CheckKey) {}

// Sync waits until everything submitted before it is processed and returns
// a fresh snapshot.
func (e *Engine) Sync(ctx context.Context) (*Snapshot, error) {
	return nil, errors.New("TODO(engine helper)")
}

// Latest returns the newest published snapshot (never nil after NewEngine).
func (e *Engine) Latest() *Snapshot { return &Snapshot{} }

// Subscription receives snapshots, latest wins: a slow reader misses
// intermediate ones and never slows the engine.
type Subscription struct {
	C <-chan *Snapshot
}

// Subscribe registers a new subscriber.
func (e *Engine) Subscribe() *Subscription { return &Subscription{} }

// Close unsubscribes.
func (s *Subscription) Close() {}
