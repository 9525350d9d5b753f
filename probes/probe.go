// Package probes measures: one file per probe kind, all with one shape
// (ProbeFunc), plus the scheduler that runs them. The caller sets the
// deadline once, in ctx; a probe takes no other timeout. Every outcome has a
// human reason.
package probes

import (
	"context"

	"noctop/model"
)

// Target is what one run needs: the asset and the check, both from the
// validated config (read-only).
type Target struct {
	Asset *model.Asset
	Check *model.Check
}

// ProbeFunc runs one check once. It must return before ctx's deadline and
// must not panic on any input (the scheduler still guards against it).
type ProbeFunc func(ctx context.Context, t Target) model.Outcome
