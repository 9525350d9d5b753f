package ui

import (
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Amsterdam without /usr/share/zoneinfo

	"noctop/model"
)

// The window's end reads on now's clock: the time alone today, the date
// too on another day, in now's zone whatever the window's own.
func TestMaintUntil(t *testing.T) {
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 26, 14, 30, 0, 0, time.UTC)
	tests := []struct {
		until time.Time
		want  string
	}{
		{now.Add(90 * time.Minute), "until 16:00"},
		{time.Date(2026, 11, 26, 23, 0, 0, 0, ams), "until 22:00"}, // 23:00 CET is 22:00 UTC
		{time.Date(2026, 11, 27, 0, 30, 0, 0, ams), "until 23:30"},
		{now.Add(12 * time.Hour), "until Nov 27 02:30"},
	}
	for _, tt := range tests {
		if got := maintUntil(now, tt.until); got != tt.want {
			t.Errorf("maintUntil(%s) = %q, want %q", tt.until, got, tt.want)
		}
	}
}

// A covered child's screen says which assets' window covers it, and an ad
// hoc window who opened it.
func TestMaintenanceLines(t *testing.T) {
	now := time.Date(2026, 11, 26, 14, 30, 0, 0, time.UTC)
	e := &env{styles: newStyles(true, true), now: now}
	lines := maintenanceLines(e, &model.Maintenance{Window: "ad hoc", Reason: "swap", By: "alice", From: now.Add(-time.Hour),
		Until: now.Add(24 * time.Hour), CoveredBy: "core-sw1"})
	text := strings.Join(lines, "\n")
	for _, want := range []string{"⚒ maintenance", "ad hoc — swap", "from 13:30 until Nov 27 14:30, by alice", "by core-sw1's window"} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q in:\n%s", want, text)
		}
	}
	if maintenanceLines(e, nil) != nil {
		t.Error("lines outside a window")
	}
}
