package model

import (
	"slices"
	"time"
)

// historyRing keeps a check's last n results in two arrays (samples and
// their values) and hands out read-only views without copying, as window
// does: appends write past the end of every view already published, and
// when an array is full the newest n-1 samples move to fresh arrays (their
// value offsets rebased) while the old ones stay with the snapshots that
// hold them. O(1) amortised per push, O(1) per view.
type historyRing struct {
	samples []histSample
	values  []float32
	n       int // samples kept
	max     int // sample capacity at which to compact
}

// ringSlack is how many samples a ring appends past n before it compacts.
// Small, because every check holds its slack all the time: at n = 120 the
// arrays are 128 samples (2 KiB, a malloc size class of its own, and 512 B
// per metric), where a quarter's slack (150 samples: 2,688 B with the size
// class) cost 0.8-1.4 KB more per check, 8-14 MB at 10,000 checks. A
// compaction copies the n-1 newest samples, so 8 pushes of slack is ~15
// samples copied per push: memmove of a few hundred bytes (BENCHMARKS.md,
// history memory).
const ringSlack = 8

func newHistoryRing(n int) historyRing {
	n = max(n, 1)
	// A ring of one or two (noctop check keeps one) just compacts each time.
	slack := ringSlack
	if n <= 2 {
		slack = 0
	}
	return historyRing{n: n, max: n + slack}
}

// push appends one result; names are the check's columns, extended here by
// metrics never seen before.
func (h *historyRing) push(names []string, at time.Time, st Status, d time.Duration, m map[string]float64) []string {
	if len(h.samples) == cap(h.samples) || len(h.values)+len(names)+len(m) > cap(h.values) {
		if w := columnsAfter(names, m); len(h.samples) == cap(h.samples) || len(h.values)+w > cap(h.values) {
			h.compact(w)
		}
	}
	voff := len(h.values)
	names, h.values = metricColumns(names, m, h.values)
	h.samples = append(h.samples, packSample(at, st, d, voff, len(h.values)-voff))
	return names
}

// compact moves the newest n-1 samples (all, while fewer) and their values
// to fresh arrays with room for one more sample of the given width.
func (h *historyRing) compact(width int) {
	keep := h.samples[max(0, len(h.samples)-(h.n-1)):]
	base := 0
	if len(keep) > 0 {
		base = int(keep[0].voff)
	}
	vals := h.values[base:]
	// Grow by doubling up to max, so short-lived histories stay small.
	scap := max(min(max(2*cap(h.samples), 4), h.max), len(keep)+1)
	if h.max == h.n {
		scap = h.n // a ring without slack is exactly as long as it keeps
	}
	vcap := max(scap*max(width, 1), len(vals)+width)
	ns := make([]histSample, len(keep), scap)
	for i, s := range keep {
		s.voff -= uint16(base)
		ns[i] = s
	}
	nv := make([]float32, len(vals), vcap)
	copy(nv, vals)
	h.samples, h.values = ns, nv
}

// view is the kept results as a History over names.
func (h *historyRing) view(names []string) History {
	lo := max(0, len(h.samples)-h.n)
	return History{
		Names:   names[:len(names):len(names)],
		samples: h.samples[lo:len(h.samples):len(h.samples)],
		values:  h.values[:len(h.values):len(h.values)],
	}
}

// columnsAfter is how many columns names will have once m's new metrics
// joined them: the width of the sample m makes.
func columnsAfter(names []string, m map[string]float64) int {
	w := len(names)
	for k := range m {
		if !slices.Contains(names, k) {
			w++
		}
	}
	return min(w, maxHistoryMetrics)
}
