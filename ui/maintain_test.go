package ui

import (
	"context"
	"sync"
	"testing"
	"time"

	"noctop/model"
)

// TestMaintainKeys: m on an asset asks for a duration and a reason, the
// engine opens the window in the Cmd (never in Update), the row and the
// asset screen show it, and M ends it.
func TestMaintainKeys(t *testing.T) {
	snap := labSnapshot()
	cfg := &model.Config{}
	for _, a := range snap.Assets {
		ac := model.Asset{Name: a.Name, Layer: a.Layer}
		for _, c := range a.Checks {
			ac.Checks = append(ac.Checks, model.Check{Type: c.Type, Name: c.Name})
		}
		cfg.Assets = append(cfg.Assets, ac)
	}
	cfg.ApplyDefaults()
	e := model.NewEngine(cfg, model.EngineOptions{Now: func() time.Time { return fixedNow }})
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { e.Run(ctx) })
	t.Cleanup(func() { cancel(); wg.Wait() })
	m := newTestRoot(t, snap, 120, 40, withAcks(e), func(o *Options) { o.Maintain, o.EndMaintenance = e.Maintain, e.EndMaintenance })

	press(m, "m")
	wantIn(t, m, "⚒ maintenance core-sw1 for:", "Enter start · Esc cancel")
	press(m, "esc")
	wantNotIn(t, m, "⚒ maintenance core-sw1 for:")

	// A bad duration keeps the prompt open and says why; no call.
	press(m, "m")
	typeText(m, "soon firmware")
	if _, cmd := m.Update(keyMsg("enter")); cmd != nil {
		t.Fatal("a bad duration returned a command")
	}
	wantIn(t, m, "duration soon: want e.g. 90m, 2h or 1d", "⚒ maintenance core-sw1 for:")
	for range len("soon firmware") {
		press(m, "backspace")
	}
	typeText(m, "2h firmware upgrade")
	_, cmd := m.Update(keyMsg("enter"))
	if w := latest(t, e).Asset("core-sw1").Maintenance; w != nil {
		t.Fatalf("window opened before the Cmd ran: %+v", w)
	}
	runCmd(t, m, cmd)
	wantIn(t, m, "maintenance window on core-sw1 until 16:30:00 by alice")
	s := latest(t, e)
	w := s.Asset("core-sw1").Maintenance
	if w == nil || w.By != "alice" || w.Reason != "firmware upgrade" || !w.Until.Equal(fixedNow.Add(2*time.Hour)) || s.Asset("core-sw1").Status != model.StatusMaintenance {
		t.Fatalf("engine's window %+v, status %s", w, s.Asset("core-sw1").Status)
	}
	m.Update(snapMsg{s})
	press(m, "G") // MAINTENANCE sorts below the problems
	wantIn(t, m, "⚒ MAINT")

	// M ends it.
	_, cmd = m.Update(keyMsg("M"))
	runCmd(t, m, cmd)
	wantIn(t, m, "ended by alice")
	if w := latest(t, e).Asset("core-sw1").Maintenance; w != nil {
		t.Fatalf("window after M: %+v", w)
	}
	// M again: the engine says there is none.
	_, cmd = m.Update(keyMsg("M"))
	runCmd(t, m, cmd)
	wantIn(t, m, "end of maintenance refused: no ad hoc maintenance window")
}

func TestParseMaintain(t *testing.T) {
	tests := []struct {
		in     string
		d      time.Duration
		reason string
		bad    bool
	}{
		{"2h firmware upgrade", 2 * time.Hour, "firmware upgrade", false},
		{"90m", 90 * time.Minute, "", false},
		{"1d  disk swap ", 24 * time.Hour, "disk swap", false},
		{"", 0, "", true},
		{"firmware", 0, "", true},
		{"0s nothing", 0, "", true},
		{"8d too long", 0, "", true},
		{"-1h back", 0, "", true},
	}
	for _, tt := range tests {
		d, reason, err := parseMaintain(tt.in)
		if (err != nil) != tt.bad || d != tt.d || reason != tt.reason {
			t.Errorf("parseMaintain(%q) = %v, %q, %v", tt.in, d, reason, err)
		}
	}
}
