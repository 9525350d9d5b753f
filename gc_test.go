package main

import (
	"context"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// gcPercent reads the GC target (SetGCPercent returns the old one).
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

func TestGCPercentFor(t *testing.T) {
	for _, c := range []struct {
		live uint64
		want int
	}{
		{0, maxGCPercent},
		{1 << 20, maxGCPercent},       // 1 MiB: the floor would ask 6,300%
		{12 << 20, 300},               // 12 MiB x 4 = the 48 MiB floor
		{24 << 20, 100},               // x 2
		{gcHeapFloor * 100 / 135, 35}, // where 35% reaches the floor
		{100 << 20, monitorGCPercent}, // past the floor: the bound
		{1 << 30, monitorGCPercent},
	} {
		if got := gcPercentFor(c.live); got != c.want {
			t.Errorf("gcPercentFor(%d MiB) = %d, want %d", c.live>>20, got, c.want)
		}
	}
}

// tuneGC sets the percent its live heap asks, gives the old one back when
// ctx ends, and leaves a GOGC the user set alone.
func TestTuneGC(t *testing.T) {
	before := gcPercent()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); tuneGC(ctx, func(string) string { return "" }) }()
	// The test binary's live heap is a few MiB: the floor raises the
	// percent, at once and after each collection.
	deadline := time.Now().Add(10 * time.Second)
	for gcPercent() <= monitorGCPercent && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if got := gcPercent(); got <= monitorGCPercent {
		t.Errorf("GOGC unset, small heap: GC percent %d, want above %d (the heap floor)", got, monitorGCPercent)
	}
	// A live heap past the floor brings the percent down after a collection.
	big := make([][]byte, 0, 96)
	for range 96 {
		big = append(big, make([]byte, 1<<20))
	}
	for gcPercent() != monitorGCPercent && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if got := gcPercent(); got != monitorGCPercent {
		t.Errorf("96 MiB live: GC percent %d, want %d", got, monitorGCPercent)
	}
	runtime.KeepAlive(big)
	cancel()
	<-done
	if got := gcPercent(); got != before {
		t.Errorf("after ctx ended: GC percent %d, want %d", got, before)
	}
	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	tuneGC(ctx, func(k string) string {
		if k == "GOGC" {
			return "200"
		}
		return ""
	})
	if got := gcPercent(); got != before {
		t.Errorf("GOGC=200 set: GC percent %d, want it left at %d", got, before)
	}
}
