package model

import (
	"strconv"
	"strings"
)

// Role is what an asset is in an outage: the one classification that the
// banner, triage, wall mode, `check` and the log all show, computed by the
// engine so no front end derives it again.
type Role uint8

const (
	// RoleNone: OK, PENDING or MAINTENANCE.
	RoleNone Role = iota
	// RoleRootCause: hard-down while its parents are up; what to fix.
	RoleRootCause
	// RoleUnreachable: cut off by a root cause, or rechecking after the
	// parent that cut it off recovered; its own checks are not to blame.
	RoleUnreachable
	// RoleChecking: has a problem while a parent is being rechecked; not a
	// root cause until the parent's verdict says so.
	RoleChecking
	// RoleCritical: a hard CRITICAL that does not make the asset down (a
	// failing endpoint, a port down on a switch that answers).
	RoleCritical
	// RoleUnknown: a hard UNKNOWN (the probe could not decide).
	RoleUnknown
	// RoleWarning: a hard WARNING.
	RoleWarning
	// RoleSoft: a problem still being retried.
	RoleSoft
	numRoles
)

var roleNames = [numRoles]string{"", "root cause", "unreachable", "checking", "critical", "unknown", "warning", "soft"}

func (r Role) String() string {
	if r >= numRoles {
		return "role?"
	}
	return roleNames[r]
}

// MarshalText writes the role's name ("root cause"), "" for RoleNone.
func (r Role) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// Tally is the set of counts every front end shows, computed by the engine
// with each snapshot.
type Tally struct {
	RootCauses  int `json:"root_causes"`
	Unreachable int `json:"unreachable"`
	Checking    int `json:"checking"`
	Critical    int `json:"critical"` // other hard CRITICAL assets
	Unknown     int `json:"unknown"`
	Warning     int `json:"warning"`
	Soft        int `json:"soft"`
	// ServicesDown counts CRITICAL services, ServicesDegraded WARNING ones.
	ServicesDown     int `json:"services_down"`
	ServicesDegraded int `json:"services_degraded"`
	// Acked counts assets whose problem is acknowledged: they leave their
	// role's counter (the banner's red count) and are listed apart.
	Acked int `json:"acked"`
	// Flapping counts assets with a flapping check (shown apart; their
	// roles still count).
	Flapping int `json:"flapping"`
}

// count returns the counter of role r, nil for RoleNone.
func (t *Tally) count(r Role) *int {
	switch r {
	case RoleRootCause:
		return &t.RootCauses
	case RoleUnreachable:
		return &t.Unreachable
	case RoleChecking:
		return &t.Checking
	case RoleCritical:
		return &t.Critical
	case RoleUnknown:
		return &t.Unknown
	case RoleWarning:
		return &t.Warning
	case RoleSoft:
		return &t.Soft
	}
	return nil
}

// Add counts one more asset with role r (a viewer's own subset, a test's
// recount).
func (t *Tally) Add(r Role) { t.move(RoleNone, r) }

// Of returns how many assets have role r (0 for RoleNone).
func (t Tally) Of(r Role) int {
	if p := t.count(r); p != nil {
		return *p
	}
	return 0
}

// move counts an asset that changed from role a to role b.
func (t *Tally) move(a, b Role) {
	if p := t.count(a); p != nil {
		*p--
	}
	if p := t.count(b); p != nil {
		*p++
	}
}

// Red reports whether a hard CRITICAL exists: a root cause (and with it
// what it cuts off), another hard CRITICAL asset, or a service down.
// Warnings, unknowns and soft problems alone never make the banner red.
func (t Tally) Red() bool {
	return t.RootCauses > 0 || t.Unreachable > 0 || t.Critical > 0 || t.ServicesDown > 0
}

// Quiet reports whether nothing needs an operator: no hard problem of any
// kind, nothing being checked, no service below OK.
func (t Tally) Quiet() bool {
	return t == Tally{Soft: t.Soft}
}

// roleOf classifies an asset from the engine's view of it.
func roleOf(status, hardStatus Status, down, checking bool) Role {
	switch {
	case status == StatusUnreachable:
		return RoleUnreachable
	case checking:
		return RoleChecking
	case down:
		return RoleRootCause
	case hardStatus == StatusCritical:
		return RoleCritical
	case hardStatus == StatusUnknown:
		return RoleUnknown
	case hardStatus == StatusWarning:
		return RoleWarning
	case status.IsProblem():
		return RoleSoft
	}
	return RoleNone
}

// moveService counts a service that changed from status a to b.
func (t *Tally) moveService(a, b Status) {
	t.serviceCount(a, -1)
	t.serviceCount(b, +1)
}

func (t *Tally) serviceCount(st Status, d int) {
	switch st {
	case StatusCritical:
		t.ServicesDown += d
	case StatusWarning:
		t.ServicesDegraded += d
	}
}

// String words the tally the way the banner does, joined by commas:
// "1 root cause, 9 unreachable, 3 services down", or "all OK".
func (t Tally) String() string {
	parts := t.Phrases(nil)
	if len(parts) == 0 {
		return "all OK"
	}
	return strings.Join(parts, ", ")
}

// maxCheckingNames bounds the rechecked assets named in one phrase.
const maxCheckingNames = 3

// Phrases words the tally most urgent first, one phrase per count that is
// not zero: "1 root cause", "checking core-sw1 … (10 assets wait for it)"
// (checking names what is being rechecked, Snapshot.Checking),
// "9 unreachable", "3 services down", "2 warnings", "1 retrying",
// "1 flapping". The
// banner, triage, check and the log all word the counts with it.
func (t Tally) Phrases(checking []string) []string {
	var parts []string
	add := func(n int, one, many string) {
		if n > 0 {
			parts = append(parts, plural(n, one, many))
		}
	}
	add(t.RootCauses, "root cause", "root causes")
	if len(checking) > 0 || t.Checking > 0 {
		parts = append(parts, checkingPhrase(t.Checking, checking))
	}
	add(t.Unreachable, "unreachable", "unreachable")
	add(t.Critical, "critical", "critical")
	add(t.ServicesDown, "service down", "services down")
	add(t.Unknown, "unknown", "unknown")
	add(t.Warning, "warning", "warnings")
	add(t.ServicesDegraded, "service degraded", "services degraded")
	add(t.Soft, "retrying", "retrying")
	add(t.Flapping, "flapping", "flapping")
	// Last and apart: someone is on these.
	add(t.Acked, "acked", "acked")
	return parts
}

// checkingPhrase is "checking core-sw1 … (10 assets wait for it)".
func checkingPhrase(waiting int, checking []string) string {
	if len(checking) == 0 {
		return plural(waiting, "asset waits", "assets wait") + " for a recheck"
	}
	names := make([]string, 0, maxCheckingNames+1)
	for i, n := range checking {
		if i == maxCheckingNames {
			names = append(names, "+"+strconv.Itoa(len(checking)-i)+" more")
			break
		}
		names = append(names, n)
	}
	s := "checking " + strings.Join(names, ", ") + " …"
	if waiting > 0 {
		it := "it"
		if len(checking) > 1 {
			it = "them"
		}
		s += " (" + plural(waiting, "asset waits", "assets wait") + " for " + it + ")"
	}
	return s
}

// plural is "1 service" or "3 services".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
