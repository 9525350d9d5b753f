package model

import (
	"context"
	"fmt"
	"math"
	"time"
)

// Availability is read from hard states alone (a soft blip being retried
// is no outage), by these rules, shared by the monitor and `noctop sla`:
//   - CRITICAL is down; OK and WARNING (degraded, still serving) are up.
//   - UNREACHABLE is not measured: that time is the root cause's outage,
//     charged to it (it is CRITICAL), not to the assets behind it.
//   - PENDING, UNKNOWN (nothing could be measured) and MAINTENANCE are not
//     measured either, and neither is time before the first known state.
//   - Percent = up / (up + down) over what was measured; NaN when nothing was.

// SLA windows: the three periods every front end shows.
const (
	SLADay   = 24 * time.Hour
	SLAWeek  = 7 * SLADay
	SLAMonth = 30 * SLADay
)

// SLAWindows are the periods of ServiceState.Availability, in its order.
func SLAWindows() [3]time.Duration { return [3]time.Duration{SLADay, SLAWeek, SLAMonth} }

// Transition is a change of hard state: Status holds from At on.
type Transition struct {
	At     time.Time
	Status Status
}

// Timeline is the hard-state history of one asset or service: Start from
// Known until the first change, then each change in turn (oldest first).
// Before Known nothing is known and nothing is measured.
type Timeline struct {
	Known   time.Time
	Start   Status
	Changes []Transition
}

// Outage is one stretch of down time inside a window. Start and End are
// clipped to the window; Open is true when it still lasted at the window's
// end (End is then the window's end, usually now).
type Outage struct {
	Start, End time.Time
	Open       bool
	Status     Status
}

// Duration is how long the outage lasted inside the window.
func (o Outage) Duration() time.Duration { return o.End.Sub(o.Start) }

// Availability is one window's figures.
type Availability struct {
	Window time.Duration
	// Percent is up time over measured time, NaN when nothing was measured.
	Percent float64
	// Down and Measured are the down time and the measured time.
	Down, Measured time.Duration
	// Outages are the stretches of down time in the window, oldest first.
	Outages []Outage
}

// Known reports whether anything was measured.
func (a Availability) Known() bool { return a.Measured > 0 }

// downStatus is the one status that counts as down.
func downStatus(s Status) bool { return s == StatusCritical }

// measured reports whether time in status s enters the denominator.
func measured(s Status) bool {
	switch s {
	case StatusOK, StatusWarning, StatusCritical:
		return true
	}
	return false
}

// Measure computes the availability over [to-window, to). Changes after to
// are ignored, so a fixed clock gives a fixed answer.
func (tl *Timeline) Measure(window time.Duration, to time.Time) Availability {
	from := to.Add(-window)
	av := Availability{Window: window, Percent: math.NaN()}
	if !tl.Known.IsZero() && tl.Known.After(from) {
		from = tl.Known
	}
	if !from.Before(to) {
		return av
	}
	// Walk the stretches [at, next) with their status, clipped to [from, to).
	status, at := tl.Start, tl.Known
	var open *Outage
	span := func(st Status, a, b time.Time) {
		if a.Before(from) {
			a = from
		}
		if b.After(to) {
			b = to
		}
		if !a.Before(b) {
			return
		}
		if measured(st) {
			av.Measured += b.Sub(a)
		}
		if !downStatus(st) {
			open = nil
			return
		}
		av.Down += b.Sub(a)
		if open != nil && open.End.Equal(a) && open.Status == st {
			open.End = b
		} else {
			av.Outages = append(av.Outages, Outage{Start: a, End: b, Status: st})
			open = &av.Outages[len(av.Outages)-1]
		}
	}
	for _, ch := range tl.Changes {
		if !ch.At.Before(to) {
			break
		}
		span(status, at, ch.At)
		status, at = ch.Status, ch.At
	}
	span(status, at, to)
	if n := len(av.Outages); n > 0 && av.Outages[n-1].End.Equal(to) && downStatus(status) {
		av.Outages[n-1].Open = true
	}
	if av.Measured > 0 {
		av.Percent = 100 * float64(av.Measured-av.Down) / float64(av.Measured)
	}
	return av
}

// MeasureAll computes the three SLA windows ending at now.
func (tl *Timeline) MeasureAll(now time.Time) [3]Availability {
	var out [3]Availability
	for i, w := range SLAWindows() {
		out[i] = tl.Measure(w, now)
	}
	return out
}

// Note applies one of the subject's hard state events (Event.SLASubject),
// in the order they were emitted (Seq), to the timeline. A result that
// took longer may stamp an event before the previous one: it then counts
// from the previous change, so no time is counted twice.
func (tl *Timeline) Note(ev *Event) {
	last, at := tl.Start, ev.At
	if n := len(tl.Changes); n > 0 {
		last = tl.Changes[n-1].Status
		if prev := tl.Changes[n-1].At; at.Before(prev) {
			at = prev
		}
	}
	if last == ev.To {
		return // the same hard state (a new reason): no change
	}
	tl.Changes = append(tl.Changes, Transition{At: at, Status: ev.To})
}

// firstTimeline starts a subject's timeline at its first state event, soft
// or hard: before it, the subject was in the event's From when that was
// hard (PENDING for one that never answered, OK for one that was fine),
// else OK (a first OK is not an event, so a subject without events has
// been OK). A hard event is also the timeline's first change.
func firstTimeline(ev *Event, known time.Time) *Timeline {
	tl := NewTimeline(known)
	if ev.FromHard {
		tl.Start = ev.From
	}
	if ev.Hard {
		tl.Note(ev)
	}
	return tl
}

// SLASubject names the asset or service whose hard state ev changes, or ""
// when ev is no such change (a check's, a soft one, another kind).
func (ev *Event) SLASubject() string {
	if !ev.Hard {
		return ""
	}
	return ev.stateSubject()
}

// stateSubject names the asset or service a state event (soft or hard) is
// about, or "" for a check's event or another kind.
func (ev *Event) stateSubject() string {
	if ev.Kind != EventState || ev.Check != "" {
		return ""
	}
	if ev.Service != "" {
		return ev.Service
	}
	return ev.Asset
}

// noteTimeline applies ev to the timelines by subject: the subject's first
// state event starts its timeline (firstTimeline: a soft one says what
// the hard state was before it), hard ones are its changes. It returns the
// subject, "" when ev is about none.
func noteTimeline(timelines map[string]*Timeline, ev *Event, known time.Time) string {
	name := ev.stateSubject()
	if name == "" {
		return ""
	}
	if tl := timelines[name]; tl == nil {
		timelines[name] = firstTimeline(ev, known)
	} else if ev.Hard {
		tl.Note(ev)
	}
	return name
}

// Timelines builds each asset's and service's timeline from events (oldest
// first; others are skipped), each known from known. A subject without
// events is absent: it was OK from known on (NewTimeline).
func Timelines(events []Event, known time.Time) map[string]*Timeline {
	out := map[string]*Timeline{}
	for i := range events {
		noteTimeline(out, &events[i], known)
	}
	return out
}

// NewTimeline is the timeline of a subject OK since known.
func NewTimeline(known time.Time) *Timeline {
	return &Timeline{Known: known, Start: StatusOK}
}

// Trim drops what no window ending at now or later needs: changes before
// now-SLAMonth fold into Start (the state then), and at most keep changes
// stay (the oldest fold too; Known moves up to the oldest kept, so a
// subject that flapped more is measured over its latest keep changes).
func (tl *Timeline) Trim(now time.Time, keep int) {
	cut := now.Add(-SLAMonth)
	n := 0
	for n < len(tl.Changes) && !tl.Changes[n].At.After(cut) {
		n++
	}
	if over := len(tl.Changes) - n - keep; over > 0 {
		n += over
	}
	if n == 0 {
		return
	}
	last := tl.Changes[n-1]
	tl.Start = last.Status
	if last.At.After(cut) {
		tl.Known = last.At // dropped for the cap: what came before is unknown
	} else if tl.Known.Before(last.At) {
		tl.Known = last.At
	}
	tl.Changes = append(tl.Changes[:0:0], tl.Changes[n:]...)
}

// SLAText words a breach for a service's reason: "30 d 99.62% < 99.9%,
// 2 h 44 m down".
func SLAText(a Availability, target float64) string {
	return fmt.Sprintf("%s %s < %s%%, %s down", WindowText(a.Window), PercentText(a.Percent), trimFloat(target), DurationText(a.Down))
}

// WindowText is "24 h", "7 d" or "30 d".
func WindowText(w time.Duration) string {
	if w%SLADay == 0 && w >= 2*SLADay {
		return fmt.Sprintf("%d d", w/SLADay)
	}
	return fmt.Sprintf("%d h", w/time.Hour)
}

// PercentText is an availability with two decimals, cut rather than
// rounded so that down time never shows as 100.00% ("99.99%"), or "n/a".
func PercentText(p float64) string {
	if math.IsNaN(p) {
		return "n/a"
	}
	return fmt.Sprintf("%.2f%%", math.Floor(p*100+1e-7)/100)
}

// DurationText is a duration in two units at most: "2 h 44 m", "3 d 4 h",
// "12 m 5 s", "40 s".
func DurationText(d time.Duration) string {
	d = d.Round(time.Second)
	days, h, m, s := d/SLADay, (d%SLADay)/time.Hour, (d%time.Hour)/time.Minute, (d%time.Minute)/time.Second
	switch {
	case days > 0:
		return fmt.Sprintf("%d d %d h", days, h)
	case h > 0:
		return fmt.Sprintf("%d h %d m", h, m)
	case m > 0:
		return fmt.Sprintf("%d m %d s", m, s)
	}
	return fmt.Sprintf("%d s", s)
}

// trimFloat writes a percent target as given: 99.9, 99.95, 100.
func trimFloat(f float64) string { return fmt.Sprintf("%g", f) }

// SLAHistory is what availability is computed from: the timelines of the
// assets and services that had hard state events, and since when anything
// is known (a subject without events has been OK since Known).
type SLAHistory struct {
	Known     time.Time
	Timelines map[string]*Timeline
}

// NewSLAHistory reads hard state events, oldest first (others are
// skipped), into timelines known from known, or from the oldest event
// when known is zero. The monitor resumes from it and `noctop sla`
// computes from it, so both agree.
func NewSLAHistory(events []Event, known time.Time) *SLAHistory {
	h := &SLAHistory{Known: known}
	if known.IsZero() && len(events) > 0 {
		h.Known = events[0].At
	}
	h.Timelines = Timelines(events, h.Known)
	return h
}

// Timeline returns a subject's timeline (OK since Known when it had no
// events; nothing known when no event is). The result is shared: do not
// modify it.
func (h *SLAHistory) Timeline(name string) *Timeline {
	if tl := h.Timelines[name]; tl != nil {
		return tl
	}
	if h.Known.IsZero() {
		return &Timeline{Start: StatusPending}
	}
	return NewTimeline(h.Known)
}

// ArchiveBegan is implemented by an Archive that knows when it began
// recording (the store: when a monitor first wrote to it). `noctop sla`
// measures from then, as the monitor does from its start; an Archive
// without it is measured from the oldest event read. The store should
// fill Resume.SLA's Known with the same time.
type ArchiveBegan interface {
	Began(ctx context.Context) (time.Time, error)
}
