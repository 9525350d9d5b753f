package probes

import (
	"context"

	"noctop/model"
)

// ProbeTLS is a placeholder until the probe lands. TODO(probes helper).
func ProbeTLS(ctx context.Context, t Target) model.Outcome {
	return model.Unknown("tls probe not implemented yet")
}
