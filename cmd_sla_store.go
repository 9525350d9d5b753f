package main

import (
	"context"
	"io"

	"noctop/model"
	"noctop/store"
)

// openArchive opens the store read-only for `noctop sla`, found as the
// monitor finds it: --state-dir, then the config's state_dir, then the
// default path.
func openArchive(ctx context.Context, stateDir string, cfg *model.Config) (model.Archive, io.Closer, error) {
	path, err := databasePath(stateDir, cfg)
	if err != nil {
		return nil, nil, err
	}
	st, err := store.OpenReadOnly(ctx, path, store.Options{})
	if err != nil {
		return nil, nil, err
	}
	return st, st, nil
}
