package store

import (
	"context"
	"encoding/json"

	"noctop/model"
)

// SeenCerts reads the certificates each asset's lifecycle check last
// registered (the attrs of its saved state), by asset name, for `noctop
// renewals`. A state whose attrs do not parse is skipped.
func (s *Store) SeenCerts(ctx context.Context) (map[string][]model.StoredCert, error) {
	return seenInLifecycle(ctx, s, model.CertsFromAttrs)
}

// SeenSupplies reads the low printer supplies each asset's lifecycle
// check last registered (consumables), by asset name, as SeenCerts.
func (s *Store) SeenSupplies(ctx context.Context) (map[string][]model.StoredSupply, error) {
	return seenInLifecycle(ctx, s, model.SuppliesFromAttrs)
}

// seenInLifecycle reads what from the attrs of every asset's saved
// lifecycle state, by asset name; assets where it finds nothing are left out.
func seenInLifecycle[T any](ctx context.Context, s *Store, what func(map[string]string) []T) (map[string][]T, error) {
	out := map[string][]T{}
	if s.waiting {
		return out, nil // the disk is full: nothing can be read
	}
	rows, err := s.r.QueryContext(ctx, `SELECT asset, attrs FROM check_state WHERE type = ? AND name = ?`,
		model.CheckLifecycle, model.CheckLifecycle)
	if err != nil {
		return nil, classify(s.path, err)
	}
	defer rows.Close()
	for rows.Next() {
		var asset, attrs string
		if err := rows.Scan(&asset, &attrs); err != nil {
			return nil, classify(s.path, err)
		}
		var m map[string]string
		if json.Unmarshal([]byte(attrs), &m) != nil {
			continue
		}
		if found := what(m); len(found) > 0 {
			out[asset] = found
		}
	}
	if err := rows.Err(); err != nil {
		return nil, classify(s.path, err)
	}
	return out, nil
}
