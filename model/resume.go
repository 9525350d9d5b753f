package model

import "time"

// Resume is what an earlier run left, read back from the store: an engine
// given one (EngineOptions.Resume) starts from it instead of PENDING, so a
// restart neither forgets hard states and soft counters nor logs a burst of
// state changes, and the panes are full at once. The engine never reads the
// store; main hands it this.
type Resume struct {
	// At is when the earlier run last wrote.
	At time.Time
	// Checks are the saved check states. A check the config no longer has
	// is ignored; one whose Type differs starts afresh (PENDING).
	Checks map[CheckKey]ResumeCheck
	// Events are the latest events, oldest first, to fill the window the
	// screens show; EventSeq is the last sequence number written, and the
	// engine numbers new events after it.
	Events   []Event
	EventSeq uint64
	// SLA is the hard-state history the availability figures continue
	// from (NewSLAHistory of the store's hard state events); nil measures
	// from the engine's start.
	SLA *SLAHistory
	// Acks are the acknowledgements in force, by asset (Check "") or
	// check; engine_ack.go drops those whose subject is gone or, unless
	// sticky, whose problem is over.
	Acks map[CheckKey]Ack
	// AdHocWindows are the operators' maintenance windows (the last
	// Snapshot.AdHocWindows); those over by the engine's start are dropped.
	AdHocWindows []AdHocWindow
}

// ResumeCheck is one check's saved state: CheckState's durable part.
type ResumeCheck struct {
	Type               string
	Status, HardStatus Status
	Hard               bool
	Attempt            int
	Summary            string
	Metrics            map[string]float64
	Primary            string
	Attrs              map[string]string
	LastRun            time.Time
	Duration           time.Duration
	Since              time.Time
	// History holds the latest results, oldest first; each Sample's
	// Values are aligned with HistoryNames (NaN where a result lacked the
	// metric).
	HistoryNames []string
	History      []Sample
}
