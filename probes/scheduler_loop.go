package probes

import (
	"container/heap"
	"context"
	"fmt"
	"time"

	"noctop/model"
)

// Run schedules every check until ctx is done, then waits for the runs in
// flight and returns nil. It returns early with an error when the sink fails
// while ctx is still live. Every goroutine it started has ended when it
// returns, so a probe that never returns keeps Run from returning: probes
// must honour ctx.
func (s *Scheduler) Run(ctx context.Context) error {
	if !s.active.CompareAndSwap(false, true) {
		return ErrSchedulerBusy
	}
	defer s.active.Store(false)

	ctx, cancel := context.WithCancel(ctx)
	c := s.newCrew(ctx)
	defer func() {
		cancel() // runs and sinks see ctx end before we wait for them
		c.end()
	}()

	q := s.plan(time.Now())
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	d := demand{limit: max(s.limit/2, 1)}

	for {
		now := time.Now()
		for c.busy < s.limit {
			due := len(q) > 0 && !q[0].due.After(now)
			var e *entry
			if e = d.take(due); e == nil {
				if !due {
					break
				}
				e = heap.Pop(&q).(*entry)
			}
			e.running = true
			c.hand(e)
		}
		c.retire(now)
		var tick <-chan time.Time
		wake := c.retireAt()
		if c.busy < s.limit && len(q) > 0 {
			// The next due run may wait its slack, so that the runs due
			// meanwhile start with it: none later than maxCoalesce.
			if at := q[0].due.Add(q[0].e.slack); wake.IsZero() || at.Before(wake) {
				wake = at
			}
		}
		if !wake.IsZero() {
			timer.Reset(wake.Sub(now))
			tick = timer.C
		}

		select {
		case <-ctx.Done():
			return nil
		case w := <-c.done:
			e := c.back(w, time.Now())
			e.running = false
			d.finished(e)
			if e.err != nil && ctx.Err() == nil {
				return fmt.Errorf("scheduler: sink refused %s: %w", e.key, e.err)
			}
			if e.removed.Load() {
				release(e) // a reload dropped the check while it ran
				continue
			}
			if e.again {
				e.again = false
				d.queue = append(d.queue, e)
				continue
			}
			e.due = e.next
			heap.Push(&q, e)
		case <-s.wake:
			for _, e := range s.takePending() {
				switch {
				case e.removed.Load():
				case e.running:
					e.again = true
				case e.index >= 0: // not yet asked for
					heap.Remove(&q, e.index)
					d.queue = append(d.queue, e)
				}
			}
		case p := <-s.reloads:
			s.apply(p, &q, &d, time.Now())
			close(p.applied)
		case <-tick:
		}
	}
}

// demand holds the runs asked for with RunNow (a recheck), first come first
// served. They take turns with scheduled runs that are due and hold at most
// half the slots while any are, so a parent that recovers with 1,000
// children rechecks them at once without starving the rest of the estate.
type demand struct {
	queue    []*entry
	inflight int
	limit    int  // slots on-demand runs may hold while scheduled runs wait
	turn     bool // a scheduled run went last: on-demand goes next
}

// take returns the next on-demand run to start, or nil when the next slot
// belongs to a scheduled run (due says whether one is waiting).
func (d *demand) take(due bool) *entry {
	if len(d.queue) == 0 || (due && (!d.turn || d.inflight >= d.limit)) {
		d.turn = true
		return nil
	}
	e := d.queue[0]
	d.queue[0] = nil
	d.queue = d.queue[1:]
	d.inflight++
	e.onDemand = true
	d.turn = false
	return e
}

// finished frees an on-demand run's slot.
func (d *demand) finished(e *entry) {
	if e.onDemand {
		e.onDemand = false
		d.inflight--
	}
}

// plan sets every check's first run and phase and returns the heap.
func (s *Scheduler) plan(t0 time.Time) dueHeap {
	q := make(dueHeap, 0, len(s.entries))
	for _, e := range s.entries {
		e.running, e.again, e.tries = false, false, model.NewAttempts(e.retries)
		e.anchor, e.due = s.firstRun(t0, e.every)
		e.index = len(q)
		q = append(q, dueItem{due: e.due, e: e})
	}
	heap.Init(&q)
	return q
}

// nextSlot is the first phase slot anchor + k*every that is at least half an
// interval after start (so the second run, after a jittered first one, is
// not right behind it) and not before now (a run that outlasted its slot
// skips it).
func nextSlot(anchor time.Time, every time.Duration, start, now time.Time) time.Time {
	earliest := start.Add(every / 2)
	if now.After(earliest) {
		earliest = now
	}
	if !earliest.After(anchor) {
		return anchor
	}
	k := (earliest.Sub(anchor) + every - 1) / every
	return anchor.Add(k * every)
}

// dueHeap is a min-heap of entries by due time. Each item carries its
// entry's due time, so comparisons read the heap's own array: with 10,000
// entries scattered over the heap, Less chasing two entry pointers was
// 7% of the dashboard's CPU (cache and TLB misses on every level).
type dueHeap []dueItem

// dueItem is an entry in the heap and the due time it was pushed with
// (an entry's due changes only while it is out of the heap).
type dueItem struct {
	due time.Time
	e   *entry
}

func (h dueHeap) Len() int           { return len(h) }
func (h dueHeap) Less(i, j int) bool { return h[i].due.Before(h[j].due) }
func (h dueHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].e.index = i
	h[j].e.index = j
}

func (h *dueHeap) Push(x any) {
	e := x.(*entry)
	e.index = len(*h)
	*h = append(*h, dueItem{due: e.due, e: e})
}

func (h *dueHeap) Pop() any {
	old := *h
	n := len(old) - 1
	e := old[n].e
	old[n] = dueItem{}
	e.index = -1
	*h = old[:n]
	return e
}
