package ui

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"noctop/model"
)

// plainView is the screen without escape sequences.
func plainView(m *Root) string { return ansi.Strip(m.Render()) }

func wantIn(t *testing.T, m *Root, subs ...string) {
	t.Helper()
	v := plainView(m)
	for _, s := range subs {
		if !strings.Contains(v, s) {
			t.Fatalf("screen lacks %q:\n%s", s, v)
		}
	}
}

func wantNotIn(t *testing.T, m *Root, subs ...string) {
	t.Helper()
	v := plainView(m)
	for _, s := range subs {
		if strings.Contains(v, s) {
			t.Fatalf("screen still shows %q:\n%s", s, v)
		}
	}
}

func TestMoveKeys(t *testing.T) {
	m := newTestRoot(t, labSnapshot(), 120, 40)
	press(m, "2") // application: mail-gw, portal, crm, dms, erp, web-shop, lab-dns
	if m.overview().panes[paneApplication].selected != "mail-gw" {
		t.Fatalf("worst first: selected %q, want mail-gw", m.overview().panes[paneApplication].selected)
	}
	steps := []struct {
		key, want string
	}{
		{"down", "portal"}, {"j", "crm"}, {"k", "portal"}, {"up", "mail-gw"},
		{"G", "lab-dns"}, {"g", "mail-gw"}, {"pgdown", "lab-dns"}, {"pgup", "mail-gw"},
		{"up", "mail-gw"}, // clamped at the top
	}
	for _, s := range steps {
		press(m, s.key)
		if got := m.overview().panes[paneApplication].selected; got != s.want {
			t.Fatalf("after %s: selected %q, want %q", s.key, got, s.want)
		}
	}
}

func TestPaneKeys(t *testing.T) {
	m := newTestRoot(t, labSnapshot(), 120, 40)
	for _, s := range []struct {
		key  string
		pane int
		tab  string
	}{
		{"tab", 1, "Application"}, {"tab", 2, "Functional"}, {"tab", 0, "Technical"},
		{"shift+tab", 2, "Functional"}, {"1", 0, "Technical"}, {"3", 2, "Functional"}, {"2", 1, "Application"},
	} {
		press(m, s.key)
		if m.overview().pane != s.pane {
			t.Fatalf("after %s: pane %d, want %d", s.key, m.overview().pane, s.pane)
		}
		wantIn(t, m, "Overview › "+s.tab)
	}
	// A digit from a detail screen goes back to the overview.
	press(m, "1", "enter", "3")
	if len(m.stack) != 1 || m.overview().pane != paneFunctional {
		t.Fatalf("3 on the asset screen: stack %d, pane %d", len(m.stack), m.overview().pane)
	}
}

func TestDrillDownAndBack(t *testing.T) {
	m := newTestRoot(t, labSnapshot(), 120, 40)
	press(m, "enter")
	if f, ok := m.top().(*assetScreen); !ok || f.name != "core-sw1" {
		t.Fatalf("enter: top %#v, want asset core-sw1", m.top())
	}
	wantIn(t, m, "Overview › Technical › core-sw1", "Checks", "Interfaces", "Gi0/2", "up/down", "Events", "sysUpTime went back")
	press(m, "down", "enter")
	if f, ok := m.top().(*checkScreen); !ok || f.check != "snmp" {
		t.Fatalf("enter on 2nd check: top %#v, want check snmp", m.top())
	}
	wantIn(t, m, "core-sw1 › snmp", "Results", "in bps total")
	press(m, "esc")
	wantIn(t, m, "Interfaces")
	press(m, "backspace") // Esc's second key
	if len(m.stack) != 1 {
		t.Fatalf("two Esc: stack depth %d, want 1", len(m.stack))
	}
	wantIn(t, m, "RTT/TRAFFIC")
	press(m, "esc") // nothing to pop, no filter: stays
	if len(m.stack) != 1 {
		t.Fatal("Esc on the overview changed the stack")
	}
}

func TestServiceTree(t *testing.T) {
	m := newTestRoot(t, labSnapshot(), 120, 40)
	press(m, "3", "enter")
	wantIn(t, m, "service Business", "├─ ✗ CRIT Order to cash (service)", "◀ unreachable: root cause core-sw1")
	// Row 1 is the nested "Order to cash"; Enter opens it.
	press(m, "down", "enter")
	if f, ok := m.top().(*serviceScreen); !ok || f.name != "Order to cash" {
		t.Fatalf("enter on nested service: top %#v", m.top())
	}
	press(m, "down", "enter")
	if f, ok := m.top().(*assetScreen); !ok || f.name != "erp" {
		t.Fatalf("enter on member erp: top %#v", m.top())
	}
	wantIn(t, m, "root cause core-sw1")
	press(m, "alt+esc")
	if len(m.stack) != 2 {
		t.Fatalf("stack depth %d after a double Esc from 4, want 2", len(m.stack))
	}
	press(m, "esc")
	if len(m.stack) != 1 {
		t.Fatalf("stack depth %d after three Esc", len(m.stack))
	}
}

func TestCulpritMarks(t *testing.T) {
	m := newTestRoot(t, labSnapshot(), 120, 40)
	rows := serviceTree(&m.env, "Online sales")
	marks := map[string]bool{}
	for _, r := range rows[1:] {
		marks[r.name] = r.culprit
	}
	// "all" is CRITICAL because web-shop fails; a WARNING or MAINTENANCE
	// member does not make it fail.
	if !marks["web-shop"] || marks["portal"] || marks["lab-dns"] {
		t.Fatalf("culprits %v, want web-shop only", marks)
	}
}

func TestTriage(t *testing.T) {
	m := newTestRoot(t, labSnapshot(), 120, 40)
	press(m, "t")
	wantIn(t, m, "Triage", "◆ ROOT core-sw1", "takes down 4 assets: ⊘ erp, ⊘ crm, ⊘ dms, ⊘ web-shop", "and 3 services down: ✗ Business, ✗ Order to cash, ✗ Online sales",
		"Other problems", "▲ WARN portal", "✗ CRIT 1/3 mail-gw")
	press(m, "t") // already there: no second frame
	if len(m.stack) != 2 {
		t.Fatalf("t twice: depth %d", len(m.stack))
	}
	press(m, "enter")
	if f, ok := m.top().(*assetScreen); !ok || f.name != "core-sw1" {
		t.Fatalf("enter in triage: %#v", m.top())
	}
	wantIn(t, m, "Triage › core-sw1")
}

func TestFilterKeys(t *testing.T) {
	m := newTestRoot(t, labSnapshot(), 120, 40)
	press(m, "/")
	if !m.editingFilter {
		t.Fatal("/ did not open the filter")
	}
	typeText(m, "status:crit")
	if len(m.index.tech) != 1 || m.index.tech[0].a.Name != "core-sw1" || len(m.index.app) != 1 || m.index.app[0].a.Name != "mail-gw" {
		t.Fatalf("status:crit: tech %d app %d", len(m.index.tech), len(m.index.app))
	}
	wantIn(t, m, "/ status:crit█", "filter: status:crit (2 of 11)")
	// Keys typed into the filter are text, not commands.
	typeText(m, " q")
	if m.filter.text != "status:crit q" || len(m.index.tech)+len(m.index.app) != 0 {
		t.Fatalf("typing q: filter %q, %d rows", m.filter.text, len(m.index.tech)+len(m.index.app))
	}
	press(m, "backspace", "backspace", "enter")
	if m.editingFilter || m.filter.text != "status:crit" {
		t.Fatalf("backspace+enter: editing %v, filter %q", m.editingFilter, m.filter.text)
	}
	wantIn(t, m, "filter: status:crit")
	press(m, "esc") // on the overview Esc clears an applied filter
	if m.filter.active() || len(m.index.tech) != 4 {
		t.Fatalf("esc: filter %q, %d technical rows", m.filter.text, len(m.index.tech))
	}
	press(m, "/")
	typeText(m, "x")
	press(m, "ctrl+u")
	typeText(m, "tag:role:core layer:tech")
	press(m, "enter")
	if len(m.index.tech) != 1 || len(m.index.app) != 0 || len(m.index.svcs) != 0 {
		t.Fatalf("tag+layer: %d/%d/%d rows", len(m.index.tech), len(m.index.app), len(m.index.svcs))
	}
	press(m, "/", "esc") // Esc while typing clears
	if m.filter.active() || m.editingFilter {
		t.Fatal("esc while typing kept the filter")
	}
}

func TestFilterParse(t *testing.T) {
	index := buildIndex(labSnapshot(), nil, filter{}, sortStatus)
	names := func(f string) []string {
		index.refilter(parseFilter(f), sortName)
		var out []string
		for _, r := range append(append([]*assetRow{}, index.tech...), index.app...) {
			out = append(out, r.a.Name)
		}
		return out
	}
	cases := map[string]string{
		"status:crit status:warn":    "core-sw1 this-host mail-gw portal",
		"STATUS:UNR":                 "crm dms erp web-shop",
		"tag:site":                   "core-sw1 gw1",
		"tag:site:lab tag:role:edge": "core-sw1 gw1",
		"tag:role:edge":              "gw1",
		"layer:app status:maint":     "lab-dns",
		"127.0.0.2":                  "crm dms erp web-shop",
		"SWITCH":                     "core-sw1",
		"status:crit switch":         "core-sw1",
		"status:":                    "ap-floor2 core-sw1 gw1 this-host crm dms erp lab-dns mail-gw portal web-shop",
		"status:bogus":               "ap-floor2 core-sw1 gw1 this-host crm dms erp lab-dns mail-gw portal web-shop",
		"no-such-thing":              "",
		"layer:tech access":          "ap-floor2",
	}
	for f, want := range cases {
		if got := strings.Join(names(f), " "); got != want {
			t.Errorf("filter %q: %q, want %q", f, got, want)
		}
	}
	if e := parseFilter("status:bogus").String(); !strings.Contains(e, "unknown status") {
		t.Errorf("bad status not explained: %q", e)
	}
}

func TestSortKey(t *testing.T) {
	m := newTestRoot(t, labSnapshot(), 120, 40)
	order := func() string {
		var n []string
		for _, r := range m.index.tech {
			n = append(n, r.a.Name)
		}
		return strings.Join(n, " ")
	}
	want := []struct{ mode, order string }{
		{"status", "core-sw1 this-host ap-floor2 gw1"},
		{"name", "ap-floor2 core-sw1 gw1 this-host"},
		{"since", "ap-floor2 core-sw1 this-host gw1"}, // newest change first; zero since last
		{"kind", "ap-floor2 this-host gw1 core-sw1"},
		{"status", "core-sw1 this-host ap-floor2 gw1"},
	}
	for i, w := range want {
		if i > 0 {
			press(m, "s")
		}
		if m.sort.String() != w.mode {
			t.Fatalf("sort %s, want %s", m.sort, w.mode)
		}
		wantIn(t, m, "sort: "+w.mode)
		if w.mode != "since" && order() != w.order {
			t.Fatalf("sort %s: %s, want %s", w.mode, order(), w.order)
		}
	}
}

// engineFor builds a real engine whose config has the fixture's assets and
// checks; its Recheck hook records the keys the UI asked for.
func engineFor(t *testing.T, s *model.Snapshot) (*model.Engine, <-chan model.CheckKey) {
	t.Helper()
	cfg := &model.Config{}
	for _, a := range s.Assets {
		ac := model.Asset{Name: a.Name, Layer: a.Layer}
		for _, c := range a.Checks {
			ac.Checks = append(ac.Checks, model.Check{Type: c.Type, Name: c.Name})
		}
		cfg.Assets = append(cfg.Assets, ac)
	}
	cfg.ApplyDefaults()
	keys := make(chan model.CheckKey, 16)
	e := model.NewEngine(cfg, model.EngineOptions{Recheck: func(k model.CheckKey) { keys <- k }})
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { e.Run(ctx) })
	t.Cleanup(func() { cancel(); wg.Wait() })
	return e, keys
}

func recv(t *testing.T, c <-chan model.CheckKey, n int) []string {
	t.Helper()
	var out []string
	for range n {
		select {
		case k := <-c:
			out = append(out, k.String())
		case <-time.After(5 * time.Second):
			t.Fatalf("engine got %v, want %d rechecks", out, n)
		}
	}
	select {
	case k := <-c:
		t.Fatalf("unexpected extra recheck %v", k)
	case <-time.After(50 * time.Millisecond):
	}
	return out
}

func TestRecheck(t *testing.T) {
	snap := labSnapshot()
	e, keys := engineFor(t, snap)
	m := newTestRoot(t, snap, 120, 40, func(o *Options) { o.Commands = e })
	// On the overview: every check of the selected asset.
	_, cmd := m.Update(keyMsg("r"))
	if cmd == nil {
		t.Fatal("r gave no command")
	}
	msg := cmd() // the engine call happens here, not in Update
	if got := strings.Join(recv(t, keys, 2), " "); got != "core-sw1/icmp core-sw1/snmp" {
		t.Fatalf("rechecks %s", got)
	}
	m.Update(msg)
	wantIn(t, m, "recheck requested: core-sw1 (2 checks)")
	// On the asset screen: the selected check only.
	press(m, "enter", "down")
	_, cmd = m.Update(keyMsg("r"))
	cmd()
	if got := recv(t, keys, 1); got[0] != "core-sw1/snmp" {
		t.Fatalf("recheck on asset screen: %v", got)
	}
	// On a service there is nothing to recheck.
	press(m, "3")
	if _, cmd := m.Update(keyMsg("r")); cmd != nil {
		t.Fatal("r on a service returned a command")
	}
}

func TestPauseHoldsSnapshots(t *testing.T) {
	m := newTestRoot(t, labSnapshot(), 120, 40)
	press(m, "p")
	next := labSnapshot()
	next.Seq = 43
	next.Assets[0] = &model.AssetState{Name: "gw1", Layer: "technical", Kind: "router", Status: model.StatusCritical, Down: true, Role: model.RoleRootCause}
	m.Update(snapMsg{next})
	if m.snap.Seq != 42 || m.heldSnapshot != next {
		t.Fatalf("paused: showing seq %d", m.snap.Seq)
	}
	wantIn(t, m, "⏸ PAUSED (1 update held)")
	press(m, "p")
	if m.snap.Seq != 43 || m.paused {
		t.Fatalf("resumed: showing seq %d, paused %v", m.snap.Seq, m.paused)
	}
	wantNotIn(t, m, "PAUSED")
	if len(m.index.causes.rows) != 2 {
		t.Fatalf("resumed snapshot not indexed: %d causes", len(m.index.causes.rows))
	}
}

func TestWallMode(t *testing.T) {
	now := fixedNow
	m := newTestRoot(t, labSnapshot(), 120, 40, func(o *Options) { o.Now = func() time.Time { return now } })
	press(m, "w")
	if !m.wall.on {
		t.Fatal("w did not enter wall mode")
	}
	wantIn(t, m, "✗ CRITICAL", "███", "Problems", "Technical", "rotates every 15s")
	for _, want := range []string{"Application", "Functional", "Technical"} {
		now = now.Add(15 * time.Second)
		m.Update(tickMsg{now})
		if paneNames[m.wall.pane(m.now, m.opts.Rotate)] != want {
			t.Fatalf("after rotation: %s, want %s", paneNames[m.wall.pane(m.now, m.opts.Rotate)], want)
		}
	}
	press(m, "j", "enter") // no cursor on the wall
	if len(m.stack) != 1 || m.overview().panes[0].cursor != 0 {
		t.Fatal("wall mode moved the cursor")
	}
	press(m, "esc")
	if m.wall.on {
		t.Fatal("esc did not leave wall mode")
	}
	press(m, "w", "w")
	if m.wall.on {
		t.Fatal("w twice: still on the wall")
	}
	v := New(Options{Wall: true, Rotate: time.Minute})
	if !v.wall.on || v.opts.Rotate != time.Minute || v.View().MouseMode != tea.MouseModeNone {
		t.Fatal("Options.Wall/Rotate not honoured")
	}
}

func TestHelpOverlay(t *testing.T) {
	m := newTestRoot(t, labSnapshot(), 80, 24)
	press(m, "?")
	wantIn(t, m, "Keys", "↑/k")
	// Every binding's help line is reachable by scrolling.
	seen := plainView(m)
	for range 30 {
		press(m, "j")
		seen += plainView(m)
	}
	for _, b := range m.keys.all() {
		if !strings.Contains(seen, b.Help().Desc) {
			t.Errorf("help lacks %q", b.Help().Desc)
		}
	}
	press(m, "s") // ignored under help
	if m.sort != sortStatus {
		t.Fatal("s acted under the help overlay")
	}
	press(m, "?")
	if m.help.open {
		t.Fatal("? did not close help")
	}
	press(m, "?", "esc")
	if m.help.open {
		t.Fatal("esc did not close help")
	}
}

func TestQuitKeys(t *testing.T) {
	for _, k := range []string{"q", "ctrl+c"} {
		m := newTestRoot(t, labSnapshot(), 80, 24)
		_, cmd := m.Update(keyMsg(k))
		if cmd == nil {
			t.Fatalf("%s: no command", k)
		}
		if _, ok := cmd().(tea.QuitMsg); !ok {
			t.Fatalf("%s did not quit", k)
		}
	}
	m := newTestRoot(t, labSnapshot(), 80, 24)
	press(m, "?")
	if _, cmd := m.Update(keyMsg("q")); cmd == nil {
		t.Fatal("q under help did not quit")
	}
}

func TestMouse(t *testing.T) {
	m := newTestRoot(t, labSnapshot(), 200, 60)
	// Body starts at row 3 (header, banner, nav); rows start 2 lower.
	m.Update(tea.MouseClickMsg{X: 80, Y: 3 + paneHeadRows + 2, Button: tea.MouseLeft})
	if m.overview().pane != paneApplication || m.overview().panes[paneApplication].selected != "crm" {
		t.Fatalf("click: pane %d selected %q, want application crm", m.overview().pane, m.overview().panes[paneApplication].selected)
	}
	m.Update(tea.MouseWheelMsg{X: 80, Y: 10, Button: tea.MouseWheelDown})
	if m.overview().panes[paneApplication].selected != "web-shop" {
		t.Fatalf("wheel down: %q", m.overview().panes[paneApplication].selected)
	}
	m.Update(tea.MouseWheelMsg{X: 80, Y: 10, Button: tea.MouseWheelUp})
	if m.overview().panes[paneApplication].selected != "crm" {
		t.Fatalf("wheel up: %q", m.overview().panes[paneApplication].selected)
	}
	press(m, "t")
	y := slices.IndexFunc(strings.Split(plainView(m), "\n"), func(l string) bool { return strings.HasPrefix(l, "▲ WARN portal") })
	m.Update(tea.MouseClickMsg{X: 5, Y: y, Button: tea.MouseLeft})
	press(m, "enter")
	if f, ok := m.top().(*assetScreen); !ok || f.name != "portal" {
		t.Fatalf("click on portal (row %d) in triage then enter: %#v", y, m.top())
	}
}

func TestTooSmall(t *testing.T) {
	for _, sz := range [][2]int{{79, 24}, {80, 23}, {40, 10}} {
		m := newTestRoot(t, labSnapshot(), sz[0], sz[1])
		v := plainView(m)
		want := "make the window larger (now " + itoa(sz[0]) + "x" + itoa(sz[1]) + ")"
		if !strings.Contains(v, want) {
			t.Errorf("%dx%d: %q missing:\n%s", sz[0], sz[1], want, v)
		}
		if n := strings.Count(v, "\n") + 1; n != sz[1] {
			t.Errorf("%dx%d: %d lines", sz[0], sz[1], n)
		}
	}
	m := newTestRoot(t, labSnapshot(), 80, 24)
	wantNotIn(t, m, "make the window larger")
}

func TestStartup(t *testing.T) {
	m := newTestRoot(t, nil, 80, 24)
	wantIn(t, m, "waiting for the first snapshot", "starting")
	s := labSnapshot()
	for _, a := range s.Assets {
		for _, c := range a.Checks {
			c.LastRun = time.Time{}
		}
		a.Status = model.StatusPending
	}
	s.Done = 3
	m.Update(snapMsg{s})
	wantIn(t, m, "3 of 14 checks done", "… PEND")
	if !m.starting() {
		t.Fatal("not starting with 3 of 14 done")
	}
	// The spinner ticks while starting and stops after.
	if _, cmd := m.Update(m.spin.Tick()); cmd == nil {
		t.Fatal("spinner stopped while starting")
	}
	s2 := labSnapshot()
	s2.Done = s2.Checks
	m.Update(snapMsg{s2})
	wantNotIn(t, m, "checks done")
	if _, cmd := m.Update(m.spin.Tick()); cmd != nil {
		t.Fatal("spinner still ticking after startup")
	}
}

func TestMessages(t *testing.T) {
	m := newTestRoot(t, labSnapshot(), 120, 40, func(o *Options) { o.Notice = "no config found" })
	wantIn(t, m, "no config found")
	m.Update(noticeMsg{"demo: core-sw1 fails\x1b[2J"})
	wantIn(t, m, "14:30:00 demo: core-sw1 fails\\x1b[2J")
	m.Update(snapClosedMsg{})
	wantIn(t, m, "engine stopped")
	m.Update(tea.BackgroundColorMsg{Color: ansi.White})
	if m.styles.dark {
		t.Fatal("a white background did not switch to light styles")
	}
	later := fixedNow.Add(3 * time.Second)
	m.opts.Now = func() time.Time { return later }
	m.Update(tickMsg{later})
	wantIn(t, m, "14:30:03", "newest 5s")
}

// TestSnapshotFromEngine drives the UI with snapshots of a real engine.
func TestSnapshotFromEngine(t *testing.T) {
	e, _ := engineFor(t, labSnapshot())
	sub := e.Subscribe()
	defer sub.Close()
	ctx := context.Background()
	if err := e.Submit(ctx, model.Result{Key: model.CheckKey{Asset: "gw1", Check: "icmp"}, Outcome: model.Outcome{Status: model.StatusCritical, Summary: "3/3 lost"}}); err != nil {
		t.Fatal(err)
	}
	snap, err := e.Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	m := newTestRoot(t, nil, 120, 40, func(o *Options) { o.Snapshots = sub.C })
	m.Update(snapMsg{snap})
	wantIn(t, m, "✗ CRIT 1/3 gw1", "1 of 14 checks done")
	// The Cmd that waits for the next snapshot reads the subscription.
	_, cmd := m.Update(snapMsg{snap})
	if got, ok := cmd().(snapMsg); !ok || got.s.Seq < snap.Seq {
		t.Fatalf("waitSnapshot returned %T", got)
	}
}

// TestKeyMapDistinct guards the single key map: no key does two things,
// and every binding has help text.
func TestKeyMapDistinct(t *testing.T) {
	seen := map[string]string{}
	for _, b := range newKeyMap(false, false).all() {
		if b.Help().Key == "" || b.Help().Desc == "" {
			t.Errorf("binding %v has no help", b.Keys())
		}
		for _, k := range b.Keys() {
			if other, ok := seen[k]; ok {
				t.Errorf("key %q bound to %q and %q", k, other, b.Help().Desc)
			}
			seen[k] = b.Help().Desc
		}
	}
}

// Before the first snapshot every key and the mouse are safe on every
// screen that can be opened (triage can: t needs no snapshot).
func TestKeysBeforeFirstSnapshot(t *testing.T) {
	for _, first := range []string{"", "t"} {
		m := newTestRoot(t, nil, 120, 40)
		if first != "" {
			press(m, first)
		}
		for _, k := range []string{"j", "k", "pgdown", "pgup", "G", "g", "enter", "tab", "s", "r", "p", "p", "esc"} {
			press(m, k)
			if first != "" && k != "esc" {
				press(m, first)
			}
			m.Update(tea.MouseClickMsg{X: 5, Y: 6, Button: tea.MouseLeft})
			m.Update(tea.MouseWheelMsg{X: 5, Y: 6, Button: tea.MouseWheelDown})
			checkFrame(t, m.Render(), 120, 40)
		}
		wantIn(t, m, "waiting for the first snapshot")
	}
}

// The header warns while scheduled runs start late (p99 past a second), and
// says nothing of the lag otherwise.
func TestHeaderShowsSlowLag(t *testing.T) {
	snap := labSnapshot()
	snap.Lag = model.LagStats{Runs: 5000, P50: 20 * time.Millisecond, P99: 900 * time.Millisecond, Max: time.Second}
	m := newTestRoot(t, snap, 160, 48)
	wantNotIn(t, m, "lag")
	slow := labSnapshot()
	slow.Seq = 43
	slow.Lag = model.LagStats{Runs: 5000, P50: time.Second, P99: 2500 * time.Millisecond, Max: 4 * time.Second}
	m.Update(snapMsg{slow})
	wantIn(t, m, "▲ lag p99 2.5s")
}
