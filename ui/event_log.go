package ui

import (
	"cmp"
	"slices"
	"time"

	tea "charm.land/bubbletea/v2"

	"noctop/model"
)

// eventPage is how many events one request to the archive asks for.
const eventPage = model.DefaultEventLimit

// eventLog is a list of events, newest first, that the events screen and
// the asset screen show: the snapshots' events as they come, and pages of
// older ones from the archive on demand, merged by Seq (the engine numbers
// events on across restarts) so none shows twice.
type eventLog struct {
	asset   string // "" keeps every asset's events
	evs     []loggedEvent
	seen    map[uint64]struct{}
	liveSeq uint64 // the newest Seq taken from a snapshot
	version int    // changes with evs

	started bool   // the first page was asked for
	pending uint64 // the request in flight, 0 when none
	older   bool   // the operator asked for older events
	end     bool   // the archive has no older events
	err     string // the last request's error
}

// loggedEvent is an event with the text filter words look in, lower
// case, worked out once.
type loggedEvent struct {
	model.Event
	search string
}

// takeLive merges the snapshot's events not seen yet.
func (l *eventLog) takeLive(s *model.Snapshot) {
	if s == nil {
		return
	}
	var fresh []model.Event
	for _, ev := range s.Events {
		if ev.Seq > l.liveSeq && (l.asset == "" || ev.Asset == l.asset) {
			fresh = append(fresh, ev)
		}
	}
	if n := len(s.Events); n > 0 {
		l.liveSeq = max(l.liveSeq, s.Events[n-1].Seq)
	}
	l.merge(fresh)
}

// merge adds events not seen yet and keeps the list newest first: by the
// time they happened, then by Seq (results arrive in the order they end,
// not the order they ran in).
func (l *eventLog) merge(evs []model.Event) {
	if l.seen == nil {
		l.seen = map[uint64]struct{}{}
	}
	added := false
	for _, ev := range evs {
		if _, dup := l.seen[ev.Seq]; dup {
			continue
		}
		l.seen[ev.Seq] = struct{}{}
		l.evs = append(l.evs, loggedEvent{ev, eventSearch(&ev)})
		added = true
	}
	if !added {
		return
	}
	slices.SortFunc(l.evs, func(a, b loggedEvent) int {
		if c := b.At.Compare(a.At); c != 0 {
			return c
		}
		return cmp.Compare(b.Seq, a.Seq)
	})
	l.version++
}

// load asks the archive for the newest page the first time, then for the
// page before the oldest event shown when the operator asked for it.
func (l *eventLog) load(e *env) tea.Cmd {
	if e.archive == nil || l.pending != 0 {
		return nil
	}
	q := model.EventQuery{Asset: l.asset, Limit: eventPage}
	switch {
	case !l.started:
		l.started = true
	case l.older && !l.end:
		if n := len(l.evs); n > 0 {
			// Until is exclusive: a nanosecond past the oldest seen keeps
			// the events that share its time but missed the last page (the
			// ones seen are dropped by Seq).
			q.Until = l.evs[n-1].At.Add(time.Nanosecond)
		}
	default:
		return nil
	}
	l.older = false
	l.pending = e.newReq()
	return loadEvents(e.archive, l.pending, q)
}

// loaded takes the answer to the request in flight.
func (l *eventLog) loaded(msg tea.Msg) bool {
	m, ok := msg.(eventsMsg)
	if !ok || m.id == 0 || m.id != l.pending {
		return false
	}
	l.pending = 0
	if m.err != nil {
		l.err = errText(m.err)
		return true
	}
	l.err = ""
	limit := m.q.Limit
	if limit <= 0 {
		limit = model.DefaultEventLimit
	}
	v := l.version
	l.merge(m.evs)
	// A short page is the end; so is a full one with nothing new (more
	// events than a page in one nanosecond), or paging would never end.
	l.end = len(m.evs) < limit || (v == l.version && !m.q.Until.IsZero())
	return true
}

// wantOlder records that the operator scrolled past the oldest event.
func (l *eventLog) wantOlder() {
	if !l.end {
		l.older = true
	}
}

// footer says where the list ends: what the store still holds, a request
// under way, its error, or the end of what this run keeps.
func (l *eventLog) footer(e *env) string {
	s := e.styles
	switch {
	case l.err != "":
		return s.critText.paint(l.err)
	case e.archive == nil:
		return s.muted.paint("no store (--no-store): history from this run only")
	case l.pending != 0:
		return s.muted.paint("loading events from the store…")
	case l.end:
		return s.muted.paint("the store holds no older events")
	}
	return s.muted.paint("↓ past the end: older events from the store")
}

// source says where the list comes from, for a title line: the store, a
// request under way, the last request's error (shown until one succeeds)
// or no store.
func (l *eventLog) source(e *env) string {
	s := e.styles
	switch {
	case l.err != "":
		return s.critText.paint(l.err)
	case e.archive == nil:
		return s.muted.paint("no store (--no-store)")
	case l.pending != 0:
		return s.muted.paint("loading from the store…")
	}
	return s.muted.paint("from the store")
}
