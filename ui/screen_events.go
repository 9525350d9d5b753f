package ui

import (
	tea "charm.land/bubbletea/v2"

	"noctop/model"
)

// eventsScreen is every event, newest first as on the asset screen, through
// the / filter. New events appear at the top as they come; at the top the
// screen follows them, elsewhere it stays on the selected event. Moving
// past the oldest asks the store for the page before it. Enter opens the
// event's asset (or service).
type eventsScreen struct {
	log            eventLog
	rows           []int // indices into log.evs that pass the filter
	builtVersion   int   // log.version rows were built for
	builtFilter    string
	built          bool
	cursor, offset int
	selSeq         uint64 // the selected event's Seq
}

// eventsHeadRows are the rows above the list: the title and the header;
// one more below it says where the list ends.
const eventsHeadRows = 2

func (v *eventsScreen) Update(msg tea.Msg, e *env) screen {
	switch msg := msg.(type) {
	case moveMsg:
		v.move(e, msg.by)
	case pageMsg:
		v.move(e, msg.dir*max(v.listHeight(e)-1, 1))
	case clickMsg:
		row := msg.y - eventsHeadRows
		if row < 0 {
			return nil
		}
		if row += window(v.cursor, v.offset, len(v.rows), v.listHeight(e)); row < len(v.rows) {
			v.cursor = row
			v.note()
		}
	case enterMsg:
		ev := v.selected()
		if ev == nil || e.index == nil {
			return nil
		}
		if ev.Asset != "" && e.index.asset(ev.Asset) != nil {
			return &assetScreen{name: ev.Asset}
		}
		if ev.Service != "" {
			return &serviceScreen{name: ev.Service}
		}
	}
	return nil
}

// move moves the cursor; moving down past the oldest event asks for older
// ones.
func (v *eventsScreen) move(e *env, by int) {
	if by > 0 && v.cursor+by >= len(v.rows) {
		v.log.wantOlder()
	}
	v.cursor = clampInt(v.cursor+by, 0, len(v.rows)-1)
	v.note()
	v.offset = window(v.cursor, v.offset, len(v.rows), v.listHeight(e))
}

func (v *eventsScreen) selected() *model.Event {
	if v.cursor < 0 || v.cursor >= len(v.rows) {
		return nil
	}
	return &v.log.evs[v.rows[v.cursor]].Event
}

func (v *eventsScreen) note() {
	v.selSeq = 0
	if ev := v.selected(); ev != nil {
		v.selSeq = ev.Seq
	}
}

// listHeight is the number of event rows shown.
func (v *eventsScreen) listHeight(e *env) int {
	return max(e.bodyHeight()-eventsHeadRows-1, 1)
}

// Settle takes the snapshot's new events and the filter; the selected
// event stays selected unless the screen sits at the top, where it
// follows the newest.
func (v *eventsScreen) Settle(e *env) {
	v.log.takeLive(e.snap)
	if !v.built || v.builtVersion != v.log.version || v.builtFilter != e.filter.text {
		v.refilter(e)
	}
	if !(v.cursor == 0 && v.offset == 0) && v.selSeq != 0 {
		for i, r := range v.rows {
			if v.log.evs[r].Seq == v.selSeq {
				v.offset += i - v.cursor
				v.cursor = i
				break
			}
		}
	}
	v.cursor = clampInt(v.cursor, 0, len(v.rows)-1)
	v.note()
	v.offset = window(v.cursor, v.offset, len(v.rows), v.listHeight(e))
}

// refilter lists the events that pass the filter.
func (v *eventsScreen) refilter(e *env) {
	v.rows = v.rows[:0]
	for i := range v.log.evs {
		ev := &v.log.evs[i]
		var a *model.AssetState
		if e.index != nil && e.filter.active() {
			a = e.index.asset(ev.Asset)
		}
		if e.filter.matchEvent(&ev.Event, ev.search, a) {
			v.rows = append(v.rows, i)
		}
	}
	v.built, v.builtVersion, v.builtFilter = true, v.log.version, e.filter.text
}

func (v *eventsScreen) load(e *env) tea.Cmd { return v.log.load(e) }

func (v *eventsScreen) loaded(msg tea.Msg, _ *env) bool { return v.log.loaded(msg) }

func (v *eventsScreen) Crumb() string { return "Events" }

// Target is the selected event's check, or its asset.
func (v *eventsScreen) Target(e *env) (*model.AssetState, []model.CheckKey) {
	ev := v.selected()
	if ev == nil || e.index == nil {
		return nil, nil
	}
	a := e.index.asset(ev.Asset)
	if a != nil && ev.Check != "" && a.Check(ev.Check) != nil {
		return a, []model.CheckKey{{Asset: ev.Asset, Check: ev.Check}}
	}
	return a, nil
}
