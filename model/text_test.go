package model_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"noctop/model"
)

func TestClip(t *testing.T) {
	cases := []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"exactly10!", 10, "exactly10!"},
		{"0123456789abc", 10, "0123456789… (13 bytes)"},
		{"", 0, ""},
		{"x", 0, "… (1 bytes)"},
		// "é" is two bytes: a cut inside it steps back to its start.
		{"abcé", 4, "abc… (5 bytes)"},
	}
	for _, c := range cases {
		if got := model.Clip(c.in, c.n); got != c.want {
			t.Errorf("Clip(%q, %d) = %q, want %q", c.in, c.n, got, c.want)
		}
	}
	long := strings.Repeat("日本", 40000)
	got := model.Clip(long, model.MaxNetText)
	if !utf8.ValidString(got) || len(got) > model.MaxNetText+32 {
		t.Errorf("Clip of %d bytes: %d bytes, valid UTF-8 %v", len(long), len(got), utf8.ValidString(got))
	}
}
