package main

import (
	"context"
	"errors"
	"io"

	"noctop/model"
)

// errNoStore is what openArchive says until the store is wired in.
var errNoStore = errors.New("no store yet")

// openArchive opens the store read-only for `noctop sla` (and `events`).
// The lead wires store.OpenReadOnly here at merge.
func openArchive(ctx context.Context, g *globalFlags) (model.Archive, io.Closer, error) {
	return nil, nil, errNoStore
}
