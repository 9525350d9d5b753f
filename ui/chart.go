package ui

import (
	"math"
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
// (right, inclusive: a result stamped now is the last column's): each column is the count-weighted average of the points that
// fall in it, NaN where none does, so a gap in the data shows as a gap.
func timeColumns(pts []model.Point, from, to time.Time, n int) []float64 {
	if n <= 0 {
		return nil
	}
	sums := make([]float64, n)
	counts := make([]int, n)
	span := to.Sub(from)
	for _, p := range pts {
		if p.At.Before(from) || p.At.After(to) || math.IsNaN(p.Avg) || span <= 0 {
			continue
		}
		i := min(int(int64(p.At.Sub(from))*int64(n)/int64(span)), n-1)
		c := max(p.Count, 1)
		sums[i] += p.Avg * float64(c)
		counts[i] += c
	}
	out := make([]float64, n)
	for i := range out {
		out[i] = math.NaN()
		if counts[i] > 0 {
			out[i] = sums[i] / float64(counts[i])
		}
	}
	return out
}

// timeChart draws points between from and to as bars h rows high and w
// cells wide, the scale on the left (as chart does), one column per equal
// slice of time.
func timeChart(pts []model.Point, from, to time.Time, w, h int, format func(float64) string) []string {
	hi := math.Inf(-1)
	for _, p := range pts {
		if !math.IsNaN(p.Avg) {
			hi = math.Max(hi, p.Avg)
		}
	}
	if math.IsInf(hi, -1) || hi <= 0 {
		hi = 1
	}
	plotW, _ := chartPlot(w, hi, format)
	return chartScaled(timeColumns(pts, from, to, plotW), w, h, hi, format)
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
