package store

import (
	"context"
	"math"
	"testing"
	"time"

	"noctop/model"
)

// rtt is the value of result i in the history tests: a sawtooth, so every
// bucket has a distinct min, avg and max.
func rtt(i int) float64 { return float64(i % 7) }

// simulate writes n results of host0 every step from t0, the store's clock
// following them, as Run would (take each snapshot, flush each second).
func simulate(t *testing.T, s *Store, clk *clock, n int, step time.Duration) {
	t.Helper()
	r := startEngine(t, testConfig(1), clk.Now, nil)
	w := s.newWriter()
	ctx := context.Background()
	for i := range n {
		at := t0.Add(time.Duration(i) * step)
		clk.mu.Lock()
		clk.t = at
		clk.mu.Unlock()
		r.result("host0", model.StatusOK, at, rtt(i))
		w.take(r.sync())
		w.flush(ctx, false)
	}
	w.flush(ctx, true)
	w.prune(ctx, clk.Now())
	if w.paused {
		t.Fatalf("writes failed: %s", s.Status())
	}
}

func TestSeriesFromEachTable(t *testing.T) {
	const step = 5 * time.Minute
	n := int(72 * time.Hour / step) // three days
	clk := &clock{t: t0}
	s := openTest(t, dbPath(t), Options{Now: clk.Now})
	defer s.Close()
	simulate(t, s, clk, n, step)
	ctx := context.Background()
	key := model.CheckKey{Asset: "host0", Check: "icmp"}
	now := clk.Now()

	// The last hour: raw results, one point each.
	pts, err := s.Series(ctx, key, model.MetricRTTAvg, now.Add(-time.Hour), now.Add(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != 13 {
		t.Fatalf("last hour: %d points, want 13", len(pts))
	}
	for k, p := range pts {
		i := n - 13 + k
		if p.Count != 1 || p.Avg != rtt(i) || !p.At.Equal(t0.Add(time.Duration(i)*step)) {
			t.Errorf("raw point %d = %+v, want rtt %v at result %d", k, p, rtt(i), i)
		}
	}

	// Raw results past 48 h are pruned; that span comes from minutes.
	var raw int
	if err := s.r.QueryRow("SELECT count(*) FROM results WHERE at < ?", now.Add(-RawRetention).UnixNano()).Scan(&raw); err != nil {
		t.Fatal(err)
	}
	if raw != 0 {
		t.Errorf("%d raw results older than 48 h after pruning", raw)
	}
	from := t0
	pts, err = s.Series(ctx, key, model.MetricRTTAvg, from, from.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != 12 {
		t.Fatalf("first hour from minutes: %d points, want 12", len(pts))
	}
	for i, p := range pts {
		if p.Count != 1 || p.Min != rtt(i) || p.Max != rtt(i) || !p.At.Equal(t0.Add(time.Duration(i)*step)) {
			t.Errorf("minute point %d = %+v, want rtt %v", i, p, rtt(i))
		}
	}

	// 31 days on, the first day comes from hours: 12 results each.
	clk.Add(31 * 24 * time.Hour)
	w := s.newWriter()
	w.prune(ctx, clk.Now())
	pts, err = s.Series(ctx, key, model.MetricRTTAvg, t0, t0.Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != 24 {
		t.Fatalf("first day from hours: %d points, want 24", len(pts))
	}
	for h, p := range pts {
		lo, hi, sum := 1e9, -1e9, 0.0
		for i := 12 * h; i < 12*h+12; i++ {
			lo, hi, sum = min(lo, rtt(i)), max(hi, rtt(i)), sum+rtt(i)
		}
		if p.Count != 12 || p.Min != lo || p.Max != hi || math.Abs(p.Avg-sum/12) > 1e-5 {
			t.Errorf("hour %d = %+v, want min %v avg %v max %v count 12", h, p, lo, sum/12, hi)
		}
	}
	var minutes int
	if err := s.r.QueryRow("SELECT count(*) FROM rollup_1m").Scan(&minutes); err != nil {
		t.Fatal(err)
	}
	if minutes != 0 {
		t.Errorf("%d minute rows older than 30 days after pruning", minutes)
	}
}

// A span wider than maxPoints of its table comes back merged.
func TestSeriesDownsampled(t *testing.T) {
	const step = 30 * time.Second
	n := 4000
	clk := &clock{t: t0}
	s := openTest(t, dbPath(t), Options{Now: clk.Now})
	defer s.Close()
	simulate(t, s, clk, n, step)
	key := model.CheckKey{Asset: "host0", Check: "icmp"}
	pts, err := s.Series(context.Background(), key, model.MetricRTTAvg, t0, clk.Now().Add(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, p := range pts {
		total += p.Count
	}
	if len(pts) > maxPoints || total != n {
		t.Errorf("%d points holding %d results, want at most %d holding %d", len(pts), total, maxPoints, n)
	}
}
