package probes

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"noctop/model"
)

// How reasons show what a probe measured or received: durations, lists,
// a peer's bytes.

// listSome is how a reason names a few of many: the first n items joined
// with sep, and a count of the rest. Names read "a, b and 3 more"; reasons,
// which hold commas of their own, are joined with "; " and read "x; y; and
// 3 more".
func listSome(items []string, n int, sep string) string {
	if len(items) <= n {
		return strings.Join(items, sep)
	}
	return strings.Join(items[:n], sep) + strings.TrimRight(sep, ", ") + fmt.Sprintf(" and %d more", len(items)-n)
}

// quoteSome quotes at most n bytes of b, escaping what is not printable,
// and marks a cut as model.Clip does: "220 mail ready\r\n" or
// "HTTP/1.1 400 Bad"… (1200 bytes).
func quoteSome(b []byte, n int) string {
	if len(b) == 0 {
		return "nothing"
	}
	s := model.Clip(string(b), n)
	if len(s) == len(b) {
		return strconv.Quote(s)
	}
	i := strings.LastIndex(s, "… (") // the marker Clip appended
	return strconv.Quote(s[:i]) + s[i:]
}

// msOf is a duration in milliseconds, for metrics.
func msOf(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// fmtMS prints a duration the way reasons show it: "12 ms", "3.4 ms",
// "0.35 ms".
func fmtMS(d time.Duration) string {
	switch v := msOf(d); {
	case v >= 10:
		return strconv.FormatFloat(math.Round(v), 'f', 0, 64) + " ms"
	case v >= 1:
		return strings.TrimSuffix(strconv.FormatFloat(v, 'f', 1, 64), ".0") + " ms"
	default:
		return model.FormatValue(v, "ms")
	}
}
