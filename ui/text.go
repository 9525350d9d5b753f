package ui

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Clean makes text safe to print in a terminal, as the dashboard does
// (see clean), for `noctop check`.
func Clean(s string) string { return clean(s) }

// clean makes untrusted text (names from a config, summaries from a
// device) safe for one terminal line: control characters, invalid UTF-8,
// line separators and invisible format characters (bidi overrides such as
// U+202E, zero-width spaces and joiners, U+FEFF: Unicode category Cf) are
// shown escaped (\x1b, \n, \u202e), so a name can neither move the cursor,
// wrap, reorder what follows it nor hide part of itself. Clean text is
// returned as is, without allocating.
func clean(s string) string {
	ok := true
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && n == 1) || escaped(r) {
			ok = false
			break
		}
		i += n
	}
	if ok {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case escaped(r):
			q := strconv.QuoteRuneToASCII(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// escaped reports whether a rune must not reach the terminal as is:
// controls (C0, DEL, C1), the line and paragraph separators, and format
// characters (Cf), which are invisible or reorder the text around them.
func escaped(r rune) bool {
	if r < utf8.RuneSelf {
		return r < 0x20 || r == 0x7f
	}
	return unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Cf, r)
}

// width is the number of terminal cells s takes (escape sequences are
// free, wide characters take two).
func width(s string) int {
	if w, ok := simpleWidth(s); ok {
		return w
	}
	return ansi.StringWidth(s)
}

// simpleWidth counts the cells of the lines the dashboard draws most:
// printable ASCII, SGR-style escape sequences (ESC [ ... final) and runes
// that are one cell and their own grapheme cluster whatever surrounds them
// (narrowRune). ansi.StringWidth finds the grapheme clusters one by one,
// ten times slower per line; it gets any other string (ok false).
func simpleWidth(s string) (w int, ok bool) {
	for i := 0; i < len(s); {
		switch b := s[i]; {
		case b >= 0x20 && b < 0x7f:
			w++
			i++
		case b == 0x1b:
			if i+1 >= len(s) || s[i+1] != '[' {
				return 0, false
			}
			i += 2
			for i < len(s) && s[i] >= 0x30 && s[i] <= 0x3f { // parameters
				i++
			}
			for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f { // intermediates
				i++
			}
			if i >= len(s) || s[i] < 0x40 || s[i] > 0x7e { // final
				return 0, false
			}
			i++
		case b >= utf8.RuneSelf:
			r, n := utf8.DecodeRuneInString(s[i:])
			if !narrowRune(r) {
				return 0, false
			}
			w++
			i += n
		default:
			return 0, false // a control character
		}
	}
	return w, true
}

// narrowRune reports whether r takes one cell and never joins a
// neighbour into one grapheme cluster (no combining marks, joiners,
// variation selectors or emoji that take two cells): Latin letters, the
// punctuation, arrows, box drawing, blocks, shapes and marks the dashboard
// draws with. TestSimpleWidth checks every one against ansi.StringWidth.
func narrowRune(r rune) bool {
	switch {
	case r >= 0xa0 && r <= 0x2ff:
		return r != 0xad // a soft hyphen takes no cell
	case r >= 0x2010 && r <= 0x2027, r >= 0x2030 && r <= 0x205e, r >= 0x2070 && r <= 0x20cf:
		return true
	case r >= 0x2100 && r <= 0x2318, r >= 0x23f4 && r <= 0x25fc:
		return true
	case r >= 0x2690 && r <= 0x2692, r >= 0x270c && r <= 0x2727, r >= 0x2800 && r <= 0x28ff:
		return true
	}
	return false
}

// fit makes s exactly w cells wide: cut with an ellipsis when longer,
// padded with spaces when shorter. Escape sequences in s are kept.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := width(s)
	if sw > w {
		s = ansi.Truncate(s, w, "…")
		sw = width(s)
	}
	if sw < w {
		s += spaces(w - sw)
	}
	return s
}

// fitRight is fit with the text aligned to the right.
func fitRight(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := width(s)
	if sw > w {
		return ansi.Truncate(s, w, "…")
	}
	return spaces(w-sw) + s
}

// cut shortens s to at most w cells with an ellipsis, without padding.
func cut(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if width(s) <= w {
		return s
	}
	return ansi.Truncate(s, w, "…")
}

const blanks = "                                                                                                                                "

func spaces(n int) string {
	if n <= 0 {
		return ""
	}
	if n <= len(blanks) {
		return blanks[:n]
	}
	return strings.Repeat(" ", n)
}

// center places s in the middle of w cells.
func center(s string, w int) string {
	sw := width(s)
	if sw >= w {
		return cut(s, w)
	}
	l := (w - sw) / 2
	return spaces(l) + s + spaces(w-sw-l)
}

// ago says how long ago t was, at minute granularity past the first minute
// so that an idle screen does not change every second.
func ago(now, t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "<1m"
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh%02dm", int(d/time.Hour), int(d%time.Hour/time.Minute))
	}
	return fmt.Sprintf("%dd", int(d/(24*time.Hour)))
}

// agoSecs is ago with seconds, for the header's "newest result" age.
func agoSecs(now, t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	d := now.Sub(t)
	if d < 0 {
		d = 0
	}
	if d < time.Minute {
		return fmt.Sprintf("%ds", int(d/time.Second))
	}
	return ago(now, t)
}

// clock formats a time of day; a zero time is a dash.
func clock(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Format("15:04:05")
}

// num formats a measurement compactly: 3 significant digits.
func num(v float64) string {
	switch {
	case math.IsNaN(v):
		return "—"
	case math.IsInf(v, 0):
		return "∞"
	case v != 0 && math.Abs(v) < 9.95: // 9.97 rounds to "10", not "10.0"
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'f', 0, 64)
}

// ms formats milliseconds.
func ms(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	if v >= 1000 {
		return strconv.FormatFloat(v/1000, 'f', 1, 64) + "s"
	}
	if v > 0 && v < 1 {
		return strconv.FormatFloat(v, 'f', 2, 64) + "ms" // loopback RTTs are tens of microseconds
	}
	return num(v) + "ms"
}

// bps formats bits per second with SI prefixes.
func bps(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	units := []string{"b", "k", "M", "G", "T"}
	i := 0
	for v >= 1000 && i < len(units)-1 {
		v /= 1000
		i++
	}
	return num(v) + units[i]
}

// plural writes "1 asset" or "3 assets".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func itoa(n int) string { return strconv.Itoa(n) }
