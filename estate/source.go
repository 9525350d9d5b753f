// Package estate draws one estate-wide view from what sharded pollers
// export: their series in Prometheus and their alerts in Alertmanager.
// Fetch reads both and builds a model.Snapshot by hand, so the TUI's
// panes, banner and triage draw it unchanged; the pollers keep the
// judgement (soft/hard, dependencies, root causes), the view only shows it.
package estate

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Source says where the estate is read from.
type Source struct {
	// Prom and AM are the base URLs of Prometheus and Alertmanager
	// (http://host:port); AM may be "" (no problem summaries, no acks).
	Prom, AM string
	// Match is a label selector, '{site="a"}', that limits the view
	// (drill-down); "" is the whole estate.
	Match string
	// StaleAfter is how old a site's last report may be before the site
	// is stale; 0 is DefaultStaleAfter (two 15 s scrape intervals).
	StaleAfter time.Duration
}

// DefaultStaleAfter is two scrape intervals of the recipe's 15 s.
const DefaultStaleAfter = 30 * time.Second

// Stats count what one Fetch cost: Prometheus queries and the bytes of
// their answers, Alertmanager requests and theirs. Bytes are the answers
// as read, after Go's transport undid any gzip: the JSON decoded, not
// the wire's count.
type Stats struct {
	Queries    int
	Bytes      int64
	AMRequests int
	AMBytes    int64
}

// Sentinel errors callers act on: the view keeps its last good snapshot on
// ErrPrometheus and shows the snapshot without summaries on ErrAlertmanager.
var (
	ErrPrometheus   = errors.New("prometheus")
	ErrAlertmanager = errors.New("alertmanager")
	ErrMatch        = errors.New("bad --match")
)

// matchers returns the inside of a selector, `site="a"`, to splice into
// each query's own selector; "" for none. Prometheus parses it: a bad
// matcher comes back as its parse error, naming the query.
func matchers(match string) (string, error) {
	m := strings.TrimSpace(match)
	if m == "" {
		return "", nil
	}
	if !strings.HasPrefix(m, "{") || !strings.HasSuffix(m, "}") {
		return "", fmt.Errorf("%w %q: want label matchers in braces, e.g. '{site=\"a\"}'", ErrMatch, match)
	}
	inner := strings.TrimSpace(m[1 : len(m)-1])
	if strings.ContainsAny(inner, "{}") {
		return "", fmt.Errorf("%w %q: one selector, no nested braces", ErrMatch, match)
	}
	return strings.TrimSuffix(inner, ","), nil
}

// selector is metric{inner, extra...}.
func selector(metric, inner string, extra ...string) string {
	parts := make([]string, 0, 1+len(extra))
	if inner != "" {
		parts = append(parts, inner)
	}
	parts = append(parts, extra...)
	return metric + "{" + strings.Join(parts, ",") + "}"
}

// CheckMatch says whether a --match is well formed (braces around label
// matchers); Prometheus judges the matchers themselves at the first query.
func CheckMatch(match string) error {
	_, err := matchers(match)
	return err
}
