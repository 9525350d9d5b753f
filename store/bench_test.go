package store

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"noctop/model"
)

// benchMetrics is an icmp result's metrics, varying with i.
func benchMetrics(i int) map[string]float64 {
	rtt := 1 + float64(i*7919%97)/10 // differs from one result of a check to its next
	return map[string]float64{model.MetricSent: 3, model.MetricReceived: 3, model.MetricLossPct: 0,
		model.MetricRTTMin: rtt * 0.8, model.MetricRTTAvg: rtt, model.MetricRTTMax: rtt * 1.3, model.MetricJitter: rtt / 10}
}

// benchState is an icmp check's state after a result at at, its history
// holding that result and the earlier of hist (the engine's ring hands
// the store the same: a view with the new sample last).
func benchState(asset string, at time.Time, i int, hist model.History) *model.CheckState {
	m := benchMetrics(i)
	return &model.CheckState{Asset: asset, Name: "icmp", Type: "icmp", Status: model.StatusOK, Hard: true,
		HardStatus: model.StatusOK, MaxAttempts: 3, Summary: "3/3 received, rtt 1.2 ms", Metrics: m,
		Primary: model.MetricRTTAvg, LastRun: at, Duration: 20 * time.Millisecond, Since: t0,
		History: hist.Append(at, model.StatusOK, 20*time.Millisecond, m)}
}

// benchSnapshot has n assets of one icmp check each, all with one result.
func benchSnapshot(n int, at time.Time) *model.Snapshot {
	snap := &model.Snapshot{}
	for i := range n {
		name := fmt.Sprintf("host%05d", i)
		snap.Assets = append(snap.Assets, &model.AssetState{Name: name, Checks: []*model.CheckState{benchState(name, at, i, model.History{})}})
	}
	return snap
}

// storeSecond is one second of a monitor of n checks every interval: ten
// snapshots (the engine publishes every 100 ms) sharing the n/interval new
// results, then the write Run makes each second.
type storeSecond struct {
	s    *Store
	w    *writer
	clk  *clock
	snap *model.Snapshot
	next int
	n    int
	per  int // results per second
}

func newStoreSecond(b *testing.B, path string, n int, interval time.Duration) *storeSecond {
	clk := &clock{t: t0}
	s, err := Open(context.Background(), path, Options{Now: clk.Now})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	ss := &storeSecond{s: s, w: s.newWriter(), clk: clk, snap: benchSnapshot(n, t0), n: n, per: int(time.Duration(n) * time.Second / interval)}
	ss.w.take(ss.snap) // the first snapshot writes every check's row
	ss.w.flush(context.Background(), false)
	return ss
}

// newState is a check's new state and its asset's place in the snapshot.
type newState struct {
	asset int
	c     *model.CheckState
}

// prepare makes the next second's new states (outside the timer).
func (ss *storeSecond) prepare(at time.Time) [][]newState {
	batches := make([][]newState, 10)
	for k := range ss.per {
		i := ss.next % ss.n
		ss.next++
		c := benchState(ss.snap.Assets[i].Name, at.Add(time.Duration(k)*time.Second/time.Duration(ss.per)), ss.next, model.History{})
		batches[k%10] = append(batches[k%10], newState{i, c})
	}
	return batches
}

// run takes the ten snapshots and writes, as Run does in a second.
func (ss *storeSecond) run(ctx context.Context, batches [][]newState) {
	for _, batch := range batches {
		// As the engine publishes: a new snapshot whose changed assets are
		// new states, the others shared by pointer.
		snap := &model.Snapshot{Assets: slices.Clone(ss.snap.Assets)}
		for _, ns := range batch {
			a := *snap.Assets[ns.asset]
			a.Checks = []*model.CheckState{ns.c}
			snap.Assets[ns.asset] = &a
		}
		ss.w.take(snap)
		ss.snap = snap
	}
	ss.w.flush(ctx, false)
}

// BenchmarkStoreSecond10kChecks: what the store costs a monitor of 10,000
// checks every 30 s, per second of running (so ns/op / 1e9 is the share of
// one core): ten snapshots taken and one transaction of ~333 results,
// ~333 states and the minute rollups, with the prune every 10 minutes
// spread over the seconds.
func BenchmarkStoreSecond10kChecks(b *testing.B) {
	ss := newStoreSecond(b, filepath.Join(b.TempDir(), FileName), 10_000, 30*time.Second)
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		at := ss.clk.Add(time.Second)
		batches := ss.prepare(at)
		b.StartTimer()
		ss.run(ctx, batches)
		if i%600 == 599 {
			ss.w.prune(ctx, at)
		}
	}
	if ss.w.paused {
		b.Fatal(ss.s.Status())
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e7, "%core")
}

// BenchmarkResume10kChecks: reading back 10,000 checks with 120 results
// each (what a restart waits for before the engine starts).
func BenchmarkResume10kChecks(b *testing.B) {
	path := filepath.Join(b.TempDir(), FileName)
	clk := &clock{t: t0}
	s, err := Open(context.Background(), path, Options{Now: clk.Now})
	if err != nil {
		b.Fatal(err)
	}
	snap := &model.Snapshot{}
	for i := range 10_000 {
		name := fmt.Sprintf("host%05d", i)
		var h model.History
		for k := range model.DefaultHistoryLen - 1 {
			h = h.Append(t0.Add(time.Duration(k)*30*time.Second), model.StatusOK, 20*time.Millisecond, benchMetrics(k))
		}
		at := t0.Add(time.Duration(model.DefaultHistoryLen-1) * 30 * time.Second)
		snap.Assets = append(snap.Assets, &model.AssetState{Name: name, Checks: []*model.CheckState{benchState(name, at, i, h)}})
	}
	clk.Add(time.Hour)
	w := s.newWriter()
	w.take(snap)
	w.flush(context.Background(), true)
	if w.paused {
		b.Fatal(s.Status())
	}
	s.Close()
	b.ResetTimer()
	for b.Loop() {
		s, err := Open(context.Background(), path, Options{Now: clk.Now})
		if err != nil {
			b.Fatal(err)
		}
		r, err := s.Resume(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		if len(r.Checks) != 10_000 || len(r.Checks[model.CheckKey{Asset: "host00042", Check: "icmp"}].History) != model.StoredHistoryLen {
			b.Fatalf("resumed %d checks", len(r.Checks))
		}
		s.Close()
	}
}

// BenchmarkDatabaseSize30Days simulates 1,000 icmp checks every 30 s for
// two hours through the writer, measures each table's bytes per row
// (dbstat) and reports the database's size after 30 days from them: 48 h
// of raw results, 30 days of minutes and of hours, and the states.
func BenchmarkDatabaseSize30Days(b *testing.B) {
	for b.Loop() {
		ss := newStoreSecond(b, filepath.Join(b.TempDir(), FileName), 1_000, 30*time.Second)
		ctx := context.Background()
		for range 2 * 3600 {
			ss.run(ctx, ss.prepare(ss.clk.Add(time.Second)))
		}
		ss.w.flush(ctx, true)
		perRow := func(table string) float64 {
			var bytes, rows float64
			if err := ss.s.r.QueryRow("SELECT sum(pgsize) FROM dbstat WHERE name = ?", table).Scan(&bytes); err != nil {
				b.Fatal(err)
			}
			if err := ss.s.r.QueryRow("SELECT count(*) FROM " + table).Scan(&rows); err != nil {
				b.Fatal(err)
			}
			return bytes / rows
		}
		const checks = 1000
		raw := perRow("results") * checks * 2 * 60 * 48
		minutes := perRow("rollup_1m") * checks * 60 * 24 * 30
		hours := perRow("rollup_1m") * checks * 24 * 30 // an hour row is a minute row's size
		b.ReportMetric(perRow("results"), "B/result")
		b.ReportMetric(perRow("rollup_1m"), "B/minute")
		b.ReportMetric((raw+minutes+hours)/1e6, "MB@30d")
	}
}

// BenchmarkEventsHardOnly30Days: what `noctop sla` reads for 1,000 assets
// over 30 days with two outages a day each (a soft, then three hard
// changes, the asset's and its check's): 360,000 hard state events of
// 480,000 stored.
func BenchmarkEventsHardOnly30Days(b *testing.B) {
	s, err := Open(context.Background(), filepath.Join(b.TempDir(), FileName), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	w := s.newWriter()
	var seq uint64
	for day := range 30 {
		for a := range 1000 {
			asset := fmt.Sprintf("host%04d", a)
			for o := range 2 {
				at := t0.Add(time.Duration(day)*24*time.Hour + time.Duration(o)*12*time.Hour + time.Duration(a)*time.Second)
				for _, hard := range []bool{false, true, true, true} {
					for _, check := range []string{"icmp", ""} {
						seq++
						to := model.StatusCritical
						w.events = append(w.events, model.Event{Seq: seq, At: at, Kind: model.EventState, Asset: asset, Check: check,
							From: model.StatusOK, To: to, Hard: hard, Summary: "3/3 lost"})
					}
					at = at.Add(time.Minute)
				}
			}
		}
		w.flush(context.Background(), false)
	}
	b.ResetTimer()
	b.Run("all", func(b *testing.B) {
		for b.Loop() {
			evs, err := s.Events(context.Background(), model.EventQuery{Kinds: []string{model.EventState}, HardOnly: true, Limit: 1_000_000})
			if err != nil || len(evs) != 360_000 {
				b.Fatalf("%d events, %v", len(evs), err)
			}
		}
	})
	// What noctop sla and a restart read: the assets' own, brief.
	b.Run("subjects-brief", func(b *testing.B) {
		for b.Loop() {
			evs, err := s.Events(context.Background(), model.EventQuery{Kinds: []string{model.EventState}, HardOnly: true,
				Subjects: true, Brief: true, Limit: 1_000_000})
			if err != nil || len(evs) != 180_000 {
				b.Fatalf("%d events, %v", len(evs), err)
			}
		}
	})
}
