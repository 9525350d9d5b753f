package ui

import (
	"fmt"
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

// checkHeadRows are the rows of the check screen above its result list:
// the head (3), the chart's title and figures (2), the chart, then a blank
// line, the list's title and its header.
func checkHeadRows(h int) int { return 5 + chartHeight(h) + 3 }

// View draws the check's head, the chart of its primary metric over the
// kept history and the list of recent results, newest first.
func (c *checkScreen) View(e *env, w, h int) []string {
	s := e.styles
	cs := c.state(e)
	if cs == nil {
		return []string{s.muted.paint("check " + clean(c.asset) + "/" + clean(c.check) + " is no longer in the configuration")}
	}
	soft := ""
	if !cs.Hard && cs.Status.IsProblem() {
		soft = softLabel(cs)
	}
	// The third head line is blank, or says what the operator should know
	// first: the change the problem followed, who acknowledged it, that it
	// flaps.
	var notes []string
	if cl := correlationLine(s, cs); cl != "" {
		notes = append(notes, cl)
	}
	if cs.Ack != nil {
		notes = append(notes, ackText(e, cs.Ack))
	}
	if fl := flapLine(s, cs); fl != "" {
		notes = append(notes, fl)
	}
	third := strings.Join(notes, "  ")
	third = cut(third, w)
	out := []string{
		s.bold.paint(clean(cs.Name)) + s.muted.paint(" ("+cs.Type+") on ") + clean(cs.Asset) + "   " + statusLongMarked(s, cs.Status, soft, ackMark(cs.Ack != nil)) + "  " + clean(cs.Summary),
		s.muted.paint("last " + clock(cs.LastRun) + " took " + took(cs.Duration) +
			" · next " + clock(cs.NextRun) + " · status since " + clock(cs.Since) + " · " + plural(cs.History.Len(), "result", "results") + " kept"),
		third,
	}
	name := primaryMetric(cs)
	if items := cs.Renewals(); cs.Type == model.CheckLifecycle {
		// No metric to chart: the register it judged instead.
		out = append(out, padLines(append([]string{s.bold.paint("Register") + s.muted.paint(" soonest first")},
			renewalLines(s, items, w)...), w, chartHeight(h)+2)...)
	} else if e.archive != nil {
		out = append(out, c.storedChart(e, cs, name, w, chartHeight(h))...)
	} else {
		out = append(out, metricChart(s, cs, name, w, chartHeight(h), c.needStore)...)
	}
	out = append(out, "", s.bold.paint("Results")+s.muted.paint(" newest first"))
	t := newTable(resultColumns, w)
	out = append(out, t.header(s))
	n := h - len(out)
	rows := cs.History.Len()
	off := window(c.cursor, c.offset, rows, n)
	for i := off; i < rows && i < off+n; i++ {
		out = append(out, resultRow(s, e.plain, cs, name, rows-1-i, i == c.cursor, t))
	}
	if rows == 0 {
		out = append(out, s.muted.paint("no results yet"))
	}
	return out
}

// metricChart is the chart of the history this run keeps (no store): the
// title, the metric's figures, then the chart, ch rows high. A code is not
// charted: its rows stay blank.
func metricChart(s *styles, c *model.CheckState, name string, w, ch int, needStore bool) []string {
	// The span keys say why they do nothing, louder once pressed.
	spans := s.muted.paint("  [ ] spans: needs the store (--no-store)")
	if needStore {
		spans = s.warnText.paint("  [ ] spans: needs the store (--no-store)")
	}
	title := chartTitle(s, c, name)
	title = fit(title, max(w-width(spans), 0)) + spans
	if !chartable(c, name) {
		return padLines([]string{title, s.muted.paint("a code: shown as it is, not charted")}, w, ch+2)
	}
	vals := history(c, name, c.History.Len())
	format := func(v float64) string { return formatMetric(c, name, v) }
	out := []string{title, s.muted.paint(statsText(format, vals) + " · history from this run only")}
	for _, l := range chart(vals, w, ch, format) {
		out = append(out, s.accent.paint(l))
	}
	return out
}

// chartTitle is the metric's name and what it measures.
func chartTitle(s *styles, c *model.CheckState, name string) string {
	label, help := metricTitle(c, name)
	title := s.bold.paint(label)
	if help != "" {
		title += s.muted.paint(" — " + help)
	}
	return title
}

// storedChart is the chart of the span read from the store, with the
// results of this run newer than what it returned: the title with the
// spans, the figures (or the request's state), then the chart, ch rows
// high.
func (c *checkScreen) storedChart(e *env, cs *model.CheckState, name string, w, ch int) []string {
	s := e.styles
	var spans strings.Builder
	for i, sp := range chartSpans {
		spans.WriteString("  ")
		if i == c.span {
			spans.WriteString(s.accent.paint("[" + sp.name + "]"))
		} else {
			spans.WriteString(s.muted.paint(sp.name))
		}
	}
	title := chartTitle(s, cs, name)
	right := spans.String() + s.muted.paint("  [ ]")
	title = fit(title, max(w-width(right), 0)) + right
	if !chartable(cs, name) {
		return padLines([]string{title, s.muted.paint("a code: shown as it is, not charted")}, w, ch+2)
	}
	sp := chartSpans[c.span]
	from, to := e.now.Add(-sp.d), e.now
	var pts []model.Point
	if c.series.is(c.span, name) {
		pts = c.series.pts
	}
	pts = append(pts[:len(pts):len(pts)], historyPoints(cs, name, seriesEnd(pts, from))...)
	format := func(v float64) string { return formatMetric(cs, name, v) }
	var figures string
	switch lo, avg, hi, n := pointStats(pts); {
	case c.err != "":
		figures = s.critText.paint(c.err)
	case c.pending != 0 && !c.series.is(c.span, name):
		figures = s.muted.paint("loading " + sp.name + " from the store…")
	case n == 0:
		figures = s.muted.paint("no values over " + sp.name)
	default:
		figures = s.muted.paint("min " + format(lo) + " · avg " + format(avg) + " · max " + format(hi) + " over " + sp.name +
			" (" + from.Format("01-02 15:04") + " – " + to.Format("01-02 15:04") + ", " + plural(n, "result", "results") + ")")
	}
	out := []string{title, figures}
	for _, l := range timeChart(pts, from, to, w, ch, format) {
		out = append(out, s.accent.paint(l))
	}
	return out
}

// resultRow draws past result idx (an index into the history), highlighted
// when selected.
func resultRow(s, plain *styles, c *model.CheckState, name string, idx int, selected bool, t table) string {
	smp := c.History.Sample(idx)
	cell := s // the cells' styles: plain under the selection bar
	if selected {
		cell = plain
	}
	line := t.line([]string{
		cell.muted.paint(clock(smp.At)), statusLong(cell, smp.Status, ""),
		took(smp.Duration), formatMetric(c, name, sampleMetric(c.History, idx, name)), cell.muted.paint(metricsText(c, idx)),
	})
	if selected {
		line = s.selected.paint(line)
	}
	return line
}

// took formats a run's duration in milliseconds.
func took(d time.Duration) string { return ms(float64(d) / float64(time.Millisecond)) }

func sampleMetric(h model.History, i int, key string) float64 {
	v, _ := h.Value(i, key) // NaN when absent
	return v
}

// statsText is "min 1ms · avg 2ms · max 9ms over 120 results".
func statsText(format func(float64) string, vals []float64) string {
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
	return "min " + format(lo) + " · avg " + format(sum/float64(n)) + " · max " + format(hi) + " over " + plural(n, "result", "results")
}

// metricsText lists a past result's metrics as k=v, sorted by name.
func metricsText(c *model.CheckState, i int) string {
	h := c.History
	keys := slices.Clone(h.Names)
	slices.Sort(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		if v, ok := h.Value(i, k); ok {
			parts = append(parts, clean(k)+"="+sampleText(c, k, v))
		}
	}
	return strings.Join(parts, " ")
}

// flapLine says that a check flaps and what that means for alerts; blank
// when it does not.
func flapLine(s *styles, cs *model.CheckState) string {
	if !cs.Flapping {
		return ""
	}
	return s.warnText.paint(fmt.Sprintf("%s flapping: %.0f%% state change over its last %d results; notifications wait until it settles",
		flapSym, cs.FlapPercent, model.FlapWindow))
}
