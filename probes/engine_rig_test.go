package probes

import (
	"context"
	"testing"

	"noctop/model"
)

// runEngine runs a real engine for cfg until the test ends. The returned ctx
// is for its users (Submit, Sync, a scheduler); cancel stops it early.
func runEngine(tb testing.TB, cfg *model.Config) (*model.Engine, context.Context, context.CancelFunc) {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	eng := model.NewEngine(cfg, model.EngineOptions{})
	done := make(chan struct{})
	go func() { eng.Run(ctx); close(done) }()
	tb.Cleanup(func() { cancel(); <-done })
	return eng, ctx, cancel
}
