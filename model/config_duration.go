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
	raw string
	err error
}

// D builds a valid Duration (for defaults and tests).
func D(d time.Duration) Duration { return Duration{Duration: d} }

// UnmarshalText parses Go durations plus a "d" suffix for days.
func (d *Duration) UnmarshalText(b []byte) error {
	d.raw = string(b)
	d.Duration, d.err = ParseDuration(d.raw)
	return nil
}

// MarshalText writes the duration back in Go form.
func (d Duration) MarshalText() ([]byte, error) {
	if d.raw != "" && d.err == nil {
		return []byte(d.raw), nil
	}
	return []byte(d.Duration.String()), nil
}

// Err is the parse error kept by UnmarshalText, if any.
func (d Duration) Err() error { return d.err }

// Raw is the text the duration was read from.
func (d Duration) Raw() string { return d.raw }

// Set reports whether the key was present in the config.
func (d Duration) Set() bool { return d.raw != "" || d.Duration != 0 }

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
