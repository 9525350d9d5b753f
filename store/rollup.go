package store

import (
	"context"
	"time"
)

// rollHours makes the hourly rollups of the hours complete since the last
// roll from their minutes, in one transaction; after a crash or a long
// stop it catches up the same way.
func (w *writer) rollHours(ctx context.Context, now time.Time) {
	end := now.Add(-hourGrace).Unix()
	end -= end % 3600
	if w.ix.hourEnd == 0 || end <= w.ix.hourEnd || w.paused {
		return
	}
	from := max(w.ix.hourEnd, end-int64(MinuteRetention/time.Second))
	if err := w.rollRange(ctx, from, end); err != nil {
		w.failed(classify(w.s.path, err))
		return
	}
	w.ix.hourEnd = end
}

func (w *writer) rollRange(ctx context.Context, from, end int64) error {
	tx, err := w.s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, "SELECT bucket, vals FROM rollup_1m WHERE check_id = ? AND bucket >= ? AND bucket < ?")
	if err != nil {
		return err
	}
	defer stmt.Close()
	ins, err := tx.PrepareContext(ctx, "INSERT INTO rollup_1h (check_id, bucket, vals) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
	if err != nil {
		return err
	}
	defer ins.Close()
	for _, row := range w.ix.checks {
		if row.id == 0 {
			continue
		}
		hours := make(map[int64]bucketStats)
		if err := ctx.Err(); err != nil {
			return err
		}
		// stmtCtx: a watcher goroutine per statement otherwise (rows.go).
		rows, err := stmt.QueryContext(stmtCtx(ctx), row.id, from, end)
		if err != nil {
			return err
		}
		for rows.Next() {
			var bucket int64
			var vals []byte
			if err := rows.Scan(&bucket, &vals); err != nil {
				rows.Close()
				return err
			}
			h := bucket - bucket%3600
			hours[h] = hours[h].mergeInto(decodeStats(vals))
		}
		if err := rows.Close(); err != nil {
			return err
		}
		for h, st := range hours {
			if err := upsertStats(ctx, tx, ins, "rollup_1h", row.id, h, st); err != nil {
				return err
			}
		}
	}
	if err := setMeta(ctx, tx, "hour_end", end); err != nil {
		return err
	}
	return tx.Commit()
}

// prune deletes what is past its retention, in one transaction: raw
// results after 48 h, minutes after 30 days, hours and events after 400.
func (w *writer) prune(ctx context.Context, now time.Time) {
	if err := w.pruneTx(ctx, now); err != nil {
		w.failed(classify(w.s.path, err))
	}
}

func (w *writer) pruneTx(ctx context.Context, now time.Time) error {
	tx, err := w.s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	raw := now.Add(-RawRetention).UnixNano()
	minute := now.Add(-MinuteRetention).Unix()
	hour := now.Add(-HourRetention).Unix()
	// Per check, so each delete is a range of the primary key.
	stmts := []struct {
		sql    string
		before int64
	}{
		{"DELETE FROM results WHERE check_id = ? AND at < ?", raw},
		{"DELETE FROM rollup_1m WHERE check_id = ? AND bucket < ?", minute},
		{"DELETE FROM rollup_1h WHERE check_id = ? AND bucket < ?", hour},
	}
	for _, q := range stmts {
		stmt, err := tx.PrepareContext(ctx, q.sql)
		if err != nil {
			return err
		}
		for _, row := range w.ix.checks {
			if row.id == 0 {
				continue
			}
			if err := ctx.Err(); err != nil {
				stmt.Close()
				return err
			}
			// stmtCtx: a watcher goroutine per statement otherwise (rows.go).
			if _, err := stmt.ExecContext(stmtCtx(ctx), row.id, q.before); err != nil {
				stmt.Close()
				return err
			}
		}
		stmt.Close()
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM events WHERE at < ?", now.Add(-EventRetention).UnixNano()); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM subject_days WHERE day < ?", now.Add(-EventRetention).UnixNano()/dayNanos); err != nil {
		return err
	}
	return tx.Commit()
}
