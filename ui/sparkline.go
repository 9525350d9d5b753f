package ui

import (
	"math"
	"slices"
	"strings"
)

var sparkLevels = []rune("▁▂▃▄▅▆▇█")

// sparkline draws the last w values as 8-level blocks, scaled from 0 (or
// the minimum when values go negative) to the maximum, so a flat line of
// small values stays low. NaN is a gap.
func sparkline(vals []float64, w int) string {
	if w <= 0 {
		return ""
	}
	if len(vals) > w {
		vals = vals[len(vals)-w:]
	}
	lo, hi := 0.0, math.Inf(-1)
	for _, v := range vals {
		if math.IsNaN(v) {
			continue
		}
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	var b strings.Builder
	b.Grow(w * 3)
	b.WriteString(spaces(w - len(vals)))
	for _, v := range vals {
		switch {
		case math.IsNaN(v):
			b.WriteByte(' ')
		case hi <= lo:
			b.WriteRune(sparkLevels[0])
		default:
			i := int((v - lo) / (hi - lo) * float64(len(sparkLevels)-1))
			b.WriteRune(sparkLevels[min(max(i, 0), len(sparkLevels)-1)])
		}
	}
	return b.String()
}

// chart draws values as vertical bars h rows high with eight steps per
// row (one column per value, the newest on the right), with the scale on
// the left. It returns h lines of exactly w cells.
func chart(vals []float64, w, h int, format func(float64) string) []string {
	return chartScaled(vals, w, h, topOf(slices.Values(vals)), format)
}

// chartPlot is the width of the plot beside the scale labels of a chart
// w cells wide whose top is hi, and the labels' width (0: no labels).
func chartPlot(w int, hi float64, format func(float64) string) (plotW, label int) {
	label = max(width(format(hi)), width(format(0))) + 1
	plotW = w - label - 1
	if plotW < 1 {
		return w, 0
	}
	return plotW, label
}

// chartScaled is chart with its top at hi (> 0).
func chartScaled(vals []float64, w, h int, hi float64, format func(float64) string) []string {
	lines := make([]string, h)
	if h <= 0 || w <= 0 {
		return lines
	}
	top, bottom := format(hi), format(0)
	plotW, label := chartPlot(w, hi, format)
	if len(vals) > plotW {
		vals = vals[len(vals)-plotW:]
	}
	pad := plotW - len(vals)
	for row := range h {
		var b strings.Builder
		switch {
		case label == 0:
		case row == 0:
			b.WriteString(fitRight(top, label-1) + " ┤")
		case row == h-1:
			b.WriteString(fitRight(bottom, label-1) + " ┤")
		default:
			b.WriteString(spaces(label) + "│")
		}
		b.WriteString(spaces(pad))
		// The row's band of eighths, counted from the bottom.
		base := float64(h-1-row) * 8
		for _, v := range vals {
			if math.IsNaN(v) {
				b.WriteByte(' ')
				continue
			}
			e := v/hi*float64(h*8) - base
			switch {
			case e >= 8:
				b.WriteRune('█')
			case e >= 1:
				b.WriteRune(sparkLevels[int(e)-1])
			case row == h-1 && v > 0:
				b.WriteRune('▁') // a small value still shows
			default:
				b.WriteByte(' ')
			}
		}
		lines[row] = b.String()
	}
	return lines
}

// bar draws a horizontal gauge of pct (0..100) w cells wide.
func bar(s *styles, pct float64, w int, t tone) string {
	if w <= 0 {
		return ""
	}
	if math.IsNaN(pct) {
		return s.barEmpty.paint(strings.Repeat("·", w))
	}
	full := int(math.Round(math.Min(math.Max(pct, 0), 100) / 100 * float64(w)))
	return t.paint(strings.Repeat("█", full)) + s.barEmpty.paint(strings.Repeat("░", w-full))
}
