package model

import (
	"fmt"
	"strings"
)

// Status is the state of a check, an asset or a service.
type Status uint8

// The zero value is PENDING: nothing has been measured yet.
const (
	StatusPending Status = iota
	StatusOK
	StatusWarning
	StatusCritical
	StatusUnknown
	StatusUnreachable
	StatusMaintenance
	numStatuses
)

// AllStatuses lists every status, worst first (the order a NOC sorts by).
var allStatuses = [...]Status{
	StatusCritical, StatusUnknown, StatusWarning, StatusUnreachable,
	StatusPending, StatusMaintenance, StatusOK,
}

// Statuses returns every status, worst first.
func Statuses() []Status { s := allStatuses; return s[:] }

var statusNames = [numStatuses]string{
	StatusPending:     "PENDING",
	StatusOK:          "OK",
	StatusWarning:     "WARNING",
	StatusCritical:    "CRITICAL",
	StatusUnknown:     "UNKNOWN",
	StatusUnreachable: "UNREACHABLE",
	StatusMaintenance: "MAINTENANCE",
}

// Symbols sit beside every colour so that colour-blind operators and
// monochrome walls read the same thing.
var statusSymbols = [numStatuses]string{
	StatusPending:     "…",
	StatusOK:          "✓",
	StatusWarning:     "▲",
	StatusCritical:    "✗",
	StatusUnknown:     "?",
	StatusUnreachable: "⊘",
	StatusMaintenance: "⚒",
}

// severity orders statuses for "worst first": CRITICAL > UNKNOWN > WARNING >
// UNREACHABLE > PENDING > MAINTENANCE > OK. UNREACHABLE ranks below WARNING
// because its root cause, not the asset itself, is what needs attention.
var severity = [numStatuses]int{
	StatusOK:          0,
	StatusMaintenance: 1,
	StatusPending:     2,
	StatusUnreachable: 3,
	StatusWarning:     4,
	StatusUnknown:     5,
	StatusCritical:    6,
}

func (s Status) String() string {
	if s >= numStatuses {
		return fmt.Sprintf("Status(%d)", uint8(s))
	}
	return statusNames[s]
}

// Symbol is a one-cell glyph for the status.
func (s Status) Symbol() string {
	if s >= numStatuses {
		return "?"
	}
	return statusSymbols[s]
}

// Severity ranks the status; higher is worse.
func (s Status) Severity() int {
	if s >= numStatuses {
		return severity[StatusUnknown]
	}
	return severity[s]
}

// Worse reports whether s is strictly worse than o.
func (s Status) Worse(o Status) bool { return s.Severity() > o.Severity() }

// IsProblem reports whether the status needs an operator: WARNING, CRITICAL
// or UNKNOWN. UNREACHABLE is not a problem of its own (its root cause is).
func (s Status) IsProblem() bool {
	return s == StatusWarning || s == StatusCritical || s == StatusUnknown
}

// Worst returns the worst of the statuses given, or PENDING for none.
func Worst(ss ...Status) Status {
	w := StatusOK
	if len(ss) == 0 {
		return StatusPending
	}
	for _, s := range ss {
		if s.Worse(w) {
			w = s
		}
	}
	return w
}

// MarshalText writes the status name, so JSON carries "CRITICAL".
func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText accepts a status name in any case, or its first letters
// ("crit", "warn", "unk", "unr", "maint").
func (s *Status) UnmarshalText(b []byte) error {
	v, err := ParseStatus(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// ParseStatus reads a status name or an unambiguous prefix of one.
func ParseStatus(text string) (Status, error) {
	t := strings.ToUpper(strings.TrimSpace(text))
	if t == "" {
		return 0, fmt.Errorf("empty status")
	}
	found := -1
	for i, n := range statusNames {
		if n == t {
			return Status(i), nil
		}
		if strings.HasPrefix(n, t) {
			if found >= 0 {
				return 0, fmt.Errorf("status %q is ambiguous", text)
			}
			found = i
		}
	}
	if found < 0 {
		return 0, fmt.Errorf("unknown status %q (want one of ok, warning, critical, unknown, unreachable, maintenance, pending)", text)
	}
	return Status(found), nil
}

// ExitCode maps the worst status of a run to the exit code of `noctop check`:
// 0 OK (MAINTENANCE and UNREACHABLE count as OK: their root cause raises the
// code), 1 WARNING, 2 CRITICAL, 3 UNKNOWN (or PENDING: nothing decided).
func ExitCode(statuses []Status) int {
	crit, unknown, warn := false, false, false
	for _, s := range statuses {
		switch s {
		case StatusCritical:
			crit = true
		case StatusUnknown, StatusPending:
			unknown = true
		case StatusWarning:
			warn = true
		}
	}
	switch {
	case crit:
		return 2
	case unknown:
		return 3
	case warn:
		return 1
	}
	return 0
}
