package model

import (
	"testing"
	"time"
)

// Any every text either reads as days and a minute of the day or is an
// error; a schedule made of it answers Span and Next consistently for any
// instant, in zones with and without DST.
func FuzzSchedule(f *testing.F) {
	for _, s := range []string{"daily 02:00", "sun 02:00", "mon,thu 22:30", "Sunday 23:59", "sat,sun 00:00", "sun 2am", "", "daily 24:00", "mon,,thu 01:00"} {
		f.Add(s, int64(0), uint8(0), int64(2*time.Hour))
	}
	f.Add("sun 02:30", int64(1774746000), uint8(1), int64(time.Hour)) // Amsterdam's spring forward 2026
	f.Add("daily 01:30", int64(1793511000), uint8(2), int64(time.Hour))
	zones := []string{"UTC", "Europe/Amsterdam", "America/New_York", "Australia/Lord_Howe"}
	f.Fuzz(func(t *testing.T, every string, unix int64, zone uint8, length int64) {
		days, minute, err := parseEvery(every)
		if err != nil {
			return
		}
		if days == 0 || days >= 1<<7 || minute < 0 || minute >= 24*60 {
			t.Fatalf("parseEvery(%q) = %b, %d", every, days, minute)
		}
		loc, err := time.LoadLocation(zones[int(zone)%len(zones)])
		if err != nil {
			t.Skip(err)
		}
		l := time.Duration(length)
		if l <= 0 || l >= maxWindowLength {
			l = time.Hour
		}
		s := Schedule{Days: days, At: minute, Length: l, Loc: loc}
		at := time.Unix(unix%(1<<34), 0) // years 1970-2514
		from, until, ok := s.Span(at)
		if ok && (at.Before(from) || !at.Before(until) || until.Sub(from) != l) {
			t.Fatalf("Span(%s) = %s .. %s", at, from, until)
		}
		next, ok := s.Next(at)
		if !ok || !next.After(at) || next.Sub(at) > 8*24*time.Hour {
			t.Fatalf("Next(%s) = %s %v", at, next, ok)
		}
	})
}
