package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"time"
)

// The statements one write runs in its transaction. They are prepared once
// on the writer's connection and reused by every transaction (Tx.StmtContext
// finds them prepared there): preparing them per write cost a parse per
// statement per second. Statements run with a context that cannot be
// cancelled (stmtCtx): modernc's driver starts a goroutine per statement
// to watch a cancellable one, which woke a thread per row; the transaction
// still ends with the run's context (database/sql rolls it back).

const insertState = `INSERT INTO check_state (asset, name, type, status, hard_status, hard, attempt,
	summary, metrics, primary_metric, attrs, last_run, duration, since, names, last_sample)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT (asset, name) DO UPDATE SET type = excluded.type, status = excluded.status,
	hard_status = excluded.hard_status, hard = excluded.hard, attempt = excluded.attempt,
	summary = excluded.summary, metrics = excluded.metrics, primary_metric = excluded.primary_metric,
	attrs = excluded.attrs, last_run = excluded.last_run, duration = excluded.duration,
	since = excluded.since, names = excluded.names, last_sample = excluded.last_sample
	RETURNING id`

// updateState rewrites a row whose id is known: by rowid, without the
// unique index's lookup and conflict of the upsert.
const updateState = `UPDATE check_state SET type = ?, status = ?, hard_status = ?, hard = ?, attempt = ?,
	summary = ?, metrics = ?, primary_metric = ?, attrs = ?, last_run = ?, duration = ?, since = ?,
	names = ?, last_sample = ? WHERE id = ?`

const insertResult = "INSERT OR IGNORE INTO results (check_id, at, status, duration, vals) VALUES (?, ?, ?, ?, ?)"

const insertMinute = "INSERT INTO rollup_1m (check_id, bucket, vals) VALUES (?, ?, ?) ON CONFLICT DO NOTHING"

const insertEvent = `INSERT INTO events (seq, at, kind, asset, check_name, service, from_status,
	to_status, hard, from_hard, from_attempt, attempt, max_attempts, summary)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// appendDay adds a change to the last part of its subject's day
// (subjectdays.go) while that part is under 4 KB; newDayPart
// starts the next part when it is not. A part is rewritten whole by each
// append, so a subject that flaps all day costs appends of at most a few
// KB, not of its whole day.
const appendDay = `INSERT INTO subject_days (day, asset, service, part, changes)
	VALUES (?1, ?2, ?3, (SELECT coalesce(max(part), 0) FROM subject_days WHERE day = ?1 AND asset = ?2 AND service = ?3), ?4)
	ON CONFLICT (day, asset, service, part) DO UPDATE SET changes = changes || excluded.changes
	WHERE length(changes) < 4096`

const newDayPart = `INSERT INTO subject_days (day, asset, service, part, changes)
	VALUES (?1, ?2, ?3, (SELECT max(part) + 1 FROM subject_days WHERE day = ?1 AND asset = ?2 AND service = ?3), ?4)`

// stmts are the writer's prepared statements, nil until the first write.
type stmts struct {
	insertState, updateState, insertResult, insertEvent, insertMinute, appendDay, newDayPart *sql.Stmt
}

// prepare prepares the statements on db (once).
func (st *stmts) prepare(ctx context.Context, db *sql.DB) error {
	if st.insertState != nil {
		return nil
	}
	var all [7]*sql.Stmt
	for i, q := range []string{insertState, updateState, insertResult, insertEvent, insertMinute, appendDay, newDayPart} {
		s, err := db.PrepareContext(ctx, q)
		if err != nil {
			for _, s := range all[:i] {
				s.Close()
			}
			return err
		}
		all[i] = s
	}
	st.insertState, st.updateState, st.insertResult, st.insertEvent, st.insertMinute = all[0], all[1], all[2], all[3], all[4]
	st.appendDay, st.newDayPart = all[5], all[6]
	return nil
}

// stmtCtx is ctx without its cancellation, for one statement (see above).
func stmtCtx(ctx context.Context) context.Context { return context.WithoutCancel(ctx) }

func (w *writer) writeStates(ctx context.Context, tx *sql.Tx) error {
	if len(w.dirty) == 0 {
		return nil
	}
	sctx := stmtCtx(ctx)
	var ins, upd *sql.Stmt
	for _, row := range w.dirty {
		c := row.state
		metrics := string(appendFiniteJSON(w.buf[:0], c.Metrics))
		if row.id != 0 {
			if upd == nil {
				upd = tx.StmtContext(sctx, w.stmts.updateState)
			}
			if _, err := upd.ExecContext(sctx, c.Type, int(c.Status), int(c.HardStatus), c.Hard, c.Attempt,
				c.Summary, metrics, c.Primary, mapJSON(c.Attrs), nanos(c.LastRun), int64(c.Duration),
				nanos(c.Since), row.namesJSON(), row.lastSample, row.id); err != nil {
				return err
			}
			continue
		}
		if ins == nil {
			ins = tx.StmtContext(sctx, w.stmts.insertState)
		}
		err := ins.QueryRowContext(sctx, c.Asset, c.Name, c.Type, int(c.Status), int(c.HardStatus), c.Hard, c.Attempt,
			c.Summary, metrics, c.Primary, mapJSON(c.Attrs), nanos(c.LastRun), int64(c.Duration),
			nanos(c.Since), row.namesJSON(), row.lastSample).Scan(&row.id)
		if err != nil {
			return err
		}
	}
	return nil
}

func (w *writer) writeResults(ctx context.Context, tx *sql.Tx) error {
	if len(w.results) == 0 {
		return nil
	}
	sctx := stmtCtx(ctx)
	stmt := tx.StmtContext(sctx, w.stmts.insertResult)
	for _, r := range w.results {
		if _, err := stmt.ExecContext(sctx, r.row.id, r.at, int(r.status), int64(r.dur), r.vals); err != nil {
			return err
		}
	}
	return nil
}

func (w *writer) writeEvents(ctx context.Context, tx *sql.Tx) error {
	if len(w.events) == 0 {
		return nil
	}
	sctx := stmtCtx(ctx)
	stmt := tx.StmtContext(sctx, w.stmts.insertEvent)
	var days *sql.Stmt
	for _, ev := range w.events {
		if _, err := stmt.ExecContext(sctx, int64(ev.Seq), ev.At.UnixNano(), ev.Kind, ev.Asset, ev.Check, ev.Service,
			int(ev.From), int(ev.To), ev.Hard, ev.FromHard, ev.FromAttempt, ev.Attempt, ev.MaxAttempts, ev.Summary); err != nil {
			return err
		}
		if day, change, ok := dayChange(&ev); ok {
			if days == nil {
				days = tx.StmtContext(sctx, w.stmts.appendDay)
			}
			res, err := days.ExecContext(sctx, day, ev.Asset, ev.Service, change)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil {
				return err
			} else if n == 0 { // the last part is full
				if _, err := tx.StmtContext(sctx, w.stmts.newDayPart).ExecContext(sctx, day, ev.Asset, ev.Service, change); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// upsertStats writes a rollup row through ins (its table's "INSERT ... ON
// CONFLICT DO NOTHING", in tx), merging it into one already there (a late
// result, or the hour being rolled again after a crash).
func upsertStats(ctx context.Context, tx *sql.Tx, ins *sql.Stmt, table string, id, bucket int64, st bucketStats) error {
	ctx = stmtCtx(ctx)
	res, err := ins.ExecContext(ctx, id, bucket, st.encode())
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
	_, err := tx.ExecContext(stmtCtx(ctx), "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, v)
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

// appendFiniteJSON appends metrics as a JSON object, keys sorted, without
// NaN and infinities, which JSON has no words for. Written out rather than
// through encoding/json: it ran for every stored result, and its map
// reflection was a sixth of writing a state.
func appendFiniteJSON(b []byte, m map[string]float64) []byte {
	keys := make([]string, 0, len(m))
	for k, v := range m {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, k)
		b = append(b, ':')
		b = strconv.AppendFloat(b, m[k], 'g', -1, 64)
	}
	return append(b, '}')
}

// appendJSONString appends s quoted: plain printable ASCII as it is,
// anything else through encoding/json (escapes, invalid UTF-8).
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s)
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

func mapJSON(m map[string]string) string {
	if len(m) == 0 {
		return "{}"
	}
	b, _ := json.Marshal(m)
	return string(b)
}
