package ui

import (
	tea "charm.land/bubbletea/v2"

	"noctop/model"
)

// assetScreen is one asset as a document: its head, its checks (the
// selectable rows), hardware, interfaces, facts and recent events. It
// scrolls as a document, so PgDn reaches the events while the check
// cursor stays.
type assetScreen struct {
	name           string
	cursor, offset int
	selected       string // the selected check's name
	log            eventLog
	// The event lines drawn last, for log.version in evStyles.
	evLines   []string
	evVersion int
	evStyles  *styles
}

func (a *assetScreen) Update(msg tea.Msg, e *env) screen {
	switch msg := msg.(type) {
	case moveMsg:
		a.cursor = clampInt(a.cursor+msg.by, 0, a.listLen(e)-1)
		a.note(e)
		a.follow(e)
	case pageMsg:
		_, _, n := a.itemSpan(e, a.cursor)
		h := a.docHeight(e)
		if msg.dir > 0 && a.offset >= n-h {
			// Paging past the end of the document: the events go on in the
			// store.
			a.log.wantOlder()
		}
		a.offset = clampInt(a.offset+msg.dir*max(h-1, 1), 0, max(n-h, 0))
	case clickMsg:
		if row, ok := a.rowAt(e, msg.y); ok {
			a.cursor = row
			a.note(e)
			a.follow(e)
		}
	case enterMsg:
		if s := a.state(e); s != nil && a.cursor < len(s.Checks) {
			return &checkScreen{asset: s.Name, check: s.Checks[a.cursor].Name}
		}
	}
	return nil
}

// state is the asset's state in the snapshot on show, nil when gone.
func (a *assetScreen) state(e *env) *model.AssetState {
	if e.index == nil {
		return nil
	}
	return e.index.asset(a.name)
}

func (a *assetScreen) listLen(e *env) int {
	if s := a.state(e); s != nil {
		return len(s.Checks)
	}
	return 0
}

// docHeight is the number of document lines the screen shows.
func (a *assetScreen) docHeight(e *env) int { return max(e.bodyHeight(), 1) }

// itemSpan is the line range [from, to) of check i and the document's
// length in lines.
func (a *assetScreen) itemSpan(e *env, i int) (from, to, n int) {
	lines, first := a.lines(e, e.width)
	if first < 0 || i >= a.listLen(e) {
		return 0, 0, len(lines)
	}
	return first + i, first + i + 1, len(lines)
}

// follow scrolls so the selected check is in view.
func (a *assetScreen) follow(e *env) {
	from, to, n := a.itemSpan(e, a.cursor)
	a.offset = followDoc(a.offset, from, to, n, a.docHeight(e), a.cursor == 0)
}

// note records the selected check's name, to find it again.
func (a *assetScreen) note(e *env) {
	a.selected = ""
	if s := a.state(e); s != nil && a.cursor >= 0 && a.cursor < len(s.Checks) {
		a.selected = s.Checks[a.cursor].Name
	}
}

// Settle keeps the selected check selected and the scroll where it was,
// and takes the asset's new events.
func (a *assetScreen) Settle(e *env) {
	a.log.asset = a.name
	a.log.takeLive(e.snap)
	if s := a.state(e); s != nil && a.selected != "" {
		for i, c := range s.Checks {
			if c.Name == a.selected {
				a.cursor = i
				break
			}
		}
	}
	a.cursor = clampInt(a.cursor, 0, a.listLen(e)-1)
	a.note(e)
	_, _, lines := a.itemSpan(e, a.cursor)
	a.offset = clampInt(a.offset, 0, max(lines-a.docHeight(e), 0))
}

// rowAt maps a body row to a check.
func (a *assetScreen) rowAt(e *env, y int) (int, bool) {
	lines, first := a.lines(e, e.width)
	line := y + min(a.offset, max(len(lines)-e.bodyHeight(), 0))
	if first < 0 || line < first {
		return 0, false
	}
	return line - first, line-first < a.listLen(e)
}

func (a *assetScreen) Crumb() string { return clean(a.name) }

// Target is the selected check, or the asset when it has none.
func (a *assetScreen) Target(e *env) (*model.AssetState, []model.CheckKey) {
	s := a.state(e)
	if s != nil && a.cursor < len(s.Checks) {
		return s, []model.CheckKey{s.Checks[a.cursor].Key()}
	}
	return s, nil
}

// View draws the document from the scroll offset.
func (a *assetScreen) View(e *env, w, h int) []string {
	lines, _ := a.lines(e, w)
	off := min(a.offset, max(len(lines)-h, 0))
	return lines[off:]
}

// load asks the store for the asset's events, newest first, then for
// older pages as the operator pages past the end.
func (a *assetScreen) load(e *env) tea.Cmd {
	a.log.asset = a.name
	return a.log.load(e)
}

func (a *assetScreen) loaded(msg tea.Msg, _ *env) bool { return a.log.loaded(msg) }
