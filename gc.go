package main

import "runtime/debug"

// monitorGCPercent is the Go GC target of the long-running monitor. Its
// heap is mostly data that lives for good (the checks' history rings: ~60
// MB at 10,000 icmp checks), and at Go's default of 100 the heap grows to
// twice the live data between collections. At 50 the monitor with 10,000
// icmp checks and full history peaked at 166 MiB instead of 213 MiB, for
// 2% more of its own CPU; 1,000 http checks on 10 s, with a small
// heap, moved within their noise (BENCHMARKS.md, history memory).
const monitorGCPercent = 50

// tuneGC sets the monitor's GC target unless GOGC in the environment says
// otherwise, and returns the function that puts the old target back.
func tuneGC(getenv func(string) string) (restore func()) {
	if getenv("GOGC") != "" {
		return func() {}
	}
	old := debug.SetGCPercent(monitorGCPercent)
	return func() { debug.SetGCPercent(old) }
}
