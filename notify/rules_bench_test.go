package notify

import (
	"context"
	"testing"
	"time"

	"noctop/model"
)

// BenchmarkRulesStep: one receiver's look at a real engine's snapshot of
// 10,000 assets, 100 of them with a hard problem already told: the steady
// state, which the Notifier pays per snapshot (at most 10 a second) and
// per tick.
func BenchmarkRulesStep(b *testing.B) {
	cfg := flat(10_000)
	cfg.ApplyDefaults()
	e := model.NewEngine(cfg, model.EngineOptions{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); e.Run(ctx) }()
	defer func() { cancel(); <-done }()
	at := time.Now()
	for i, a := range cfg.Assets {
		st := model.StatusOK
		if i%100 == 0 {
			st = model.StatusCritical
		}
		res := model.Result{Key: model.CheckKey{Asset: a.Name, Check: "http"}, At: at, Outcome: model.Outcome{Status: st, Summary: "x"}}
		if err := e.Submit(ctx, res); err != nil {
			b.Fatal(err)
		}
	}
	snap, err := e.Sync(ctx)
	if err != nil {
		b.Fatal(err)
	}
	r := NewRules(model.Notify{Name: "hook", Renotify: model.D(time.Hour)})
	if out, _ := r.Step(snap, at); len(out) != 100 {
		b.Fatalf("%d messages", len(out))
	}
	b.ReportAllocs()
	for b.Loop() {
		if out, _ := r.Step(snap, at); len(out) != 0 {
			b.Fatal("told twice")
		}
	}
}
