package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"noctop/model"
)

// Nothing in the UI matches on a metric's or a check kind's name: what a
// metric is comes from its declaration (CheckState.Metric), which one to
// show from CheckState.Primary or a model constant. A quoted name in the
// package's code (a family's name with its separator too) is a guess
// waiting to go stale when a probe renames a metric.
func TestNoMetricNameLiterals(t *testing.T) {
	var quoted []string
	for _, m := range model.Metrics() {
		quoted = append(quoted, `"`+m.Name+`"`, `"`+m.Name+`:`)
	}
	for _, kind := range model.CheckTypes() {
		quoted = append(quoted, `"`+kind+`"`)
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		for i, line := range strings.Split(string(src), "\n") {
			for _, q := range quoted {
				if strings.Contains(line, q) {
					t.Errorf("%s:%d: %s by name: %s", f, i+1, q, strings.TrimSpace(line))
				}
			}
		}
	}
	if checked < 20 {
		t.Fatalf("only %d files checked: not run in the package's folder?", checked)
	}
}
