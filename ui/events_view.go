package ui

import (
	"strings"

	"noctop/model"
)

var eventColumns = []column{
	{title: "AT", w: 14},
	{title: "ASSET", fit: true, min: 5, max: 20},
	{title: "CHECK", fit: true, min: 5, max: 16, drop: 2},
	{title: "CHANGE", fit: true, min: 8, max: 36, drop: 1},
	{title: "SUMMARY", flex: true, min: 12},
}

// View draws the title with what is loaded, the visible events and the
// line that says where the list ends.
func (v *eventsScreen) View(e *env, w, h int) []string {
	s := e.styles
	what := plural(len(v.log.evs), "event", "events")
	if e.filter.active() {
		what = itoa(len(v.rows)) + " of " + what + " pass the filter"
	}
	out := []string{s.bold.paint("Events") + s.muted.paint(" newest first · "+what+" · ") + v.log.source(e)}
	n := max(h-eventsHeadRows-1, 1)
	off := window(v.cursor, v.offset, len(v.rows), n)
	end := min(off+n, len(v.rows))
	assetW, checkW, changeW := 0, 0, 0
	for _, r := range v.rows[off:end] {
		ev := &v.log.evs[r].Event
		assetW = max(assetW, width(clean(eventWhere(ev))))
		checkW = max(checkW, width(clean(ev.Check)))
		changeW = max(changeW, 2+width(eventChangeText(ev)))
	}
	t := newTable(eventColumns, w, 0, assetW, checkW, changeW)
	out = append(out, t.header(s))
	for i := off; i < end; i++ {
		ev := &v.log.evs[v.rows[i]].Event
		if i == v.cursor {
			out = append(out, s.selected.paint(t.line(eventCells(e.plain, ev))))
		} else {
			out = append(out, t.line(eventCells(s, ev)))
		}
	}
	switch {
	case len(v.rows) > 0:
	case e.filter.active():
		out = append(out, s.muted.paint("no events pass the filter"))
	default:
		out = append(out, s.muted.paint("no events yet"))
	}
	if end == len(v.rows) {
		out = append(out, v.log.footer(e))
	}
	return out
}

// eventCells are one event's cells in the events table.
func eventCells(s *styles, ev *model.Event) []string {
	return []string{s.muted.paint(ev.At.Format("01-02 15:04:05")), clean(eventWhere(ev)), clean(ev.Check),
		s.status(ev.To).paint(ev.To.Symbol()) + " " + eventChange(s, ev), clean(ev.Summary)}
}

// eventWhere is the asset an event is about, or its service.
func eventWhere(ev *model.Event) string {
	if ev.Asset == "" && ev.Service != "" {
		return ev.Service
	}
	return ev.Asset
}

// eventChange is a state change in words with its new state in colour, or
// the kind of any other event.
func eventChange(s *styles, ev *model.Event) string {
	if ev.Kind == model.EventState {
		from, to, _ := strings.Cut(ev.Transition(), " -> ")
		return from + " -> " + s.status(ev.To).paint(to)
	}
	return s.accent.paint(clean(ev.Kind))
}

// eventChangeText is eventChange without styles, for measuring.
func eventChangeText(ev *model.Event) string {
	if ev.Kind == model.EventState {
		return ev.Transition()
	}
	return clean(ev.Kind)
}
