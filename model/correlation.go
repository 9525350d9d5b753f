package model

import (
	"fmt"
	"time"
)

// Correlation ties a problem to a change that came shortly before it on
// the same asset, on a parent (any ancestor) or on a linked asset: "began
// 2 min after crm changed 4.2.0 -> 4.3.0". The engine sets it on a check
// when it goes from OK to a problem within correlate_window after such a
// change, keeps it while the problem lasts and clears it on recovery.
// Immutable once made (snapshots share it).
type Correlation struct {
	// Asset is where the change was.
	Asset string
	// What the change was, in words that follow the asset's name:
	// "changed" (a version), "rebooted", "certificate changed",
	// "firmware changed".
	What string
	// From and To are the values before and after, when worth quoting
	// (versions, firmware); empty otherwise.
	From, To string
	// At is when the change became known.
	At time.Time
	// After is how long after the change the problem began.
	After time.Duration
}

// maxChangeText bounds each of From and To where they are quoted.
const maxChangeText = 64

// Change reads the change: "crm changed 4.2.0 -> 4.3.0", "core-sw1
// rebooted", "portal certificate changed".
func (c *Correlation) Change() string {
	s := c.Asset + " " + c.What
	if c.From != "" || c.To != "" {
		s += " " + Clip(c.From, maxChangeText) + " -> " + Clip(c.To, maxChangeText)
	}
	return s
}

// Text is what reasons and events say: "began 2 min after crm changed
// 4.2.0 -> 4.3.0".
func (c *Correlation) Text() string {
	if c.After < time.Second {
		// Seen in the same run, or after the problem by a check that ran
		// later: the change came first, by less than a poll.
		return "began as " + c.Change()
	}
	return "began " + spanWords(c.After) + " after " + c.Change()
}

// spanWords reads a short span the way an operator says it: "40 s",
// "2 min", "1 h 5 min".
func spanWords(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%d s", int(d/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d/time.Minute))
	case d%time.Hour < time.Minute:
		return fmt.Sprintf("%d h", int(d/time.Hour))
	}
	return fmt.Sprintf("%d h %d min", int(d/time.Hour), int(d%time.Hour/time.Minute))
}
