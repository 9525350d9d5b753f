package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// onKey handles a key press: Root's own keys (quit, help, wall, pause,
// filter, sort, triage, panes, back, recheck) here, movement and Enter by
// the screen on top. It returns a Cmd for work that may block.
func (m *Root) onKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	// The key's name, worked out once: KeyPressMsg.String builds it anew
	// for each of the twenty bindings tried.
	pressed := keyName(msg.String())
	if pressed == "alt+esc" {
		// Esc pressed twice quickly reaches us as one alt+esc: pop twice.
		esc := tea.KeyPressMsg{Code: tea.KeyEscape}
		m.onKey(esc)
		return m.onKey(esc)
	}
	if m.editingFilter {
		m.editFilter(msg)
		return nil
	}
	if m.maint.open {
		return m.editMaintain(msg)
	}
	if m.ack.open {
		return m.editAck(msg)
	}
	if key.Matches(pressed, k.Quit) {
		return tea.Quit
	}
	if m.help.open {
		m.help.update(pressed, k, &m.env)
		return nil
	}
	switch {
	case m.opts.ReadOnly != "" && key.Matches(pressed, k.Recheck, k.Ack, k.Unack, k.Maintain, k.EndMaintain):
		m.notice = clock(m.now) + " " + m.opts.ReadOnly
	case m.opts.Remote != "" && key.Matches(pressed, k.Recheck):
		m.notice = clock(m.now) + " recheck: " + m.opts.Remote
	case m.opts.Remote != "" && key.Matches(pressed, k.Maintain, k.EndMaintain):
		m.notice = clock(m.now) + " maintenance: " + m.opts.Remote
	case key.Matches(pressed, k.Help):
		m.help.open = true
	case key.Matches(pressed, k.Wall):
		m.wall = wallMode{on: !m.wall.on, start: m.now}
	case key.Matches(pressed, k.Pause):
		m.togglePause()
	case m.wall.on:
		if key.Matches(pressed, k.Back) {
			m.wall.on = false
		}
	case key.Matches(pressed, k.Back):
		if !m.pop() && m.filter.active() {
			m.setFilter("")
		}
	case key.Matches(pressed, k.Filter):
		// The filter narrows the events screen too, so it stays open; any
		// other screen gives way to the lists it narrows.
		if _, on := m.top().(*eventsScreen); !on {
			m.stack = m.stack[:1]
		}
		m.editingFilter = true
		m.filterInput.value = m.filter.text
	case key.Matches(pressed, k.Sort):
		m.sort = (m.sort + 1) % numSorts
		m.reindex()
	case key.Matches(pressed, k.Triage):
		if _, on := m.top().(*triageScreen); !on {
			m.push(&triageScreen{})
		}
	case key.Matches(pressed, k.Events):
		// Back to the events screen when it is on the stack (Enter on an
		// event, then e), else a new one on top.
		for i := len(m.stack) - 1; i > 0; i-- {
			if _, ok := m.stack[i].(*eventsScreen); ok {
				m.stack = m.stack[:i+1]
				return nil
			}
		}
		m.push(&eventsScreen{})
	case key.Matches(pressed, k.SpanPrev):
		m.toTop(spanMsg{step: -1})
	case key.Matches(pressed, k.SpanNext):
		m.toTop(spanMsg{step: 1})
	case key.Matches(pressed, k.Recheck):
		return m.recheck()
	case key.Matches(pressed, k.Ack):
		m.openAck()
	case key.Matches(pressed, k.Unack):
		return m.unack()
	case key.Matches(pressed, k.Maintain):
		m.openMaintain()
	case key.Matches(pressed, k.EndMaintain):
		return m.endMaintain()
	case key.Matches(pressed, k.Pane1, k.Pane2, k.Pane3):
		m.stack = m.stack[:1]
		m.overview().showPane(int(msg.Text[0] - '1'))
	case key.Matches(pressed, k.NextPane):
		m.toTop(paneMsg{step: 1})
	case key.Matches(pressed, k.PrevPane):
		m.toTop(paneMsg{step: -1})
	case key.Matches(pressed, k.Enter):
		if m.index == nil {
			return nil
		}
		m.toTop(enterMsg{})
		m.settle()
	case key.Matches(pressed, k.Up):
		m.toTop(moveMsg{by: -1})
	case key.Matches(pressed, k.Down):
		m.toTop(moveMsg{by: 1})
	case key.Matches(pressed, k.PageUp):
		m.toTop(pageMsg{dir: -1})
	case key.Matches(pressed, k.PageDown):
		m.toTop(pageMsg{dir: 1})
	case key.Matches(pressed, k.Top):
		m.toTop(moveMsg{by: -1 << 30})
	case key.Matches(pressed, k.Bottom):
		m.toTop(moveMsg{by: 1 << 30})
	}
	return nil
}

// keyName is a key press's name ("j", "ctrl+c"), matched against the
// bindings.
type keyName string

func (k keyName) String() string { return string(k) }

// toTop hands a navigation message to the screen on top, and pushes the
// screen it opens.
func (m *Root) toTop(msg tea.Msg) {
	if next := m.top().Update(msg, &m.env); next != nil {
		m.push(next)
	}
}

// editFilter edits the filter line; the lists follow every keystroke.
func (m *Root) editFilter(msg tea.KeyPressMsg) {
	switch msg.String() {
	case "enter":
		m.editingFilter = false
		return
	case "esc":
		m.editingFilter = false
		m.filterInput.value = ""
	case "backspace":
		m.filterInput.backspace()
	case "ctrl+u":
		m.filterInput.value = ""
	case "ctrl+c":
		m.editingFilter = false
		return
	default:
		if msg.Text == "" {
			return
		}
		m.filterInput.value += msg.Text
	}
	m.setFilter(m.filterInput.value)
}

func (m *Root) setFilter(text string) {
	m.filter = parseFilter(text)
	m.filterInput.value = text
	m.reindex()
}

func (m *Root) togglePause() {
	m.paused = !m.paused
	if !m.paused && m.heldSnapshot != nil {
		s := m.heldSnapshot
		m.heldSnapshot, m.heldUpdates = nil, 0
		m.setSnapshot(s)
	}
}

// recheck asks the engine to run what the screen on top points at now: a
// check, or every check of an asset. The engine call happens in the Cmd.
func (m *Root) recheck() tea.Cmd {
	if m.snap == nil || m.opts.Commands == nil {
		return nil
	}
	asset, keys := m.top().Target(&m.env)
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

// onClick selects the row under the pointer (and the pane, side by side).
func (m *Root) onClick(ms tea.Mouse) {
	if m.help.open || m.wall.on || m.snap == nil {
		return
	}
	top := m.height - m.bodyHeight() - 1 // first body row on screen
	m.toTop(clickMsg{x: ms.X, y: ms.Y - top})
}

// onWheel scrolls the current list by three rows.
func (m *Root) onWheel(ms tea.Mouse) {
	if m.help.open || m.wall.on {
		return
	}
	switch ms.Button {
	case tea.MouseWheelUp:
		m.toTop(moveMsg{by: -3})
	case tea.MouseWheelDown:
		m.toTop(moveMsg{by: 3})
	}
}
