package store

import (
	"context"
	"database/sql"
	"fmt"
)

// migrations take the schema from version i to i+1: migrations()[0] makes
// version 1 from an empty file. Append only; never edit one that shipped,
// since databases out there are at its version.
func migrations() []string {
	return []string{migration1, migration2, migration3, migration4, migration5, migration6}
}

// migration1: states, events and raw results.
const migration1 = `CREATE TABLE check_state (
		id INTEGER PRIMARY KEY,
		asset TEXT NOT NULL,
		name TEXT NOT NULL,
		type TEXT NOT NULL,
		status INTEGER NOT NULL,
		hard_status INTEGER NOT NULL,
		hard INTEGER NOT NULL,
		attempt INTEGER NOT NULL,
		summary TEXT NOT NULL,
		metrics TEXT NOT NULL,
		primary_metric TEXT NOT NULL,
		attrs TEXT NOT NULL,
		last_run INTEGER NOT NULL,
		duration INTEGER NOT NULL,
		since INTEGER NOT NULL,
		names TEXT NOT NULL,
		last_sample INTEGER NOT NULL,
		UNIQUE (asset, name)
	);
	CREATE TABLE events (
		id INTEGER PRIMARY KEY,
		seq INTEGER NOT NULL,
		at INTEGER NOT NULL,
		kind TEXT NOT NULL,
		asset TEXT NOT NULL,
		check_name TEXT NOT NULL,
		service TEXT NOT NULL,
		from_status INTEGER NOT NULL,
		to_status INTEGER NOT NULL,
		hard INTEGER NOT NULL,
		from_hard INTEGER NOT NULL,
		from_attempt INTEGER NOT NULL,
		attempt INTEGER NOT NULL,
		max_attempts INTEGER NOT NULL,
		summary TEXT NOT NULL
	);
	CREATE INDEX events_at ON events (at);
	CREATE TABLE results (
		check_id INTEGER NOT NULL,
		at INTEGER NOT NULL,
		status INTEGER NOT NULL,
		duration INTEGER NOT NULL,
		vals BLOB,
		PRIMARY KEY (check_id, at)
	) WITHOUT ROWID;`

// migration2: rollups (one row per check and minute or hour; vals holds
// count, min, max and avg of each declared metric column, see agg.go), the
// per-asset event index, and the store's own marks.
const migration2 = `CREATE TABLE rollup_1m (
		check_id INTEGER NOT NULL,
		bucket INTEGER NOT NULL,
		vals BLOB NOT NULL,
		PRIMARY KEY (check_id, bucket)
	) WITHOUT ROWID;
	CREATE TABLE rollup_1h (
		check_id INTEGER NOT NULL,
		bucket INTEGER NOT NULL,
		vals BLOB NOT NULL,
		PRIMARY KEY (check_id, bucket)
	) WITHOUT ROWID;
	CREATE INDEX events_asset ON events (asset, at);
	CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;`

// migration3: the hard state changes of assets and services themselves,
// which availability is measured from (`noctop sla`, a restart's SLA
// history), in an index of their own that holds every column they need
// (the WHERE's too, or SQLite reads the table row to test them): reading them is a scan of it, not a table lookup per row among the
// checks' changes. Its WHERE must stay word for word in subjectStates.
const migration3 = `CREATE INDEX events_subject_state ON events (at, id, asset, service, from_status, to_status, from_hard, kind, hard, check_name)
		WHERE kind = 'state' AND hard = 1 AND check_name = '';`

// migration4: operator actions from other processes (`noctop ack`,
// `noctop unack`, later `noctop maintenance`), queued for the monitor,
// which marks each applied or rejected (store/operations.go), and the
// acknowledgements in force, which a restart resumes (store/acks.go). The
// partial index holds only the rows not yet applied: what the monitor
// polls every second.
const migration4 = `CREATE TABLE operations (
		id INTEGER PRIMARY KEY,
		at INTEGER NOT NULL,
		operator TEXT NOT NULL,
		kind TEXT NOT NULL CHECK (kind IN ('ack', 'unack', 'maintenance', 'end_maintenance')),
		asset TEXT NOT NULL,
		check_name TEXT NOT NULL,
		comment TEXT NOT NULL,
		sticky INTEGER NOT NULL,
		until INTEGER NOT NULL,
		applied_at INTEGER,
		error TEXT
	);
	CREATE INDEX operations_pending ON operations (id) WHERE applied_at IS NULL;
	CREATE TABLE acks (
		asset TEXT NOT NULL,
		check_name TEXT NOT NULL,
		operator TEXT NOT NULL,
		comment TEXT NOT NULL,
		at INTEGER NOT NULL,
		sticky INTEGER NOT NULL,
		PRIMARY KEY (asset, check_name)
	) WITHOUT ROWID;`

// migration5: the operators' ad hoc maintenance windows in force, which a
// restart resumes (store/windows.go).
const migration5 = `CREATE TABLE adhoc_windows (
		asset TEXT PRIMARY KEY,
		reason TEXT NOT NULL,
		operator TEXT NOT NULL,
		from_at INTEGER NOT NULL,
		until INTEGER NOT NULL
	) WITHOUT ROWID;`

// migration6: the state changes of assets and services, packed one row
// per subject and UTC day (a few when it changed often; subjectdays.go): availability reads a row per
// subject-day instead of one per change, a few bytes a change, soft ones
// included (a subject's first change says what it was before). Filled
// from the events already stored.
const migration6 = `CREATE TABLE subject_days (
		day INTEGER NOT NULL,
		asset TEXT NOT NULL,
		service TEXT NOT NULL,
		part INTEGER NOT NULL,
		changes TEXT NOT NULL,
		PRIMARY KEY (day, asset, service, part)
	) WITHOUT ROWID;
	INSERT INTO subject_days (day, asset, service, part, changes)
		SELECT at / 86400000000000, asset, service, 0,
			group_concat((at % 86400000000000) || ',' || from_status || ',' || to_status || ',' || (from_hard + 2 * hard) || ';', '' ORDER BY id)
		FROM events WHERE kind = 'state' AND check_name = '' AND at >= 0
		GROUP BY 1, 2, 3;`

// schemaVersion is the version this noctop writes: len(migrations()).
const schemaVersion = 6

// migrate brings db from its version to schemaVersion, one transaction per
// step, so a crash leaves it at a version it can resume from.
func migrate(ctx context.Context, db *sql.DB, path string) error {
	v, err := userVersion(ctx, db)
	if err != nil {
		return classify(path, err)
	}
	if v > schemaVersion {
		return newerSchema(path, v)
	}
	for ; v < schemaVersion; v++ {
		if err := step(ctx, db, v); err != nil {
			return fmt.Errorf("store: %s: migrating to schema %d: %w", path, v+1, classify(path, err))
		}
	}
	return nil
}

func step(ctx context.Context, db *sql.DB, v int) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, migrations()[v]); err != nil {
		return err
	}
	// PRAGMA takes no parameters; v is ours.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v+1)); err != nil {
		return err
	}
	return tx.Commit()
}

func userVersion(ctx context.Context, db *sql.DB) (int, error) {
	var v int
	err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v)
	return v, err
}
