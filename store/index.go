package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"time"

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
	// dirty: queued for the next write (writer.dirty); stale: its latest
	// result waits to be written (writer.stale, stateEvery).
	dirty, stale bool
	// written is what the row last written holds beyond the latest result
	// (not the CheckState itself, which would keep an old state and its
	// maps alive), at writtenAt, with writtenNames metric columns.
	written      *durable
	writtenAt    time.Time
	writtenNames int
	// namesText is names as JSON, for namesLen of them (names only grow).
	namesText string
	namesLen  int
}

// namesJSON is the row's metric columns as the names column holds them.
func (r *checkRow) namesJSON() string {
	if r.namesText == "" || r.namesLen != len(r.names) {
		b, _ := json.Marshal(r.names)
		r.namesText, r.namesLen = string(b), len(r.names)
	}
	return r.namesText
}

// lastResult is a check's newest stored result: a row's last_sample may lag
// it by stateEvery after a crash, and the writer must not take those
// results (and add them to the minutes) again.
const lastResult = "max(last_sample, coalesce((SELECT max(at) FROM results WHERE check_id = check_state.id), 0))"

// loadIndex reads the checks' rows; forWriter also finds each one's newest
// result (lastResult), which readers do not need.
func loadIndex(ctx context.Context, db *sql.DB, forWriter bool) (*index, error) {
	ix := &index{checks: make(map[model.CheckKey]*checkRow)}
	last := "last_sample"
	if forWriter {
		last = lastResult
	}
	rows, err := db.QueryContext(ctx, "SELECT id, asset, name, type, names, "+last+" FROM check_state")
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

// durable is the part of a check's state a restart must have exactly.
type durable struct {
	status, hardStatus model.Status
	hard               bool
	attempt            int
	since              time.Time
	typ, primary       string
	attrs              map[string]string
}

// noteWritten records c as the row's last written state, at now.
func (r *checkRow) noteWritten(c *model.CheckState, now time.Time) {
	if r.written == nil {
		r.written = new(durable)
	}
	*r.written = durable{status: c.Status, hardStatus: c.HardStatus, hard: c.Hard, attempt: c.Attempt, since: c.Since,
		typ: c.Type, primary: c.Primary, attrs: c.Attrs}
	r.writtenAt, r.writtenNames = now, len(r.names)
}
