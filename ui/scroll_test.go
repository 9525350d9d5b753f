package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"noctop/model"
)

// switchSnapshot is the lab with core-sw1 carrying 48 ports, as the demo's
// switch does: its asset screen is several pages long.
func switchSnapshot() *model.Snapshot {
	s := labSnapshot()
	c := s.Asset("core-sw1").Check("snmp")
	c.Interfaces = nil
	for i := range 48 {
		c.Interfaces = append(c.Interfaces, model.Interface{Index: i + 1, Name: fmt.Sprintf("Gi1/0/%d", i+1), Alias: "desk " + itoa(i+1),
			AdminUp: true, OperStatus: "up", SpeedBps: 1e9, InBps: 1e6, OutBps: 2e6, UtilPct: 0.2, Status: model.StatusOK})
	}
	return s
}

// next is the same estate one engine step later: fresh states (new
// pointers, as the engine publishes after changes), a newer sequence.
func next(f func() *model.Snapshot, seq uint64) *model.Snapshot {
	s := f()
	s.Seq = seq
	return s
}

// PgDn on a long asset screen stays where it is when the next snapshot
// arrives: the events at the bottom are reachable without pausing.
func TestAssetScrollSurvivesSnapshot(t *testing.T) {
	m := newTestRoot(t, switchSnapshot(), 80, 24)
	press(m, "enter", "down") // core-sw1, its snmp check selected
	for range 10 {
		press(m, "pgdown")
	}
	f := *m.top().(*assetScreen)
	if f.offset == 0 {
		t.Fatal("pgdown did not scroll")
	}
	wantIn(t, m, "Events", "CRITICAL soft 2/3 -> CRITICAL hard")
	for seq := uint64(43); seq < 46; seq++ {
		m.Update(snapMsg{next(switchSnapshot, seq)})
		if g := *m.top().(*assetScreen); g.offset != f.offset || g.cursor != f.cursor || g.selected != "snmp" {
			t.Fatalf("snapshot %d moved the asset screen: offset %d -> %d, cursor %d -> %d (%q)", seq, f.offset, g.offset, f.cursor, g.cursor, g.selected)
		}
		wantIn(t, m, "Events")
	}
	// Moving the cursor brings the selected check back into view.
	press(m, "up")
	wantIn(t, m, "Checks", "icmp")
	if m.top().(*assetScreen).offset >= f.offset {
		t.Fatalf("moving the cursor did not scroll back: offset %d", m.top().(*assetScreen).offset)
	}
	// PgDn past the end stops at the end: one PgUp scrolls back.
	press(m, "pgdown", "pgdown", "pgdown", "pgdown", "pgdown", "pgdown", "pgdown", "pgdown")
	end := m.top().(*assetScreen).offset
	press(m, "pgdown")
	if m.top().(*assetScreen).offset != end {
		t.Fatalf("pgdown past the end: offset %d, then %d", end, m.top().(*assetScreen).offset)
	}
	press(m, "pgup")
	if m.top().(*assetScreen).offset >= end {
		t.Fatal("pgup after the end did not scroll")
	}
}

// The selected check stays selected when the checks' list changes under it.
func TestAssetSelectionFollowsCheck(t *testing.T) {
	m := newTestRoot(t, labSnapshot(), 120, 40)
	press(m, "enter", "down")
	s := labSnapshot()
	sw := s.Asset("core-sw1")
	extra := check("core-sw1", "mgmt", "tcp", model.StatusOK, "SSH-2.0 in 1 ms", model.History{})
	sw.Checks = append([]*model.CheckState{extra}, sw.Checks...) // a check added before it
	m.Update(snapMsg{s})
	if f := m.top().(*assetScreen); f.cursor != 2 || f.selected != "snmp" {
		t.Fatalf("after a check was added above: cursor %d on %q, want 2 on snmp", f.cursor, f.selected)
	}
}

func TestPaneScrollSurvivesSnapshot(t *testing.T) {
	big := func() *model.Snapshot { return bigSnapshot(200) }
	m := newTestRoot(t, big(), 80, 24)
	press(m, "pgdown", "pgdown", "down", "down")
	pane := &m.overview().panes[0]
	cur, off, sel := pane.cursor, pane.offset, pane.selected
	if off == 0 {
		t.Fatal("pgdown did not scroll the pane")
	}
	m.Update(snapMsg{next(big, 2)})
	if pane.cursor != cur || pane.offset != off || pane.selected != sel {
		t.Fatalf("snapshot moved the pane: cursor %d->%d offset %d->%d sel %q->%q", cur, pane.cursor, off, pane.offset, sel, pane.selected)
	}
	// The selected asset turns critical and sorts to the top: the cursor
	// goes with it.
	s := big()
	a := s.Asset(sel)
	a.Status = model.StatusCritical
	m.Update(snapMsg{s})
	if pane.selected != sel || pane.cursor >= cur {
		t.Fatalf("selection did not follow %s: on %q at %d", sel, pane.selected, pane.cursor)
	}
}

// Results are newest first: a new result pushes the selected one down;
// the cursor stays on it and the view stays still. At the top, the view
// follows the newest.
func TestCheckScrollSurvivesSnapshot(t *testing.T) {
	withResults := func(extra int) *model.Snapshot {
		s := labSnapshot()
		c := s.Asset("gw1").Check("icmp")
		for i := range extra {
			c.History = c.History.Append(fixedNow.Add(time.Duration(i+1)*10*time.Second), model.StatusOK, time.Millisecond, map[string]float64{model.MetricRTTAvg: 0.3})
		}
		return s
	}
	m := newTestRoot(t, withResults(0), 80, 24)
	press(m, "1", "G", "enter", "enter") // gw1 is last in status order; its icmp check
	if f, ok := m.top().(*checkScreen); !ok || f.check != "icmp" {
		t.Fatalf("not on gw1/icmp: %#v", m.top())
	}
	for range 12 {
		press(m, "down")
	}
	f := *m.top().(*checkScreen)
	if f.offset == 0 {
		t.Fatal("the results did not scroll")
	}
	m.Update(snapMsg{withResults(2)})
	g := *m.top().(*checkScreen)
	if g.cursor != f.cursor+2 || g.offset != f.offset+2 || !g.at.Equal(f.at) {
		t.Fatalf("two new results: cursor %d->%d offset %d->%d at %v->%v", f.cursor, g.cursor, f.offset, g.offset, f.at, g.at)
	}
	press(m, "g")
	m.Update(snapMsg{withResults(3)})
	if g := *m.top().(*checkScreen); g.cursor != 0 || g.offset != 0 {
		t.Fatalf("at the top, a new result moved the view: cursor %d offset %d", g.cursor, g.offset)
	}
}

func TestServiceAndTriageSelectionSurviveSnapshot(t *testing.T) {
	m := newTestRoot(t, labSnapshot(), 120, 40)
	press(m, "3", "enter", "down", "down", "down")
	f := *m.top().(*serviceScreen)
	m.Update(snapMsg{next(labSnapshot, 43)})
	if g := *m.top().(*serviceScreen); g.cursor != f.cursor || g.selected != f.selected || g.offset != f.offset {
		t.Fatalf("service tree: %+v, then %+v", f, g)
	}

	m = newTestRoot(t, labSnapshot(), 120, 40)
	press(m, "t", "down")
	if sel := m.top().(*triageScreen).selected; sel != "portal" {
		t.Fatalf("triage: selected %q, want portal", sel)
	}
	// A new root cause sorts first: portal stays selected.
	s := next(labSnapshot, 43)
	ap := s.Asset("ap-floor2")
	ap.Status, ap.Role = model.StatusCritical, model.RoleRootCause
	s.Tally.RootCauses++
	m.Update(snapMsg{s})
	if f := m.top().(*triageScreen); f.selected != "portal" || f.cursor != 2 {
		t.Fatalf("triage after a new root cause: cursor %d on %q, want 2 on portal", f.cursor, f.selected)
	}
	press(m, "enter")
	if f, ok := m.top().(*assetScreen); !ok || f.name != "portal" {
		t.Fatalf("enter opened %#v", m.top())
	}
}

func TestHelpScrollSurvivesSnapshot(t *testing.T) {
	m := newTestRoot(t, labSnapshot(), 80, 24)
	press(m, "?", "j", "j", "j")
	before := plainView(m)
	if m.help.offset != 3 {
		t.Fatalf("help offset %d", m.help.offset)
	}
	m.Update(snapMsg{next(labSnapshot, 43)})
	if m.help.offset != 3 || !m.help.open || plainView(m) != before {
		t.Fatal("a snapshot moved the help")
	}
}

// Triage is a list of assets: PgDn and PgUp move through it a screen at a
// time, and every item is reachable.
func TestTriagePaging(t *testing.T) {
	s := bigSnapshot(400)
	n := 0
	for _, a := range s.Assets {
		if a.Status.IsProblem() {
			a.Role = model.RoleWarning
			n++
		}
	}
	s.Tally = model.Tally{Warning: n}
	m := newTestRoot(t, s, 80, 24)
	press(m, "t")
	items := len(m.index.triage().items)
	if items != n {
		t.Fatalf("%d triage items, want %d", items, n)
	}
	press(m, "pgdown")
	if c := m.top().(*triageScreen).cursor; c < 10 || c > 20 {
		t.Fatalf("pgdown moved to item %d", c)
	}
	for range items {
		press(m, "pgdown")
	}
	if c := m.top().(*triageScreen).cursor; c != items-1 {
		t.Fatalf("pgdown to the end: item %d of %d", c, items)
	}
	last := m.index.triage().items[items-1].r.name
	wantIn(t, m, last)
	checkFrame(t, m.Render(), 80, 24)
	press(m, "pgup")
	if c := m.top().(*triageScreen).cursor; c >= items-1 || !strings.Contains(plainView(m), m.index.triage().items[c].r.name) {
		t.Fatalf("pgup: item %d not in view", c)
	}
}
