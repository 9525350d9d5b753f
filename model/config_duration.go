package model

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Duration is a config duration such as "30s", "5m" or "7d". Its
// UnmarshalText never fails: it keeps the raw text and the parse error so the
// loader can report every bad duration at once, with its position, instead of
// stopping at the first (go-toml stops decoding on the first error).
type Duration struct {
	time.Duration
	// text is what the config said, nil for a duration set in code: a
	// pointer keeps the struct two words (a Check holds five durations).
	text *durationText
}

type durationText struct {
	raw string
	err error
}

// D builds a valid Duration (for defaults and tests).
func D(d time.Duration) Duration { return Duration{Duration: d} }

// UnmarshalText parses Go durations plus a "d" suffix for days.
func (d *Duration) UnmarshalText(b []byte) error {
	t := &durationText{raw: string(b)}
	d.Duration, t.err = ParseDuration(t.raw)
	d.text = t
	return nil
}

// MarshalText writes the duration back in Go form.
func (d Duration) MarshalText() ([]byte, error) {
	if raw := d.Raw(); raw != "" && d.Err() == nil {
		return []byte(raw), nil
	}
	return []byte(d.Duration.String()), nil
}

// Err is the parse error kept by UnmarshalText, if any.
func (d Duration) Err() error {
	if d.text == nil {
		return nil
	}
	return d.text.err
}

// Raw is the text the duration was read from.
func (d Duration) Raw() string {
	if d.text == nil {
		return ""
	}
	return d.text.raw
}

// Set reports whether the key was present in the config.
func (d Duration) Set() bool { return d.Raw() != "" || d.Duration != 0 }

// ParseDuration reads a Go duration ("1m30s") or whole days ("7d").
func ParseDuration(s string) (time.Duration, error) {
	t := strings.TrimSpace(s)
	if strings.HasSuffix(t, "d") {
		n, err := strconv.ParseFloat(strings.TrimSuffix(t, "d"), 64)
		if err != nil {
			return 0, fmt.Errorf("%w: %q (want e.g. \"30s\", \"5m\", \"7d\")", ErrBadDuration, s)
		}
		return time.Duration(n * float64(24*time.Hour)), nil
	}
	v, err := time.ParseDuration(t)
	if err != nil {
		return 0, fmt.Errorf("%w: %q (want e.g. \"30s\", \"5m\", \"7d\")", ErrBadDuration, s)
	}
	return v, nil
}
