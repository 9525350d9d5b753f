package main

import (
	"errors"
	"math"
	"testing"
)

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   series
		want float64
	}{
		{"one", series{4}, 4},
		{"odd, unsorted", series{3, 1, 2}, 2},
		{"even: mean of the middle two", series{4, 1, 3, 2}, 2.5},
		{"repeated", series{5, 5, 1, 5}, 5},
		{"outlier does not move it", series{1.0, 1.1, 0.9, 1.05, 40}, 1.05},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := append(series(nil), tc.in...)
			got, err := tc.in.median()
			if err != nil || got != tc.want {
				t.Errorf("median(%v) = %v, %v; want %v", tc.in, got, err, tc.want)
			}
			for i := range in { // the caller's order is kept
				if in[i] != tc.in[i] {
					t.Fatalf("median reordered its input: %v", tc.in)
				}
			}
		})
	}
	if _, err := (series{}).median(); !errors.Is(err, errNoSamples) {
		t.Errorf("median of nothing: err = %v, want errNoSamples", err)
	}
}

func TestSpan(t *testing.T) {
	lo, hi, err := series{3, -1, 7, 2}.span()
	if lo != -1 || hi != 7 || err != nil {
		t.Errorf("span = %v, %v, %v; want -1, 7", lo, hi, err)
	}
	if _, _, err := (series{}).span(); !errors.Is(err, errNoSamples) {
		t.Errorf("span of nothing: err = %v", err)
	}
}

func TestRatiosAreRoundByRound(t *testing.T) {
	got, err := ratios(series{1, 4, 9}, series{2, 2, 3})
	if err != nil {
		t.Fatal(err)
	}
	want := series{0.5, 2, 3}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("ratios = %v, want %v", got, want)
		}
	}
	if _, err := ratios(series{1, 2}, series{1}); err == nil {
		t.Error("ratios of 2 rounds to 1: no error")
	}
	if _, err := ratios(series{1}, series{0}); err == nil {
		t.Error("ratio to a zero figure: no error")
	}
}

func TestSig3(t *testing.T) {
	for _, tc := range []struct {
		in   float64
		want string
	}{
		{0, "0"},
		{32.29, "32.3"},
		{1.635, "1.64"},
		{1.6351, "1.64"},
		{0.0123456, "0.0123"},
		{0.00099, "0.000990"},
		{9.996, "10.0"},   // the carry adds a digit: one decimal less
		{99.96, "100"},    // and again
		{999.7, "1,000"},  // whole numbers get separators
		{5126.4, "5,126"}, // integer digits are never dropped
		{123456789, "123,456,789"},
		{-2.5, "-2.50"},
		{math.NaN(), "NaN"},
	} {
		if got := sig3(tc.in); got != tc.want {
			t.Errorf("sig3(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestRatioText(t *testing.T) {
	for _, tc := range []struct {
		in   float64
		want string
	}{
		{65.4, "65"},
		{10, "10"},
		{9.994, "9.99"},
		{1.25, "1.25"},
		{0.714, "0.71"},
		{0.1, "0.10"},
		{0.0719, "0.072"},
		{0.051, "0.051"},
		{0.00512, "0.0051"},
		{0, "0"},
	} {
		if got := ratioText(tc.in); got != tc.want {
			t.Errorf("ratioText(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCell(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   series
		f    func(float64) string
		unit string
		want string
	}{
		{"median and range", series{1.63, 1.65, 1.64}, sig3, "", "1.64 (1.63-1.65)"},
		{"unit after the median only", series{0.70, 0.75, 0.72}, ratioText, "x", "0.72x (0.70-0.75)"},
		{"all rounds alike: no range", series{10.9, 10.9, 10.9}, sig3, "", "10.9"},
		{"alike once printed", series{10.91, 10.94}, sig3, "", "10.9"},
		{"one round", series{3}, count, " lost", "3 lost"},
		{"even count", series{1, 2, 3, 4}, sig3, "", "2.50 (1.00-4.00)"},
		{"no rounds", nil, sig3, "", "–"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := cell(tc.in, tc.f, tc.unit); got != tc.want {
				t.Errorf("cell = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestCount(t *testing.T) {
	for in, want := range map[float64]string{0: "0", 999: "999", 1000: "1,000", 30000: "30,000", 1234567: "1,234,567", -4500: "-4,500"} {
		if got := count(in); got != want {
			t.Errorf("count(%v) = %q, want %q", in, got, want)
		}
	}
}
