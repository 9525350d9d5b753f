package main

import (
	"context"
	"runtime"
	"testing"
	"time"
)

func TestProcsPolicy(t *testing.T) {
	var p procsPolicy
	tick := func(share float64) procsChange { return p.step(time.Duration(share*float64(time.Second)), time.Second) }
	for i := range quietTicks - 1 {
		if got := tick(0.05); got != procsKeep {
			t.Fatalf("quiet tick %d: %v, want keep (one P only after %d)", i+1, got, quietTicks)
		}
	}
	if got := tick(0.3); got != procsKeep { // between the shares: resets the count
		t.Fatalf("a middling tick: %v, want keep", got)
	}
	for range quietTicks - 1 {
		tick(0.1)
	}
	if got := tick(0.1); got != procsOne {
		t.Fatalf("%d quiet ticks in a row: %v, want one P", quietTicks, got)
	}
	if got := tick(0.5); got != procsKeep {
		t.Fatalf("on one P, 50%% of a core: %v, want keep (below the busy share)", got)
	}
	if got := tick(0.9); got != procsDefault {
		t.Fatalf("on one P, 90%% of a core: %v, want the default back", got)
	}
	if got := tick(1.5); got != procsKeep {
		t.Fatalf("busy on the default: %v, want keep", got)
	}
	if got := p.step(time.Second, 0); got != procsKeep {
		t.Fatalf("a tick of no length: %v, want keep", got)
	}
}

// tuneProcs on ticks and a CPU clock the test drives: one P once quiet,
// the default back when busy and when ctx ends, nothing when GOMAXPROCS is
// set in the environment.
func TestTuneProcs(t *testing.T) {
	def := runtime.GOMAXPROCS(0)
	if def <= 1 {
		t.Skipf("GOMAXPROCS is %d: one P already, nothing to tune", def)
	}
	waitProcs := func(want int, what string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for runtime.GOMAXPROCS(0) != want && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		if got := runtime.GOMAXPROCS(0); got != want {
			t.Fatalf("%s: GOMAXPROCS %d, want %d", what, got, want)
		}
	}
	ticks := make(chan time.Time)
	// The CPU clock: the test sends each tick's total before the tick;
	// last is read only by tuneProcs's goroutine.
	cpuOf := make(chan time.Duration, 1)
	var last time.Duration
	cpu := func() time.Duration {
		select {
		case last = <-cpuOf:
		default:
		}
		return last
	}
	at, total := time.Now(), time.Duration(0)
	step := func(share float64) {
		at = at.Add(time.Second)
		total += time.Duration(share * float64(time.Second))
		cpuOf <- total
		ticks <- at
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); tuneProcs(ctx, func(string) string { return "" }, ticks, cpu) }()
	for range quietTicks {
		step(0.02)
	}
	waitProcs(1, "quiet")
	step(0.95)
	waitProcs(def, "busy")
	for range quietTicks {
		step(0.02)
	}
	waitProcs(1, "quiet again")
	cancel()
	<-done
	waitProcs(def, "after ctx ended")

	// GOMAXPROCS set by the user: no tuning at all.
	ctx, cancel = context.WithCancel(context.Background())
	done = make(chan struct{})
	go func() {
		defer close(done)
		tuneProcs(ctx, func(k string) string {
			if k == "GOMAXPROCS" {
				return "2"
			}
			return ""
		}, ticks, cpu)
	}()
	<-done // it returned at once
	cancel()
	if got := runtime.GOMAXPROCS(0); got != def {
		t.Fatalf("GOMAXPROCS set in the environment: %d, want %d untouched", got, def)
	}
}
