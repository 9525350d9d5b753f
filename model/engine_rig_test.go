package model_test

import (
	"context"
	"testing"
	"time"

	"noctop/model"
)

// rig runs a real engine for one test and stops it at cleanup.
type rig struct {
	t   *testing.T
	e   *model.Engine
	at  time.Time // time of the next result; advances 1s per result
	ctx context.Context
}

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func startEngine(t *testing.T, cfg *model.Config, opts model.EngineOptions) *rig {
	t.Helper()
	cfg.ApplyDefaults()
	if opts.Now == nil {
		opts.Now = func() time.Time { return t0 }
	}
	return runEngine(t, model.NewEngine(cfg, opts), t0)
}

// result submits one result for asset/check.
func (r *rig) result(asset, check string, st model.Status, summary string) {
	r.t.Helper()
	r.submit(model.Result{Key: model.CheckKey{Asset: asset, Check: check},
		Outcome: model.Outcome{Status: st, Summary: summary}})
}

func (r *rig) submit(res model.Result) {
	r.t.Helper()
	r.at = r.at.Add(time.Second)
	if res.At.IsZero() {
		res.At = r.at
	}
	if res.Summary == "" {
		res.Summary = res.Status.String()
	}
	ctx, cancel := context.WithTimeout(r.ctx, 10*time.Second)
	defer cancel()
	if err := r.e.Submit(ctx, res); err != nil {
		r.t.Fatalf("Submit %s: %v", res.Key, err)
	}
}

func (r *rig) sync() *model.Snapshot {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(r.ctx, 10*time.Second)
	defer cancel()
	s, err := r.e.Sync(ctx)
	if err != nil {
		r.t.Fatalf("Sync: %v", err)
	}
	return s
}

func (r *rig) asset(s *model.Snapshot, name string) *model.AssetState {
	r.t.Helper()
	a := s.Asset(name)
	if a == nil {
		r.t.Fatalf("asset %q not in snapshot", name)
	}
	return a
}

func (r *rig) service(s *model.Snapshot, name string) *model.ServiceState {
	r.t.Helper()
	v := s.Service(name)
	if v == nil {
		r.t.Fatalf("service %q not in snapshot", name)
	}
	return v
}

// Config builders.

func asset(name string, parents []string, checks ...model.Check) model.Asset {
	return model.Asset{Name: name, Address: "127.0.0.1", Parents: parents, Checks: checks}
}

func check(typ string) model.Check { return model.Check{Type: typ} }

func checkRetries(typ string, retries int) model.Check {
	return model.Check{Type: typ, Retries: retries}
}

// runEngine runs an engine built by the test, with results stamped from at.
func runEngine(t *testing.T, e *model.Engine, at time.Time) *rig {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan struct{})
	go func() {
		defer close(ran)
		e.Run(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		<-ran
	})
	return &rig{t: t, e: e, at: at, ctx: ctx}
}
