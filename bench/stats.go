package main

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
)

// errNoSamples: a statistic of an empty series.
var errNoSamples = errors.New("no samples")

// series is one figure measured once per round.
type series []float64

// median is the middle value, or the mean of the two middle values of an
// even count.
func (s series) median() (float64, error) {
	if len(s) == 0 {
		return 0, errNoSamples
	}
	v := slices.Clone(s)
	slices.Sort(v)
	n := len(v)
	if n%2 == 1 {
		return v[n/2], nil
	}
	return (v[n/2-1] + v[n/2]) / 2, nil
}

// span is the smallest and largest value.
func (s series) span() (lo, hi float64, err error) {
	if len(s) == 0 {
		return 0, 0, errNoSamples
	}
	return slices.Min(s), slices.Max(s), nil
}

// ratios divides round by round: a[i] / b[i]. Rounds run side by side, so
// a round's ratio compares the two tools under the same load.
func ratios(a, b series) (series, error) {
	if len(a) != len(b) {
		return nil, fmt.Errorf("ratio of %d rounds to %d", len(a), len(b))
	}
	out := make(series, len(a))
	for i := range a {
		if b[i] == 0 {
			return nil, fmt.Errorf("ratio: round %d divides by 0", i+1)
		}
		out[i] = a[i] / b[i]
	}
	return out, nil
}

// sig3 prints v with three significant digits, never in exponent form and
// never dropping integer digits: 32.3, 1.64, 0.0123, 1234.
func sig3(v float64) string {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	digits := func(x float64) int { return int(math.Floor(math.Log10(math.Abs(x)))) }
	decimals := 2 - digits(v)
	// Rounding can carry into a new digit (9.996 -> 10.00): one decimal less.
	if decimals > 0 {
		if r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'f', decimals, 64), 64); digits(r) > digits(v) {
			decimals--
		}
	}
	if decimals <= 0 {
		return count(math.Round(v))
	}
	return strconv.FormatFloat(v, 'f', decimals, 64)
}

// ratioText prints a ratio without its unit: 0.051, 0.71, 1.25, 65.
func ratioText(r float64) string {
	switch a := math.Abs(r); {
	case a >= 10:
		return strconv.FormatFloat(r, 'f', 0, 64)
	case a >= 0.1:
		return strconv.FormatFloat(r, 'f', 2, 64)
	case a == 0:
		return "0"
	default: // two significant digits
		return strconv.FormatFloat(r, 'f', 1-int(math.Floor(math.Log10(a))), 64)
	}
}

// cell prints a series as "median (min-max)" with format f and unit after
// the median, or just the median when every round gave the same figure (or
// there was one round): "1.64 (1.63-1.65)", "0.72x (0.70-0.75)".
func cell(s series, f func(float64) string, unit string) string {
	m, err := s.median()
	if err != nil {
		return "–"
	}
	lo, hi, _ := s.span()
	if f(lo) == f(hi) {
		return f(m) + unit
	}
	return f(m) + unit + " (" + f(lo) + "-" + f(hi) + ")"
}

// count prints a whole number with thousands separators: 10,000.
func count(v float64) string {
	s := strconv.FormatInt(int64(v), 10)
	neg := len(s) > 0 && s[0] == '-'
	if neg {
		s = s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		return "-" + s
	}
	return s
}
