package ui

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// narrowRunes lists every rune narrowRune accepts.
func narrowRunes() []rune {
	var rs []rune
	for r := rune(0x80); r < 0x3000; r++ {
		if narrowRune(r) {
			rs = append(rs, r)
		}
	}
	return rs
}

// Every rune width's fast path counts as one cell is one cell and its own
// grapheme cluster for ansi.StringWidth too: alone, between letters, after
// an escape sequence, doubled, and next to other such runes.
func TestSimpleWidth(t *testing.T) {
	rs := narrowRunes()
	rng := rand.New(rand.NewPCG(1, 1))
	for i, r := range rs {
		c := string(r)
		cases := []string{c, "a" + c + "b", "\x1b[1;31m" + c + "\x1b[0m", c + c, c + " " + c}
		for range 8 {
			cases = append(cases, c+string(rs[rng.IntN(len(rs))]))
		}
		if i > 0 {
			cases = append(cases, string(rs[i-1])+c)
		}
		for _, s := range cases {
			got, ok := simpleWidth(s)
			if want := ansi.StringWidth(s); !ok || got != want {
				t.Fatalf("simpleWidth(%q) = %d, %v; ansi.StringWidth = %d", s, got, ok, want)
			}
		}
	}
	// What the dashboard draws takes the fast path.
	s := newStyles(true, false)
	line := statusCell(s, 2, "1/3") + " h00001 " + s.muted.paint("│") + sparkline([]float64{1, 2, 3, 4}, 4) + " ↓2.4M ↑1.5M ◆ ◇ ↻ ⊘ ▲ ✓ ✗ ⚒ … · — ⠋"
	if _, ok := simpleWidth(line); !ok {
		t.Errorf("a dashboard line is not counted by the fast path: %q", line)
	}
}

// width agrees with ansi.StringWidth on random strings of letters, escape
// sequences (whole, cut short, other kinds), controls, runes of the fast
// path and runes that are not (wide, combining, joiners, selectors,
// invalid UTF-8).
func TestWidthAgreesWithAnsi(t *testing.T) {
	rs := narrowRunes()
	parts := []string{"a", "Z", " ", "~", "\x1b[1;31m", "\x1b[0m", "\x1b[38;2;1;2;3m", "\x1b", "\x1b[", "\x1b[1", "\x1b]8;;http://x\x07",
		"\x1bP", "\t", "\n", "\x7f", "\x00", "数", "🔥", "\u0301", "\u200d", "\ufe0f", "\u00ad", "\xff", "\u202e", "👩‍👩‍👧", "\U0001F1EB\U0001F1F7"}
	rng := rand.New(rand.NewPCG(2, 2))
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(12) {
			if rng.IntN(2) == 0 {
				b.WriteRune(rs[rng.IntN(len(rs))])
			} else {
				b.WriteString(parts[rng.IntN(len(parts))])
			}
		}
		if s := b.String(); width(s) != ansi.StringWidth(s) {
			t.Fatalf("width(%q) = %d, ansi.StringWidth = %d", s, width(s), ansi.StringWidth(s))
		}
	}
}

func FuzzWidth(f *testing.F) {
	for _, s := range []string{"", "plain", "\x1b[1;31m✗ CRIT\x1b[0m 1/3", "▁▂▃█ │ ◆ROOT", "数据 🔥", "e\u0301", "\x1b[", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := width(s), ansi.StringWidth(s); got != want {
			t.Fatalf("width(%q) = %d, ansi.StringWidth = %d", s, got, want)
		}
	})
}
