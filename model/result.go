package model

import (
	"fmt"
	"time"
)

// Outcome is what a probe measured and its own verdict against the check's
// thresholds. Summary is always a human reason ("3/3 lost", "HTTP 503 in
// 12 ms"), never empty. The engine, not the probe, decides the final state.
type Outcome struct {
	Status  Status
	Summary string
	// Metrics are numbers for history and sparklines, e.g. "rtt_avg_ms".
	Metrics map[string]float64
	// Attrs are facts that are not numbers: TLS issuer, fingerprint.
	Attrs map[string]string
}

// Unknown builds an UNKNOWN outcome: the probe could not decide.
func Unknown(format string, args ...any) Outcome {
	return Outcome{Status: StatusUnknown, Summary: fmt.Sprintf(format, args...)}
}

// Critical builds a CRITICAL outcome.
func Critical(format string, args ...any) Outcome {
	return Outcome{Status: StatusCritical, Summary: fmt.Sprintf(format, args...)}
}

// Result is one finished run of one check.
type Result struct {
	Key CheckKey
	Outcome
	At       time.Time     // when the run started
	Duration time.Duration // how long it took
	// Next is when the scheduler plans the next run (zero if unknown).
	Next time.Time
}
