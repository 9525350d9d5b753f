package model

import (
	"testing"
	"time"
)

// Each maintenance_*.toml under testdata/config holds one problem of
// [[maintenance]].
func TestLoadMaintenanceErrors(t *testing.T) {
	tests := []loadErrorCase{
		{"maintenance_no_target", ErrMissing, "10:3", "no assets, tags or services"},
		{"maintenance_unknown_asset", ErrUnknownTarget, "11:18", `asset "sw2" is not in the config`},
		{"maintenance_unknown_service", ErrUnknownTarget, "11:13", `service "Billing" is not in the config`},
		{"maintenance_unknown_tag", ErrUnknownTarget, "11:9", `no asset has tag "site:dc2"`},
		{"maintenance_asset_as_service", ErrUnknownTarget, "11:13", `"sw1" is an asset, not a service`},
		{"maintenance_bad_every", ErrInvalid, "12:9", `every "sunday 2am": "2am" is not a time HH:MM`},
		{"maintenance_no_duration", ErrMissing, "10:3", "every needs a duration"},
		{"maintenance_long_duration", ErrInvalid, "13:12", "duration 7d: want less than a week"},
		{"maintenance_bad_duration", ErrBadDuration, "13:12", `bad duration: "2 hours"`},
		{"maintenance_bad_timezone", ErrInvalid, "14:12", `timezone "Europe/Amsterdm": not an IANA zone name`},
		{"maintenance_to_before_from", ErrInvalid, "13:6", "to 2026-11-26T22:00:00Z is not after from 2026-11-26T23:00:00Z"},
		{"maintenance_no_to", ErrMissing, "10:3", `maintenance "firmware": no to`},
		{"maintenance_from_string", ErrWrongType, "12:8", "from: wrong type: got string, want a date-time"},
		{"maintenance_both", ErrInvalid, "14:9", "not both"},
		{"maintenance_no_when", ErrMissing, "10:3", "say when the window is"},
		{"maintenance_duration_one_off", ErrInvalid, "14:12", "duration is for recurring windows"},
		{"maintenance_duplicate_name", ErrDuplicateName, "17:8", `duplicate maintenance name "patch" (first at line 11)`},
	}
	checkLoadErrors(t, tests)
}

// A valid window of each shape loads, and its schedule reads back.
func TestLoadMaintenance(t *testing.T) {
	cfg, err := Parse("m.toml", []byte(`
[[asset]]
name = "sw1"
layer = "technical"
tags = ["site:hq"]

[[service]]
name = "Orders"
needs = ["sw1"]

[[maintenance]]
assets = ["sw1"]
from = 2026-11-26T22:00:00+01:00
to   = 2026-11-26T23:00:00+01:00
reason = "firmware upgrade"

[[maintenance]]
name = "patch night"
tags = ["site:hq"]
services = ["Orders"]
every = "mon,thu 22:30"
duration = "90m"
timezone = "America/New_York"
`))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Maintenance) != 2 {
		t.Fatalf("%d windows", len(cfg.Maintenance))
	}
	one, err := cfg.Maintenance[0].Schedule()
	if err != nil || one.Recurring() || !one.From.Equal(mustTime(t, "2026-11-26T21:00:00Z")) || one.To.Sub(one.From) != time.Hour {
		t.Errorf("one-off: %+v %v", one, err)
	}
	if got := cfg.Maintenance[0].Label(0); got != "maintenance 1" {
		t.Errorf("label %q", got)
	}
	rec, err := cfg.Maintenance[1].Schedule()
	if err != nil || !rec.Recurring() || rec.At != 22*60+30 || rec.Length != 90*time.Minute || rec.Loc.String() != "America/New_York" ||
		rec.Days != 1<<time.Monday|1<<time.Thursday {
		t.Errorf("recurring: %+v %v", rec, err)
	}
}
