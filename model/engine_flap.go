package model

import (
	"fmt"
	"time"
)

// flapState detects a check that keeps changing state (Nagios's percent
// state change): the last FlapWindow verdicts, 3 bits each, newest in the
// low bits, so 21 of them fit one word.
type flapState struct {
	bits   uint64
	n      uint8 // verdicts held, at most FlapWindow
	on     bool  // flapping: from reaching limits.High until below limits.Low
	pct    float32
	limits FlapLimits
}

// push records a verdict (PENDING is no verdict) and returns the new percent.
func (f *flapState) push(st Status) {
	if st == StatusPending {
		return
	}
	f.bits = (f.bits<<3 | uint64(st&7)) & (1<<(3*FlapWindow) - 1)
	if f.n < FlapWindow {
		f.n++
	}
	f.pct = float32(f.percent())
}

// percent weighs each change between consecutive verdicts from 0.8 (the
// oldest of a full window) to 1.2 (the newest), so recent changes count
// more, and divides by the changes a full window can hold: until 21
// results are in, only a check changing nearly every time reaches 50%.
func (f *flapState) percent() float64 {
	const changes = FlapWindow - 1
	var sum float64
	for k := 0; k+1 < int(f.n); k++ { // k = 0 is the newest change
		if (f.bits>>(3*k))&7 != (f.bits>>(3*(k+1)))&7 {
			sum += 0.8 + 0.4*float64(changes-1-k)/float64(changes-1)
		}
	}
	return sum * 100 / changes
}

// judge turns the percent into flapping or not, with hysteresis; it reports
// whether that changed.
func (f *flapState) judge() bool {
	was := f.on
	switch {
	case f.limits.Off || f.limits.High <= 0:
		f.on = false
	case !f.on && f.pct >= f.limits.High:
		f.on = true
	case f.on && f.pct < f.limits.Low:
		f.on = false
	}
	return f.on != was
}

// noteFlap runs a check's verdict through flap detection and emits an
// event when the check starts or stops flapping; the asset's flag and the
// tally follow.
func (e *Engine) noteFlap(c *checkRT, st Status, known time.Time) {
	if e.opts.OneShot {
		return
	}
	c.flap.push(st)
	if !c.flap.judge() {
		return
	}
	l := c.flap.limits
	summary := fmt.Sprintf("stopped at %.0f%% state change over the last %d results (below %g%%)", c.flap.pct, c.flap.n, l.Low)
	if c.flap.on {
		summary = fmt.Sprintf("started at %.0f%% state change over the last %d results (high %g%%); notifications wait until it settles", c.flap.pct, c.flap.n, l.High)
	}
	e.emit(Event{
		At: known, Kind: EventFlapping, Asset: c.key.Asset, Check: c.key.Check,
		From: c.Status, To: c.Status, Hard: c.Hard, Summary: summary,
	})
	e.refreshFlapping(c.asset)
}

// refreshFlapping sets an asset's flag from its checks and keeps
// Tally.Flapping in step.
func (e *Engine) refreshFlapping(ai int) {
	a := &e.assets[ai]
	on := false
	for _, ci := range a.checks {
		on = on || e.checks[ci].flap.on
	}
	if on == a.flapping {
		return
	}
	a.flapping = on
	if on {
		e.tally.Flapping++
	} else {
		e.tally.Flapping--
	}
	e.markAsset(ai)
}

// recountFlapping sets an asset's flag from its checks and counts it in
// the tally, after a resume or a reload rebuilt both.
func (e *Engine) recountFlapping(ai int) {
	a := &e.assets[ai]
	a.flapping = false
	for _, ci := range a.checks {
		a.flapping = a.flapping || e.checks[ci].flap.on
	}
	if a.flapping {
		e.tally.Flapping++
	}
}

// seedFlap replays a resumed check's latest results, so a check that was
// flapping before a restart still is (quietly: a resume is no news).
func seedFlap(f *flapState, samples []Sample) {
	if len(samples) > FlapWindow {
		samples = samples[len(samples)-FlapWindow:]
	}
	for _, s := range samples {
		f.push(s.Status)
		f.judge()
	}
}
