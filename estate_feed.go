package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"noctop/estate"
	"noctop/model"
)

// estateFeed polls the estate (estate.Fetch) and hands each snapshot to
// every subscriber, latest wins: the dashboard of `noctop view`, or each
// SSH session of `noctop serve --prom`. Its run loop is the one goroutine
// that fetches; it ends with ctx and closes the subscriptions.
type estateFeed struct {
	src     estate.Source
	refresh time.Duration
	poke    chan struct{} // an ack asks for a refresh now

	mu     sync.Mutex
	subs   []chan *model.Snapshot
	latest *model.Snapshot
	closed bool
}

func newEstateFeed(src estate.Source, refresh time.Duration) *estateFeed {
	return &estateFeed{src: src, refresh: refresh, poke: make(chan struct{}, 1)}
}

// remoteNote is what r, m and M say in the estate view.
const remoteNote = "not from the estate view; the site's own noctop does it (its dashboard, or ssh to its noctop serve)"

// run fetches every refresh (and at once after an ack) until ctx ends.
// A fetch that fails keeps the last good view, marked stale
// (estate.MarkStale); say gets each error and the recovery, for the
// status line or the log.
func (f *estateFeed) run(ctx context.Context, say func(string)) {
	defer f.close()
	timer := time.NewTimer(0)
	defer timer.Stop()
	var good *model.Snapshot
	var failingSince time.Time
	var seq, eventSeq uint64
	var events []model.Event // what changed between views (estate.Changes)
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		case <-f.poke:
		}
		// A fetch never outlasts a refresh: a Prometheus that hangs shows
		// as failing, not as a frozen view.
		fctx, cancel := context.WithTimeout(ctx, f.refresh)
		s, _, err := estate.Fetch(fctx, f.src)
		cancel()
		switch {
		case ctx.Err() != nil:
			return
		case s != nil:
			if !failingSince.IsZero() {
				say("Prometheus answers again")
				failingSince = time.Time{}
			}
			if err != nil {
				say(err.Error() + " (no problem text or acks this refresh)")
			}
			events, eventSeq = estate.Changes(good, s, events, eventSeq)
			s.Events = events
			good = s
		default:
			if failingSince.IsZero() {
				failingSince = time.Now()
			}
			say(err.Error())
			if good == nil {
				break // nothing to show yet: the dashboard waits, the status line says why
			}
			s = estate.MarkStale(good, failingSince, err)
		}
		if s != nil {
			seq++
			s.Seq, s.ConfigPath = seq, f.src.Prom
			f.publish(s)
		}
		timer.Reset(f.refresh)
	}
}

// Subscribe returns a channel holding the latest snapshot (at once when
// there is one) and the function that ends the subscription.
func (f *estateFeed) Subscribe() (<-chan *model.Snapshot, func()) {
	c := make(chan *model.Snapshot, 1)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.latest != nil {
		c <- f.latest
	}
	if f.closed {
		close(c)
		return c, func() {}
	}
	f.subs = append(f.subs, c)
	return c, func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		if i := slices.Index(f.subs, c); i >= 0 {
			f.subs = slices.Delete(f.subs, i, i+1)
			close(c)
		}
	}
}

// publish makes s the latest: each subscriber's channel holds s alone
// (a slow one misses the views in between, never blocks the feed).
func (f *estateFeed) publish(s *model.Snapshot) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.latest = s
	for _, c := range f.subs {
		select {
		case <-c:
		default:
		}
		c <- s // the feed is the only sender, under mu: the slot is free
	}
}

func (f *estateFeed) close() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closed = true
	for _, c := range f.subs {
		close(c)
	}
	f.subs = nil
}

// Latest is the newest snapshot (nil before the first answer).
func (f *estateFeed) Latest() *model.Snapshot {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.latest
}

// errNoAlertmanager says acks need --am.
var errNoAlertmanager = errors.New("acks in the estate view are Alertmanager silences: give --am")

// target is what an ack of k is about, as Alertmanager names it.
func (f *estateFeed) target(k model.CheckKey) (estate.Target, error) {
	if f.src.AM == "" {
		return estate.Target{}, errNoAlertmanager
	}
	s := f.Latest()
	var a *model.AssetState
	if s != nil {
		a = s.Asset(k.Asset)
	}
	if a == nil {
		return estate.Target{}, fmt.Errorf("%s is not in the view", k.Asset)
	}
	site, name := estate.Origin(a)
	return estate.Target{Site: site, Asset: name, Check: k.Check}, nil
}

// ack silences k's alerts in Alertmanager for estate.AckFor (a TUI ack
// is sticky until the problem resolves; a silence needs an end) and
// refreshes the view.
func (f *estateFeed) ack(ctx context.Context, req model.AckRequest) error {
	t, err := f.target(req.Key)
	if err != nil {
		return err
	}
	if _, err := estate.Ack(ctx, f.src.AM, t, req.By, req.Comment, time.Now()); err != nil {
		return err
	}
	f.refreshNow()
	return nil
}

// unack expires the silences that ack k.
func (f *estateFeed) unack(ctx context.Context, k model.CheckKey, _ string) error {
	t, err := f.target(k)
	if err != nil {
		return err
	}
	if err := estate.Unack(ctx, f.src.AM, t); err != nil {
		return err
	}
	f.refreshNow()
	return nil
}

func (f *estateFeed) refreshNow() {
	select {
	case f.poke <- struct{}{}:
	default: // one is already asked for
	}
}
