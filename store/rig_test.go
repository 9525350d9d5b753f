package store

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"noctop/model"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// clock is a settable time for the engine and the store.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	return c.t
}

// engineRig runs a real engine over cfg for one test.
type engineRig struct {
	t   *testing.T
	e   *model.Engine
	ctx context.Context
}

// testConfig has n assets with an icmp check each (retries 2, so a
// problem goes soft 1/2 then hard), the first n-1 children of the last.
func testConfig(n int) *model.Config {
	cfg := &model.Config{}
	for i := range n {
		cfg.Assets = append(cfg.Assets, model.Asset{Name: fmt.Sprintf("host%d", i), Address: "127.0.0.1",
			Checks: []model.Check{{Type: "icmp", Retries: 2}}})
	}
	cfg.ApplyDefaults()
	return cfg
}

func startEngine(t *testing.T, cfg *model.Config, now func() time.Time, resume *model.Resume) *engineRig {
	t.Helper()
	e := model.NewEngine(cfg, model.EngineOptions{Now: now, Resume: resume})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		e.Run(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	return &engineRig{t: t, e: e, ctx: ctx}
}

// result submits one icmp result at at with an rtt and a loss.
func (r *engineRig) result(asset string, st model.Status, at time.Time, rtt float64) {
	r.t.Helper()
	loss := 0.0
	if st != model.StatusOK {
		loss = 100
	}
	res := model.Result{Key: model.CheckKey{Asset: asset, Check: "icmp"}, At: at, Duration: 20 * time.Millisecond,
		Outcome: model.Outcome{Status: st, Summary: fmt.Sprintf("%s rtt %.1f", st, rtt),
			Metrics: map[string]float64{model.MetricRTTAvg: rtt, model.MetricLossPct: loss}}}
	ctx, cancel := context.WithTimeout(r.ctx, 10*time.Second)
	defer cancel()
	if err := r.e.Submit(ctx, res); err != nil {
		r.t.Fatalf("Submit: %v", err)
	}
}

func (r *engineRig) sync() *model.Snapshot {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(r.ctx, 10*time.Second)
	defer cancel()
	s, err := r.e.Sync(ctx)
	if err != nil {
		r.t.Fatalf("Sync: %v", err)
	}
	return s
}

func openTest(t *testing.T, path string, opts Options) *Store {
	t.Helper()
	s, err := Open(context.Background(), path, opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return s
}

// runStore runs s.Run over snaps; the returned stop ends it and waits.
func runStore(t *testing.T, s *Store, snaps <-chan *model.Snapshot) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx, snaps) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Run: %v", err)
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

func dbPath(t *testing.T) string { return filepath.Join(t.TempDir(), "state", FileName) }
