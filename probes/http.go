package probes

import (
	"context"

	"noctop/model"
)

// ProbeHTTP is a placeholder until the probe lands. TODO(probes helper).
func ProbeHTTP(ctx context.Context, t Target) model.Outcome {
	return model.Unknown("http probe not implemented yet")
}
