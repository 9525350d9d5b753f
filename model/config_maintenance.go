package model

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"
)

// maxWindowLength bounds a recurring window's duration: a window as long
// as its week would never end.
const maxWindowLength = 7 * 24 * time.Hour

// MaintenanceWindow is one [[maintenance]] table: planned work on the
// assets it selects (by name, tag, or service: a service covers its member
// assets, recursively), once (from, to) or every week on the days named
// (every, duration), in timezone.
type MaintenanceWindow struct {
	// Name defaults to "maintenance N" (N counts from 1 in file order).
	Name     string   `toml:"name"`
	Assets   []string `toml:"assets"`
	Tags     []string `toml:"tags"`
	Services []string `toml:"services"`
	// From and To are TOML date-times: with an offset (an instant), or
	// local (read in Timezone). They hold time.Time or toml.LocalDateTime
	// as decoded; Schedule reads them.
	From any `toml:"from"`
	To   any `toml:"to"`
	// Every is "daily HH:MM" or days and a time: "sun 02:00", "mon,thu 22:30".
	Every    string   `toml:"every"`
	Duration Duration `toml:"duration"`
	// Timezone is an IANA zone name ("Europe/Amsterdam"); "" is the
	// machine's.
	Timezone string `toml:"timezone"`
	Reason   string `toml:"reason"`
}

// Label is the window's name, or "maintenance N" for the n-th window
// (from 0) when it has none.
func (w *MaintenanceWindow) Label(n int) string {
	if w.Name != "" {
		return w.Name
	}
	return "maintenance " + strconv.Itoa(n+1)
}

// Schedule reads the window's times. The loader has reported every
// problem already; an error here means a config that did not go through
// Load.
func (w *MaintenanceWindow) Schedule() (Schedule, error) {
	loc, err := windowZone(w.Timezone)
	if err != nil {
		return Schedule{}, err
	}
	if w.Every != "" {
		days, at, err := parseEvery(w.Every)
		if err != nil {
			return Schedule{}, err
		}
		if l := w.Duration.Duration; l <= 0 || l >= maxWindowLength {
			return Schedule{}, fmt.Errorf("%w: duration %v: want more than 0 and less than a week", ErrInvalid, l)
		}
		return Schedule{Days: days, At: at, Length: w.Duration.Duration, Loc: loc}, nil
	}
	from, err := windowTime(w.From, loc)
	if err != nil {
		return Schedule{}, fmt.Errorf("from: %w", err)
	}
	to, err := windowTime(w.To, loc)
	if err != nil {
		return Schedule{}, fmt.Errorf("to: %w", err)
	}
	if !to.After(from) {
		return Schedule{}, fmt.Errorf("%w: to %s is not after from %s", ErrInvalid, to.Format(time.RFC3339), from.Format(time.RFC3339))
	}
	return Schedule{From: from, To: to, Loc: loc}, nil
}

// windowZone loads an IANA zone; "" is the machine's. The binary embeds
// the zone database (time/tzdata), so a machine without
// /usr/share/zoneinfo reads the same names.
func windowZone(name string) (*time.Location, error) {
	if name == "" {
		return time.Local, nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("%w: timezone %q: not an IANA zone name such as \"Europe/Amsterdam\" or \"UTC\"", ErrInvalid, name)
	}
	return loc, nil
}

// windowTime reads a from or to value: a date-time with an offset, or a
// local one in loc.
func windowTime(v any, loc *time.Location) (time.Time, error) {
	switch x := v.(type) {
	case time.Time:
		return x, nil
	case toml.LocalDateTime:
		return wallInstant(x.Year, time.Month(x.Month), x.Day, x.Hour*60+x.Minute, loc).Add(
			time.Duration(x.Second)*time.Second + time.Duration(x.Nanosecond)), nil
	case nil:
		return time.Time{}, fmt.Errorf("%w: missing", ErrMissing)
	}
	return time.Time{}, fmt.Errorf("%w: got %s, want a date-time such as 2026-11-26T22:00:00Z (no quotes)", ErrWrongType, tomlKind(v))
}

// parseEvery reads "daily 02:00", "sun 02:00" or "mon,thu 22:30": the
// weekdays as a bit set (1 << time.Weekday) and the minute of the day.
func parseEvery(s string) (days uint8, minute int, err error) {
	bad := func(why string) (uint8, int, error) {
		return 0, 0, fmt.Errorf(`%w: every %q: %s (want "daily 02:00", "sun 02:00" or "mon,thu 22:30")`, ErrInvalid, s, why)
	}
	f := strings.Fields(strings.ToLower(s))
	if len(f) != 2 {
		return bad("want days and a time")
	}
	if f[0] == "daily" {
		days = 0x7f
	} else {
		for d := range strings.SplitSeq(f[0], ",") {
			wd, ok := weekdayNamed(d)
			if !ok {
				return bad(fmt.Sprintf("%q is not a day", d))
			}
			days |= 1 << wd
		}
	}
	hh, mm, ok := strings.Cut(f[1], ":")
	h, err1 := strconv.Atoi(hh)
	m, err2 := strconv.Atoi(mm)
	if !ok || err1 != nil || err2 != nil || len(mm) != 2 || h < 0 || h > 23 || m < 0 || m > 59 {
		return bad(fmt.Sprintf("%q is not a time HH:MM", f[1]))
	}
	return days, h*60 + m, nil
}

// weekdayNamed reads "sun" or "sunday" (lower case).
func weekdayNamed(s string) (time.Weekday, bool) {
	for d := time.Sunday; d <= time.Saturday; d++ {
		name := strings.ToLower(d.String())
		if s == name || s == name[:3] {
			return d, true
		}
	}
	return 0, false
}
