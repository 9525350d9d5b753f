package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"math"
	"time"

	"noctop/model"
)

// StatusDiskFull is Status while the disk is full.
const StatusDiskFull = "store: disk full, history paused"

// maxPendingEvents bounds the events kept in memory while writes fail.
const maxPendingEvents = 100_000

// minuteGrace is how long a minute's rollup waits for late results (a
// check's run ends after its start) before it is written.
const minuteGrace = 30 * time.Second

// hourGrace is how long after an hour its rollup is made from the minutes.
const hourGrace = 5 * time.Minute

// ErrReadOnlyStore: Run on a store opened with OpenReadOnly.
var ErrReadOnlyStore = errors.New("store opened read-only")

// Run writes what the snapshots on snaps carry (new events, new history
// samples, changed check states) in one transaction at most FlushEvery
// apart, rolls up and prunes, until ctx ends or snaps is closed; then it
// writes what it holds and returns. It is the only writer: call it once,
// after Resume. A failing write (a full disk) does not stop it: the
// monitor keeps running, Status says so, history is paused and writing
// resumes when it can.
func (s *Store) Run(ctx context.Context, snaps <-chan *model.Snapshot) error {
	if s.readOnly {
		return ErrReadOnlyStore
	}
	w := s.newWriter()
	w.paused = s.waiting
	tick := time.NewTicker(s.opts.FlushEvery)
	defer tick.Stop()
	nextPrune := s.opts.Now() // prune once at start, then on schedule
	s.applyOperations(ctx)    // what was queued while no monitor ran
	for {
		select {
		case <-ctx.Done():
			select {
			case snap, ok := <-snaps:
				if ok {
					w.take(snap)
				}
			default:
			}
			w.final(ctx)
			return nil
		case snap, ok := <-snaps:
			if !ok {
				w.final(ctx)
				return nil
			}
			w.take(snap)
		case <-tick.C:
			if s.waiting && !w.open(ctx) {
				continue
			}
			w.flush(ctx, false)
			s.applyOperations(ctx)
			if now := s.opts.Now(); !now.Before(nextPrune) && !w.paused {
				w.prune(ctx, now)
				nextPrune = now.Add(s.opts.PruneEvery)
			}
		}
	}
}

// final writes everything held, minutes still open included, with a
// context of its own: the run's has ended.
func (w *writer) final(ctx context.Context) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if w.s.waiting && !w.open(ctx) {
		return
	}
	w.flush(ctx, true)
}

func (s *Store) newWriter() *writer {
	return &writer{s: s, ix: s.ix, minutes: make(map[bucketKey]bucketStats), lastSeq: s.ix.lastSeq}
}

// writer is Run's state; only Run's goroutine touches it.
type writer struct {
	s       *Store
	ix      *index
	lastSeq uint64
	events  []model.Event
	dirty   []*checkRow // rows for the next write
	stale   []*checkRow // rows whose latest result waits (stateEvery)
	// nextScan is when stale is next looked through.
	nextScan time.Time
	results  []resultRow
	minutes  map[bucketKey]bucketStats
	lost     uint64
	paused   bool
	last     *model.Snapshot // the latest taken, to take again on open
	stmts    stmts
	buf      []byte // scratch for encoding a state's metrics
}

// open opens the database a full disk kept closed at Open; on success the
// checks' rows are the database's and the latest snapshot is taken again
// against them (its events already are).
func (w *writer) open(ctx context.Context) bool {
	if err := w.s.ready(ctx); err != nil {
		return false
	}
	w.s.waiting = false
	w.ix = w.s.ix
	w.dirty = w.dirty[:0]
	if w.last != nil {
		for _, a := range w.last.Assets {
			for _, c := range a.Checks {
				w.takeCheck(c)
			}
		}
	}
	return true
}

type resultRow struct {
	row    *checkRow
	at     int64
	status model.Status
	dur    time.Duration
	vals   []byte
}

type bucketKey struct {
	row    *checkRow
	bucket int64 // unix seconds
}

// take collects what snap has that is not written yet.
func (w *writer) take(snap *model.Snapshot) {
	var newest uint64
	for _, ev := range snap.Events {
		newest = max(newest, ev.Seq)
	}
	if len(snap.Events) > 0 && newest < w.lastSeq {
		w.lastSeq = 0 // the engine numbered afresh (it was not resumed)
	}
	for _, ev := range snap.Events {
		if ev.Seq <= w.lastSeq {
			continue
		}
		if w.lastSeq > 0 && ev.Seq > w.lastSeq+1 {
			w.lost += ev.Seq - w.lastSeq - 1
			w.s.report(fmt.Sprintf("store: %d events lost (the store fell behind the engine)", ev.Seq-w.lastSeq-1))
		}
		w.lastSeq = ev.Seq
		if len(w.events) >= maxPendingEvents {
			w.events = w.events[1:]
			w.lost++
		}
		w.events = append(w.events, ev)
	}
	// An asset whose state is the same pointer as in the snapshot taken
	// before is unchanged, checks and all: at 10,000 assets and ten
	// snapshots a second, walking only the changed ones saves 100,000
	// check lookups a second.
	var prev []*model.AssetState
	if w.last != nil { // the snapshot taken before this one
		prev = w.last.Assets
	}
	same := len(prev) == len(snap.Assets)
	for i, a := range snap.Assets {
		if same && prev[i] == a {
			continue
		}
		for _, c := range a.Checks {
			w.takeCheck(c)
		}
	}
	w.last = snap
}

func (w *writer) takeCheck(c *model.CheckState) {
	k := c.Key()
	row := w.ix.checks[k]
	if row == nil {
		row = &checkRow{typ: c.Type}
		w.ix.checks[k] = row
	}
	if row.state == c {
		return // same pointer: unchanged since the last snapshot
	}
	row.state = c
	row.typ = c.Type
	w.takeHistory(row, c)
	w.queueState(row, c)
}

// takeHistory queues c's history samples newer than the row's last
// written one, and adds them to their minutes' rollups.
func (w *writer) takeHistory(row *checkRow, c *model.CheckState) {
	h := c.History
	first := h.Len()
	for first > 0 && h.At(first-1).UnixNano() > row.lastSample {
		first--
	}
	if first == h.Len() {
		return
	}
	row.lastSample = h.At(h.Len() - 1).UnixNano()
	if w.paused {
		return // history paused: no room for it
	}
	cols := row.columns(h.Names, c)
	vals := make([]float32, len(row.names))
	for i := first; i < h.Len(); i++ {
		smp := h.Sample(i)
		for j := range vals {
			vals[j] = float32(math.NaN())
		}
		for j, v := range smp.Values {
			if j < len(cols) && cols[j] >= 0 {
				vals[cols[j]] = v
			}
		}
		at := smp.At.UnixNano()
		w.results = append(w.results, resultRow{row: row, at: at, status: smp.Status, dur: smp.Duration, vals: encodeValues(vals)})
		bk := bucketKey{row: row, bucket: smp.At.Unix() - smp.At.Unix()%60}
		st := w.minutes[bk]
		for j, v := range vals {
			if math.IsNaN(float64(v)) || !row.declared[j] {
				continue
			}
			for len(st) <= j {
				st = append(st, stat{})
			}
			st[j].add(v)
		}
		if st != nil {
			w.minutes[bk] = st
		}
	}
}

// stateEvery is how long a check's row may lag its latest result when
// nothing but that result changed (summary, metrics, last run, duration):
// rewriting a row per result was most of the store's CPU. A change of
// status, hard state, attempt, since, type, primary metric, attrs or metric
// columns is written within the second; so is every row on a clean stop.
// A kill -9 may resume a check's last result up to this old (its history
// and its status are exact).
const stateEvery = 5 * time.Minute

// queueState queues the row for the next write when c changed what a
// restart must have exactly, else for a write within stateEvery.
func (w *writer) queueState(row *checkRow, c *model.CheckState) {
	if row.dirty {
		return
	}
	if row.written == nil || row.writtenNames != len(row.names) || durableChanged(row.written, c) {
		row.dirty = true
		w.dirty = append(w.dirty, row)
		return
	}
	if !row.stale {
		row.stale = true
		w.stale = append(w.stale, row)
	}
}

// durableChanged reports whether c differs from was, what was last
// written, in more than its latest result.
func durableChanged(was *durable, c *model.CheckState) bool {
	return was.status != c.Status || was.hardStatus != c.HardStatus || was.hard != c.Hard ||
		was.attempt != c.Attempt || !was.since.Equal(c.Since) || was.typ != c.Type ||
		was.primary != c.Primary || !maps.Equal(was.attrs, c.Attrs)
}

// staleScan is how often the waiting rows are looked through: each row
// waits stateEvery to stateEvery+staleScan.
const staleScan = 10 * time.Second

// dueStates moves the rows whose latest result waited stateEvery (all of
// them when final) to the next write.
func (w *writer) dueStates(now time.Time, final bool) {
	if !final && now.Before(w.nextScan) {
		return
	}
	w.nextScan = now.Add(staleScan)
	kept := w.stale[:0]
	for _, row := range w.stale {
		switch {
		case !row.stale || row.dirty:
			row.stale = false // queued for writing meanwhile
		case final || now.Sub(row.writtenAt) >= stateEvery:
			row.stale, row.dirty = false, true
			w.dirty = append(w.dirty, row)
		default:
			kept = append(kept, row)
		}
	}
	clear(w.stale[len(kept):])
	w.stale = kept
}

// flush writes what is pending in one transaction; final writes the
// minutes still open too.
func (w *writer) flush(ctx context.Context, final bool) {
	now := w.s.opts.Now()
	closeBefore := now.Add(-minuteGrace).Unix() - 60
	var minutes []bucketKey
	for k := range w.minutes {
		if final || k.bucket < closeBefore {
			minutes = append(minutes, k)
		}
	}
	w.dueStates(now, final)
	if len(w.events) == 0 && len(w.dirty) == 0 && len(w.results) == 0 && len(minutes) == 0 {
		w.rollHours(ctx, now)
		return
	}
	err := w.write(ctx, now, minutes)
	if err != nil {
		w.failed(err)
		return
	}
	for _, row := range w.dirty {
		row.dirty = false
		row.noteWritten(row.state, now)
	}
	w.events, w.dirty, w.results = w.events[:0], w.dirty[:0], w.results[:0]
	for _, k := range minutes {
		delete(w.minutes, k)
	}
	if w.paused {
		w.paused = false
		w.s.status.Store(nil)
		w.s.report("store: writing again, history resumed")
	}
	w.rollHours(ctx, now)
}

// failed pauses history after a failed write: states and events stay
// queued for the next try, results and open minutes are dropped (the
// engine still holds the recent ones, and a full disk has no room for
// them).
func (w *writer) failed(err error) {
	w.results = w.results[:0]
	clear(w.minutes)
	msg := StatusDiskFull
	if !errors.Is(err, errDiskFull) {
		msg = "store: write failed, history paused: " + err.Error()
	}
	if !w.paused || w.s.Status() != msg {
		w.s.status.Store(&msg)
		w.s.report(msg)
	}
	w.paused = true
}

func (w *writer) write(ctx context.Context, now time.Time, minutes []bucketKey) (err error) {
	if err := w.stmts.prepare(ctx, w.s.w); err != nil {
		return classify(w.s.path, err)
	}
	tx, err := w.s.w.BeginTx(ctx, nil)
	if err != nil {
		return classify(w.s.path, err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
			err = classify(w.s.path, err)
		}
	}()
	if err := w.writeStates(ctx, tx); err != nil {
		return err
	}
	if err := w.writeResults(ctx, tx); err != nil {
		return err
	}
	if err := w.writeEvents(ctx, tx); err != nil {
		return err
	}
	if err := w.s.writeWindows(ctx, tx, w.events, w.last); err != nil {
		return err
	}
	if err := w.s.writeAcks(ctx, tx, w.events, w.last); err != nil {
		return err
	}
	var insMinute *sql.Stmt
	if len(minutes) > 0 {
		insMinute = tx.StmtContext(stmtCtx(ctx), w.stmts.insertMinute)
	}
	for _, k := range minutes {
		if err := upsertStats(ctx, tx, insMinute, "rollup_1m", k.row.id, k.bucket, w.minutes[k]); err != nil {
			return err
		}
		if w.ix.hourEnd == 0 {
			w.ix.hourEnd = k.bucket - k.bucket%3600
			if err := setMeta(ctx, tx, "hour_end", w.ix.hourEnd); err != nil {
				return err
			}
		}
	}
	if err := setMeta(ctx, tx, "last_write", now.UnixNano()); err != nil {
		return err
	}
	return tx.Commit()
}

func (s *Store) report(msg string) {
	if s.opts.Report != nil {
		s.opts.Report(msg)
	}
}
