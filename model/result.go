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
	// Metrics are numbers for history and sparklines, e.g. "rtt_avg_ms":
	// each one declared (LookupMetric, or the check's CustomMetrics).
	Metrics map[string]float64
	// Primary names the metric that best sums up this result (charted,
	// shown in the panes); "" means DefaultPrimary of the check's kind.
	Primary string
	// Attrs are facts that are not numbers: TLS issuer, fingerprint.
	Attrs map[string]string
	// Degraded marks a problem the target answered with (an SNMP agent
	// reporting an interface down, an RTT over its limit, a full disk): the
	// asset is not down for its children. A CRITICAL without it (no answer,
	// refused, 100% loss, HTTP 503) can make the asset down.
	Degraded bool
	// Local marks a problem of this machine, not of the target (out of file
	// descriptors, no source address, not permitted): the verdict is
	// UNKNOWN, and the engine reports such problems once a minute with a
	// count instead of once per check.
	Local bool
	// Notes are what the probe noticed beyond its verdict (a reboot, a
	// firmware change); the engine records each as an Event.
	Notes []Note
	// Interfaces is the per-interface table of an SNMP device, for the UI.
	Interfaces []Interface
	// Host is a host check's gauges (host_table.go).
	Host *HostTable
	// Profile is what an snmp check's device profile read (profile.go).
	Profile *ProfileTable
	// Certs are the certificates a tls or https check saw, leaf first,
	// then its chain (at most MaxCerts): the lifecycle register's.
	Certs []Cert
}

// Note is one thing a probe noticed, e.g. {EventReboot, "sysUpTime went
// back from 41d to 2m"}.
type Note struct {
	Kind    string // EventReboot, EventChange, ...
	Summary string
	// What, From and To are a change's words for the correlation ("acc-sw1
	// firmware changed A -> B"): What defaults to "changed", From and To
	// may be empty.
	What, From, To string
}

// Interface is one row of a device's interface table. Rates are NaN until
// two polls have been seen (a rate needs a delta).
type Interface struct {
	Index       int
	Name        string // ifName, else ifDescr
	Alias       string // ifAlias, the operator's label
	Descr       string
	AdminUp     bool
	OperStatus  string // up, down, testing, unknown, dormant, notPresent, lowerLayerDown
	SpeedBps    float64
	InBps       float64
	OutBps      float64
	UtilPct     float64 // max of in and out against speed
	InErrors    float64 // per minute
	OutErrors   float64 // per minute
	InDiscards  float64 // per minute
	OutDiscards float64 // per minute
	// Status is this interface's own verdict (admin-up oper-down is
	// CRITICAL, admin-down is OK and shown as such).
	Status Status
	Reason string
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
	// Due is when the schedule wanted the run to start (zero for a run
	// asked for out of schedule, or a one-shot run): At - Due is the
	// schedule's lag, which the engine keeps (Snapshot.Lag).
	Due time.Time
	// Next is when the scheduler plans the next run (zero if unknown).
	Next time.Time
}
