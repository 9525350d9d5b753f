package model

import "time"

// Schedule lag: how late scheduled runs start (Result.At - Result.Due).
// A monitor that cannot keep up shows it here before anything else: the
// dashboard's header says so when the p99 passes a second, the headless
// log once a minute.

// lagWindow is how long one histogram counts before the next takes over;
// LagStats covers the current and the previous one.
const lagWindow = time.Minute

// LagSlow is the p99 lag from which front ends warn.
const LagSlow = time.Second

// LagBounds are the histogram's bucket upper bounds; a last bucket holds
// everything later.
func LagBounds() [15]time.Duration { return lagBounds() }

func lagBounds() [15]time.Duration {
	return [15]time.Duration{
		time.Millisecond, 2 * time.Millisecond, 5 * time.Millisecond, 10 * time.Millisecond,
		25 * time.Millisecond, 50 * time.Millisecond, 100 * time.Millisecond, 250 * time.Millisecond,
		500 * time.Millisecond, time.Second, 2500 * time.Millisecond, 5 * time.Second,
		10 * time.Second, 30 * time.Second, time.Minute,
	}
}

// lagHistogram counts lags in fixed buckets: constant memory however many
// runs, and a p99 accurate to its bucket.
type lagHistogram struct {
	counts [16]uint32
	n      uint32
	max    time.Duration
}

func (h *lagHistogram) add(d time.Duration) {
	d = max(d, 0)
	b := lagBucket(d)
	h.counts[b]++
	h.n++
	h.max = max(h.max, d)
}

// lagBucket is the index of the bucket d falls in.
func lagBucket(d time.Duration) int {
	for i, ub := range lagBounds() {
		if d <= ub {
			return i
		}
	}
	return len(lagBounds())
}

// LagTotals counts every scheduled run's lag since the engine started, in
// the buckets of LagBounds: only ever growing, as a Prometheus histogram
// wants (the windowed LagStats quantiles go down again).
type LagTotals struct {
	// Buckets counts runs per bucket (not cumulative); the last one holds
	// the runs later than the last bound.
	Buckets [16]uint64
	Runs    uint64
	Sum     time.Duration
}

func (t *LagTotals) add(d time.Duration) {
	d = max(d, 0)
	t.Buckets[lagBucket(d)]++
	t.Runs++
	t.Sum += d
}

// LagStats sums up the schedule's lag over the last one to two minutes.
type LagStats struct {
	// Runs is how many scheduled runs started in the window.
	Runs int
	// P50 and P99 are upper bounds: the bucket the quantile falls in
	// (1, 2, 5, 10, 25, 50, 100, 250, 500 ms, 1, 2.5, 5, 10, 30, 60 s);
	// Max is exact.
	P50, P99, Max time.Duration
	// Total counts every run since the engine started.
	Total LagTotals
}

// Slow reports whether the p99 lag is past LagSlow.
func (l LagStats) Slow() bool { return l.P99 > LagSlow }

// lagStats merges two histograms into quantiles.
func lagStats(a, b *lagHistogram) LagStats {
	var sum lagHistogram
	for i := range sum.counts {
		sum.counts[i] = a.counts[i] + b.counts[i]
	}
	sum.n, sum.max = a.n+b.n, max(a.max, b.max)
	st := LagStats{Runs: int(sum.n), Max: sum.max}
	if sum.n == 0 {
		return st
	}
	st.P50, st.P99 = sum.quantile(0.50), sum.quantile(0.99)
	return st
}

// quantile is the upper bound of the bucket holding the q-th lag (the max
// for the last bucket, or when the max is lower).
func (h *lagHistogram) quantile(q float64) time.Duration {
	need := uint32(q*float64(h.n) + 0.999999)
	var seen uint32
	bounds := lagBounds()
	for i, c := range h.counts {
		seen += c
		if seen >= need {
			if i < len(bounds) && bounds[i] < h.max {
				return bounds[i]
			}
			return h.max
		}
	}
	return h.max
}

// lagClock rotates the histograms: the current one counts until lagWindow
// has passed, then becomes the previous one.
type lagClock struct {
	cur, prev lagHistogram
	start     time.Time
	total     LagTotals
}

// note records one run's lag at now (the engine's clock).
func (l *lagClock) note(now time.Time, lag time.Duration) {
	l.rotate(now)
	l.cur.add(lag)
	l.total.add(lag)
}

// rotate moves to a new window when the current one is over; after a gap
// of two windows the previous one is empty too.
func (l *lagClock) rotate(now time.Time) {
	switch el := now.Sub(l.start); {
	case l.start.IsZero():
		l.start = now
	case el >= 2*lagWindow:
		l.prev, l.cur, l.start = lagHistogram{}, lagHistogram{}, now
	case el >= lagWindow:
		l.prev, l.cur, l.start = l.cur, lagHistogram{}, l.start.Add(lagWindow)
	}
}

// stats is the lag over the current and the previous window at now.
func (l *lagClock) stats(now time.Time) LagStats {
	l.rotate(now)
	st := lagStats(&l.prev, &l.cur)
	st.Total = l.total
	return st
}
