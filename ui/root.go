package ui

import (
	"strings"
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

// Panes of the overview.
const (
	paneTechnical = iota
	paneApplication
	paneFunctional
	numPanes
)

var paneNames = [numPanes]string{"Technical", "Application", "Functional"}

type screenKind int

const (
	scrOverview screenKind = iota
	scrAsset
	scrCheck
	scrService
	scrTriage
)

// frame is one level of the navigation stack.
type frame struct {
	kind           screenKind
	asset, check   string
	service        string
	cursor, offset int
	// sel names the selected item (a check, an asset, a tree row) and at
	// the selected result's time, so the cursor stays on it when a new
	// snapshot changes the list.
	sel string
	at  time.Time
}

// Messages.
type (
	snapMsg       struct{ s *model.Snapshot }
	snapClosedMsg struct{}
	noticeMsg     struct{ text string }
	noticesEndMsg struct{}
	tickMsg       struct{ t time.Time }
)

// Root is the only tea.Model of the UI.
type Root struct {
	opts  Options
	keys  keyMap
	st    *styles
	plain *styles // no styling: cells of a selected row
	w, h  int
	now   time.Time

	snap  *model.Snapshot // drawn
	held  *model.Snapshot // newest while paused
	heldN int
	ix    *index

	stack   []frame // stack[0] is the overview
	pane    int
	paneSel [numPanes]string // selected item per pane, kept across snapshots
	paneCur [numPanes]int
	paneOff [numPanes]int

	sort    sortMode
	flt     filter
	editing bool
	in      input

	help      bool
	helpOff   int
	wall      bool
	wallStart time.Time
	paused    bool
	notice    string
	spin      spinner.Model
	closed    bool
}

// New builds the root model.
func New(opts Options) *Root {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Rotate <= 0 {
		opts.Rotate = DefaultRotate
	}
	m := &Root{
		opts:   opts,
		keys:   newKeyMap(),
		st:     newStyles(!opts.Light, opts.NoColor),
		plain:  &styles{},
		w:      minWidth,
		h:      minHeight,
		now:    opts.Now(),
		stack:  []frame{{kind: scrOverview}},
		wall:   opts.Wall,
		notice: clean(opts.Notice),
		spin:   spinner.New(spinner.WithSpinner(spinner.MiniDot)),
	}
	m.wallStart = m.now
	return m
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
		m.w, m.h = msg.Width, msg.Height
		m.clampAll()
	case tea.BackgroundColorMsg:
		m.st = newStyles(msg.IsDark(), m.opts.NoColor)
	case snapMsg:
		m.setSnapshot(msg.s)
		return m, waitSnapshot(m.opts.Snapshots)
	case snapClosedMsg:
		m.closed = true
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
		return m, m.onKey(msg)
	case tea.MouseClickMsg:
		m.onClick(msg.Mouse())
	case tea.MouseWheelMsg:
		m.onWheel(msg.Mouse())
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
		m.held = s
		m.heldN++
		return
	}
	m.snap = s
	m.ix = buildIndex(s, m.ix, m.flt, m.sort)
	m.reselect()
}

// reindex recomputes the pane lists after a filter or sort change.
func (m *Root) reindex() {
	if m.ix != nil {
		m.ix.refilter(m.flt, m.sort)
		m.reselect()
	}
}

// reselect keeps each pane's selected item selected after the lists
// changed (a new snapshot re-sorts them), or clamps the cursor.
func (m *Root) reselect() {
	for p := range numPanes {
		n := m.paneLen(p)
		if name := m.paneSel[p]; name != "" {
			if i := m.paneIndexOf(p, name); i >= 0 {
				m.paneCur[p] = i
			}
		}
		m.paneCur[p] = min(max(m.paneCur[p], 0), max(n-1, 0))
		m.paneSel[p] = m.paneItem(p, m.paneCur[p])
	}
	m.clampAll()
}

func (m *Root) paneLen(p int) int {
	if m.ix == nil {
		return 0
	}
	switch p {
	case paneTechnical:
		return len(m.ix.tech)
	case paneApplication:
		return len(m.ix.app)
	}
	return len(m.ix.svcs)
}

// paneItem names the item at row i of pane p ("" when out of range).
func (m *Root) paneItem(p, i int) string {
	if m.ix == nil || i < 0 || i >= m.paneLen(p) {
		return ""
	}
	switch p {
	case paneTechnical:
		return m.ix.tech[i].a.Name
	case paneApplication:
		return m.ix.app[i].a.Name
	}
	return m.ix.svcs[i].Name
}

func (m *Root) paneIndexOf(p int, name string) int {
	for i := range m.paneLen(p) {
		if m.paneItem(p, i) == name {
			return i
		}
	}
	return -1
}

func (m *Root) top() *frame { return &m.stack[len(m.stack)-1] }

func (m *Root) push(f frame) { m.stack = append(m.stack, f) }

func (m *Root) pop() bool {
	if len(m.stack) == 1 {
		return false
	}
	m.stack = m.stack[:len(m.stack)-1]
	return true
}

// View draws the whole screen.
func (m *Root) View() tea.View {
	v := tea.NewView(m.Render())
	v.AltScreen = true
	if !m.wall {
		v.MouseMode = tea.MouseModeCellMotion
	}
	v.WindowTitle = "noctop " + m.opts.ConfigName
	return v
}

// Render is the screen as text: exactly h lines of w cells.
func (m *Root) Render() string {
	if m.w < minWidth || m.h < minHeight {
		return m.tooSmall()
	}
	var lines []string
	if m.wall {
		lines = m.wallView()
	} else {
		lines = append(lines, m.header())
		if b, ok := m.banner(); ok {
			lines = append(lines, b)
		}
		lines = append(lines, m.navLine())
		bodyH := m.h - len(lines) - 1
		body := padLines(m.body(m.w, bodyH), m.w, bodyH)
		if m.help {
			body = m.overlayHelp(body, m.w, bodyH)
		}
		lines = append(lines, body...)
		lines = append(lines, m.statusLine())
	}
	var b strings.Builder
	b.Grow(m.w * m.h * 2)
	for i, l := range padLines(lines, m.w, m.h) {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(l)
	}
	return b.String()
}

// padLines returns exactly h lines of w cells.
func padLines(lines []string, w, h int) []string {
	if len(lines) > h {
		lines = lines[:h]
	}
	out := make([]string, h)
	for i := range h {
		if i < len(lines) {
			out[i] = fit(lines[i], w)
		} else {
			out[i] = spaces(w)
		}
	}
	return out
}

// body draws the current screen of the stack.
func (m *Root) body(w, h int) []string {
	if m.snap == nil {
		return []string{"", center(m.spin.View()+" waiting for the first snapshot…", w)}
	}
	f := m.top()
	switch f.kind {
	case scrAsset:
		return m.assetView(f, w, h)
	case scrCheck:
		return m.checkView(f, w, h)
	case scrService:
		return m.serviceView(f, w, h)
	case scrTriage:
		return m.triageView(f, w, h)
	}
	return m.overview(w, h)
}

// bodyHeight is the number of rows below the header, banner and nav line
// and above the status line.
func (m *Root) bodyHeight() int {
	h := m.h - 3
	if _, ok := m.banner(); ok {
		h--
	}
	return max(h, 0)
}

func (m *Root) tooSmall() string {
	msg := []string{"noctop needs at least 80x24", "make the window larger (now " + itoa(m.w) + "x" + itoa(m.h) + ")"}
	lines := make([]string, max(m.h, 1))
	top := max((len(lines)-len(msg))/2, 0)
	for i := range lines {
		if j := i - top; j >= 0 && j < len(msg) {
			lines[i] = center(msg[j], max(m.w, 1))
		} else {
			lines[i] = spaces(m.w)
		}
	}
	return strings.Join(lines, "\n")
}
