package model

import (
	"strings"
)

// Metric names, each declared once in LookupMetric with its unit, kind and
// direction. Probes emit only these (and the names a config declares for
// custom SNMP OIDs); the UI, `check --json`, the store and /metrics read
// the declarations instead of guessing meaning from a name.
const (
	MetricSent        = "sent"
	MetricReceived    = "received"
	MetricLossPct     = "loss_pct"
	MetricRTTMin      = "rtt_min_ms"
	MetricRTTAvg      = "rtt_avg_ms"
	MetricRTTMax      = "rtt_max_ms"
	MetricJitter      = "jitter_ms"
	MetricLatency     = "latency_ms"
	MetricStatusCode  = "status_code"
	MetricBodyBytes   = "body_bytes"
	MetricRedirects   = "redirects"
	MetricConnect     = "connect_ms"
	MetricHandshake   = "handshake_ms"
	MetricTTFB        = "ttfb_ms"
	MetricResponse    = "response_ms"
	MetricBytesRead   = "bytes_read"
	MetricAnswers     = "answers"
	MetricRcode       = "rcode"
	MetricCertDays    = "cert_days_left"
	MetricChainDays   = "chain_days_left"
	MetricUptime      = "uptime_s"
	MetricIfCount     = "if_count"
	MetricIfUp        = "if_up"
	MetricIfDown      = "if_down"
	MetricIfAdminDown = "if_admin_down"
	MetricInBps       = "in_bps_total"
	MetricOutBps      = "out_bps_total"
	MetricMaxUtil     = "max_util_pct"
	MetricErrorsRate  = "errors_per_min_total"
	MetricCPU         = "cpu_pct"
	MetricMem         = "mem_pct"
	MetricSwap        = "swap_pct"
	MetricLoad1       = "load1"
	MetricLoad5       = "load5"
	MetricLoad15      = "load15"
	MetricLoadPerCore = "load1_per_core"
	MetricTempMax     = "temp_max_c"
	MetricDiskMax     = "disk_pct_max"
	// MetricDisk is a family: "disk_pct:" + the mount or storage name.
	MetricDisk = "disk_pct"
)

// familySep joins a family's name and its label: "disk_pct:/var".
const familySep = ":"

// Unit is what a metric's number counts.
type Unit uint8

const (
	UnitNone Unit = iota // a plain number
	UnitMs
	UnitSeconds
	UnitPercent
	UnitBitsPerSecond
	UnitDays
	UnitBytes
	UnitCelsius
	UnitPerMinute
)

var unitNames = [...]string{"", "ms", "s", "%", "bit/s", "d", "B", "°C", "/min"}

// String is the unit's symbol, "" for a plain number.
func (u Unit) String() string {
	if int(u) >= len(unitNames) {
		return ""
	}
	return unitNames[u]
}

// MarshalText writes the symbol.
func (u Unit) MarshalText() ([]byte, error) { return []byte(u.String()), nil }

// ValueKind says what may be done with a metric's values over time.
type ValueKind uint8

const (
	// KindGauge is a level: charted, averaged, compared to thresholds.
	KindGauge ValueKind = iota
	// KindCount is a number of things (answers, interfaces up): charted,
	// whole numbers.
	KindCount
	// KindCode is an identifier (an HTTP status, a DNS rcode): shown as
	// is, never averaged or charted.
	KindCode
)

var kindNames = [...]string{"gauge", "count", "code"}

func (k ValueKind) String() string {
	if int(k) >= len(kindNames) {
		return "gauge"
	}
	return kindNames[k]
}

// MarshalText writes the kind's name.
func (k ValueKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Better says which way a metric improves.
type Better uint8

const (
	BetterNeither Better = iota
	BetterLower
	BetterHigher
)

var betterNames = [...]string{"", "lower", "higher"}

func (b Better) String() string {
	if int(b) >= len(betterNames) {
		return ""
	}
	return betterNames[b]
}

// MarshalText writes "lower", "higher" or "".
func (b Better) MarshalText() ([]byte, error) { return []byte(b.String()), nil }

// Metric declares one metric.
type Metric struct {
	// Name as it appears in Outcome.Metrics; for a family, the full name
	// is Name + ":" + Label ("disk_pct:/var").
	Name  string
	Label string // the family member, "" for a plain metric
	Unit  Unit
	// UnitText is the unit as a config wrote it for a custom SNMP OID
	// ("%", "V"), shown instead of Unit when set.
	UnitText string
	Kind     ValueKind
	Better   Better
	// Help is one line saying what it measures.
	Help string
	// Derived is true for a metric that follows from the check's settings
	// and its other metrics (an icmp check's sent is its count, received
	// follows from loss_pct): the latest result has it, history and the
	// store's rollups leave it out (at 10,000 icmp checks, 2 of 7 columns).
	Derived bool
}

// derivedMetric reports whether name is declared Derived.
func derivedMetric(name string) bool {
	m, ok := declared(name)
	return ok && m.Derived
}

// Symbol is the unit as shown beside a value.
func (m Metric) Symbol() string {
	if m.UnitText != "" {
		return m.UnitText
	}
	return m.Unit.String()
}

// FullName is the name as emitted: Name, or Name:Label for a family.
func (m Metric) FullName() string {
	if m.Label == "" {
		return m.Name
	}
	return m.Name + familySep + m.Label
}

// LookupMetric returns the declaration of a metric a probe emits. A family
// member ("disk_pct:/var") comes back with its Label set. Names a config
// declares (custom SNMP OIDs) are not known here: see CheckState.Metric.
func LookupMetric(name string) (Metric, bool) {
	base, label, family := strings.Cut(name, familySep)
	m, ok := declared(base)
	if !ok || family != m.family() {
		return Metric{}, false
	}
	m.Label = label
	return m, true
}

// family reports whether the declaration is a family (its members carry a
// label).
func (m Metric) family() bool { return m.Name == MetricDisk }

// Metrics lists every declared metric (families without a label), for
// documentation and tests.
func Metrics() []Metric {
	names := []string{
		MetricSent, MetricReceived, MetricLossPct, MetricRTTMin, MetricRTTAvg, MetricRTTMax, MetricJitter,
		MetricLatency, MetricStatusCode, MetricBodyBytes, MetricRedirects, MetricConnect, MetricHandshake,
		MetricTTFB, MetricResponse, MetricBytesRead, MetricAnswers, MetricRcode, MetricCertDays, MetricChainDays,
		MetricUptime, MetricIfCount, MetricIfUp, MetricIfDown, MetricIfAdminDown, MetricInBps, MetricOutBps,
		MetricMaxUtil, MetricErrorsRate, MetricCPU, MetricMem, MetricSwap, MetricLoad1, MetricLoad5,
		MetricLoad15, MetricLoadPerCore, MetricTempMax, MetricDiskMax, MetricDisk,
	}
	out := make([]Metric, 0, len(names))
	for _, n := range names {
		m, _ := declared(n)
		out = append(out, m)
	}
	return out
}

// derived marks a declaration Derived.
func derived(m Metric, ok bool) (Metric, bool) {
	m.Derived = true
	return m, ok
}

// declared is the one table of metric declarations (a switch: no mutable
// package state).
func declared(name string) (Metric, bool) {
	m := func(unit Unit, kind ValueKind, better Better, help string) (Metric, bool) {
		return Metric{Name: name, Unit: unit, Kind: kind, Better: better, Help: help}, true
	}
	switch name {
	case MetricSent:
		return derived(m(UnitNone, KindCount, BetterNeither, "echo requests sent"))
	case MetricReceived:
		return derived(m(UnitNone, KindCount, BetterHigher, "echo replies received"))
	case MetricLossPct:
		return m(UnitPercent, KindGauge, BetterLower, "packets lost")
	case MetricRTTMin:
		return m(UnitMs, KindGauge, BetterLower, "fastest round trip")
	case MetricRTTAvg:
		return m(UnitMs, KindGauge, BetterLower, "average round trip")
	case MetricRTTMax:
		return m(UnitMs, KindGauge, BetterLower, "slowest round trip")
	case MetricJitter:
		return m(UnitMs, KindGauge, BetterLower, "round-trip spread (standard deviation)")
	case MetricLatency:
		return m(UnitMs, KindGauge, BetterLower, "time to the whole answer")
	case MetricStatusCode:
		return m(UnitNone, KindCode, BetterNeither, "HTTP status code")
	case MetricBodyBytes:
		return m(UnitBytes, KindCount, BetterNeither, "body bytes read")
	case MetricRedirects:
		return m(UnitNone, KindCount, BetterLower, "redirects followed")
	case MetricConnect:
		return m(UnitMs, KindGauge, BetterLower, "time to connect")
	case MetricHandshake:
		return m(UnitMs, KindGauge, BetterLower, "TLS handshake time")
	case MetricTTFB:
		return m(UnitMs, KindGauge, BetterLower, "time to the first response byte")
	case MetricResponse:
		return m(UnitMs, KindGauge, BetterLower, "time to the expected answer")
	case MetricBytesRead:
		return m(UnitBytes, KindCount, BetterNeither, "bytes read")
	case MetricAnswers:
		return m(UnitNone, KindCount, BetterNeither, "DNS answer records")
	case MetricRcode:
		return m(UnitNone, KindCode, BetterNeither, "DNS response code")
	case MetricCertDays:
		return m(UnitDays, KindGauge, BetterHigher, "days until the server certificate expires")
	case MetricChainDays:
		return m(UnitDays, KindGauge, BetterHigher, "days until the first certificate of the chain expires")
	case MetricUptime:
		return m(UnitSeconds, KindGauge, BetterNeither, "time since the device or host started")
	case MetricIfCount:
		return m(UnitNone, KindCount, BetterNeither, "interfaces watched")
	case MetricIfUp:
		return m(UnitNone, KindCount, BetterHigher, "interfaces up")
	case MetricIfDown:
		return m(UnitNone, KindCount, BetterLower, "interfaces admin-up but down")
	case MetricIfAdminDown:
		return m(UnitNone, KindCount, BetterNeither, "interfaces shut down")
	case MetricInBps:
		return m(UnitBitsPerSecond, KindGauge, BetterNeither, "traffic in, all interfaces")
	case MetricOutBps:
		return m(UnitBitsPerSecond, KindGauge, BetterNeither, "traffic out, all interfaces")
	case MetricMaxUtil:
		return m(UnitPercent, KindGauge, BetterLower, "busiest interface's utilisation")
	case MetricErrorsRate:
		return m(UnitPerMinute, KindGauge, BetterLower, "errors and discards, all interfaces")
	case MetricCPU:
		return m(UnitPercent, KindGauge, BetterLower, "CPU busy")
	case MetricMem:
		return m(UnitPercent, KindGauge, BetterLower, "memory used")
	case MetricSwap:
		return m(UnitPercent, KindGauge, BetterLower, "swap used")
	case MetricLoad1:
		return m(UnitNone, KindGauge, BetterLower, "load average, 1 minute")
	case MetricLoad5:
		return m(UnitNone, KindGauge, BetterLower, "load average, 5 minutes")
	case MetricLoad15:
		return m(UnitNone, KindGauge, BetterLower, "load average, 15 minutes")
	case MetricLoadPerCore:
		return m(UnitNone, KindGauge, BetterLower, "1-minute load per logical core")
	case MetricTempMax:
		return m(UnitCelsius, KindGauge, BetterLower, "hottest sensor")
	case MetricDiskMax:
		return m(UnitPercent, KindGauge, BetterLower, "fullest filesystem")
	case MetricDisk:
		return m(UnitPercent, KindGauge, BetterLower, "filesystem used")
	}
	return Metric{}, false
}

// DefaultPrimary is the metric that best sums up a check of a kind until
// its first result names one (Outcome.Primary).
func DefaultPrimary(kind string) string {
	switch kind {
	case CheckICMP:
		return MetricRTTAvg
	case CheckHTTP, CheckDNS:
		return MetricLatency
	case CheckTCP:
		return MetricConnect
	case CheckTLS:
		return MetricCertDays
	case CheckSNMP:
		return MetricInBps
	case CheckHost:
		return MetricCPU
	}
	return ""
}

// Describe words a probe's summary the one way every kind does: what is
// wrong first, then the facts measured, "latency 801 ms >= warn 300 ms —
// HTTP 200 in 801 ms"; the facts alone when nothing is wrong.
func Describe(reasons []string, facts string) string {
	switch {
	case len(reasons) == 0:
		return facts
	case facts == "":
		return strings.Join(reasons, "; ")
	}
	return strings.Join(reasons, "; ") + " — " + facts
}

// CustomMetrics declares the metrics a check's config names itself: the
// custom OIDs of an snmp check that read a number (a string compared with
// expect gives none). Nil for other checks.
func (c *Check) CustomMetrics() []Metric {
	var out []Metric
	for i := range c.OIDs {
		o := &c.OIDs[i]
		if o.Expect != "" {
			continue
		}
		m := Metric{Name: o.Name, UnitText: o.Unit, Kind: KindGauge, Better: BetterLower, Help: "SNMP " + o.OID}
		if o.Below {
			m.Better = BetterHigher
		}
		if o.Rate {
			m.UnitText += "/s"
		}
		out = append(out, m)
	}
	return append(out, c.profileMetrics()...)
}

// Metric returns the declaration of one of the check's metrics: one its
// config declares, else the common table.
func (c *CheckState) Metric(name string) (Metric, bool) {
	if m, ok := lookupCustom(c.Custom, name); ok {
		return m, true
	}
	return LookupMetric(name)
}
