package ui

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"noctop/model"
)

// checkScreen is one check: a chart of its primary metric and its
// results, newest first. At its top it follows the newest result;
// elsewhere it stays on the selected one as new ones arrive. With a store
// the chart spans 1 h to 30 d ([ and ]), read from it; without one it
// shows the history this run keeps.
type checkScreen struct {
	asset, check   string
	cursor, offset int
	at             time.Time // the selected result's time

	span      int         // index into chartSpans
	series    chartSeries // the last series read
	pending   uint64      // the request in flight, 0 when none
	asked     chartSeries // what the request in flight asks for (no points)
	err       string      // the last request's error
	needStore bool        // a span key was pressed without a store
}

// chartSeries is a metric's series over one span, read at a time.
type chartSeries struct {
	pts    []model.Point
	span   int
	metric string
	at     time.Time // when it was asked for
	ok     bool
}

// is reports whether the series is of this span and metric.
func (cs chartSeries) is(span int, metric string) bool {
	return cs.ok && cs.span == span && cs.metric == metric
}

func (c *checkScreen) Update(msg tea.Msg, e *env) screen {
	switch msg := msg.(type) {
	case moveMsg:
		c.move(e, msg.by)
	case pageMsg:
		c.move(e, msg.dir*max(c.listHeight(e)-1, 1))
	case spanMsg:
		if e.archive == nil {
			c.needStore = true
			return nil
		}
		c.span = clampInt(c.span+msg.step, 0, len(chartSpans)-1)
	case clickMsg:
		row := msg.y - checkHeadRows(e.bodyHeight())
		if row < 0 {
			return nil
		}
		if row += window(c.cursor, c.offset, c.listLen(e), c.listHeight(e)); row < c.listLen(e) {
			c.cursor = row
			c.note(e)
			c.follow(e)
		}
	}
	return nil
}

func (c *checkScreen) move(e *env, by int) {
	c.cursor = clampInt(c.cursor+by, 0, c.listLen(e)-1)
	c.note(e)
	c.follow(e)
}

// state is the check's state in the snapshot on show, nil when gone.
func (c *checkScreen) state(e *env) *model.CheckState {
	if e.index == nil {
		return nil
	}
	if a := e.index.asset(c.asset); a != nil {
		return a.Check(c.check)
	}
	return nil
}

func (c *checkScreen) listLen(e *env) int {
	if s := c.state(e); s != nil {
		return s.History.Len()
	}
	return 0
}

// listHeight is the number of result rows shown.
func (c *checkScreen) listHeight(e *env) int {
	h := e.bodyHeight()
	return max(h-checkHeadRows(h), 1)
}

func (c *checkScreen) follow(e *env) {
	c.offset = window(c.cursor, c.offset, c.listLen(e), c.listHeight(e))
}

// note records the selected result's time, to find it again.
func (c *checkScreen) note(e *env) {
	c.at = time.Time{}
	if s := c.state(e); s != nil && c.cursor >= 0 && c.cursor < s.History.Len() {
		c.at = s.History.At(s.History.Len() - 1 - c.cursor)
	}
}

// Settle: at the top of the results the screen stays there as new ones
// arrive; elsewhere new results push the selected one down, and it stays
// selected with the view still.
func (c *checkScreen) Settle(e *env) {
	n := c.listLen(e)
	if s := c.state(e); !(c.cursor == 0 && c.offset == 0) && s != nil && !c.at.IsZero() {
		h := s.History
		for i := range h.Len() {
			if h.At(h.Len() - 1 - i).Equal(c.at) {
				c.offset += i - c.cursor
				c.cursor = i
				break
			}
		}
	}
	c.cursor = clampInt(c.cursor, 0, n-1)
	c.note(e)
	c.offset = window(c.cursor, c.offset, n, c.listHeight(e))
}

func (c *checkScreen) Crumb() string { return clean(c.check) }

func (c *checkScreen) Target(e *env) (*model.AssetState, []model.CheckKey) {
	return e.index.asset(c.asset), []model.CheckKey{{Asset: c.asset, Check: c.check}}
}

// load reads the chart's span from the store when the span or the primary
// metric changed or the series is older than spanRefresh.
func (c *checkScreen) load(e *env) tea.Cmd {
	cs := c.state(e)
	if e.archive == nil || cs == nil {
		return nil
	}
	name := primaryMetric(cs)
	if !chartable(cs, name) {
		return nil
	}
	d := chartSpans[c.span].d
	if c.pending != 0 && c.asked.is(c.span, name) {
		return nil
	}
	if c.series.is(c.span, name) && e.now.Sub(c.series.at) < spanRefresh(d) {
		return nil
	}
	c.pending = e.newReq()
	c.asked = chartSeries{span: c.span, metric: name, at: e.now, ok: true}
	return loadSeries(e.archive, c.pending, model.CheckKey{Asset: c.asset, Check: c.check}, name, e.now.Add(-d), e.now)
}

// loaded takes the series asked for last; an answer for a span or metric
// since left is not awaited and is dropped.
func (c *checkScreen) loaded(msg tea.Msg, _ *env) bool {
	m, ok := msg.(seriesMsg)
	if !ok || m.id == 0 || m.id != c.pending {
		return false
	}
	c.pending = 0
	if m.err != nil {
		c.err = errText(m.err)
		if !c.series.is(c.asked.span, c.asked.metric) {
			c.series = c.asked
		}
		c.series.at = c.asked.at // try again after spanRefresh
		return true
	}
	c.err = ""
	c.series = c.asked
	c.series.pts = m.pts
	return true
}
