package model

import (
	"slices"
	"strings"
)

// Device profiles (issue 15): `profile = "ups"` on an snmp check reads a
// standard MIB's declared objects and judges them against the profile's
// thresholds, whose defaults a check overrides by name (`thresholds = {
// charge = { warn = 40 } }`). The probe (package probes) holds each
// built-in profile's OIDs and verdicts; model holds what the config and
// the front ends need: the names, the thresholds and the metrics.

// Built-in profile names.
const (
	ProfileUPS      = "ups"      // UPS-MIB, RFC 1628
	ProfilePrinter  = "printer"  // Printer-MIB, RFC 3805
	ProfileSensors  = "sensors"  // ENTITY-MIB + ENTITY-SENSOR-MIB
	ProfileWireless = "wireless" // IEEE802dot11-MIB, plus custom profiles that extend it
	ProfileHost     = "host"     // HOST-RESOURCES-MIB (host_resources = true)
	ProfileAuto     = "auto"     // chosen on the first poll (probes.DetectProfile)
)

// BuiltinProfiles lists the built-in profile names, auto last.
func BuiltinProfiles() []string {
	return []string{ProfileUPS, ProfilePrinter, ProfileSensors, ProfileWireless, ProfileHost, ProfileAuto}
}

// ProfileLimit is one threshold a profile declares: its default, the
// range a config may set, and whether low values are the bad ones.
type ProfileLimit struct {
	Name       string
	Warn, Crit *float64
	Below      bool
	Unit       string
	Lo, Hi     float64
	Help       string
}

// Threshold is the limit as a Threshold, with a check's override (nil:
// the defaults) taking precedence side by side.
func (p ProfileLimit) Threshold(over *Limits) Threshold {
	l := Limits{Warn: p.Warn, Crit: p.Crit}
	if over != nil {
		if over.Warn != nil {
			l.Warn = over.Warn
		}
		if over.Crit != nil {
			l.Crit = over.Crit
		}
	}
	return l.Threshold(p.Unit, p.Below)
}

func num(f float64) *float64 { return &f }

// BuiltinProfileLimits are the thresholds of built-in profile name (nil
// for host and auto: host's are the check's cpu, memory and disk).
func BuiltinProfileLimits(name string) []ProfileLimit {
	switch name {
	case ProfileUPS:
		return []ProfileLimit{
			{Name: "charge", Warn: num(50), Crit: num(20), Below: true, Unit: "%", Hi: 100, Help: "battery charge left"},
			{Name: "minutes", Warn: num(15), Crit: num(5), Below: true, Unit: "min", Hi: 1e4, Help: "runtime left on battery"},
			{Name: "load", Warn: num(80), Crit: num(95), Unit: "%", Hi: 200, Help: "output load"},
			{Name: "input_low", Warn: num(207), Crit: num(196), Below: true, Unit: "V", Hi: 1000, Help: "input voltage on mains, low side"},
			{Name: "input_high", Warn: num(253), Crit: num(264), Unit: "V", Hi: 1000, Help: "input voltage on mains, high side"},
		}
	case ProfilePrinter:
		return []ProfileLimit{
			{Name: "toner", Warn: num(20), Crit: num(5), Below: true, Unit: "%", Hi: 100, Help: "each supply's level (toner, ink)"},
		}
	case ProfileSensors:
		return []ProfileLimit{
			{Name: "temperature", Warn: num(60), Crit: num(75), Unit: "°C", Lo: -100, Hi: 1000, Help: "each temperature sensor"},
			{Name: "fan", Warn: num(1000), Crit: num(500), Below: true, Unit: "rpm", Hi: 1e6, Help: "each fan's speed"},
		}
	}
	return nil // wireless: its custom profiles' limits (clients per AP)
}

// IsBuiltinProfile reports whether name is a built-in profile.
func IsBuiltinProfile(name string) bool { return slices.Contains(BuiltinProfiles(), name) }

// ProfileMetrics declares the metrics built-in profile name emits; a
// family's members are Name:Label ("toner_pct:Black").
func ProfileMetrics(name string) []Metric {
	g := func(n, unit string, b Better, help string) Metric {
		return Metric{Name: n, UnitText: unit, Kind: KindGauge, Better: b, Help: help}
	}
	switch name {
	case ProfileUPS:
		return []Metric{
			g(MetricUPSCharge, "%", BetterHigher, "UPS battery charge"),
			g(MetricUPSMinutes, " min", BetterHigher, "UPS runtime left"),
			g(MetricUPSLoad, "%", BetterLower, "UPS output load"),
			g(MetricUPSInputV, " V", BetterNeither, "UPS input voltage"),
			g(MetricUPSOnBattery, " s", BetterLower, "time on battery"),
		}
	case ProfilePrinter:
		return []Metric{
			g(MetricTonerMin, "%", BetterHigher, "lowest supply level"),
			g(MetricToner, "%", BetterHigher, "supply level"),
			g(MetricTray, "%", BetterHigher, "paper tray fill"),
		}
	case ProfileSensors:
		return []Metric{
			g(MetricSensorTempMax, " °C", BetterLower, "hottest entity sensor"),
			g(MetricSensorTemp, " °C", BetterLower, "entity temperature sensor"),
			g(MetricSensorFan, " rpm", BetterHigher, "entity fan speed"),
		}
	case ProfileWireless:
		return []Metric{g(MetricSSIDs, "", BetterNeither, "SSIDs configured (IEEE802dot11-MIB)")}
	}
	return nil
}

// Profile metric names.
const (
	MetricUPSCharge     = "ups_charge_pct"
	MetricUPSMinutes    = "ups_minutes_left"
	MetricUPSLoad       = "ups_load_pct"
	MetricUPSInputV     = "ups_input_v"
	MetricUPSOnBattery  = "ups_on_battery_s"
	MetricTonerMin      = "toner_min_pct"
	MetricToner         = "toner_pct" // family: toner_pct:<supply>
	MetricTray          = "tray_pct"  // family: tray_pct:<tray>
	MetricSensorTempMax = "sensor_temp_max_c"
	MetricSensorTemp    = "sensor_temp_c"  // family: sensor_temp_c:<sensor>
	MetricSensorFan     = "sensor_fan_rpm" // family: sensor_fan_rpm:<fan>
	MetricSSIDs         = "ssids"
)

// ProfilePrimary is the metric that sums up a check of profile name ("":
// the snmp check's own).
func ProfilePrimary(name string) string {
	switch name {
	case ProfileUPS:
		return MetricUPSCharge
	case ProfilePrinter:
		return MetricTonerMin
	case ProfileSensors:
		return MetricSensorTempMax
	}
	return ""
}

// ProfileTable is what a profile read, row by row, for the asset screen
// and `check --json` (the same figures are metrics for history).
type ProfileTable struct {
	// Profile is the profile that read it (for auto, the one chosen).
	Profile string
	Rows    []ProfileRow
}

// ProfileRow is one object a profile judged: a UPS's charge, a toner
// cartridge, a sensor, an access point.
type ProfileRow struct {
	// Group says what the row is: "battery", "input", "output", "supply",
	// "tray", "alert", "temperature", "fan", "power", "ssid", "ap", or a
	// custom profile's metric name.
	Group string
	// Label names the object ("Black", "Tray 2", "ap-lobby"); Text is its
	// value as words when it has no number ("on battery", "down").
	Label, Text string
	Value       float64 // NaN when the row has no number
	Unit        string
	Status      Status
	Reason      string // why the row is not OK
}

// lookupCustom finds name among a check's declared metrics, a family
// member by its base name ("toner_pct:Black" under "toner_pct").
func lookupCustom(custom []Metric, name string) (Metric, bool) {
	for _, m := range custom {
		if m.Name == name {
			return m, true
		}
	}
	base, label, ok := strings.Cut(name, familySep)
	if !ok {
		return Metric{}, false
	}
	for _, m := range custom {
		if m.Name == base && m.Label == "" {
			m.Label = label
			return m, true
		}
	}
	return Metric{}, false
}
