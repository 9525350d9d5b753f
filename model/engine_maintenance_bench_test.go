package model

import (
	"testing"
	"time"
)

// BenchmarkWindowBoundary: one boundary of a window over all 5,000 assets
// of the bench estate (by tag): every asset enters (or leaves) the window,
// is evaluated and the services rolled up. In-process, the engine's own
// work; what the engine's goroutine is held for at a boundary.
func BenchmarkWindowBoundary(b *testing.B) {
	cfg := benchConfig()
	for i := range cfg.Assets {
		cfg.Assets[i].Tags = []string{"site:dc"}
	}
	t0 := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	cfg.Maintenance = []MaintenanceWindow{{Name: "all", Tags: []string{"site:dc"}, Every: "daily 13:00",
		Duration: Duration{Duration: time.Hour}, Timezone: "UTC"}}
	cfg.ApplyDefaults()
	e := NewEngine(cfg, EngineOptions{Now: func() time.Time { return t0 }})
	in, out := t0.Add(time.Hour), t0.Add(2*time.Hour)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		at := in
		if i%2 == 1 {
			at = out
		}
		e.applyWindows(at)
		i++
	}
	if e.counts[StatusMaintenance] != len(e.assets) && e.counts[StatusMaintenance] != 0 {
		b.Fatalf("%d assets in maintenance", e.counts[StatusMaintenance])
	}
}

// BenchmarkWindowsIdle: a boundary that changes no asset (a window on
// none of the assets it could cover is still computed): the floor of a
// timer tick with 20 windows.
func BenchmarkWindowsIdle(b *testing.B) {
	cfg := benchConfig()
	for range 20 {
		cfg.Maintenance = append(cfg.Maintenance, MaintenanceWindow{Assets: []string{"core-1"}, Every: "mon,thu 22:30",
			Duration: Duration{Duration: time.Hour}, Timezone: "Europe/Amsterdam"})
	}
	cfg.ApplyDefaults()
	t0 := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	e := NewEngine(cfg, EngineOptions{Now: func() time.Time { return t0 }})
	b.ReportAllocs()
	for b.Loop() {
		e.applyWindows(t0)
	}
}
