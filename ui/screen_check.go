package ui

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"noctop/model"
)

// checkScreen is one check: a chart of its primary metric over the kept
// history and its results, newest first. At its top it follows the newest
// result; elsewhere it stays on the selected one as new ones arrive.
type checkScreen struct {
	asset, check   string
	cursor, offset int
	at             time.Time // the selected result's time
}

func (c *checkScreen) Update(msg tea.Msg, e *env) screen {
	switch msg := msg.(type) {
	case moveMsg:
		c.move(e, msg.by)
	case pageMsg:
		c.move(e, msg.dir*max(c.listHeight(e)-1, 1))
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
