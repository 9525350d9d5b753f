package model

import (
	"math"
	"testing"
)

// weightedChanges is the percent state change computed the long way: the
// verdicts oldest first, each change weighted by where it sits in a full
// window (0.8 for the oldest change of 21 results, 1.2 for the newest).
func weightedChanges(verdicts []Status) float64 {
	if len(verdicts) > FlapWindow {
		verdicts = verdicts[len(verdicts)-FlapWindow:]
	}
	weights := make([]float64, FlapWindow-1)
	for j := range weights {
		weights[j] = 0.8 + 0.4*float64(j)/float64(len(weights)-1)
	}
	sum := 0.0
	offset := len(weights) - (len(verdicts) - 1) // a short window holds the newest changes
	for i := 1; i < len(verdicts); i++ {
		if verdicts[i] != verdicts[i-1] {
			sum += weights[offset+i-1]
		}
	}
	return sum * 100 / float64(len(weights))
}

func seq(pattern string, n int) []Status {
	out := make([]Status, n)
	for i := range out {
		switch pattern[i%len(pattern)] {
		case 'o':
			out[i] = StatusOK
		case 'c':
			out[i] = StatusCritical
		case 'w':
			out[i] = StatusWarning
		}
	}
	return out
}

func TestFlapPercent(t *testing.T) {
	tests := []struct {
		name     string
		verdicts []Status
		want     float64 // 0 means: compare with weightedChanges only
		flapping bool
	}{
		{"steady OK", seq("o", 30), 0, false},
		{"steady CRITICAL", seq("c", 21), 0, false},
		{"alternating, full window", seq("oc", 21), 100, true},
		{"alternating, long run", seq("oc", 50), 100, true},
		{"alternating, 9 results", seq("oc", 9), 0, false},
		{"alternating, 10 results", seq("oc", 10), 0, true},
		{"one outage", append(seq("o", 15), seq("c", 6)...), 0, false},
		{"every third", seq("ooc", 21), 0, true},
		{"every fourth", seq("oooc", 21), 0, true},
		{"every sixth", seq("oooooc", 21), 0, false},
		{"warning and critical count as states", seq("wc", 21), 100, true},
		{"settling, still above low", append(seq("oc", 11), seq("o", 10)...), 0, true},
		{"settled", append(seq("oc", 11), seq("o", 15)...), 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := flapState{limits: FlapLimits{High: DefaultFlapHigh, Low: DefaultFlapLow}}
			for _, st := range tt.verdicts {
				f.push(st)
				f.judge()
			}
			want := weightedChanges(tt.verdicts)
			if tt.want != 0 && math.Abs(want-tt.want) > 0.01 {
				t.Fatalf("reference %v, table says %v", want, tt.want)
			}
			if math.Abs(float64(f.pct)-want) > 0.01 {
				t.Fatalf("percent %v, want %v", f.pct, want)
			}
			if f.on != tt.flapping {
				t.Fatalf("flapping %v at %.1f%%, want %v", f.on, f.pct, tt.flapping)
			}
		})
	}
}

// TestFlapHysteresis: flapping starts at the high threshold and stops only
// below the low one, so a check hovering between them does not toggle.
func TestFlapHysteresis(t *testing.T) {
	f := flapState{limits: FlapLimits{High: 50, Low: 25}}
	var started, stopped int
	step := func(st Status) {
		f.push(st)
		if f.judge() {
			if f.on {
				started++
			} else {
				stopped++
			}
		}
	}
	for _, st := range seq("oc", 21) {
		step(st)
	}
	if !f.on || started != 1 {
		t.Fatalf("alternating: on %v started %d", f.on, started)
	}
	// Settling: the percent falls result by result; it must stay flapping
	// while between 25 and 50, and stop once below 25.
	for i := 0; f.on; i++ {
		if i > FlapWindow {
			t.Fatal("never stopped flapping")
		}
		before := f.pct
		step(StatusOK)
		if f.on && f.pct < 25 {
			t.Fatalf("still flapping at %.1f%%", f.pct)
		}
		if !f.on && before < 25 {
			t.Fatalf("stopped late: was %.1f%%", before)
		}
	}
	if f.pct >= 25 || stopped != 1 {
		t.Fatalf("stopped at %.1f%%, %d times", f.pct, stopped)
	}
	// PENDING is not a verdict.
	n := f.n
	f.push(StatusPending)
	if f.n != n {
		t.Fatal("PENDING was counted")
	}
}

// TestFlapRecentChangesWeighMore: the same number of changes counts more
// when they are recent.
func TestFlapRecentChangesWeighMore(t *testing.T) {
	pct := func(v []Status) float32 {
		var f flapState
		for _, st := range v {
			f.push(st)
		}
		return f.pct
	}
	old := pct(append(seq("oc", 8), seq("o", 13)...))
	recent := pct(append(seq("o", 13), seq("co", 8)...))
	if !(recent > old) {
		t.Fatalf("recent changes %.1f%%, old ones %.1f%%", recent, old)
	}
}

func TestFlapLimits(t *testing.T) {
	high, low, dlow := 70.0, 40.0, 10.0
	d := &Defaults{Flap: &Flap{Low: &dlow}}
	tests := []struct {
		name string
		d    *Defaults
		c    *Check
		want FlapLimits
	}{
		{"built in", &Defaults{}, &Check{}, FlapLimits{High: 50, Low: 25}},
		{"defaults", d, &Check{}, FlapLimits{High: 50, Low: 10}},
		{"check over defaults", d, &Check{Flap: &Flap{High: &high, Low: &low}}, FlapLimits{High: 70, Low: 40}},
		{"check inherits a side", d, &Check{Flap: &Flap{High: &high}}, FlapLimits{High: 70, Low: 10}},
		{"off", d, &Check{Flap: &Flap{Off: true}}, FlapLimits{High: 50, Low: 10, Off: true}},
	}
	for _, tt := range tests {
		if got := FlapLimitsOf(tt.d, tt.c); got != tt.want {
			t.Errorf("%s: %+v, want %+v", tt.name, got, tt.want)
		}
	}
	f := flapState{limits: FlapLimits{High: 50, Low: 25, Off: true}}
	for _, st := range seq("oc", 21) {
		f.push(st)
		f.judge()
	}
	if f.on {
		t.Fatal("flap = { off = true } flapped")
	}
}
