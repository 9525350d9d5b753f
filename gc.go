package main

import "runtime/debug"

// monitorGCPercent is the Go GC target of the long-running monitor. Its
// heap is mostly data that lives for good (the checks' history rings), and
// at Go's default of 100 the heap grows to twice the live data between
// collections. 10,000 icmp checks with full history peaked at 213 MiB at
// 100, 166 at 50 (120 samples, no store) and, with the store and its
// 60-sample ring, 146 MiB at 50; 35 brings that under 150 MB. 1,000 http
// checks on 10 s, a small heap, cost 1.83% of a core at 100, 1.95% at 50,
// 2.42% at 25 (BENCHMARKS.md, history memory).
const monitorGCPercent = 35

// tuneGC sets the monitor's GC target unless GOGC in the environment says
// otherwise, and returns the function that puts the old target back.
func tuneGC(getenv func(string) string) (restore func()) {
	if getenv("GOGC") != "" {
		return func() {}
	}
	old := debug.SetGCPercent(monitorGCPercent)
	return func() { debug.SetGCPercent(old) }
}
