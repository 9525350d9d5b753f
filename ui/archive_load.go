package ui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"noctop/model"
)

// archiveTimeout bounds one call to the store: a slow disk shows as an
// error in the screen's status line, never as a frozen screen.
const archiveTimeout = 5 * time.Second

// loader is a screen that shows stored data. Root asks the screen on top
// what it lacks after every key, click and snapshot, and hands each answer
// to the screens of the stack until one takes it.
type loader interface {
	// load returns the Cmd that asks the archive for what the screen
	// lacks now, or nil. It only records what it asked for.
	load(e *env) tea.Cmd
	// loaded takes an answer; false when the screen is not waiting for it
	// (a stale answer: the operator moved on).
	loaded(msg tea.Msg, e *env) bool
}

// Answers from the archive, numbered by env.newReq.
type (
	eventsMsg struct {
		id  uint64
		q   model.EventQuery
		evs []model.Event
		err error
	}
	seriesMsg struct {
		id  uint64
		pts []model.Point
		err error
	}
)

// loadEvents is the Cmd that runs one event query.
func loadEvents(a model.Archive, id uint64, q model.EventQuery) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), archiveTimeout)
		defer cancel()
		evs, err := a.Events(ctx, q)
		return eventsMsg{id: id, q: q, evs: evs, err: err}
	}
}

// loadSeries is the Cmd that reads one metric's series.
func loadSeries(a model.Archive, id uint64, key model.CheckKey, metric string, from, to time.Time) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), archiveTimeout)
		defer cancel()
		pts, err := a.Series(ctx, key, metric, from, to)
		return seriesMsg{id: id, pts: pts, err: err}
	}
}

// load asks the screen on top for the Cmd that fetches what it lacks.
func (m *Root) load() tea.Cmd {
	if l, ok := m.top().(loader); ok && m.snap != nil {
		return l.load(&m.env)
	}
	return nil
}

// deliver hands an archive answer to the screen waiting for it; none is
// waiting when the operator left it, and the answer is dropped.
func (m *Root) deliver(msg tea.Msg) {
	for i := len(m.stack) - 1; i >= 0; i-- {
		if l, ok := m.stack[i].(loader); ok && l.loaded(msg, &m.env) {
			m.stack[i].Settle(&m.env)
			return
		}
	}
}

// errText is an archive error for a status line.
func errText(err error) string { return "store: " + clean(err.Error()) }
