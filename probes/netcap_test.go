package probes

import (
	"fmt"
	"strings"
	"testing"

	"noctop/model"
)

// Tests that text from hostile peers reaches outcomes cut to
// model.MaxNetText with Clip's marker, whatever its size on the wire.

// clipMark is what model.Clip appends to text of n bytes.
func clipMark(n int) string { return fmt.Sprintf("… (%d bytes)", n) }

// assertBounded fails when any text of o is longer than limit bytes: the
// summary, every attr, note and interface field.
func assertBounded(t *testing.T, o model.Outcome, limit int) {
	t.Helper()
	check := func(what, s string) {
		if len(s) > limit {
			t.Errorf("%s is %d bytes, want at most %d: %.80q…", what, len(s), limit, s)
		}
	}
	check("summary", o.Summary)
	for k, v := range o.Attrs {
		check("attr "+k, v)
		check("attr key", k)
	}
	for k := range o.Metrics {
		check("metric key", k)
	}
	for _, n := range o.Notes {
		check("note", n.Summary)
	}
	for _, it := range o.Interfaces {
		for _, s := range []string{it.Name, it.Alias, it.Descr, it.Reason} {
			check(fmt.Sprintf("interface %d", it.Index), s)
		}
	}
}

// clipped checks that s is text cut by model.Clip from n bytes: at most
// MaxNetText of it, then the marker.
func clipped(t *testing.T, what, s string, n int) {
	t.Helper()
	if !strings.HasSuffix(s, clipMark(n)) || len(s) > model.MaxNetText+len(clipMark(n)) {
		t.Errorf("%s = %d bytes %.60q…, want at most %d bytes then %q", what, len(s), s, model.MaxNetText, clipMark(n))
	}
}
