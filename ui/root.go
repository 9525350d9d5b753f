package ui

import (
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"noctop/model"
)

// Minimum terminal size; below it the UI asks for a larger window.
const (
	minWidth  = 80
	minHeight = 24
	// sideBySide is the width from which the three panes sit side by side.
	sideBySide = 160
)

// Messages.
type (
	snapMsg       struct{ s *model.Snapshot }
	snapClosedMsg struct{}
	noticeMsg     struct{ text string }
	noticesEndMsg struct{}
	tickMsg       struct{ t time.Time }
)

// Root is the only tea.Model of the UI: one per terminal (each SSH viewer
// gets its own). It keeps the navigation stack, the snapshot on show and
// its index, the styles and the size (in env, which every screen reads),
// and routes messages: keys it does not handle itself go to the screen on
// top of the stack.
type Root struct {
	env
	opts Options
	keys keyMap

	stack []screen // stack[0] is the overview
	sort  sortMode

	editingFilter bool
	filterInput   input
	ack           ackPrompt   // a's comment prompt (ack.go)
	maint         maintPrompt // m's duration and reason prompt (maintain.go)

	paused       bool
	heldSnapshot *model.Snapshot // the newest one while paused
	heldUpdates  int

	help   helpOverlay
	wall   wallMode
	notice string
	spin   spinner.Model
	closed bool // the engine stopped: no more snapshots
}

// New builds the root model.
func New(opts Options) *Root {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Rotate <= 0 {
		opts.Rotate = DefaultRotate
	}
	now := opts.Now()
	return &Root{
		env: env{
			styles:  newStyles(!opts.Light, opts.NoColor),
			plain:   &styles{},
			width:   minWidth,
			height:  minHeight,
			now:     now,
			archive: opts.Archive,
		},
		opts:   opts,
		keys:   newKeyMap(opts.ReadOnly != "", opts.Remote != ""),
		stack:  []screen{&overviewScreen{}},
		wall:   wallMode{on: opts.Wall, start: now},
		notice: clean(opts.Notice),
		spin:   spinner.New(spinner.WithSpinner(spinner.MiniDot)),
	}
}

// Init starts the snapshot and notice readers, the clock and the
// background colour query.
func (m *Root) Init() tea.Cmd {
	return tea.Batch(
		waitSnapshot(m.opts.Snapshots),
		waitNotice(m.opts.Notices),
		tickAt(m.now),
		tea.RequestBackgroundColor,
		m.spin.Tick,
	)
}

// waitSnapshot blocks (in a Cmd, never in Update) for the next snapshot.
func waitSnapshot(c <-chan *model.Snapshot) tea.Cmd {
	if c == nil {
		return nil
	}
	return func() tea.Msg {
		s, ok := <-c
		if !ok {
			return snapClosedMsg{}
		}
		return snapMsg{s}
	}
}

func waitNotice(c <-chan string) tea.Cmd {
	if c == nil {
		return nil
	}
	return func() tea.Msg {
		s, ok := <-c
		if !ok {
			return noticesEndMsg{}
		}
		return noticeMsg{s}
	}
}

// tickAt fires at the next whole second, so the clock changes once per
// second and the frame diff stays a few cells.
func tickAt(now time.Time) tea.Cmd {
	d := now.Truncate(time.Second).Add(time.Second).Sub(now)
	return tea.Tick(d, func(t time.Time) tea.Msg { return tickMsg{t} })
}

// Update handles one message.
func (m *Root) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.settle()
	case tea.BackgroundColorMsg:
		m.styles = newStyles(msg.IsDark(), m.opts.NoColor)
	case snapMsg:
		m.setSnapshot(msg.s)
		return m, tea.Batch(waitSnapshot(m.opts.Snapshots), m.load())
	case eventsMsg, seriesMsg:
		m.deliver(msg)
		return m, m.load()
	case snapClosedMsg:
		m.closed = true
	case ackDoneMsg:
		m.notice = clock(m.now) + " " + clean(msg.text)
	case noticeMsg:
		m.notice = clock(m.now) + " " + clean(msg.text)
		return m, waitNotice(m.opts.Notices)
	case tickMsg:
		m.now = m.opts.Now()
		return m, tickAt(m.now)
	case spinner.TickMsg:
		if m.starting() {
			var cmd tea.Cmd
			m.spin, cmd = m.spin.Update(msg)
			return m, cmd
		}
	case tea.KeyPressMsg:
		cmd := m.onKey(msg)
		return m, tea.Batch(cmd, m.load())
	case tea.MouseClickMsg:
		m.onClick(msg.Mouse())
		return m, m.load()
	case tea.MouseWheelMsg:
		m.onWheel(msg.Mouse())
		return m, m.load()
	}
	return m, nil
}

// starting reports whether checks are still waiting for a first result.
func (m *Root) starting() bool { return m.snap == nil || m.snap.Done < m.snap.Checks }

// setSnapshot takes a new snapshot, or holds it while paused.
func (m *Root) setSnapshot(s *model.Snapshot) {
	if s == nil {
		return
	}
	if m.paused {
		m.heldSnapshot = s
		m.heldUpdates++
		return
	}
	m.snap = s
	if m.index == nil || !m.index.update(s) {
		m.index = buildIndex(s, m.index, m.filter, m.sort)
	}
	m.settle()
}

// reindex recomputes the pane lists after a filter or sort change.
func (m *Root) reindex() {
	if m.index != nil {
		m.index.refilter(m.filter, m.sort)
		m.settle()
	}
}

// settle lets every screen of the stack find its place again after the
// snapshot, the lists or the size changed.
func (m *Root) settle() {
	for _, s := range m.stack {
		s.Settle(&m.env)
	}
}

func (m *Root) top() screen { return m.stack[len(m.stack)-1] }

// overview is the bottom of the stack.
func (m *Root) overview() *overviewScreen { return m.stack[0].(*overviewScreen) }

// push opens a screen; it settles at once, so it shows the snapshot on
// show before the next one arrives.
func (m *Root) push(s screen) {
	m.stack = append(m.stack, s)
	s.Settle(&m.env)
}

func (m *Root) pop() bool {
	if len(m.stack) == 1 {
		return false
	}
	m.stack = m.stack[:len(m.stack)-1]
	return true
}
