package ui

import (
	"iter"
	"math"
	"slices"
	"time"

	"noctop/model"
)

// chartSpan is one of the check screen's chart spans.
type chartSpan struct {
	name string
	d    time.Duration
}

// chartSpans are the spans [ and ] step through, over the store's raw
// results and rollups.
var chartSpans = [...]chartSpan{{"1 h", time.Hour}, {"24 h", 24 * time.Hour}, {"7 d", 7 * 24 * time.Hour}, {"30 d", 30 * 24 * time.Hour}}

// spanRefresh is how old a span's series may get before it is read again;
// between reads the newest results come from the snapshot's history.
func spanRefresh(d time.Duration) time.Duration { return max(d/60, 30*time.Second) }

// pointStats is the series' minimum, count-weighted average and maximum,
// and the number of results it sums up (0: no values).
func pointStats(pts []model.Point) (lo, avg, hi float64, n int) {
	lo, hi = math.Inf(1), math.Inf(-1)
	sum := 0.0
	for _, p := range pts {
		c := max(p.Count, 1)
		if math.IsNaN(p.Avg) {
			continue
		}
		lo, hi = math.Min(lo, p.Min), math.Max(hi, p.Max)
		sum += p.Avg * float64(c)
		n += c
	}
	if n == 0 {
		return math.NaN(), math.NaN(), math.NaN(), 0
	}
	return lo, sum / float64(n), hi, n
}

// timeColumns spreads points over n columns by time, from (left) to to
// (right, inclusive: a result stamped now is the last column's): each
// column is the highest average of the points that fall in it, so a
// single slow result still shows when many share a column (the figures
// line gives the span's average); NaN where none does, so a gap in the
// data shows as a gap.
func timeColumns(pts []model.Point, from, to time.Time, n int) []float64 {
	if n <= 0 {
		return nil
	}
	out := make([]float64, n)
	for i := range out {
		out[i] = math.NaN()
	}
	span := to.Sub(from)
	for _, p := range pts {
		if p.At.Before(from) || p.At.After(to) || math.IsNaN(p.Avg) || span <= 0 {
			continue
		}
		i := min(int(int64(p.At.Sub(from))*int64(n)/int64(span)), n-1)
		if math.IsNaN(out[i]) || p.Avg > out[i] {
			out[i] = p.Avg
		}
	}
	// A column narrower than the series' step falls between two points
	// without being a gap in the data: it shows the point before it, as
	// long as that is less than 1.5 steps back.
	step := medianStep(pts)
	last, lastAt := math.NaN(), time.Time{}
	for i := range out {
		start := from.Add(time.Duration(int64(span) * int64(i) / int64(n)))
		switch {
		case !math.IsNaN(out[i]):
			last = out[i]
			lastAt = from.Add(time.Duration(int64(span) * int64(i+1) / int64(n)))
		case !math.IsNaN(last) && start.Sub(lastAt) < step*3/2:
			out[i] = last
		}
	}
	return out
}

// medianStep is the typical time between consecutive points.
func medianStep(pts []model.Point) time.Duration {
	if len(pts) < 2 {
		return 0
	}
	steps := make([]time.Duration, 0, len(pts)-1)
	for i := 1; i < len(pts); i++ {
		steps = append(steps, pts[i].At.Sub(pts[i-1].At))
	}
	slices.Sort(steps)
	return steps[len(steps)/2]
}

// timeChart draws points between from and to as bars h rows high and w
// cells wide, the scale on the left (as chart does), one column per equal
// slice of time, scaled to the highest column.
func timeChart(pts []model.Point, from, to time.Time, w, h int, format func(float64) string) []string {
	// The plot's width depends on the scale's labels, and the scale on
	// the columns: lay out with the highest point, then again with the
	// highest column when its label is narrower or wider.
	hi := topOf(func(yield func(float64) bool) {
		for _, p := range pts {
			if !yield(p.Avg) {
				return
			}
		}
	})
	plotW, _ := chartPlot(w, hi, format)
	cols := timeColumns(pts, from, to, plotW)
	hi = topOf(slices.Values(cols))
	if w2, _ := chartPlot(w, hi, format); w2 != plotW {
		cols = timeColumns(pts, from, to, w2)
	}
	return chartScaled(cols, w, h, hi, format)
}

// topOf is the highest value that is a number, 1 when none is above 0.
func topOf(vals iter.Seq[float64]) float64 {
	hi := math.Inf(-1)
	for v := range vals {
		if !math.IsNaN(v) {
			hi = math.Max(hi, v)
		}
	}
	if math.IsInf(hi, -1) || hi <= 0 {
		return 1
	}
	return hi
}

// seriesEnd is when the last point of a series ends: its time plus the
// step between the last two (a rollup bucket covers its step), so the
// results of this run added after it do not count twice.
func seriesEnd(pts []model.Point, from time.Time) time.Time {
	switch n := len(pts); n {
	case 0:
		return from
	case 1:
		return pts[0].At
	default:
		if pts[n-1].Count > 1 {
			return pts[n-1].At.Add(pts[n-1].At.Sub(pts[n-2].At))
		}
		return pts[n-1].At
	}
}

// historyPoints are the samples of a check's in-memory history newer than
// after, as points: the results the store has not been asked for yet.
func historyPoints(c *model.CheckState, name string, after time.Time) []model.Point {
	h := c.History
	var out []model.Point
	for i := range h.Len() {
		at := h.At(i)
		if !at.After(after) {
			continue
		}
		if v, ok := h.Value(i, name); ok && !math.IsNaN(v) {
			out = append(out, model.Point{At: at, Min: v, Avg: v, Max: v, Count: 1})
		}
	}
	return out
}
