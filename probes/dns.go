package probes

import (
	"context"

	"noctop/model"
)

// ProbeDNS is a placeholder until the probe lands. TODO(probes helper).
func ProbeDNS(ctx context.Context, t Target) model.Outcome {
	return model.Unknown("dns probe not implemented yet")
}
