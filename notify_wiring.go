package main

import (
	"context"

	"noctop/model"
	"noctop/notify"
	"noctop/shard"
)

// The monitor's notifier: [[notify]] receivers told about problems from
// the engine's snapshots, each attempt recorded as an engine event. Every
// long-running mode (dashboard, headless, demo) has one; with no
// receivers it only reads snapshots, so a reload may add some.

// newNotifier builds the notifier of engine e for the receivers of cfg.
// plan labels the alerts and keeps borrowed assets out of every message.
func newNotifier(cfg *model.Config, e *model.Engine, plan shard.Plan) *notify.Notifier {
	return notify.New(cfg.Notify, notify.Options{Record: e.Notify, Labels: plan.Labels(), Owns: plan.OwnsFunc()})
}

// runNotifier runs m's notifier on the engine's snapshots until ctx ends;
// its goroutines have ended when it returns.
func (m *monitor) runNotifier(ctx context.Context) {
	sub := m.engine.Subscribe()
	defer sub.Close()
	m.notifier.Run(ctx, sub.C)
}
