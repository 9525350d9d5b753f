package probes

import (
	"context"
	"errors"

	"noctop/model"
)

// Sink takes a finished result (the engine's Submit).
type Sink func(ctx context.Context, r model.Result) error

// Scheduler runs every check of a config on its interval. TODO(scheduler helper).
type Scheduler struct{}

// NewScheduler builds a scheduler; probe is usually (*Set).Probe.
func NewScheduler(cfg *model.Config, probe ProbeFunc, sink Sink) *Scheduler { return &Scheduler{} }

// Run schedules until ctx is done; every goroutine it starts has ended when
// it returns.
func (s *Scheduler) Run(ctx context.Context) error { return errors.New("TODO") }

// RunOnce runs every check once (bounded concurrency) and returns when all
// results are sunk.
func (s *Scheduler) RunOnce(ctx context.Context) error { return errors.New("TODO") }

// RunNow asks for an immediate run of one check; it never blocks and reports
// whether the request was taken.
func (s *Scheduler) RunNow(key model.CheckKey) bool { return false }
