package ui

import (
	"math"
	"slices"
	"strings"
	"time"

	"noctop/model"
)

var resultColumns = []column{
	{title: "AT", w: 8},
	{title: "STATUS", w: 13},
	{title: "TOOK", w: 7, right: true},
	{title: "VALUE", w: 9, right: true},
	{title: "METRICS", flex: true, min: 10},
}

// chartHeight is the height of the history chart for a body h rows high.
func chartHeight(h int) int { return clampInt(h/3, 4, 12) }

// checkHeadRows are the rows of the check screen above its result list.
func checkHeadRows(h int) int { return 4 + chartHeight(h) + 3 }

// checkView draws one check: a chart of its main metric over the kept
// history and the list of recent results, newest first.
func (m *Root) checkView(f *frame, w, h int) []string {
	s := m.st
	a := m.snap.Asset(f.asset)
	var c *model.CheckState
	if a != nil {
		c = a.Check(f.check)
	}
	if c == nil {
		return []string{s.muted.paint("check " + clean(f.asset) + "/" + clean(f.check) + " is no longer in the configuration")}
	}
	soft := ""
	if !c.Hard && c.Status.IsProblem() {
		soft = softLabel(c)
	}
	out := []string{
		s.bold.paint(clean(c.Name)) + s.muted.paint(" ("+c.Type+") on ") + clean(c.Asset) + "   " + statusLong(s, c.Status, soft) + "  " + clean(c.Summary),
		s.muted.paint("last " + clock(c.LastRun) + " took " + took(c.Duration) +
			" · next " + clock(c.NextRun) + " · status since " + clock(c.Since) + " · " + plural(c.History.Len(), "result", "results") + " kept"),
		"",
	}
	key := mainMetric(c)
	vals := history(c, key, c.History.Len())
	out = append(out, s.bold.paint(metricLabel(key))+"  "+s.muted.paint(statsText(key, vals)))
	ch := chartHeight(h)
	for _, l := range chart(vals, w, ch, func(v float64) string { return formatMetric(key, v) }) {
		out = append(out, s.accent.paint(l))
	}
	out = append(out, "", s.bold.paint("Results")+s.muted.paint(" newest first"))
	t := newTable(resultColumns, w)
	out = append(out, t.header(s))
	n := h - len(out)
	rows := c.History.Len()
	off := window(f.cursor, f.offset, rows, n)
	for i := off; i < rows && i < off+n; i++ {
		idx := rows - 1 - i
		smp := c.History.Samples[idx]
		st := s
		if i == f.cursor {
			st = m.plain
		}
		line := t.line([]string{
			st.muted.paint(clock(smp.At)), statusLong(st, smp.Status, ""),
			took(smp.Duration), formatMetric(key, sampleMetric(c.History, idx, key)), st.muted.paint(metricsText(c.History, idx)),
		})
		if i == f.cursor {
			line = s.selected.paint(line)
		}
		out = append(out, line)
	}
	if rows == 0 {
		out = append(out, s.muted.paint("no results yet"))
	}
	return out
}

// took formats a run's duration in milliseconds.
func took(d time.Duration) string { return ms(float64(d) / float64(time.Millisecond)) }

func sampleMetric(h model.History, i int, key string) float64 {
	v, _ := h.Value(i, key) // NaN when absent
	return v
}

// statsText is "min 1ms avg 2ms max 9ms over 120".
func statsText(key string, vals []float64) string {
	lo, hi, sum, n := math.Inf(1), math.Inf(-1), 0.0, 0
	for _, v := range vals {
		if math.IsNaN(v) {
			continue
		}
		lo, hi, sum, n = math.Min(lo, v), math.Max(hi, v), sum+v, n+1
	}
	if n == 0 {
		return "no values yet"
	}
	f := func(v float64) string { return formatMetric(key, v) }
	return "min " + f(lo) + " · avg " + f(sum/float64(n)) + " · max " + f(hi) + " over " + plural(n, "result", "results")
}

// metricsText lists a sample's metrics as k=v, sorted by name.
func metricsText(h model.History, i int) string {
	keys := slices.Clone(h.Names)
	slices.Sort(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		if v, ok := h.Value(i, k); ok {
			parts = append(parts, clean(k)+"="+num(v))
		}
	}
	return strings.Join(parts, " ")
}
