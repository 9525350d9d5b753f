package traps

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// bucket is a token bucket: it holds up to burst tokens and gains rate per
// second; each trap takes one. (golang.org/x/time/rate would do the same in
// a dependency; this is a dozen lines, owned by one goroutine, no lock.)
type bucket struct {
	tokens float64
	last   time.Time
}

func (b *bucket) allow(now time.Time, rate float64, burst int) bool {
	if b.last.IsZero() {
		b.tokens = float64(burst)
	} else if dt := now.Sub(b.last).Seconds(); dt > 0 {
		b.tokens = min(float64(burst), b.tokens+dt*rate)
	}
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// source is what the receiver remembers about one sending address.
type source struct {
	from     string // the address as reported
	asset    string // the asset at that address, if any
	bucket   bucket
	lastSeen time.Time
	// limited counts the traps the bucket refused since the last summary;
	// busy the events the engine had no room for.
	limited, busy uint64
	// failures counts rejected messages by reason (at most maxReasons
	// of them) since the last report; failSince is when the first of them
	// came; failReported is when the last report went out (zero: never).
	failures                tally
	failSince, failReported time.Time
}

// idle reports whether the source has nothing to report and has not been
// heard from since before cutoff, so that it can be forgotten.
func (s *source) idle(cutoff time.Time) bool {
	return s.lastSeen.Before(cutoff) && s.limited == 0 && s.busy == 0 && s.failures.empty()
}

// limitSummary words the rate-limit drops of one interval, e.g. "dropped
// 4,812 traps from 127.0.0.5 in the last 10s (rate limit 20/s)".
func limitSummary(from string, limited, busy uint64, every time.Duration, rate float64) string {
	var parts []string
	if limited > 0 {
		parts = append(parts, fmt.Sprintf("dropped %s %s from %s in the last %v (rate limit %s/s)",
			thousands(limited), plural(limited, "trap"), from, every, strconv.FormatFloat(rate, 'f', -1, 64)))
	}
	if busy > 0 {
		parts = append(parts, fmt.Sprintf("%s %s from %s not recorded: the engine was busy",
			thousands(busy), plural(busy, "trap"), from))
	}
	return strings.Join(parts, "; ")
}

// failureSummary words the rejections counted since the last report,
// most frequent reason first, at most maxShownReasons of them: "dropped 12
// traps from 127.0.0.7 in the last 40s: wrong community (9), unknown v3
// user "bob" (3)", or for one trap "dropped a trap from 127.0.0.7: wrong
// community". The rest are "other reasons (N)". Reasons are clipped
// (rejection), so it is bounded; notify clips the whole event.
func failureSummary(from string, t *tally, since time.Duration) string {
	counts := slices.Clone(t.counts)
	slices.SortFunc(counts, func(a, b reasonCount) int {
		return cmp.Or(cmp.Compare(b.n, a.n), strings.Compare(a.reason, b.reason))
	})
	total := t.total()
	if total == 1 && len(counts) == 1 {
		return fmt.Sprintf("dropped a trap from %s: %s", from, counts[0].reason)
	}
	parts := make([]string, 0, maxShownReasons+1)
	other := t.other
	for i, c := range counts {
		if i < maxShownReasons {
			parts = append(parts, fmt.Sprintf("%s (%s)", c.reason, thousands(c.n)))
		} else {
			other += c.n
		}
	}
	if other > 0 {
		parts = append(parts, fmt.Sprintf("other reasons (%s)", thousands(other)))
	}
	return fmt.Sprintf("dropped %s %s from %s in the last %v: %s", thousands(total), plural(total, "trap"), from,
		max(since.Round(time.Second), time.Second), strings.Join(parts, ", "))
}

func plural(n uint64, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// thousands writes n with comma separators: 4812 -> "4,812".
func thousands(n uint64) string {
	s := strconv.FormatUint(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
