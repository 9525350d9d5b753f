package model

import (
	"math"
	"slices"
	"time"
)

// History is a check's recent results, oldest first: a read-only view into
// the engine's compact ring (engine_history.go). A sample costs 16 bytes
// plus 4 per metric, instead of a Sample struct with its own slice (about
// 120 bytes with 7 metrics): at 10,000 checks x 120 samples that is the
// difference between about 60 and 140 MB (BENCHMARKS.md, Engine).
type History struct {
	// Names are the metric names; Sample.Values[i] belongs to Names[i].
	Names []string

	samples []histSample
	values  []float32 // histSample.voff indexes into it
}

// Sample is one past result.
type Sample struct {
	At       time.Time
	Status   Status
	Duration time.Duration
	// Values are the metrics of this result, aligned with History.Names;
	// NaN (or a short slice) where the result lacked a metric. Read-only:
	// it shares the history's storage.
	Values []float32
}

// histSample is one result as the ring keeps it.
type histSample struct {
	at     int64  // UnixNano
	dur    uint32 // microseconds, capped at about 71 minutes
	voff   uint16 // first value in the values array
	nvals  uint8
	status Status
}

// maxHistoryMetrics bounds the columns of one check's history; metrics past
// it are still in the latest result, just not charted. The ring's offsets
// rely on it: maxHistoryMetrics x the ring's length fits in a uint16.
const maxHistoryMetrics = 64

// maxSampleDur is the longest duration a sample records exactly.
const maxSampleDur = math.MaxUint32 * time.Microsecond

func packSample(at time.Time, st Status, d time.Duration, voff, nvals int) histSample {
	us := min(max(d, 0), maxSampleDur) / time.Microsecond
	return histSample{at: at.UnixNano(), dur: uint32(us), voff: uint16(voff), nvals: uint8(nvals), status: st}
}

// metricColumns returns names extended by the metrics of m not seen before
// (sorted, so the order is reproducible; Derived metrics are not kept) and
// dst extended by m's values
// aligned with them. names is only appended to, so views of it handed out
// earlier stay valid.
func metricColumns(names []string, m map[string]float64, dst []float32) ([]string, []float32) {
	if len(m) == 0 {
		return names, dst
	}
	var fresh []string
	for name := range m {
		if !slices.Contains(names, name) && !derivedMetric(name) {
			fresh = append(fresh, name)
		}
	}
	if len(fresh) > 0 {
		slices.Sort(fresh)
		for _, name := range fresh {
			if len(names) < maxHistoryMetrics {
				names = append(names, name)
			}
		}
	}
	for _, name := range names {
		v, ok := m[name]
		if !ok {
			v = math.NaN()
		}
		dst = append(dst, float32(v))
	}
	return names, dst
}

// Append returns h with one more sample, for histories built by hand (tests,
// tools); the engine keeps its own ring. It copies: h is not modified.
func (h History) Append(at time.Time, st Status, d time.Duration, metrics map[string]float64) History {
	values := slices.Clone(h.values)
	names, values := metricColumns(slices.Clip(h.Names), metrics, values)
	n := len(values) - len(h.values)
	samples := append(slices.Clip(h.samples), packSample(at, st, d, len(h.values), n))
	return History{Names: names, samples: samples, values: values}
}

// Len is the number of samples.
func (h History) Len() int { return len(h.samples) }

// Sample returns sample i (0 is the oldest); its Values share the history's
// storage.
func (h History) Sample(i int) Sample {
	s := h.samples[i]
	return Sample{
		At: time.Unix(0, s.at), Status: s.status, Duration: time.Duration(s.dur) * time.Microsecond,
		Values: h.values[s.voff : int(s.voff)+int(s.nvals) : int(s.voff)+int(s.nvals)],
	}
}

// At returns when sample i's run started.
func (h History) At(i int) time.Time { return time.Unix(0, h.samples[i].at) }

// Has reports whether any sample carries the metric.
func (h History) Has(name string) bool { return h.index(name) >= 0 }

func (h History) index(name string) int {
	for i, n := range h.Names {
		if n == name {
			return i
		}
	}
	return -1
}

// Value returns metric name of sample i, and whether the sample has it.
func (h History) Value(i int, name string) (float64, bool) {
	k := h.index(name)
	if k < 0 || i < 0 || i >= len(h.samples) {
		return math.NaN(), false
	}
	return h.value(h.samples[i], k)
}

func (h History) value(s histSample, k int) (float64, bool) {
	if k >= int(s.nvals) {
		return math.NaN(), false
	}
	v := float64(h.values[int(s.voff)+k])
	return v, !math.IsNaN(v)
}

// Series returns one metric over all samples, oldest first, NaN where a
// sample lacks it (a sparkline leaves a gap there).
func (h History) Series(name string) []float64 { return h.Tail(name, len(h.samples)) }

// Tail is Series over the last n samples at most: what a sparkline n cells
// wide draws.
func (h History) Tail(name string, n int) []float64 {
	from := max(0, len(h.samples)-max(n, 0))
	out := make([]float64, len(h.samples)-from)
	k := h.index(name)
	for i, s := range h.samples[from:] {
		if k < 0 {
			out[i] = math.NaN()
			continue
		}
		out[i], _ = h.value(s, k)
	}
	return out
}
