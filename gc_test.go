package main

import (
	"runtime/debug"
	"testing"
)

// gcPercent reads the GC target (SetGCPercent returns the old one).
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

func TestTuneGC(t *testing.T) {
	before := gcPercent()
	restore := tuneGC(func(string) string { return "" })
	if got := gcPercent(); got != monitorGCPercent {
		t.Errorf("GOGC unset: GC percent %d, want %d", got, monitorGCPercent)
	}
	restore()
	if got := gcPercent(); got != before {
		t.Errorf("after restore: GC percent %d, want %d", got, before)
	}
	restore = tuneGC(func(k string) string {
		if k == "GOGC" {
			return "200"
		}
		return ""
	})
	if got := gcPercent(); got != before {
		t.Errorf("GOGC=200 set: GC percent %d, want it left at %d", got, before)
	}
	restore()
}
