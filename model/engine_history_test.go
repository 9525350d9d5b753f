package model

import (
	"fmt"
	"math"
	"testing"
	"time"
)

// Every view the ring hands out keeps reading what it read, through
// compactions and metrics that appear later; the newest view holds the
// last n results with their own values.
func TestHistoryRingViewsStable(t *testing.T) {
	for _, n := range []int{1, 2, 5, 120} {
		ring := newHistoryRing(n)
		var names []string
		type seen struct {
			h    History
			upto int
		}
		var views []seen
		t0 := time.Unix(1_700_000_000, 0)
		for i := 1; i <= 6*n+37; i++ {
			m := map[string]float64{"a": float64(i)}
			if i%3 == 0 {
				m["b"] = float64(-i) // appears in some results only
			}
			if i > 2*n {
				m[fmt.Sprint("late", i%4)] = float64(i) // new columns later
			}
			names = ring.push(names, t0.Add(time.Duration(i)*time.Second), StatusOK, time.Duration(i)*time.Millisecond, m)
			views = append(views, seen{ring.view(names), i})
		}
		for _, v := range views {
			want := min(v.upto, n)
			if v.h.Len() != want {
				t.Fatalf("n=%d view up to %d: %d samples, want %d", n, v.upto, v.h.Len(), want)
			}
			for j := range v.h.Len() {
				seq := v.upto - want + 1 + j
				s := v.h.Sample(j)
				a, ok := v.h.Value(j, "a")
				b, okb := v.h.Value(j, "b")
				if !ok || a != float64(seq) || !s.At.Equal(t0.Add(time.Duration(seq)*time.Second)) ||
					s.Duration != time.Duration(seq)*time.Millisecond || okb != (seq%3 == 0) || (okb && b != float64(-seq)) {
					t.Fatalf("n=%d view up to %d sample %d (seq %d): a=%v(%v) b=%v(%v) at=%v dur=%v",
						n, v.upto, j, seq, a, ok, b, okb, s.At, s.Duration)
				}
			}
		}
		if cap(ring.samples) > ring.max {
			t.Fatalf("n=%d: sample array grew to %d > %d", n, cap(ring.samples), ring.max)
		}
	}
}

func TestHistoryRingDurationCapped(t *testing.T) {
	ring := newHistoryRing(3)
	ring.push(nil, time.Unix(0, 0), StatusOK, 100*time.Hour, nil)
	if d := ring.view(nil).Sample(0).Duration; d != maxSampleDur.Truncate(time.Microsecond) || d < 71*time.Minute {
		t.Fatalf("a 100 h run is kept as %v", d)
	}
	if v, ok := ring.view(nil).Value(0, "x"); ok || !math.IsNaN(v) {
		t.Fatal("a metric no result had has a value")
	}
}
