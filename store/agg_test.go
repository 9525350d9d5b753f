package store

import (
	"math"
	"testing"
)

// Rollup values read back as written, whatever mix of absent, constant
// and varying columns, and a damaged tail reads as absent columns.
func TestStatsRoundTrip(t *testing.T) {
	in := bucketStats{
		{count: 2, min: 3, max: 3, avg: 3},
		{},
		{count: 300, min: -1.5, max: 7, avg: 2.25},
		{count: 1, min: float32(math.Inf(1)), max: float32(math.Inf(1)), avg: float32(math.Inf(1))},
		{},
	}
	b := in.encode()
	out := decodeStats(b)
	if len(out) != 4 {
		t.Fatalf("%d columns, want 4 (the trailing absent one cut)", len(out))
	}
	for j := range 5 {
		if got := statAt(b, j); got != in[j] {
			t.Errorf("column %d = %+v, want %+v", j, got, in[j])
		}
		if j < len(out) && out[j] != in[j] {
			t.Errorf("decoded column %d = %+v, want %+v", j, out[j], in[j])
		}
	}
	if len(b) != 6+1+(1+2+12)+6 {
		t.Errorf("%d bytes", len(b))
	}
	if got := decodeStats(b[:len(b)-2]); len(got) != 3 {
		t.Errorf("cut short: %d columns, want the 3 whole ones", len(got))
	}
}

// FuzzDecodeStats: no damaged vals makes the reader panic.
func FuzzDecodeStats(f *testing.F) {
	f.Add(bucketStats{{count: 2, min: 1, max: 2, avg: 1.5}, {}, {count: 1, min: 3, max: 3, avg: 3}}.encode())
	f.Add([]byte{tagFull, 0x80})
	f.Fuzz(func(t *testing.T, b []byte) {
		st := decodeStats(b)
		for j := range len(st) + 1 {
			_ = statAt(b, j)
		}
	})
}
