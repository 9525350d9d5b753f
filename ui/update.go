package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"noctop/model"
)

// onKey handles a key press; it returns a Cmd for work that may block.
func (m *Root) onKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	if msg.String() == "alt+esc" {
		// Esc pressed twice quickly reaches us as one alt+esc: pop twice.
		esc := tea.KeyPressMsg{Code: tea.KeyEscape}
		m.onKey(esc)
		return m.onKey(esc)
	}
	if m.editing {
		m.editFilter(msg)
		return nil
	}
	if key.Matches(msg, k.Quit) {
		return tea.Quit
	}
	if m.help {
		switch {
		case key.Matches(msg, k.Help, k.Back):
			m.help, m.helpOff = false, 0
		case key.Matches(msg, k.Down):
			m.helpOff++
		case key.Matches(msg, k.Up):
			m.helpOff = max(m.helpOff-1, 0)
		case key.Matches(msg, k.PageDown):
			_, ih := m.helpInner()
			m.helpOff += max(ih-2, 1)
		case key.Matches(msg, k.PageUp, k.Top):
			m.helpOff = 0
		}
		iw, ih := m.helpInner()
		m.helpOff = min(m.helpOff, max(len(m.helpView(iw, 1<<20))-ih, 0))
		return nil
	}
	switch {
	case key.Matches(msg, k.Help):
		m.help = true
	case key.Matches(msg, k.Wall):
		m.wall = !m.wall
		m.wallStart = m.now
	case key.Matches(msg, k.Pause):
		m.togglePause()
	case m.wall:
		if key.Matches(msg, k.Back) {
			m.wall = false
		}
	case key.Matches(msg, k.Back):
		if !m.pop() && m.flt.active() {
			m.setFilter("")
		}
	case key.Matches(msg, k.Filter):
		m.stack = m.stack[:1]
		m.editing = true
		m.in.value = m.flt.text
	case key.Matches(msg, k.Sort):
		m.sort = (m.sort + 1) % numSorts
		m.reindex()
	case key.Matches(msg, k.Triage):
		if m.top().kind != scrTriage {
			m.push(frame{kind: scrTriage})
		}
	case key.Matches(msg, k.Recheck):
		return m.recheck()
	case key.Matches(msg, k.Pane1, k.Pane2, k.Pane3):
		m.stack = m.stack[:1]
		m.pane = int(msg.Text[0] - '1')
	case key.Matches(msg, k.NextPane):
		if m.top().kind == scrOverview {
			m.pane = (m.pane + 1) % numPanes
		}
	case key.Matches(msg, k.PrevPane):
		if m.top().kind == scrOverview {
			m.pane = (m.pane + numPanes - 1) % numPanes
		}
	case key.Matches(msg, k.Enter):
		m.enter()
	case key.Matches(msg, k.Up):
		m.move(-1)
	case key.Matches(msg, k.Down):
		m.move(1)
	case key.Matches(msg, k.PageUp):
		m.page(-1)
	case key.Matches(msg, k.PageDown):
		m.page(1)
	case key.Matches(msg, k.Top):
		m.move(-1 << 30)
	case key.Matches(msg, k.Bottom):
		m.move(1 << 30)
	}
	return nil
}

// editFilter edits the filter line; the lists follow every keystroke.
func (m *Root) editFilter(msg tea.KeyPressMsg) {
	switch msg.String() {
	case "enter":
		m.editing = false
		return
	case "esc":
		m.editing = false
		m.in.value = ""
	case "backspace":
		m.in.backspace()
	case "ctrl+u":
		m.in.value = ""
	case "ctrl+c":
		m.editing = false
		return
	default:
		if msg.Text == "" {
			return
		}
		m.in.value += msg.Text
	}
	m.setFilter(m.in.value)
}

func (m *Root) setFilter(text string) {
	m.flt = parseFilter(text)
	m.in.value = text
	m.reindex()
}

func (m *Root) togglePause() {
	m.paused = !m.paused
	if !m.paused && m.held != nil {
		s := m.held
		m.held, m.heldN = nil, 0
		m.setSnapshot(s)
	}
}

// enter drills into the selected item.
func (m *Root) enter() {
	if m.ix == nil {
		return
	}
	f := m.top()
	switch f.kind {
	case scrOverview:
		name := m.paneSel[m.pane]
		switch {
		case name == "":
		case m.pane == paneFunctional:
			m.push(frame{kind: scrService, service: name})
		default:
			m.push(frame{kind: scrAsset, asset: name})
		}
	case scrAsset:
		if a := m.snap.Asset(f.asset); a != nil && f.cursor < len(a.Checks) {
			m.push(frame{kind: scrCheck, asset: a.Name, check: a.Checks[f.cursor].Name})
		}
	case scrService:
		rows := m.serviceTree(f.service)
		if f.cursor < len(rows) && f.cursor > 0 {
			r := rows[f.cursor]
			if r.isService {
				m.push(frame{kind: scrService, service: r.name})
			} else {
				m.push(frame{kind: scrAsset, asset: r.name})
			}
		}
	case scrTriage:
		if items := m.triage().items; f.cursor < len(items) {
			m.push(frame{kind: scrAsset, asset: items[f.cursor].r.a.Name})
		}
	}
	m.clampAll()
}

// recheck asks the engine to run the selected check, or every check of
// the selected asset, now. The engine call happens in the Cmd.
func (m *Root) recheck() tea.Cmd {
	if m.snap == nil || m.opts.Commands == nil {
		return nil
	}
	var asset *model.AssetState
	var keys []model.CheckKey
	f := m.top()
	switch f.kind {
	case scrOverview:
		if m.pane != paneFunctional {
			asset = m.snap.Asset(m.paneSel[m.pane])
		}
	case scrAsset, scrCheck:
		asset = m.snap.Asset(f.asset)
		if asset != nil && f.kind == scrAsset && f.cursor < len(asset.Checks) {
			keys = []model.CheckKey{asset.Checks[f.cursor].Key()}
		}
		if f.kind == scrCheck {
			keys = []model.CheckKey{{Asset: f.asset, Check: f.check}}
		}
	case scrService:
		if rows := m.serviceTree(f.service); f.cursor < len(rows) && !rows[f.cursor].isService {
			asset = m.snap.Asset(rows[f.cursor].name)
		}
	case scrTriage:
		if items := m.triage().items; f.cursor < len(items) {
			asset = items[f.cursor].r.a
		}
	}
	if keys == nil && asset != nil {
		for _, c := range asset.Checks {
			keys = append(keys, c.Key())
		}
	}
	if len(keys) == 0 {
		return nil
	}
	what := keys[0].String()
	if len(keys) > 1 {
		what = keys[0].Asset + " (" + plural(len(keys), "check", "checks") + ")"
	}
	cmds := m.opts.Commands
	return func() tea.Msg {
		for _, k := range keys {
			cmds.Recheck(k)
		}
		return noticeMsg{"recheck requested: " + what}
	}
}

// listLen is the number of selectable rows of a pushed screen.
func (m *Root) listLen(f *frame) int {
	if m.snap == nil {
		return 0
	}
	switch f.kind {
	case scrAsset:
		if a := m.snap.Asset(f.asset); a != nil {
			return len(a.Checks)
		}
	case scrCheck:
		if a := m.snap.Asset(f.asset); a != nil {
			if c := a.Check(f.check); c != nil {
				return c.History.Len()
			}
		}
	case scrService:
		return len(m.serviceTree(f.service))
	case scrTriage:
		return len(m.triage().items)
	}
	return 0
}

// onClick selects the row under the pointer (and the pane, side by side).
func (m *Root) onClick(ms tea.Mouse) {
	if m.help || m.wall || m.snap == nil {
		return
	}
	top := m.h - m.bodyHeight() - 1 // first body row on screen
	y := ms.Y - top
	f := m.top()
	if f.kind == scrOverview {
		p := m.pane
		if m.w >= sideBySide {
			p = m.paneAt(ms.X)
			m.pane = p
		}
		row := y - paneHeadRows + m.paneOff[p]
		if y >= paneHeadRows && row < m.paneLen(p) && row-m.paneOff[p] < m.paneRows(p) {
			m.paneCur[p] = row
			m.paneSel[p] = m.paneItem(p, row)
		}
		return
	}
	if row, ok := m.rowAt(f, y); ok {
		f.cursor = row
		m.noteSel(f)
		m.follow(f)
	}
}

// onWheel scrolls the current list by three rows.
func (m *Root) onWheel(ms tea.Mouse) {
	if m.help || m.wall {
		return
	}
	switch ms.Button {
	case tea.MouseWheelUp:
		m.move(-3)
	case tea.MouseWheelDown:
		m.move(3)
	}
}
