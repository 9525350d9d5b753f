package probes

import (
	"math"
	"time"
)

// counterDelta is the increase of a counter between two readings.
//
// A 32-bit counter that went back wrapped at 2^32, once: the delta is
// cur + 2^32 - prev. A delta of more than 2^31 that way is not a wrap but a
// reset (a cleared counter, a replaced line card), and gives no delta,
// as a spike would be worse than a gap (a 32-bit octet counter on a link
// fast enough to move 2 GB per poll wraps more than once and is useless
// anyway: that is what the 64-bit ifHC counters are for).
//
// A 64-bit counter never wraps in practice (584 years at 1 Tb/s), so
// going back is a discontinuity: no delta.
func counterDelta(prev, cur uint64, bits64 bool) (uint64, bool) {
	if cur >= prev {
		return cur - prev, true
	}
	if bits64 || prev > math.MaxUint32 || cur > math.MaxUint32 {
		return 0, false
	}
	d := cur + 1<<32 - prev
	if d > 1<<31 {
		return 0, false
	}
	return d, true
}

// perSecond turns a counter pair into a rate per second; NaN when there is
// no delta (first poll, reset, discontinuity) or no time passed.
func perSecond(prev, cur uint64, bits64 bool, elapsed time.Duration) float64 {
	if elapsed <= 0 {
		return math.NaN()
	}
	d, ok := counterDelta(prev, cur, bits64)
	if !ok {
		return math.NaN()
	}
	return float64(d) / elapsed.Seconds()
}

// counterSample is one reading of a custom counter OID.
type counterSample struct {
	value  uint64
	bits64 bool
}
