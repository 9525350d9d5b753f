package main

import (
	"context"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// monitorGCPercent is the Go GC target of the long-running monitor once
// its live heap is past gcHeapFloor's reach. Its heap is mostly data that
// lives for good (the checks' history rings), and at Go's default of 100
// the heap grows to twice the live data between collections. 10,000 icmp
// checks with full history peaked at 213 MiB at 100, 166 at 50 (120
// samples, no store) and, with the store and its 60-sample ring, 146 MiB
// at 50; 35 brings that under 150 MB.
const monitorGCPercent = 35

// gcHeapFloor is the heap a collection is never triggered below: a small
// monitor (1,000 http checks, 15-20 MB live) at 35% collected every 6 MB
// of garbage, 13-15% of its CPU (BENCHMARKS.md, the monitor at rest).
// Below the floor the GC percent is raised so the heap goal is the floor;
// above it, monitorGCPercent holds memory to the bound.
const gcHeapFloor = 48 << 20

// maxGCPercent caps the raised percent for a tiny live heap.
const maxGCPercent = 800

// gcPercentFor is the GC percent for a live heap of live bytes: the heap
// goal (live x (1 + percent/100)) is gcHeapFloor or live x 1.35, whichever
// is larger.
func gcPercentFor(live uint64) int {
	if live == 0 {
		return maxGCPercent
	}
	p := int(gcHeapFloor*100/live) - 100
	return min(max(p, monitorGCPercent), maxGCPercent)
}

// tuneGC sets the monitor's GC target unless GOGC in the environment says
// otherwise and, after every collection, moves it to gcPercentFor the live
// heap the collection left, until ctx ends; then it puts the old target
// back. It blocks: run it in a goroutine of its own.
func tuneGC(ctx context.Context, getenv func(string) string) {
	if getenv("GOGC") != "" {
		return
	}
	old := debug.SetGCPercent(monitorGCPercent)
	defer debug.SetGCPercent(old)
	t := &gcTuner{}
	t.tune() // the heap before the first collection
	// Only the finalizer may refer to the hook: reachable, it never runs.
	runtime.SetFinalizer(&gcHook{t: t}, (*gcHook).afterGC)
	<-ctx.Done()
	t.mu.Lock()
	t.stopped = true
	t.mu.Unlock()
}

// gcHook's finalizer runs after each collection that found it unreachable
// (every one, as nothing refers to it) and sets it again: the way a Go
// program hears of each GC. Reading the live heap then, instead of on a
// timer, keeps a raised percent from outliving a heap that grew (a
// resume, a reload).
type gcHook struct{ t *gcTuner }

func (h *gcHook) afterGC() {
	if h.t.tune() {
		runtime.SetFinalizer(h, (*gcHook).afterGC)
	}
}

// gcTuner is the percent set and tuneGC's stop, shared by the hook and
// tuneGC's goroutine.
type gcTuner struct {
	mu      sync.Mutex
	stopped bool
	percent int
	live    [1]metrics.Sample
}

// tune sets the percent for the live heap; false once tuneGC stopped.
func (t *gcTuner) tune() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.stopped {
		return false
	}
	t.live[0].Name = "/gc/heap/live:bytes"
	metrics.Read(t.live[:])
	if t.live[0].Value.Kind() != metrics.KindUint64 {
		return true
	}
	if p := gcPercentFor(t.live[0].Value.Uint64()); p != t.percent {
		debug.SetGCPercent(p)
		t.percent = p
	}
	return true
}
