package model

import (
	"testing"
	"time"
	_ "time/tzdata" // Europe/Amsterdam on a machine without zoneinfo

	"github.com/pelletier/go-toml/v2"
)

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// A date is judged in whole local days of the monitor's zone: today,
// within warn, within crit, past, across a leap day and a DST change.
func TestRenewalJudgeDates(t *testing.T) {
	ams := mustZone(t, "Europe/Amsterdam")
	lim := RenewalLimits{Warn: DefaultRenewalWarn, Crit: DefaultRenewalCrit}
	// 00:30 in Amsterdam is still the day before in UTC.
	now := time.Date(2026, 12, 7, 0, 30, 0, 0, ams)
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, ams) }
	tests := []struct {
		name string
		now  time.Time
		date time.Time
		days int
		st   Status
		text string
	}{
		{"today", now, day(2026, 12, 7), 0, StatusCritical, "warranty ends today (2026-12-07)"},
		{"yesterday", now, day(2026, 12, 6), -1, StatusCritical, "warranty ended 1 d ago (2026-12-06)"},
		{"crit edge", now, now.AddDate(0, 0, 30), 30, StatusCritical, "warranty ends in 30 d (2027-01-06)"},
		{"warn", now, now.AddDate(0, 0, 31), 31, StatusWarning, "warranty ends in 31 d (2027-01-07)"},
		{"warn edge", now, now.AddDate(0, 0, 90), 90, StatusWarning, "warranty ends in 90 d (2027-03-07)"},
		{"ok", now, now.AddDate(0, 0, 91), 91, StatusOK, "warranty ends in 91 d (2027-03-08)"},
		{"leap day", time.Date(2028, 2, 28, 23, 0, 0, 0, ams), day(2028, 3, 1), 2, StatusCritical, "warranty ends in 2 d (2028-03-01)"},
		{"dst spring", time.Date(2026, 3, 28, 12, 0, 0, 0, ams), day(2026, 3, 30), 2, StatusCritical, "warranty ends in 2 d (2026-03-30)"},
		{"dst autumn", time.Date(2026, 10, 24, 23, 59, 0, 0, ams), day(2026, 10, 26), 2, StatusCritical, "warranty ends in 2 d (2026-10-26)"},
	}
	for _, tt := range tests {
		r := Renewal{Kind: RenewalWarranty, Label: "warranty", Date: time.Date(tt.date.Year(), tt.date.Month(), tt.date.Day(), 0, 0, 0, 0, ams)}
		r.Judge(tt.now, lim)
		if r.Days != tt.days || r.Status != tt.st || r.Text() != tt.text {
			t.Errorf("%s: %d d %s %q, want %d d %s %q", tt.name, r.Days, r.Status, r.Text(), tt.days, tt.st, tt.text)
		}
	}
}

// A config date is midnight in the zone given; the same instant is a
// different day in another zone.
func TestLifecycleRenewalsZone(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	d := toml.LocalDate{Year: 2027, Month: 1, Day: 5}
	a := &Asset{Name: "sw", Lifecycle: &Lifecycle{WarrantyEnd: &d, EOS: &d, LicenceExpiry: &d, Licence: "NOS", Owner: "netops"}}
	items := LifecycleRenewals(a, ny)
	if len(items) != 3 || items[2].Label != "licence NOS" || items[1].Label != "end of support" || items[0].Owner != "netops" {
		t.Fatalf("items = %+v", items)
	}
	lim := RenewalLimits{Warn: 90 * 24 * time.Hour, Crit: 30 * 24 * time.Hour}
	// 2027-01-05 03:00 UTC is still 2027-01-04 in New York: one day left.
	items[0].Judge(time.Date(2027, 1, 5, 3, 0, 0, 0, time.UTC), lim)
	if items[0].Days != 1 || items[0].Text() != "warranty ends in 1 d (2027-01-05)" {
		t.Errorf("New York: %d d %q", items[0].Days, items[0].Text())
	}
	items[2].Judge(time.Date(2027, 1, 5, 3, 0, 0, 0, time.UTC), lim)
	if items[2].Text() != "licence NOS expires in 1 d (2027-01-05)" {
		t.Errorf("licence: %q", items[2].Text())
	}
}

// A certificate is judged to the instant.
func TestRenewalJudgeCert(t *testing.T) {
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	lim := RenewalLimits{Warn: DefaultRenewalWarn, Crit: DefaultRenewalCrit}
	for _, tt := range []struct {
		left time.Duration
		days int
		st   Status
		text string
	}{
		{30 * 24 * time.Hour, 30, StatusCritical, "certificate CN=portal expires in 30 d (2027-01-06)"},
		{30*24*time.Hour + time.Second, 30, StatusWarning, "certificate CN=portal expires in 30 d (2027-01-06)"},
		{5 * time.Hour, 0, StatusCritical, "certificate CN=portal expires today (2026-12-07)"},
		{-time.Second, -1, StatusCritical, "certificate CN=portal expired 1 d ago (2026-12-07)"},
		{100 * 24 * time.Hour, 100, StatusOK, "certificate CN=portal expires in 100 d (2027-03-17)"},
	} {
		c := &Cert{Subject: "CN=portal,O=lab", NotAfter: now.Add(tt.left)}
		r := CertRenewal("web", "", "tls", c)
		r.Judge(now, lim)
		if r.Days != tt.days || r.Status != tt.st || r.Text() != tt.text {
			t.Errorf("left %v: %d d %s %q, want %d d %s %q", tt.left, r.Days, r.Status, r.Text(), tt.days, tt.st, tt.text)
		}
	}
}

// The next change is local midnight, or a certificate crossing a limit
// before it.
func TestNextRenewalChange(t *testing.T) {
	ams := mustZone(t, "Europe/Amsterdam")
	lim := RenewalLimits{Warn: 90 * 24 * time.Hour, Crit: 30 * 24 * time.Hour}
	now := time.Date(2026, 12, 7, 15, 0, 0, 0, ams)
	midnight := time.Date(2026, 12, 8, 0, 0, 0, 0, ams)
	if got := nextRenewalChange(nil, now, ams, lim); !got.Equal(midnight) {
		t.Errorf("no items: %v, want %v", got, midnight)
	}
	c := &Cert{NotAfter: now.Add(30*24*time.Hour + time.Hour)}
	items := []Renewal{CertRenewal("web", "", "tls", c)}
	if got := nextRenewalChange(items, now, ams, lim); !got.Equal(now.Add(time.Hour)) {
		t.Errorf("cert crossing crit in 1h: %v", got)
	}
}
