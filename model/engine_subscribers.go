package model

import (
	"slices"
	"sync"
	"sync/atomic"
)

// Subscription receives snapshots, latest wins: C holds at most one, and a
// newer snapshot replaces one the reader has not taken yet. A slow reader
// misses intermediate snapshots and never slows the engine or other readers.
// C is closed by Close and when the engine stops.
type Subscription struct {
	C <-chan *Snapshot

	c       chan *Snapshot
	e       *Engine
	mu      sync.Mutex // orders offer against close
	closed  bool
	dropped atomic.Uint64
}

// Subscribe registers a new subscriber. C holds the latest snapshot at once,
// so a new viewer has something to draw before the next change.
func (e *Engine) Subscribe() *Subscription {
	c := make(chan *Snapshot, 1)
	s := &Subscription{C: c, c: c, e: e}
	e.subsMu.Lock()
	defer e.subsMu.Unlock()
	// Under subsMu publish cannot store a newer snapshot between this
	// Load and the registration, so C never goes back in time.
	c <- e.latest.Load()
	if e.stopped {
		s.closed = true
		close(c)
		return s
	}
	e.subs = append(slices.Clip(e.subs), s)
	return s
}

// Close unsubscribes and closes C. It is safe to call more than once.
func (s *Subscription) Close() {
	e := s.e
	e.subsMu.Lock()
	if i := slices.Index(e.subs, s); i >= 0 {
		// Copy on write: publish may be reading the old slice.
		e.subs = slices.Delete(slices.Clone(e.subs), i, i+1)
	}
	e.subsMu.Unlock()
	s.closeChan()
}

// Dropped counts the snapshots this subscriber missed.
func (s *Subscription) Dropped() uint64 { return s.dropped.Load() }

func (s *Subscription) closeChan() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.closed {
		s.closed = true
		close(s.c)
	}
}

// offer puts snap in C, replacing a snapshot the reader has not taken. The
// engine is the only sender, so the loop ends within two turns.
func (s *Subscription) offer(snap *Snapshot) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	for {
		select {
		case s.c <- snap:
			return
		default:
		}
		select {
		case <-s.c:
			s.dropped.Add(1)
			s.e.dropped.Add(1)
		default: // the reader took it meanwhile
		}
	}
}
