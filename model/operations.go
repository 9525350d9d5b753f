package model

import "time"

// Operator and signalling event kinds (issue 12). Each is an Event like a
// state change: stored, listed on the events screen, read by notifiers.
const (
	// EventAck is an acknowledgement set or removed (Summary says which,
	// who and why).
	EventAck = "ack"
	// EventMaintenance is a maintenance window that began or ended on an
	// asset, or was created or cancelled by an operator.
	EventMaintenance = "maintenance"
	// EventFlapping is a check that started or stopped flapping.
	EventFlapping = "flapping"
	// EventNotify is a notification attempt: sent, failed or suppressed,
	// with the receiver and why.
	EventNotify = "notify"
	// EventSession is a login, logout or refusal at noctop serve's SSH
	// port (key fingerprint, comment, address).
	EventSession = "session"
)

// Ack is an operator's acknowledgement of a problem: someone is on it. An
// acknowledged problem keeps its status; it is left out of the banner's red
// count (listed apart), never notified, and cleared when the problem
// recovers unless Sticky.
type Ack struct {
	By      string
	Comment string
	At      time.Time
	Sticky  bool
}

// Maintenance says an asset is inside a maintenance window: still checked
// and shown, its status MAINTENANCE, never notified, left out of the SLA.
type Maintenance struct {
	// Window names the window: its config name, or "ad hoc".
	Window string
	Reason string
	// By is the operator who opened an ad hoc window ("" for config ones).
	By          string
	From, Until time.Time
	// CoveredBy names the ancestor whose window covers this asset ("" when
	// the window names the asset itself): children of an asset in
	// maintenance are covered too.
	CoveredBy string
}
