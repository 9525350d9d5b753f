package model

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Limits is a config threshold pair on a plain number, e.g.
// `loss = { warn = 20, crit = 60 }`. Either side may be left out.
type Limits struct {
	Warn *float64 `toml:"warn"`
	Crit *float64 `toml:"crit"`
}

// DurationLimits is a threshold pair on a duration, e.g.
// `rtt = { warn = "50ms", crit = "200ms" }`.
type DurationLimits struct {
	Warn Duration `toml:"warn"`
	Crit Duration `toml:"crit"`
}

// Threshold is a normalised threshold: values at or beyond Warn are WARNING,
// at or beyond Crit are CRITICAL. "Beyond" means above, or below when Below
// is set (days left, battery charge).
type Threshold struct {
	Warn, Crit       float64
	HasWarn, HasCrit bool
	Below            bool
	Unit             string // "ms", "%", "d", "" — used only to print reasons
}

// Threshold turns config limits into a threshold with the given unit.
func (l *Limits) Threshold(unit string, below bool) Threshold {
	t := Threshold{Unit: unit, Below: below}
	if l == nil {
		return t
	}
	if l.Warn != nil {
		t.Warn, t.HasWarn = *l.Warn, true
	}
	if l.Crit != nil {
		t.Crit, t.HasCrit = *l.Crit, true
	}
	return t
}

// Threshold turns duration limits into a threshold in milliseconds.
func (l *DurationLimits) Threshold() Threshold {
	t := Threshold{Unit: "ms"}
	if l == nil {
		return t
	}
	if l.Warn.Set() {
		t.Warn, t.HasWarn = ms(l.Warn.Duration), true
	}
	if l.Crit.Set() {
		t.Crit, t.HasCrit = ms(l.Crit.Duration), true
	}
	return t
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// Ordered reports whether warn is no worse than crit (when both are set).
func (t Threshold) Ordered() bool {
	if !t.HasWarn || !t.HasCrit {
		return true
	}
	if t.Below {
		return t.Warn >= t.Crit
	}
	return t.Warn <= t.Crit
}

func (t Threshold) beyond(v, limit float64) bool {
	if t.Below {
		return v <= limit
	}
	return v >= limit
}

// Eval returns the status of a measured value. NaN (not measured) is OK: a
// probe reports missing data in its own reason, not as a threshold breach.
func (t Threshold) Eval(v float64) Status {
	if math.IsNaN(v) {
		return StatusOK
	}
	if t.HasCrit && t.beyond(v, t.Crit) {
		return StatusCritical
	}
	if t.HasWarn && t.beyond(v, t.Warn) {
		return StatusWarning
	}
	return StatusOK
}

// Judge evaluates a value and, when it breaches, returns a reason such as
// "rtt 230 ms >= crit 200 ms" or "days left 5 d <= warn 30 d". The reason is
// empty when the value is within limits.
func (t Threshold) Judge(name string, v float64) (Status, string) {
	s := t.Eval(v)
	if s == StatusOK {
		return s, ""
	}
	limit, level := t.Warn, "warn"
	if s == StatusCritical {
		limit, level = t.Crit, "crit"
	}
	op := ">="
	if t.Below {
		op = "<="
	}
	return s, fmt.Sprintf("%s %s %s %s %s", name, FormatValue(v, t.Unit), op, level, FormatValue(limit, t.Unit))
}

// FormatValue prints a number with its unit the way reasons show them:
// "0.05 ms", "230 ms", "40%", "12 d".
func FormatValue(v float64, unit string) string {
	var n string
	switch a := math.Abs(v); {
	case a == math.Trunc(a) && a < 1e15:
		n = strconv.FormatFloat(v, 'f', 0, 64)
	case a >= 100:
		n = strconv.FormatFloat(v, 'f', 0, 64)
	case a >= 10:
		n = strconv.FormatFloat(v, 'f', 1, 64)
	case a >= 1:
		n = strconv.FormatFloat(v, 'f', 2, 64)
	default:
		n = strconv.FormatFloat(v, 'g', 2, 64)
	}
	n = strings.TrimSuffix(n, ".0")
	switch unit {
	case "":
		return n
	case "%":
		return n + "%"
	}
	return n + " " + unit
}

// Verdict collects threshold judgements into one status and reason list.
type Verdict struct {
	Status  Status
	Reasons []string
}

// NewVerdict starts an OK verdict.
func NewVerdict() Verdict { return Verdict{Status: StatusOK} }

// Judge applies one threshold to one value.
func (v *Verdict) Judge(t Threshold, name string, value float64) {
	s, reason := t.Judge(name, value)
	v.Add(s, reason)
}

// Add folds a status and reason in; the verdict keeps the worst status and
// every non-empty reason.
func (v *Verdict) Add(s Status, reason string) {
	if s.Worse(v.Status) {
		v.Status = s
	}
	if reason != "" {
		v.Reasons = append(v.Reasons, reason)
	}
}

// Reason joins the collected reasons, or returns fallback when there are none.
func (v *Verdict) Reason(fallback string) string {
	if len(v.Reasons) == 0 {
		return fallback
	}
	return strings.Join(v.Reasons, "; ")
}
