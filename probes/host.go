package probes

import (
	"context"

	"noctop/model"
)

// Host collects this machine's hardware figures. TODO(host helper).
type Host struct{}

// NewHost reads the static host facts once.
func NewHost() *Host { return &Host{} }

// Probe runs one host check.
func (h *Host) Probe(ctx context.Context, t Target) model.Outcome {
	return model.Unknown("host probe not implemented yet")
}
