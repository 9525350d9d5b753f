package store

import (
	"context"
	"database/sql"

	"noctop/model"
)

// The adhoc_windows table holds the operators' maintenance windows in
// force (`m` in the dashboard, `noctop maintenance`), so a restart resumes
// them (model.Resume.AdHocWindows; the engine drops those over by then).
// Like the acks table it is rewritten from the latest snapshot taken,
// whenever a written batch holds a maintenance event (a window opened,
// ended, started or ended on an asset) and once per run, in the same
// transaction as the events. Config windows need no table: the config
// brings them back.

// writeWindows rewrites the adhoc_windows table from snap when events hold
// a maintenance event or the table was not rewritten in this run yet.
func (s *Store) writeWindows(ctx context.Context, tx *sql.Tx, events []model.Event, snap *model.Snapshot) error {
	if snap == nil {
		return nil
	}
	if !rewriteDue(s.windowsSynced, events, model.EventMaintenance) {
		return nil
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM adhoc_windows"); err != nil {
		return err
	}
	for _, w := range snap.AdHocWindows {
		if _, err := tx.ExecContext(ctx, "INSERT INTO adhoc_windows (asset, reason, operator, from_at, until) VALUES (?, ?, ?, ?, ?)",
			w.Asset, w.Reason, w.By, nanos(w.From), nanos(w.Until)); err != nil {
			return err
		}
	}
	// Should the transaction fail, its events stay queued and the next
	// try rewrites the table again.
	s.windowsSynced = true
	return nil
}

// readWindows reads the ad hoc windows the last run left, by asset.
func (s *Store) readWindows(ctx context.Context) ([]model.AdHocWindow, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT asset, reason, operator, from_at, until FROM adhoc_windows ORDER BY asset")
	if err != nil {
		return nil, classify(s.path, err)
	}
	defer rows.Close()
	var out []model.AdHocWindow
	for rows.Next() {
		var w model.AdHocWindow
		var from, until int64
		if err := rows.Scan(&w.Asset, &w.Reason, &w.By, &from, &until); err != nil {
			return nil, classify(s.path, err)
		}
		w.From, w.Until = fromNanos(from), fromNanos(until)
		out = append(out, w)
	}
	return out, classify(s.path, rows.Err())
}
