package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"noctop/model"
)

// Operation kinds: what a row of the operations table asks the monitor.
const (
	OpAck            = "ack"
	OpUnack          = "unack"
	OpMaintenance    = "maintenance"
	OpEndMaintenance = "end_maintenance"
)

// ErrNotImplemented rejects an operation this build has no handler for.
var ErrNotImplemented = errors.New("not implemented by this build")

// ErrBadOperation: an operation that cannot be queued as given.
var ErrBadOperation = errors.New("bad operation")

// Operation is one operator action from another process (`noctop ack`),
// queued in the database for the monitor that holds it.
type Operation struct {
	ID    int64
	At    time.Time
	By    string
	Kind  string // OpAck, OpUnack, OpMaintenance, OpEndMaintenance
	Asset string
	// Check is "" for the asset itself.
	Check   string
	Comment string
	Sticky  bool
	// Until ends a maintenance window (zero: none given).
	Until time.Time
}

// Key is the asset or check the operation is about.
func (o Operation) Key() model.CheckKey { return model.CheckKey{Asset: o.Asset, Check: o.Check} }

// AckRequest is the engine's request for an OpAck row.
func (o Operation) AckRequest() model.AckRequest {
	return model.AckRequest{Key: o.Key(), By: o.By, Comment: o.Comment, Sticky: o.Sticky, At: o.At}
}

// Handlers apply operations in the monitor (main wires them to the
// engine). Each returns nil when applied, else why not: the row is marked
// rejected with that text. A nil handler rejects its kind as not
// implemented. An error wrapping model.ErrEngineStopped or the context's
// leaves the row queued for the next monitor.
type Handlers struct {
	Ack, Unack, Maintenance, EndMaintenance func(context.Context, Operation) error
}

// handler is h's function for kind (nil: none).
func (h *Handlers) handler(kind string) func(context.Context, Operation) error {
	switch kind {
	case OpAck:
		return h.Ack
	case OpUnack:
		return h.Unack
	case OpMaintenance:
		return h.Maintenance
	case OpEndMaintenance:
		return h.EndMaintenance
	}
	return nil
}

// opsRunner is Run's side of the operations table: what it has handed on.
type opsRunner struct {
	h    Handlers
	last int64 // the highest id handled in this run
}

// Operate makes Run apply queued operations through h: those queued before
// it starts, at once, then new ones at each flush (at most FlushEvery
// later). Call it before Run.
func (s *Store) Operate(h Handlers) { s.ops = &opsRunner{h: h} }

// opTimeout bounds one handler call (the engine answers in microseconds;
// a stuck one must not stop the writer).
const opTimeout = 5 * time.Second

// applyOperations hands the rows queued since the last call to the
// handlers and marks each. Run's goroutine only.
func (s *Store) applyOperations(ctx context.Context) {
	if s.ops == nil || s.waiting || s.readOnly || ctx.Err() != nil {
		return
	}
	ops, err := s.pendingOperations(ctx, s.ops.last)
	if err != nil {
		s.report(fmt.Sprintf("store: reading queued operations: %v", err))
		return
	}
	for _, op := range ops {
		h := s.ops.h.handler(op.Kind)
		var err error
		if h == nil {
			err = fmt.Errorf("%s %w", kindWords(op.Kind), ErrNotImplemented)
		} else {
			octx, cancel := context.WithTimeout(ctx, opTimeout)
			err = h(octx, op)
			cancel()
		}
		if errors.Is(err, model.ErrEngineStopped) || ctx.Err() != nil {
			return // left queued: the next monitor applies it
		}
		s.ops.last = op.ID
		if err := s.markOperation(ctx, op.ID, err); err != nil {
			s.report(fmt.Sprintf("store: marking operation %d: %v", op.ID, err))
		}
	}
}

// kindWords names an operation kind in a rejection.
func kindWords(kind string) string {
	switch kind {
	case OpMaintenance, OpEndMaintenance:
		return "maintenance windows are"
	}
	return kind + " is"
}

func (s *Store) pendingOperations(ctx context.Context, after int64) ([]Operation, error) {
	rows, err := s.w.QueryContext(ctx, `SELECT id, at, operator, kind, asset, check_name, comment, sticky, until
		FROM operations WHERE applied_at IS NULL AND id > ? ORDER BY id`, after)
	if err != nil {
		return nil, classify(s.path, err)
	}
	defer rows.Close()
	var out []Operation
	for rows.Next() {
		var op Operation
		var at, until int64
		if err := rows.Scan(&op.ID, &at, &op.By, &op.Kind, &op.Asset, &op.Check, &op.Comment, &op.Sticky, &until); err != nil {
			return nil, classify(s.path, err)
		}
		op.At, op.Until = fromNanos(at), fromNanos(until)
		out = append(out, op)
	}
	return out, classify(s.path, rows.Err())
}

// markOperation records the verdict: applied (opErr nil) or rejected.
func (s *Store) markOperation(ctx context.Context, id int64, opErr error) error {
	var reason sql.NullString
	if opErr != nil {
		reason = sql.NullString{String: opErr.Error(), Valid: true}
	}
	_, err := s.w.ExecContext(ctx, "UPDATE operations SET applied_at = ?, error = ? WHERE id = ?", s.opts.Now().UnixNano(), reason, id)
	return classify(s.path, err)
}
