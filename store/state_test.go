package store

import (
	"context"
	"testing"
	"time"

	"noctop/model"
)

// savedState is a check's row as a restart reads it.
func savedState(t *testing.T, s *Store, asset string) (summary string, status model.Status, lastRun time.Time) {
	t.Helper()
	var st int
	var at int64
	err := s.r.QueryRow("SELECT summary, status, last_run FROM check_state WHERE asset = ?", asset).Scan(&summary, &st, &at)
	if err != nil {
		t.Fatal(err)
	}
	return summary, model.Status(st), fromNanos(at)
}

// A check's row is rewritten at once when its status changes, but only
// every stateEvery when only its latest result did; its results are
// written each second all the same, and a crash in between (no final
// write) neither loses them nor takes them twice after the restart.
func TestStateRowLagsOnlyItsLatestResult(t *testing.T) {
	path := dbPath(t)
	clk := &clock{t: t0}
	s := openTest(t, path, Options{Now: clk.Now})
	w := s.newWriter()
	ctx := context.Background()
	// snap has host0 OK and host1 in status st, both with a result at at
	// on top of their earlier history.
	hist := map[string]model.History{}
	snap := func(at time.Time, st1 model.Status, i int) *model.Snapshot {
		out := &model.Snapshot{}
		for _, name := range []string{"host0", "host1"} {
			c := benchState(name, at, i, hist[name])
			c.Summary = at.Format(time.TimeOnly)
			if name == "host1" {
				c.Status, c.HardStatus = st1, st1
			}
			hist[name] = c.History
			out.Assets = append(out.Assets, &model.AssetState{Name: name, Checks: []*model.CheckState{c}})
		}
		return out
	}
	at := clk.t
	w.take(snap(at, model.StatusOK, 0))
	w.flush(ctx, false)
	first := at

	at = clk.Add(30 * time.Second)
	w.take(snap(at, model.StatusCritical, 1))
	w.flush(ctx, false)
	if sum, _, run := savedState(t, s, "host0"); sum != first.Format(time.TimeOnly) || !run.Equal(first) {
		t.Errorf("host0's row after a result that changed nothing else: %q at %v, want the first %v", sum, run, first)
	}
	if sum, st, _ := savedState(t, s, "host1"); st != model.StatusCritical || sum != at.Format(time.TimeOnly) {
		t.Errorf("host1's row after its status changed: %s %q, want CRITICAL at once", st, sum)
	}

	// A crash: the store closes without its final write.
	crashed := snap(clk.Add(30*time.Second), model.StatusCritical, 2)
	w.take(crashed)
	w.flush(ctx, false)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openTest(t, path, Options{Now: clk.Now})
	defer s.Close()
	r, err := s.Resume(ctx)
	if err != nil {
		t.Fatal(err)
	}
	h0 := r.Checks[model.CheckKey{Asset: "host0", Check: "icmp"}]
	if len(h0.History) != 3 || !h0.History[2].At.Equal(clk.t) {
		t.Fatalf("host0 resumed %d samples, want the 3 written before the crash", len(h0.History))
	}
	if !h0.LastRun.Equal(first) || h0.Status != model.StatusOK {
		t.Errorf("host0 resumed %s last run %v, want OK at %v (its row lags)", h0.Status, h0.LastRun, first)
	}
	w = s.newWriter()
	w.take(crashed)
	if len(w.results) != 0 || len(w.minutes) != 0 {
		t.Errorf("after the restart the same history queues %d results and %d minutes again, want none", len(w.results), len(w.minutes))
	}

	// The engine resumes what the rows hold: the first write after the
	// restart does not rewrite them all.
	w.flush(ctx, false)
	if _, _, run := savedState(t, s, "host0"); !run.Equal(first) {
		t.Errorf("host0's row rewritten at %v by the first write after a restart, want it left at %v", run, first)
	}

	// A row that waited stateEvery since its last write catches up
	// without a new snapshot.
	latest := clk.Add(30 * time.Second)
	w.take(snap(latest, model.StatusCritical, 3))
	w.flush(ctx, false)
	if _, _, run := savedState(t, s, "host0"); run.Equal(latest) {
		t.Errorf("host0's row written at once after a result that changed nothing else")
	}
	clk.Add(stateEvery)
	w.flush(ctx, false)
	if sum, _, run := savedState(t, s, "host0"); !run.Equal(latest) || sum != latest.Format(time.TimeOnly) {
		t.Errorf("host0's row %v after it waited, want its latest result at %v", run, latest)
	}
	// A final write writes every waiting row.
	w.take(snap(clk.Add(30*time.Second), model.StatusCritical, 4))
	w.flush(ctx, true)
	for _, h := range []string{"host0", "host1"} {
		if _, _, run := savedState(t, s, h); !run.Equal(clk.t) {
			t.Errorf("%s's row at %v after the final write, want %v", h, run, clk.t)
		}
	}
	if w.paused {
		t.Fatal(s.Status())
	}
}
