package probes

import (
	"testing"
	"time"
)

// After a burst, reserved slots are spaced by the gap: the k-th slot is no
// earlier than start + (k-burst) gaps, however fast reserve is called.
func TestSendPacerSpacesSlots(t *testing.T) {
	const pps, burst = 1000, 4
	p := newSendPacer(pps, burst)
	gap := time.Second / pps
	start := time.Now()
	prev := time.Time{}
	for k := range 50 {
		at, ok := p.reserve(start.Add(time.Hour))
		if !ok {
			t.Fatalf("slot %d refused", k)
		}
		if lo := start.Add(time.Duration(k-burst) * gap); at.Before(lo) {
			t.Fatalf("slot %d at %v after start, want >= %v", k, at.Sub(start), lo.Sub(start))
		}
		if at.Before(prev) {
			t.Fatalf("slot %d (%v) before slot %d (%v)", k, at.Sub(start), k-1, prev.Sub(start))
		}
		prev = at
	}
	// 50 slots at 1000/s with a burst of 4 reach at least 45 ms out.
	if prev.Sub(start) < 45*time.Millisecond {
		t.Fatalf("last of 50 slots %v after start, want >= 45ms", prev.Sub(start))
	}
}

func TestSendPacerUncapped(t *testing.T) {
	for _, p := range []*sendPacer{nil, newSendPacer(0, 64)} {
		before := time.Now()
		for range 1000 {
			if at, ok := p.reserve(before.Add(time.Hour)); !ok || at.After(time.Now()) || at.Before(before) {
				t.Fatalf("uncapped pacer gave slot %v, want now", at.Sub(before))
			}
		}
	}
}

// A slot at or after the caller's limit is refused and not booked: a
// thousand refusals leave the burst intact.
func TestSendPacerRefusalBooksNothing(t *testing.T) {
	const burst = 8
	p := newSendPacer(1000, burst)
	for range 1000 {
		if at, ok := p.reserve(time.Now().Add(-time.Second)); ok {
			t.Fatalf("slot %v granted before a limit in the past", at)
		}
	}
	for k := range burst {
		at, ok := p.reserve(time.Now().Add(time.Hour))
		if now := time.Now(); !ok || at.After(now) {
			t.Fatalf("burst slot %d: %v in the future (ok %v) after refusals", k, at.Sub(now), ok)
		}
	}
}
