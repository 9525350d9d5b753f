package model

import (
	"testing"
	"time"
)

func TestLagHistogramQuantiles(t *testing.T) {
	var h lagHistogram
	for range 98 {
		h.add(3 * time.Millisecond) // bucket 2-5 ms
	}
	h.add(700 * time.Millisecond) // 500 ms-1 s
	h.add(4 * time.Second)        // 2.5-5 s
	st := lagStats(&h, &lagHistogram{})
	if st.Runs != 100 || st.P50 != 5*time.Millisecond || st.P99 != time.Second || st.Max != 4*time.Second || st.Slow() {
		t.Errorf("stats %+v", st)
	}
	h.add(-time.Second) // a run that started early counts as on time
	h.add(2 * time.Hour)
	st = lagStats(&h, &lagHistogram{})
	if st.Max != 2*time.Hour || st.Runs != 102 {
		t.Errorf("after an early and a very late run: %+v", st)
	}
	var one lagHistogram
	one.add(300 * time.Microsecond)
	if st := lagStats(&one, &lagHistogram{}); st.P99 != 300*time.Microsecond || st.P50 != 300*time.Microsecond {
		t.Errorf("a quantile never exceeds the max: %+v", st)
	}
}

// The engine keeps the lag of scheduled runs over one to two minutes of
// its clock; runs without a due time (rechecks, check) do not count.
func TestEngineLagOnFakeClock(t *testing.T) {
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	cfg := &Config{Assets: []Asset{{Name: "a", Address: "127.0.0.1", Checks: []Check{{Type: CheckTCP, Retries: 1}}}}}
	cfg.ApplyDefaults()
	e := NewEngine(cfg, EngineOptions{Now: func() time.Time { return now }})
	run := func(lag time.Duration, scheduled bool) {
		r := Result{Key: CheckKey{Asset: "a", Check: "tcp"}, At: now, Outcome: Outcome{Status: StatusOK, Summary: "ok"}}
		if scheduled {
			r.Due = now.Add(-lag)
		}
		e.applyResult(r)
	}
	for range 50 {
		run(2*time.Second, true)
	}
	run(time.Hour, false) // a recheck: no due time, no lag
	if st := e.buildSnapshot().Lag; st.Runs != 50 || st.P99 != 2*time.Second || !st.Slow() {
		t.Fatalf("first minute: %+v", st)
	}
	now = now.Add(70 * time.Second) // the next window: the slow minute is still counted
	for range 50 {
		run(time.Millisecond, true)
	}
	if st := e.buildSnapshot().Lag; st.Runs != 100 || st.P50 != time.Millisecond || !st.Slow() {
		t.Fatalf("second minute: %+v", st)
	}
	now = now.Add(60 * time.Second) // the slow minute has left the window
	if st := e.buildSnapshot().Lag; st.Runs != 50 || st.Slow() {
		t.Fatalf("third minute: %+v", st)
	}
	now = now.Add(10 * time.Minute) // quiet: nothing counted
	if st := e.buildSnapshot().Lag; st.Runs != 0 || st.P99 != 0 {
		t.Fatalf("after a quiet spell: %+v", st)
	}
}

// The totals keep counting when the windows rotate: every run since the
// engine started, in the window's buckets, for a Prometheus histogram.
func TestEngineLagTotals(t *testing.T) {
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	var l lagClock
	l.note(now, 3*time.Millisecond)             // bucket 2 (2-5 ms]
	l.note(now, -time.Second)                   // early: bucket 0
	l.note(now.Add(5*time.Minute), 2*time.Hour) // past the last bound
	st := l.stats(now.Add(5 * time.Minute))
	if st.Runs != 1 {
		t.Fatalf("window after a gap: %+v", st)
	}
	tot := st.Total
	if tot.Runs != 3 || tot.Buckets[0] != 1 || tot.Buckets[2] != 1 || tot.Buckets[len(tot.Buckets)-1] != 1 ||
		tot.Sum != 2*time.Hour+3*time.Millisecond {
		t.Errorf("totals %+v", tot)
	}
	if len(LagBounds())+1 != len(tot.Buckets) {
		t.Errorf("%d bounds for %d buckets", len(LagBounds()), len(tot.Buckets))
	}
}
