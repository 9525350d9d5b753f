package ui

import (
	"math"
	"strconv"
	"strings"

	"noctop/model"
)

// The UI reads what a metric is from its declaration (model.LookupMetric,
// or the check's own for custom SNMP OIDs), never from its name.

// primaryMetric is the metric that best sums up a check, charted in its
// history and sparkline: the engine's CheckState.Primary, or for a
// hand-made state without one, its kind's default.
func primaryMetric(c *model.CheckState) string {
	if c.Primary != "" {
		return c.Primary
	}
	return model.DefaultPrimary(c.Type)
}

// chartable reports whether a metric's values may be drawn over time: a
// code (HTTP status, DNS rcode) is an identifier, shown as is.
func chartable(c *model.CheckState, name string) bool {
	if name == "" {
		return false
	}
	d, _ := c.Metric(name)
	return d.Kind != model.KindCode
}

// formatMetric writes one of a check's values in the unit its declaration
// gives; a code as the number it is, a count as a whole number. An
// undeclared name is a plain number.
func formatMetric(c *model.CheckState, name string, v float64) string {
	d, _ := c.Metric(name)
	return formatValue(d, v)
}

func formatValue(d model.Metric, v float64) string {
	switch {
	case math.IsNaN(v):
		return "—"
	case d.Kind == model.KindCode:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case d.Kind == model.KindCount:
		return whole(v) + d.Symbol()
	case d.UnitText != "":
		return num(v) + d.UnitText
	}
	switch d.Unit {
	case model.UnitMs:
		return ms(v)
	case model.UnitBitsPerSecond:
		return bps(v) + "/s"
	case model.UnitDays:
		return itoa(int(math.Floor(v))) + "d"
	}
	return num(v) + d.Unit.String()
}

// metricTitle names a metric over its chart: the name as emitted, spaced
// for reading, and what its declaration says it measures ("" when
// undeclared).
func metricTitle(c *model.CheckState, name string) (label, help string) {
	d, _ := c.Metric(name)
	return strings.ReplaceAll(name, "_", " "), d.Help
}

// sampleText is one value of a result's metric list, without its unit
// (the name says it): a code or a count as a whole number, else compact.
func sampleText(c *model.CheckState, name string, v float64) string {
	switch d, _ := c.Metric(name); d.Kind {
	case model.KindCode:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case model.KindCount:
		return whole(v)
	}
	return num(v)
}

// whole writes a count: whole as it is, an average of counts compact.
func whole(v float64) string {
	if v == math.Trunc(v) && !math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return num(v)
}
