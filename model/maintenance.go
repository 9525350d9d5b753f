package model

import "time"

// Schedule is when a maintenance window is open: once, [From, To), or
// every week on Days at minute At of the day in Loc, for Length.
//
// Recurring windows are computed on Loc's wall clock, so "sun 02:00" is
// 02:00 local time in summer and in winter. Across a DST change:
//   - a start the clock skips (02:30 on a spring-forward night in
//     Europe/Amsterdam, where 02:00 jumps to 03:00) begins at the first
//     valid instant after the gap (03:00 CEST); Length is elapsed time
//     from there;
//   - a start the clock passes twice (01:30 on a fall-back night in
//     America/New_York) begins once, at the first of the two instants.
//
// Length is always elapsed time: a 2 h window from 01:00 on a fall-back
// night ends at 02:00 on the wall clock.
type Schedule struct {
	From, To time.Time // one-off
	Days     uint8     // recurring: 1 << time.Weekday for each day; 0 for one-off
	At       int       // minutes after local midnight
	Length   time.Duration
	Loc      *time.Location
}

// Recurring reports whether the window repeats.
func (s Schedule) Recurring() bool { return s.Days != 0 }

// Span reports whether t is inside the window, and if so the open
// occurrence's start and end (of the occurrences open at t, the one that
// ends last).
func (s Schedule) Span(t time.Time) (from, until time.Time, ok bool) {
	if !s.Recurring() {
		if !t.Before(s.From) && t.Before(s.To) {
			return s.From, s.To, true
		}
		return time.Time{}, time.Time{}, false
	}
	// An occurrence open at t began less than a week (its longest) ago.
	s.occurrences(t, -7, 0, func(start time.Time) {
		end := start.Add(s.Length)
		if !t.Before(start) && t.Before(end) && (!ok || end.After(until)) {
			from, until, ok = start, end, true
		}
	})
	return from, until, ok
}

// Next is the first boundary (a start or an end) strictly after t; ok is
// false when none is left (a one-off window that ended).
func (s Schedule) Next(t time.Time) (next time.Time, ok bool) {
	consider := func(b time.Time) {
		if b.After(t) && (!ok || b.Before(next)) {
			next, ok = b, true
		}
	}
	if !s.Recurring() {
		consider(s.From)
		consider(s.To)
		return next, ok
	}
	// The next start is at most 8 local days away; an end after t belongs
	// to an occurrence that began less than a week ago.
	s.occurrences(t, -7, 8, func(start time.Time) {
		consider(start)
		consider(start.Add(s.Length))
	})
	return next, ok
}

// occurrences calls f with the start of each occurrence on the local days
// from t's day+lo to t's day+hi, in order.
func (s Schedule) occurrences(t time.Time, lo, hi int, f func(time.Time)) {
	lt := t.In(s.Loc)
	y, m, d := lt.Date()
	for k := lo; k <= hi; k++ {
		// Noon never falls in a DST gap, so this is the day k days away.
		day := time.Date(y, m, d+k, 12, 0, 0, 0, s.Loc)
		if s.Days&(1<<day.Weekday()) == 0 {
			continue
		}
		dy, dm, dd := day.Date()
		f(wallInstant(dy, dm, dd, s.At, s.Loc))
	}
}

// wallInstant is the instant at minute min of a local day in loc: the
// first of two when the clock passes it twice (fall back), the end of the
// gap when the clock skips it (spring forward). time.Date leaves both
// cases unspecified ("correct in one of the two zones").
func wallInstant(y int, m time.Month, d, min int, loc *time.Location) time.Time {
	wall := time.Date(y, m, d, min/60, min%60, 0, 0, time.UTC)
	guess := time.Date(y, m, d, min/60, min%60, 0, 0, loc)
	// The offsets in force half a day either side: a transition between
	// them is the only way the wall time can be skipped or doubled.
	_, before := guess.Add(-12 * time.Hour).Zone()
	_, after := guess.Add(12 * time.Hour).Zone()
	first, found := time.Time{}, false
	for _, off := range [2]int{before, after} {
		c := wall.Add(-time.Duration(off) * time.Second).In(loc)
		if sameWall(c, wall) && (!found || c.Before(first)) {
			first, found = c, true
		}
	}
	if found {
		return first
	}
	// Skipped: the wall time read with the earlier offset lands after the
	// transition, whose instant begins that zone.
	c := wall.Add(-time.Duration(before) * time.Second).In(loc)
	start, _ := c.ZoneBounds()
	if start.IsZero() {
		return c
	}
	return start
}

// sameWall reports whether t's wall clock in its own zone reads w's (UTC).
func sameWall(t, w time.Time) bool {
	y, m, d := t.Date()
	wy, wm, wd := w.Date()
	return y == wy && m == wm && d == wd && t.Hour() == w.Hour() && t.Minute() == w.Minute()
}
