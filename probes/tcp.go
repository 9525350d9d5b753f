package probes

import (
	"context"

	"noctop/model"
)

// ProbeTCP is a placeholder until the probe lands. TODO(probes helper).
func ProbeTCP(ctx context.Context, t Target) model.Outcome {
	return model.Unknown("tcp probe not implemented yet")
}
