package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"math"
	"time"

	"noctop/model"
)

// The statements one write runs in its transaction.

const upsertState = `INSERT INTO check_state (asset, name, type, status, hard_status, hard, attempt,
	summary, metrics, primary_metric, attrs, last_run, duration, since, names, last_sample)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT (asset, name) DO UPDATE SET type = excluded.type, status = excluded.status,
	hard_status = excluded.hard_status, hard = excluded.hard, attempt = excluded.attempt,
	summary = excluded.summary, metrics = excluded.metrics, primary_metric = excluded.primary_metric,
	attrs = excluded.attrs, last_run = excluded.last_run, duration = excluded.duration,
	since = excluded.since, names = excluded.names, last_sample = excluded.last_sample
	RETURNING id`

func writeStates(ctx context.Context, tx *sql.Tx, ix *index, rows []*checkRow) error {
	if len(rows) == 0 {
		return nil
	}
	stmt, err := tx.PrepareContext(ctx, upsertState)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, row := range rows {
		c := row.state
		names, _ := json.Marshal(row.names)
		err := stmt.QueryRowContext(ctx, c.Asset, c.Name, c.Type, int(c.Status), int(c.HardStatus), c.Hard, c.Attempt,
			c.Summary, finiteJSON(c.Metrics), c.Primary, mapJSON(c.Attrs), nanos(c.LastRun), int64(c.Duration),
			nanos(c.Since), string(names), row.lastSample).Scan(&row.id)
		if err != nil {
			return err
		}
	}
	return nil
}

func writeResults(ctx context.Context, tx *sql.Tx, rs []resultRow) error {
	if len(rs) == 0 {
		return nil
	}
	stmt, err := tx.PrepareContext(ctx, "INSERT OR IGNORE INTO results (check_id, at, status, duration, vals) VALUES (?, ?, ?, ?, ?)")
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, r := range rs {
		if _, err := stmt.ExecContext(ctx, r.row.id, r.at, int(r.status), int64(r.dur), r.vals); err != nil {
			return err
		}
	}
	return nil
}

func writeEvents(ctx context.Context, tx *sql.Tx, evs []model.Event) error {
	if len(evs) == 0 {
		return nil
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO events (seq, at, kind, asset, check_name, service, from_status,
		to_status, hard, from_hard, from_attempt, attempt, max_attempts, summary)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, ev := range evs {
		if _, err := stmt.ExecContext(ctx, int64(ev.Seq), ev.At.UnixNano(), ev.Kind, ev.Asset, ev.Check, ev.Service,
			int(ev.From), int(ev.To), ev.Hard, ev.FromHard, ev.FromAttempt, ev.Attempt, ev.MaxAttempts, ev.Summary); err != nil {
			return err
		}
	}
	return nil
}

// upsertStats writes a rollup row, merging it into one already there (a
// late result, or the hour being rolled again after a crash).
func upsertStats(ctx context.Context, tx *sql.Tx, table string, id, bucket int64, st bucketStats) error {
	res, err := tx.ExecContext(ctx, "INSERT INTO "+table+" (check_id, bucket, vals) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", id, bucket, st.encode())
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return err
	}
	var old []byte
	if err := tx.QueryRowContext(ctx, "SELECT vals FROM "+table+" WHERE check_id = ? AND bucket = ?", id, bucket).Scan(&old); err != nil {
		return err
	}
	merged := decodeStats(old).mergeInto(st)
	_, err = tx.ExecContext(ctx, "UPDATE "+table+" SET vals = ? WHERE check_id = ? AND bucket = ?", merged.encode(), id, bucket)
	return err
}

func setMeta(ctx context.Context, tx *sql.Tx, key string, v int64) error {
	_, err := tx.ExecContext(ctx, "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, v)
	return err
}

func nanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromNanos(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n)
}

// finiteJSON encodes metrics without NaN and infinities, which JSON has no
// words for.
func finiteJSON(m map[string]float64) string {
	clean := make(map[string]float64, len(m))
	for k, v := range m {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			clean[k] = v
		}
	}
	b, _ := json.Marshal(clean)
	return string(b)
}

func mapJSON(m map[string]string) string {
	if len(m) == 0 {
		return "{}"
	}
	b, _ := json.Marshal(m)
	return string(b)
}
