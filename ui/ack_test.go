package ui

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"noctop/model"
)

// ackedSnapshot is the lab with two acknowledged problems: portal (the
// asset, by alice) and this-host's host check (sticky, by bob); both
// leave the warning count for Tally.Acked, as the engine counts them.
func ackedSnapshot() *model.Snapshot {
	s := labSnapshot()
	at := fixedNow.Add(-5 * time.Minute)
	s.Assets = slices.Clone(s.Assets)
	for i, a := range s.Assets {
		switch a.Name {
		case "portal":
			c := *a
			c.Ack, c.Acked = &model.Ack{By: "alice", Comment: "vendor ticket 4711", At: at}, true
			s.Assets[i] = &c
		case "this-host":
			c := *a
			c.Checks = slices.Clone(a.Checks)
			hc := *c.Checks[0]
			hc.Ack = &model.Ack{By: "bob", Comment: "disk swap tonight", At: at, Sticky: true}
			c.Checks[0], c.Acked = &hc, true
			s.Assets[i] = &c
		}
	}
	s.Tally.Warning -= 2
	s.Tally.Acked = 2
	return s
}

func TestGoldenAcks(t *testing.T) {
	cases := []struct {
		name string
		opts []func(*Options)
		keys []string
	}{
		{name: "acked_overview"},
		{name: "acked_triage", keys: []string{"t"}},
		{name: "acked_asset", keys: []string{"1", "down", "enter"}},
		{name: "acked_check", keys: []string{"1", "down", "enter", "enter"}},
		{name: "acked_wall", keys: []string{"w"}},
		{name: "acked_nocolor", opts: []func(*Options){func(o *Options) { o.NoColor = true }}},
		{name: "ack_prompt", opts: []func(*Options){withAcks(nil)}, keys: []string{"a", "o", "n", " ", "i", "t"}},
	}
	for _, c := range cases {
		for _, sz := range sizes {
			t.Run(fmt.Sprintf("%s_%dx%d", c.name, sz.w, sz.h), func(t *testing.T) {
				m := newTestRoot(t, ackedSnapshot(), sz.w, sz.h, c.opts...)
				press(m, c.keys...)
				if c.name == "ack_prompt" {
					m.Update(ctrlS)
				}
				out := m.Render()
				checkFrame(t, out, sz.w, sz.h)
				golden.RequireEqual(t, out)
			})
		}
	}
}

var ctrlS = tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl}

// withAcks gives the UI the engine's Ack and Unack (nil: a engine that is
// never called, for views).
func withAcks(e *model.Engine) func(*Options) {
	return func(o *Options) {
		o.Operator = "alice"
		if e == nil {
			o.Ack = func(context.Context, model.AckRequest) error { return nil }
			o.Unack = func(context.Context, model.CheckKey, string) error { return nil }
			return
		}
		o.Ack, o.Unack = e.Ack, e.Unack
	}
}

// runCmd runs the Cmd an Update returned, as Bubble Tea would (the engine call
// happens here, never in Update), and hands its message back.
func runCmd(t *testing.T, m *Root, cmd tea.Cmd) {
	t.Helper()
	if cmd == nil {
		t.Fatal("no command")
	}
	m.Update(cmd())
}

func TestAckKeys(t *testing.T) {
	snap := labSnapshot()
	e, _ := engineFor(t, snap)
	ctx := context.Background()
	// The engine sees core-sw1 failing (soft: a problem all the same);
	// this-host has no result there yet.
	if err := e.Submit(ctx, model.Result{Key: model.CheckKey{Asset: "core-sw1", Check: "icmp"}, At: fixedNow,
		Outcome: model.Outcome{Status: model.StatusCritical, Summary: "3/3 lost"}}); err != nil {
		t.Fatal(err)
	}
	m := newTestRoot(t, snap, 120, 40, withAcks(e))

	// a on the root cause opens the prompt; Esc cancels without a call.
	press(m, "a")
	wantIn(t, m, "⚑ ack core-sw1:", "[ ] sticky (ctrl+s)")
	press(m, "x", "esc")
	wantNotIn(t, m, "⚑ ack core-sw1:")
	// a, a comment, ctrl+s, Enter: one engine call in the Cmd.
	press(m, "a")
	typeText(m, "on it")
	m.Update(ctrlS)
	wantIn(t, m, "[x] sticky", "on it")
	_, cmd := m.Update(keyMsg("enter"))
	wantNotIn(t, m, "⚑ ack core-sw1:")
	if a := latest(t, e).Asset("core-sw1").Ack; a != nil {
		t.Fatalf("acked before the Cmd ran: %+v", a)
	}
	runCmd(t, m, cmd)
	wantIn(t, m, "acknowledged core-sw1 as alice")
	s := latest(t, e)
	if a := s.Asset("core-sw1").Ack; a == nil || a.By != "alice" || a.Comment != "on it" || !a.Sticky {
		t.Fatalf("engine's ack %+v", a)
	}
	// The engine's snapshot shows the mark in the row and in the asset's
	// detail.
	m.Update(snapMsg{s})
	wantIn(t, m, "✗⚑ CRIT", "1 acked")
	press(m, "enter")
	wantIn(t, m, "⚑ acknowledged by alice at", ", sticky: on it")
	press(m, "esc")

	// A removes it.
	_, cmd = m.Update(keyMsg("A"))
	runCmd(t, m, cmd)
	wantIn(t, m, "acknowledgement of core-sw1 removed")
	s = latest(t, e)
	if a := s.Asset("core-sw1").Ack; a != nil {
		t.Fatalf("ack after A: %+v", a)
	}
	m.Update(snapMsg{s})
	wantNotIn(t, m, "⚑")
	// A with nothing acked says so, without a call.
	if _, cmd := m.Update(keyMsg("A")); cmd != nil {
		t.Fatal("A with nothing acked returned a command")
	}
	wantIn(t, m, "core-sw1: nothing acknowledged")

	// On an OK asset, a says there is nothing to acknowledge.
	m = newTestRoot(t, snap, 120, 40, withAcks(e))
	press(m, "3") // services: no asset to act on
	press(m, "a")
	wantIn(t, m, "a: select an asset or a check with a problem")
	press(m, "1", "G") // the last row of the technical pane: OK
	press(m, "a")
	wantIn(t, m, "is OK: nothing to acknowledge")
	// The engine refuses what it does not see as a problem: the refusal is
	// the notice.
	press(m, "g", "down", "enter") // this-host, WARNING here, PENDING to the engine
	press(m, "a", "x")
	_, cmd = m.Update(keyMsg("enter"))
	runCmd(t, m, cmd)
	wantIn(t, m, "ack refused: this-host/host is PENDING: no current problem")
}

// latest syncs the engine and returns its snapshot.
func latest(t *testing.T, e *model.Engine) *model.Snapshot {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s, err := e.Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// A read-only viewer (noctop serve without an operator key): every key
// that acts on the engine says why instead, and sends nothing.
func TestReadOnlyKeys(t *testing.T) {
	snap := labSnapshot()
	e, _ := engineFor(t, snap)
	for _, k := range []string{"r", "a", "A", "m", "M"} {
		// The engine's commands are there: ReadOnly alone holds them back.
		m := newTestRoot(t, snap, 120, 40, withAcks(e), func(o *Options) { o.ReadOnly = "read-only: operator key needed" })
		if _, cmd := m.Update(keyMsg(k)); cmd != nil {
			t.Fatalf("%s returned a command", k)
		}
		wantIn(t, m, "read-only: operator key needed")
		wantNotIn(t, m, "⚑ ack", "maintenance for")
	}
	if a := latest(t, e).Asset("core-sw1").Ack; a != nil {
		t.Fatalf("engine acked: %+v", a)
	}
	// The help says which keys need an operator's key.
	m := newTestRoot(t, snap, 200, 60, func(o *Options) { o.ReadOnly = "read-only: operator key needed" })
	press(m, "?")
	wantIn(t, m, "operator only: acknowledge a", "operator only: maintenance")
}
