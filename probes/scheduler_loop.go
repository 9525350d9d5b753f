package probes

import (
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

	q := dueQueue{dueHeap: s.plan(time.Now())}
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	d := demand{limit: max(s.limit/2, 1)}

	for {
		now := time.Now()
		for c.busy < s.limit {
			_, at, ok := q.first()
			due := ok && !at.After(now)
			var e *entry
			if e = d.take(due); e == nil {
				if !due {
					break
				}
				e = q.pop()
			}
			e.running = true
			c.hand(e)
		}
		c.retire(now)
		var tick <-chan time.Time
		wake := c.retireAt()
		if next, at, ok := q.first(); ok && c.busy < s.limit {
			// The next due run may wait its slack, so that the runs due
			// meanwhile start with it: none later than maxCoalesce.
			if at = at.Add(next.slack); wake.IsZero() || at.Before(wake) {
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
			q.push(e)
		case <-s.wake:
			for _, e := range s.takePending() {
				switch {
				case e.removed.Load():
				case e.running:
					e.again = true
				case e.inHeap: // not yet asked for
					q.remove(e)
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
	for _, e := range s.entries {
		e.running, e.again, e.tries = false, false, model.NewAttempts(e.retries)
		e.anchor, e.due = s.firstRun(t0, e.every)
	}
	return newDueHeap(s.entries)
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
