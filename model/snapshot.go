package model

import (
	"fmt"
	"time"
)

// Snapshot is an immutable picture of all monitoring state. The engine
// publishes a new one after changes; subscribers must not modify it. States
// that did not change between two snapshots are shared (same pointer), so a
// snapshot costs O(assets) pointers, not a deep copy.
type Snapshot struct {
	Seq uint64
	At  time.Time
	// ConfigPath names the config being watched.
	ConfigPath string
	Assets     []*AssetState   // config order
	Services   []*ServiceState // config order
	// Counts of assets per status, indexed by Status.
	Counts [numStatuses]int
	// Tally counts assets per Role and services down: the numbers every
	// front end shows (banner, triage, wall, check, log).
	Tally Tally
	// Checking names the assets being rechecked because a child started
	// failing (sorted): until their verdict, those children are RoleChecking.
	Checking []string
	// Checks is the number of checks; Done those with at least one result.
	Checks, Done int
	// Newest is the time of the newest result.
	Newest time.Time
	// Events holds recent events, oldest first, bounded.
	Events []Event
	// Dropped counts snapshots that subscribers were too slow to take.
	Dropped uint64
	// Lag is how late scheduled runs started over the last minute or two.
	Lag LagStats
	// ConfigErrors are the first problems of a config a reload refused, as
	// file:line:col: message (the last line may say how many more), and
	// ConfigRefusedAt when: the old config keeps running until a valid one
	// is applied, which clears both.
	ConfigErrors    []string
	ConfigRefusedAt time.Time
	// AdHocWindows are the operators' maintenance windows not over yet,
	// by asset: what a restart resumes (Resume.AdHocWindows).
	AdHocWindows []AdHocWindow

	// Name indexes into Assets and Services, built once per config and
	// shared by the snapshots of that config (a reload makes new ones); nil in a
	// snapshot made by hand, which Asset and Service then search.
	assetIx, serviceIx map[string]int
}

// Count returns the number of assets in status s.
func (s *Snapshot) Count(st Status) int {
	if st >= numStatuses {
		return 0
	}
	return s.Counts[st]
}

// Asset finds an asset state by name.
func (s *Snapshot) Asset(name string) *AssetState {
	if s.assetIx != nil {
		if i, ok := s.assetIx[name]; ok {
			return s.Assets[i]
		}
		return nil
	}
	for _, a := range s.Assets {
		if a.Name == name {
			return a
		}
	}
	return nil
}

// Service finds a service state by name.
func (s *Snapshot) Service(name string) *ServiceState {
	if s.serviceIx != nil {
		if i, ok := s.serviceIx[name]; ok {
			return s.Services[i]
		}
		return nil
	}
	for _, v := range s.Services {
		if v.Name == name {
			return v
		}
	}
	return nil
}

// AssetState is the state of one asset.
type AssetState struct {
	Name, Layer, Kind, Address string
	Tags                       []string
	Parents, Children          []string
	Lifecycle                  *Lifecycle

	// Status is the worst check status, or UNREACHABLE when the asset has a
	// problem and all its parents are hard-down.
	Status Status
	// Hard is false while the worst problem is still being retried.
	Hard bool
	// HardStatus is the status counting only hard check states (a soft
	// problem counts as its check's last hard status). Services use it.
	HardStatus Status
	// Down is true when the asset counts as hard-down for its children.
	Down bool
	// RootCauses names the down ancestor(s) at the top of the chain when
	// Status is UNREACHABLE (sorted); RootCause is the same, comma-joined,
	// for display and JSON.
	RootCauses []string
	RootCause  string
	// Role is what the asset is in an outage (root cause, unreachable,
	// checking, ...), the classification every front end shows.
	Role Role
	// Checking names the ancestors whose verdict the asset awaits while
	// Role is RoleChecking (sorted).
	Checking []string
	// Reason says why, e.g. "icmp: 3/3 lost".
	Reason string
	// Since is when Status last changed.
	Since  time.Time
	Checks []*CheckState

	// Ack is set while the asset's problem is acknowledged (nil: none).
	Ack *Ack
	// Acked is true while its problem counts as acknowledged: the asset is
	// acked, or every check with a problem is. It is then counted in
	// Tally.Acked instead of its role's counter.
	Acked bool
	// Maintenance is set while the asset is inside a window (nil: none).
	Maintenance *Maintenance
	// Flapping is true while any of its checks flaps.
	Flapping bool
}

// Check finds a check state by name.
func (a *AssetState) Check(name string) *CheckState {
	for _, c := range a.Checks {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// CheckState is the state of one check.
type CheckState struct {
	Asset, Name, Type string

	// Status is the latest verdict; while Hard is false a problem is soft
	// (Attempt of MaxAttempts) and HardStatus still holds the last hard one.
	Status      Status
	Hard        bool
	HardStatus  Status
	Attempt     int
	MaxAttempts int

	Summary string
	Metrics map[string]float64
	// Primary names the metric that best sums up the check (the latest
	// result's, or the kind's default).
	Primary string
	// Custom declares the metrics the check's config names (custom SNMP
	// OIDs); Metric looks a name up there, then in the common table.
	Custom   []Metric
	Attrs    map[string]string
	LastRun  time.Time
	Duration time.Duration
	NextRun  time.Time
	Since    time.Time
	// History holds recent results, oldest first, bounded.
	History History
	// Interfaces is the latest interface table (SNMP checks).
	Interfaces []Interface
	// Host is the latest host gauges (host checks).
	Host *HostTable
	// Profile is the latest device profile table (snmp checks with a
	// profile).
	Profile *ProfileTable
	// Register is the lifecycle register's part: nil but for tls and
	// https checks and the lifecycle pseudo-check (a pointer: 8 bytes a
	// check rather than 48).
	Register *Register

	// Ack is set while the check's problem is acknowledged (nil: none).
	Ack *Ack
	// Flapping is true between crossing the check's high flap threshold
	// and falling below its low one; FlapPercent is the weighted percent
	// state change over the last 21 results.
	Flapping    bool
	FlapPercent float64

	// Correlation is the change this problem began shortly after (nil:
	// none); it stays while the problem lasts (engine_correlate.go).
	Correlation *Correlation
}

// Key returns the check's key.
func (c *CheckState) Key() CheckKey { return CheckKey{Asset: c.Asset, Check: c.Name} }

// ServiceState is the state of one business service.
type ServiceState struct {
	Name, Rule, Description string
	Status                  Status
	// Reason names the members that made the service fail.
	Reason string
	// Up counts members in a good state, of Total.
	Up, Total int
	Since     time.Time
	Members   []MemberState
	// SLA is the promised availability in percent (0 for none).
	SLA float64
	// Availability over the last 24 h, 7 d and 30 d (SLAWindows), from
	// the service's own hard states, refreshed about once a minute; the
	// 30-day figure's Outages are the service's outages of the period.
	Availability [3]Availability
}

// MemberState is one member of a service as the rollup saw it.
type MemberState struct {
	Name string
	// IsService is true when the member is another service.
	IsService bool
	Status    Status
	// Culprit is true for the members the service's Reason names: those
	// that made it fail.
	Culprit bool
}

// Event kinds.
const (
	EventState  = "state"  // a check or asset changed status
	EventReboot = "reboot" // uptime went back
	EventChange = "change" // firmware, fingerprint or version changed
	// EventReload is a config reload, applied (To OK) or refused (To
	// WARNING: the old config keeps running).
	EventReload = "reload"
)

// Event is something an operator may want to read later.
type Event struct {
	// Seq increases by one per event, so subscribers can tell new from seen.
	Seq     uint64
	At      time.Time
	Kind    string
	Asset   string
	Check   string // empty for asset- or service-level events
	Service string // set for service events
	From    Status
	To      Status
	Hard    bool
	// FromHard is whether From was hard. Attempt and FromAttempt count the
	// soft tries of To and From out of MaxAttempts, for check events (0
	// for assets and services, whose soft states have no count).
	FromHard                          bool
	FromAttempt, Attempt, MaxAttempts int
	Summary                           string
}

// Transition reads the change in words, with soft and hard where they
// matter: "CRITICAL soft 1/2 -> CRITICAL hard", "OK -> CRITICAL soft 1/3",
// "CRITICAL hard -> OK".
func (ev Event) Transition() string {
	return stateWords(ev.From, ev.FromHard, ev.FromAttempt, ev.MaxAttempts) + " -> " +
		stateWords(ev.To, ev.Hard, ev.Attempt, ev.MaxAttempts)
}

// stateWords is a status with its hardness when it is a problem.
func stateWords(st Status, hard bool, attempt, maxAttempts int) string {
	if !st.IsProblem() && st != StatusUnreachable {
		return st.String()
	}
	if hard {
		return st.String() + " hard"
	}
	if maxAttempts > 0 {
		return fmt.Sprintf("%s soft %d/%d", st, attempt, maxAttempts)
	}
	return st.String() + " soft"
}
