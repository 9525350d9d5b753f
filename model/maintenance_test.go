package model

import (
	"testing"
	"time"
	_ "time/tzdata" // the zones below, on a machine without /usr/share/zoneinfo too
)

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func recurring(t *testing.T, every, length, zone string) Schedule {
	t.Helper()
	w := MaintenanceWindow{Every: every, Duration: Duration{Duration: mustDuration(t, length)}, Timezone: zone}
	s, err := w.Schedule()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mustDuration(t *testing.T, s string) time.Duration {
	t.Helper()
	d, err := time.ParseDuration(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// Recurring windows are computed on the zone's wall clock, across both DST
// changes of Europe/Amsterdam and America/New_York (2026: 29 Mar and 25
// Oct; 8 Mar and 1 Nov). Times are written in UTC so the expected instants
// are unambiguous.
func TestScheduleSpanAndNext(t *testing.T) {
	tests := []struct {
		name                string
		every, length, zone string
		at                  string
		active              bool
		from, until, next   string
	}{
		// Amsterdam, a normal winter Sunday: 02:00 CET is 01:00 UTC.
		{"ams winter", "sun 02:00", "2h", "Europe/Amsterdam", "2026-03-22T01:30:00Z", true, "2026-03-22T01:00:00Z", "2026-03-22T03:00:00Z", "2026-03-22T03:00:00Z"},
		{"ams before winter start", "sun 02:00", "2h", "Europe/Amsterdam", "2026-03-22T00:59:00Z", false, "", "", "2026-03-22T01:00:00Z"},
		// Spring forward: 02:00 does not exist; the window begins at the
		// first valid instant, 03:00 CEST (01:00 UTC), and lasts 2 h.
		{"ams spring-forward gap", "sun 02:00", "2h", "Europe/Amsterdam", "2026-03-29T01:00:00Z", true, "2026-03-29T01:00:00Z", "2026-03-29T03:00:00Z", "2026-03-29T03:00:00Z"},
		{"ams gap, start inside it", "sun 02:30", "1h", "Europe/Amsterdam", "2026-03-29T00:59:00Z", false, "", "", "2026-03-29T01:00:00Z"},
		// Summer: 02:00 CEST is 00:00 UTC.
		{"ams summer", "sun 02:00", "2h", "Europe/Amsterdam", "2026-04-05T00:00:00Z", true, "2026-04-05T00:00:00Z", "2026-04-05T02:00:00Z", "2026-04-05T02:00:00Z"},
		// Fall back: 02:30 happens at 00:30 UTC (CEST) and 01:30 UTC
		// (CET); the window starts once, at the first.
		{"ams fall-back first pass", "sun 02:30", "1h", "Europe/Amsterdam", "2026-10-25T00:30:00Z", true, "2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z", "2026-10-25T01:30:00Z"},
		{"ams fall-back second pass", "sun 02:30", "1h", "Europe/Amsterdam", "2026-10-25T01:45:00Z", false, "", "", "2026-11-01T01:30:00Z"},
		// New York, spring forward: 02:30 is skipped, the window starts at
		// 03:00 EDT (07:00 UTC).
		{"nyc spring-forward gap", "sun 02:30", "1h", "America/New_York", "2026-03-08T06:59:00Z", false, "", "", "2026-03-08T07:00:00Z"},
		{"nyc gap start", "sun 02:30", "1h", "America/New_York", "2026-03-08T07:10:00Z", true, "2026-03-08T07:00:00Z", "2026-03-08T08:00:00Z", "2026-03-08T08:00:00Z"},
		// Fall back: 01:30 happens at 05:30 UTC (EDT) and 06:30 UTC (EST).
		{"nyc fall-back once", "daily 01:30", "1h", "America/New_York", "2026-11-01T05:30:00Z", true, "2026-11-01T05:30:00Z", "2026-11-01T06:30:00Z", "2026-11-01T06:30:00Z"},
		{"nyc fall-back second pass", "daily 01:30", "1h", "America/New_York", "2026-11-01T06:45:00Z", false, "", "", "2026-11-02T06:30:00Z"},
		{"nyc day before fall-back", "daily 01:30", "1h", "America/New_York", "2026-10-31T06:00:00Z", true, "2026-10-31T05:30:00Z", "2026-10-31T06:30:00Z", "2026-10-31T06:30:00Z"},
		// Days listed, across midnight and the week's end.
		{"mon,thu across midnight", "mon,thu 22:30", "2h", "UTC", "2026-12-04T00:15:00Z", true, "2026-12-03T22:30:00Z", "2026-12-04T00:30:00Z", "2026-12-04T00:30:00Z"},
		{"mon,thu next is monday", "mon,thu 22:30", "2h", "UTC", "2026-12-04T00:30:00Z", false, "", "", "2026-12-07T22:30:00Z"},
		{"sunday into monday", "sun 23:00", "3h", "UTC", "2026-12-07T01:00:00Z", true, "2026-12-06T23:00:00Z", "2026-12-07T02:00:00Z", "2026-12-07T02:00:00Z"},
		{"six days long", "sat 00:00", "144h", "UTC", "2026-12-10T12:00:00Z", true, "2026-12-05T00:00:00Z", "2026-12-11T00:00:00Z", "2026-12-11T00:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := recurring(t, tt.every, tt.length, tt.zone)
			at := mustTime(t, tt.at)
			from, until, ok := s.Span(at)
			if ok != tt.active {
				t.Fatalf("Span(%s) active = %v, want %v (from %s until %s)", tt.at, ok, tt.active, from, until)
			}
			if ok && (!from.Equal(mustTime(t, tt.from)) || !until.Equal(mustTime(t, tt.until))) {
				t.Errorf("Span(%s) = %s .. %s, want %s .. %s", tt.at, from.UTC(), until.UTC(), tt.from, tt.until)
			}
			next, ok := s.Next(at)
			if !ok || !next.Equal(mustTime(t, tt.next)) {
				t.Errorf("Next(%s) = %s %v, want %s", tt.at, next.UTC(), ok, tt.next)
			}
		})
	}
}

// The fall-back night's window starts once: walking boundaries through
// the night finds one start and one end.
func TestScheduleFallBackStartsOnce(t *testing.T) {
	for _, zone := range []string{"Europe/Amsterdam", "America/New_York"} {
		s := recurring(t, "daily 01:30", "1h", zone)
		if zone == "Europe/Amsterdam" {
			s = recurring(t, "daily 02:30", "1h", zone)
		}
		at := mustTime(t, "2026-10-24T12:00:00Z")
		if zone == "America/New_York" {
			at = mustTime(t, "2026-10-31T12:00:00Z")
		}
		end := at.Add(24 * time.Hour)
		starts := 0
		for b, ok := s.Next(at); ok && b.Before(end); b, ok = s.Next(b) {
			if _, _, open := s.Span(b); open {
				starts++
			}
		}
		if starts != 1 {
			t.Errorf("%s: %d starts in the fall-back day, want 1", zone, starts)
		}
	}
}

func TestScheduleOneOff(t *testing.T) {
	w := MaintenanceWindow{From: mustTime(t, "2026-11-26T22:00:00Z"), To: mustTime(t, "2026-11-26T23:00:00Z")}
	s, err := w.Schedule()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		at     string
		active bool
		next   string // "" for none
	}{
		{"2026-11-26T21:00:00Z", false, "2026-11-26T22:00:00Z"},
		{"2026-11-26T22:00:00Z", true, "2026-11-26T23:00:00Z"},
		{"2026-11-26T22:59:59Z", true, "2026-11-26T23:00:00Z"},
		{"2026-11-26T23:00:00Z", false, ""},
	}
	for _, tt := range tests {
		at := mustTime(t, tt.at)
		_, until, ok := s.Span(at)
		if ok != tt.active || (ok && !until.Equal(w.To.(time.Time))) {
			t.Errorf("Span(%s) = %v until %s, want %v", tt.at, ok, until, tt.active)
		}
		next, ok := s.Next(at)
		if (tt.next == "") == ok || (ok && !next.Equal(mustTime(t, tt.next))) {
			t.Errorf("Next(%s) = %s %v, want %q", tt.at, next, ok, tt.next)
		}
	}
}

// A local from/to is read in the window's timezone.
func TestWindowLocalTimes(t *testing.T) {
	cfg, err := Parse("local.toml", []byte(`
[[asset]]
name = "a"
layer = "technical"
[[maintenance]]
assets = ["a"]
from = 2026-03-29T01:30:00
to = 2026-03-29T04:00:00
timezone = "Europe/Amsterdam"
`))
	if err != nil {
		t.Fatal(err)
	}
	s, err := cfg.Maintenance[0].Schedule()
	if err != nil {
		t.Fatal(err)
	}
	// 01:30 CET is 00:30 UTC; 04:00 CEST is 02:00 UTC.
	if !s.From.Equal(mustTime(t, "2026-03-29T00:30:00Z")) || !s.To.Equal(mustTime(t, "2026-03-29T02:00:00Z")) {
		t.Errorf("from %s to %s", s.From.UTC(), s.To.UTC())
	}
}
