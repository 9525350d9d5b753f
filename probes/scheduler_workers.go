package probes

import (
	"context"
	"slices"
	"sync"
	"time"
)

// workerIdle is how long a worker waits for a run before it is told to
// end: a burst (a parent's recovery, the first sweep) grows the crew up to
// the concurrency limit, and the quiet estate then shrinks it back.
const workerIdle = 30 * time.Second

// worker is a goroutine of Run's that runs the checks handed to it, one at
// a time. A run in a fresh goroutine started from the runtime's initial
// stack and grew it by copying, every run, since a dead goroutine's grown
// stack is freed: morestack and copystack were 6.7% of a monitor of 1,000
// http checks on 10 s. A worker keeps its grown stack between runs (the GC
// halves an idle one's at most once per cycle).
type worker struct {
	runs  chan *entry // one run at a time; closed when the worker is to end
	e     *entry      // the run it was handed last (loop-owned)
	since time.Time   // when it went idle (loop-owned)
}

// crew is Run's workers; only Run's loop calls its methods. An idle worker
// is handed the next run before a new one starts, most recently used first
// (its stack is grown), so the least recently used sit at the bottom of
// the idle stack and retire there. There are never more workers than runs
// in flight plus idle ones, and never more than the concurrency limit.
type crew struct {
	s       *Scheduler
	ctx     context.Context // Run's: every worker runs under it
	done    chan *worker    // capacity for every worker: a send never blocks
	idle    []*worker       // waiting for a run; the top went idle last
	busy    int             // workers running a check
	idleFor time.Duration
	wg      sync.WaitGroup
}

func (s *Scheduler) newCrew(ctx context.Context) *crew {
	return &crew{s: s, ctx: ctx, done: make(chan *worker, s.limit), idleFor: s.workerIdle}
}

// hand starts e's run on an idle worker, or on a new one when none is.
func (c *crew) hand(e *entry) {
	var w *worker
	if n := len(c.idle); n > 0 {
		w = c.idle[n-1]
		c.idle[n-1] = nil
		c.idle = c.idle[:n-1]
	} else {
		w = &worker{runs: make(chan *entry, 1)}
		c.s.workers.started.Add(1)
		c.s.workers.live.Add(1)
		c.wg.Go(func() {
			defer c.s.workers.live.Add(-1)
			for e := range w.runs {
				c.s.runScheduled(c.ctx, e)
				c.done <- w
			}
		})
	}
	w.e = e
	c.busy++
	w.runs <- e // buffered and empty: the worker took its last run
}

// back takes in a worker whose run ended (received from done) and returns
// that run's entry.
func (c *crew) back(w *worker, now time.Time) *entry {
	c.busy--
	w.since = now
	c.idle = append(c.idle, w)
	e := w.e
	w.e = nil
	return e
}

// retire ends the workers idle for idleFor or longer.
func (c *crew) retire(now time.Time) {
	n := 0
	for n < len(c.idle) && now.Sub(c.idle[n].since) >= c.idleFor {
		close(c.idle[n].runs)
		n++
	}
	c.idle = slices.Delete(c.idle, 0, n)
}

// retireAt is when the loop should next wake up to retire workers (zero:
// none idle). It waits an eighth longer than idleFor, so the workers that
// went idle shortly after the oldest retire in the same wake-up.
func (c *crew) retireAt() time.Time {
	if len(c.idle) == 0 {
		return time.Time{}
	}
	return c.idle[0].since.Add(c.idleFor + c.idleFor/8)
}

// end waits for the runs in flight (Run's ctx is cancelled by now), then
// ends every worker and waits until they have.
func (c *crew) end() {
	for ; c.busy > 0; c.busy-- {
		c.idle = append(c.idle, <-c.done)
	}
	for _, w := range c.idle {
		close(w.runs)
	}
	c.idle = nil
	c.wg.Wait()
}
