package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"

	"noctop/model"
)

// maxColumns bounds the metric columns kept per check, as the engine's
// history does.
const maxColumns = 64

// index maps checks to their rows: the id results and rollups use, and the
// check's metric columns (append-only, so a column number means one metric
// for the life of the database).
type index struct {
	checks  map[model.CheckKey]*checkRow
	lastSeq uint64 // the newest event written
	hourEnd int64  // rollup_1h is complete before this (unix seconds)
}

type checkRow struct {
	id    int64
	typ   string
	names []string
	// lastSample is the newest result written (UnixNano): history samples
	// at or before it are on disk already.
	lastSample int64
	// state is the CheckState last written; a snapshot holding the same
	// pointer has nothing new for this check.
	state *model.CheckState
	// declared[i] says whether names[i] is a declared metric, which the
	// rollups keep.
	declared []bool
	// dirty: queued for the next write.
	dirty bool
}

func loadIndex(ctx context.Context, db *sql.DB) (*index, error) {
	ix := &index{checks: make(map[model.CheckKey]*checkRow)}
	rows, err := db.QueryContext(ctx, "SELECT id, asset, name, type, names, last_sample FROM check_state")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var k model.CheckKey
		row := &checkRow{}
		var names string
		if err := rows.Scan(&row.id, &k.Asset, &k.Check, &row.typ, &names, &row.lastSample); err != nil {
			return nil, err
		}
		_ = json.Unmarshal([]byte(names), &row.names)
		ix.checks[k] = row
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var seq sql.NullInt64
	if err := db.QueryRowContext(ctx, "SELECT seq FROM events ORDER BY id DESC LIMIT 1").Scan(&seq); err != nil && err != sql.ErrNoRows {
		return nil, err
	}
	ix.lastSeq = uint64(seq.Int64)
	var hourEnd sql.NullInt64
	if err := db.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = 'hour_end'").Scan(&hourEnd); err != nil && err != sql.ErrNoRows {
		return nil, err
	}
	ix.hourEnd = hourEnd.Int64
	return ix, nil
}

// columns maps a history's metric names to the check's persistent
// columns, adding names not seen before; -1 for a name past maxColumns.
func (r *checkRow) columns(names []string, st *model.CheckState) []int {
	out := make([]int, len(names))
	for i, n := range names {
		j := slices.Index(r.names, n)
		if j < 0 && len(r.names) < maxColumns {
			r.names = append(r.names, n)
			j = len(r.names) - 1
		}
		out[i] = j
	}
	for len(r.declared) < len(r.names) {
		_, ok := st.Metric(r.names[len(r.declared)])
		r.declared = append(r.declared, ok)
	}
	return out
}
