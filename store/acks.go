package store

import (
	"context"
	"database/sql"

	"noctop/model"
)

// The acks table holds the acknowledgements in force, so a restart
// resumes them (model.Resume.Acks). It is derived from the snapshot, not
// from the events' text: whenever a written batch holds an ack event (set,
// removed, cleared by recovery), and once per run, the table is rewritten
// from the latest snapshot taken, in the same transaction as the events.
// Acks are few; the walk over the snapshot's states is the cost, and only
// then.

// writeAcks rewrites the acks table from snap when events hold an ack
// event or the table was not rewritten in this run yet.
func (s *Store) writeAcks(ctx context.Context, tx *sql.Tx, events []model.Event, snap *model.Snapshot) error {
	if snap == nil {
		return nil
	}
	if !rewriteDue(s.acksSynced, events, model.EventAck) {
		return nil
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM acks"); err != nil {
		return err
	}
	var stmt *sql.Stmt
	put := func(asset, check string, a *model.Ack) error {
		if stmt == nil {
			var err error
			if stmt, err = tx.PrepareContext(ctx, "INSERT INTO acks (asset, check_name, operator, comment, at, sticky) VALUES (?, ?, ?, ?, ?, ?)"); err != nil {
				return err
			}
		}
		_, err := stmt.ExecContext(ctx, asset, check, a.By, a.Comment, nanos(a.At), a.Sticky)
		return err
	}
	defer func() {
		if stmt != nil {
			stmt.Close()
		}
	}()
	for _, a := range snap.Assets {
		if a.Ack != nil {
			if err := put(a.Name, "", a.Ack); err != nil {
				return err
			}
		}
		for _, c := range a.Checks {
			if c.Ack != nil {
				if err := put(a.Name, c.Name, c.Ack); err != nil {
					return err
				}
			}
		}
	}
	// Should the transaction fail, its ack events stay queued and the
	// next try rewrites the table again.
	s.acksSynced = true
	return nil
}

// readAcks reads the acknowledgements the last run left.
func (s *Store) readAcks(ctx context.Context) (map[model.CheckKey]model.Ack, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT asset, check_name, operator, comment, at, sticky FROM acks")
	if err != nil {
		return nil, classify(s.path, err)
	}
	defer rows.Close()
	out := make(map[model.CheckKey]model.Ack)
	for rows.Next() {
		var k model.CheckKey
		var a model.Ack
		var at int64
		if err := rows.Scan(&k.Asset, &k.Check, &a.By, &a.Comment, &at, &a.Sticky); err != nil {
			return nil, classify(s.path, err)
		}
		a.At = fromNanos(at)
		out[k] = a
	}
	return out, classify(s.path, rows.Err())
}

// rewriteDue reports whether a table derived from the snapshot must be
// rewritten: it was not in this run yet, or the batch holds an event of
// the kind that changes it.
func rewriteDue(synced bool, events []model.Event, kind string) bool {
	if !synced {
		return true
	}
	for i := range events {
		if events[i].Kind == kind {
			return true
		}
	}
	return false
}
