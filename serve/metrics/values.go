package metrics

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pelletier/go-toml/v2"

	"noctop/model"
)

// statusValue codes a status for Prometheus. The codes are this exporter's
// contract (documented in the help text and the README), independent of
// model.Status's numbering.
func statusValue(s model.Status) float64 {
	switch s {
	case model.StatusOK:
		return 0
	case model.StatusWarning:
		return 1
	case model.StatusCritical:
		return 2
	case model.StatusUnknown:
		return 3
	case model.StatusUnreachable:
		return 4
	case model.StatusMaintenance:
		return 5
	case model.StatusPending:
		return 6
	}
	return 3 // a status this build does not know reads as UNKNOWN
}

// A conversion takes a value in its declared unit to Prometheus's base
// unit; false when the declared unit is not one it converts.
type conversion func(m model.Metric, v float64) (float64, bool)

func seconds(m model.Metric, v float64) (float64, bool) {
	switch m.Unit {
	case model.UnitMs:
		return v / 1000, true
	case model.UnitSeconds:
		return v, true
	}
	return 0, false
}

func ratio(m model.Metric, v float64) (float64, bool) {
	if m.Unit != model.UnitPercent {
		return 0, false
	}
	return v / 100, true
}

func perSecond(m model.Metric, v float64) (float64, bool) {
	if m.Unit != model.UnitPerMinute {
		return 0, false
	}
	return v / 60, true
}

// declaredValue reads one of a check's metrics through its declaration:
// the unit comes from model's table, never from the name.
func declaredValue(c *model.CheckState, name string, conv conversion) (float64, bool) {
	v, ok := c.Metrics[name]
	if !ok {
		return 0, false
	}
	m, ok := c.Metric(name)
	if !ok {
		return 0, false
	}
	return conv(m, v)
}

// label makes s a valid label value: Prometheus refuses invalid UTF-8,
// which would fail the whole scrape.
func label(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

// windowLabel names an availability window as operators write it: "24h",
// "7d", "30d".
func windowLabel(d time.Duration) string {
	const day = 24 * time.Hour
	if d >= 2*day && d%day == 0 {
		return strconv.Itoa(int(d/day)) + "d"
	}
	return strconv.Itoa(int(d/time.Hour)) + "h"
}

type localDate = toml.LocalDate

// lifecycleDates calls emit with each lifecycle date an asset may have,
// by the kind label of noctop_lifecycle_days_left; nil dates are skipped
// by the caller. Adding a kind is one line here.
func lifecycleDates(l *model.Lifecycle, emit func(kind string, d *localDate)) {
	emit("warranty_end", l.WarrantyEnd)
	emit("eol", l.EOL)
	emit("eos", l.EOS)
	emit("licence_expiry", l.LicenceExpiry)
}

// date is a calendar day, as a time at UTC midnight so that two of them
// differ by whole days.
type date time.Time

// today is now's calendar day where noctop runs (lifecycle dates are local
// dates).
func today(now time.Time) date {
	y, m, d := now.Date()
	return date(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
}

// daysBetween counts the days from day to d (negative once d is past).
func daysBetween(day date, d localDate) int {
	t := time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC)
	return int(t.Sub(time.Time(day)) / (24 * time.Hour))
}
