package model_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"noctop/model"
)

// With `ulimit -n 64` and 500 checks every check failed with "too many open
// files" and logged it; the engine reports it once a minute with a count.
func TestLocalProblemReportedOncePerMinute(t *testing.T) {
	const n = 500
	cfg := &model.Config{}
	for i := range n {
		cfg.Assets = append(cfg.Assets, asset(fmt.Sprint("web", i), nil, checkRetries("http", 1)))
	}
	r := startEngine(t, cfg, model.EngineOptions{})
	local := func(i int, at time.Time) {
		r.submit(model.Result{Key: model.CheckKey{Asset: fmt.Sprint("web", i), Check: "http"}, At: at,
			Outcome: model.Outcome{Status: model.StatusUnknown, Summary: "local: too many open files", Local: true}})
	}
	for i := range n {
		r.result(fmt.Sprint("web", i), "http", ok, "HTTP 200")
	}
	start := t0.Add(time.Hour)
	for i := range n {
		local(i, start.Add(time.Duration(i)*50*time.Millisecond)) // 25 s of failures
	}
	for i := range n / 2 {
		local(i, start.Add(30*time.Second)) // still failing: no change, no count
	}
	s := r.sync()
	if got := s.Count(model.StatusUnknown); got != n {
		t.Fatalf("%d UNKNOWN assets, want %d: the checks keep their verdict", got, n)
	}
	events := func(s *model.Snapshot) []model.Event {
		var out []model.Event
		for _, ev := range s.Events {
			if ev.Seq > uint64(0) && !ev.At.Before(start) {
				out = append(out, ev)
			}
		}
		return out
	}
	got := events(s)
	if len(got) != 1 || got[0].Kind != model.EventLocal || !strings.Contains(got[0].Summary, "too many open files") {
		t.Fatalf("events after the first minute: %+v, want one local report", got)
	}

	// A minute on, the next change (web0 recovers, briefly) brings the
	// count; then all recover and one line says it is over.
	r.submit(model.Result{Key: model.CheckKey{Asset: "web0", Check: "http"}, At: start.Add(70 * time.Second),
		Outcome: model.Outcome{Status: model.StatusOK, Summary: "HTTP 200"}})
	local(0, start.Add(71*time.Second))
	for i := range n {
		r.submit(model.Result{Key: model.CheckKey{Asset: fmt.Sprint("web", i), Check: "http"}, At: start.Add(80 * time.Second),
			Outcome: model.Outcome{Status: model.StatusOK, Summary: "HTTP 200"}})
	}
	got = events(r.sync())
	var sums []string
	for _, ev := range got {
		if ev.Kind != model.EventLocal {
			t.Errorf("a check or asset event leaked: %+v", ev)
		}
		sums = append(sums, ev.Summary)
	}
	want := []string{
		"local problem on this machine: local: too many open files (checks affected are UNKNOWN; reported once a minute)",
		"local problem goes on: local: too many open files (499 checks hit, 1 recovered in 1m10s; 499 affected now)",
		"local problem over: 500 checks recovered",
	}
	if strings.Join(sums, "\n") != strings.Join(want, "\n") {
		t.Errorf("local reports:\n%s\nwant:\n%s", strings.Join(sums, "\n"), strings.Join(want, "\n"))
	}
}
