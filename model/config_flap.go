package model

import "fmt"

// Flap detection defaults: Nagios's service thresholds, in percent state
// change over the last FlapWindow results.
const (
	DefaultFlapHigh = 50
	DefaultFlapLow  = 25
	// FlapWindow is how many results the percent state change reads.
	FlapWindow = 21
)

// Flap tunes flap detection, in [defaults] or per check:
// `flap = { high = 50, low = 25 }`, or `flap = { off = true }`.
type Flap struct {
	High *float64 `toml:"high"`
	Low  *float64 `toml:"low"`
	Off  bool     `toml:"off"`
}

// FlapLimits are a check's effective flap thresholds: it starts flapping at
// High percent or more and stops below Low.
type FlapLimits struct {
	High, Low float32
	Off       bool
}

// FlapLimitsOf resolves a check's thresholds: its own keys, then
// [defaults]', then the built-in ones.
func FlapLimitsOf(d *Defaults, c *Check) FlapLimits {
	l := FlapLimits{High: DefaultFlapHigh, Low: DefaultFlapLow}
	for _, f := range [2]*Flap{d.Flap, c.Flap} {
		if f == nil {
			continue
		}
		if f.High != nil {
			l.High = float32(*f.High)
		}
		if f.Low != nil {
			l.Low = float32(*f.Low)
		}
		l.Off = f.Off
	}
	return l
}

// flap validates one flap table at path: each side a percent, low below
// high (after inheriting the side it does not set).
func (v *validator) flap(path string, f *Flap, inherited FlapLimits) {
	if f == nil {
		return
	}
	ok := true
	for _, side := range []struct {
		name string
		val  *float64
	}{{"high", f.High}, {"low", f.Low}} {
		if side.val != nil && (*side.val <= 0 || *side.val > 100) {
			v.errf(path+"."+side.name, ErrInvalid, "flap.%s: want a percent above 0 and at most 100, got %g", side.name, *side.val)
			ok = false
		}
	}
	if !ok || f.Off {
		return
	}
	high, low := inherited.High, inherited.Low
	if f.High != nil {
		high = float32(*f.High)
	}
	if f.Low != nil {
		low = float32(*f.Low)
	}
	if low >= high {
		at := path + ".low"
		if f.Low == nil {
			at = path + ".high"
		}
		v.errf(at, ErrThresholdOrder, "%s", fmt.Sprintf("flap: low %g%% must be below high %g%% (a check stops flapping below low)", low, high))
	}
}
