// Package store keeps what noctop knows on disk, in one SQLite database
// (modernc.org/sqlite, no cgo): current check states, events, raw results
// for 48 h and per-minute and per-hour rollups of declared metrics. It is
// fed by an engine subscription (Run), hands a restart its Resume, and is
// the front ends' model.Archive. Imports point one way: main -> store ->
// model.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"noctop/model"
)

// Options tune a store; the zero value is what noctop runs with.
type Options struct {
	// Now is the clock (time.Now when nil): tests simulate days with it.
	Now func() time.Time
	// FlushEvery bounds how long written data waits in memory (1 s).
	FlushEvery time.Duration
	// PruneEvery is how often old rows are deleted (10 min).
	PruneEvery time.Duration
	// Report, when set, is told of what the log or banner should show:
	// the disk filling and history pausing, writing resuming, events lost.
	// It is called from the store's goroutine and must not block.
	Report func(msg string)
}

// Retention of each kind of row.
const (
	RawRetention    = 48 * time.Hour
	MinuteRetention = 30 * 24 * time.Hour
	HourRetention   = 400 * 24 * time.Hour
	// EventRetention keeps events as long as the hourly rollups: SLA over
	// 30 days and the event log reach back that far.
	EventRetention = HourRetention
)

// Store is an open database. Run feeds it; Resume, Events and Series read
// it; Close ends it.
type Store struct {
	path     string
	opts     Options
	readOnly bool
	w        *sql.DB // the writer's single connection; nil when read-only
	r        *sql.DB // readers, never blocked by the writer (WAL)
	lock     *lockFile
	status   atomic.Pointer[string]

	// ix is the checks' rows, which Run owns. waiting: the disk was full
	// at Open, and Run opens the database when it can (Resume is empty).
	ix      *index
	waiting bool
	// ops applies queued operations (Operate); acksSynced: the acks table
	// was rewritten in this run (store/acks.go). Run's goroutine only.
	ops        *opsRunner
	acksSynced bool
	// windowsSynced: the adhoc_windows table was rewritten in this run
	// (store/windows.go). Run's goroutine only.
	windowsSynced bool
}

// Open opens (creating it and its directory when missing) the database at
// path for a monitor: it takes the lock, migrates the schema forward and
// fails with a clear error, leaving the file as it was, when the file is
// not a noctop database, is damaged, read-only or newer. Errors wrap
// ErrLocked, ErrNotDatabase, ErrCorrupt, ErrReadOnly or ErrNewerSchema.
func Open(ctx context.Context, path string, opts Options) (*Store, error) {
	opts = opts.withDefaults()
	path, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("store: state directory: %w; choose another with --state-dir, or run with --no-store", err)
	}
	lock, err := acquireLock(path, opts.Now())
	if err != nil {
		return nil, err
	}
	s, err := open(ctx, path, opts, lock)
	if err != nil {
		lock.release()
		return nil, err
	}
	return s, nil
}

func open(ctx context.Context, path string, opts Options, lock *lockFile) (*Store, error) {
	if _, err := inspect(path, true); err != nil {
		return nil, err
	}
	w, err := sql.Open("sqlite", dsn(path, "busy_timeout(5000)", "synchronous(normal)"))
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	s := &Store{path: path, opts: opts, w: w, lock: lock}
	// Opening connects lazily: nothing is read or written yet.
	s.r, err = sql.Open("sqlite", dsn(path, "busy_timeout(5000)", "query_only(1)", "mmap_size(268435456)"))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("store: %s: %w", path, err)
	}
	s.r.SetMaxOpenConns(4)
	err = s.ready(ctx)
	if errors.Is(err, errDiskFull) {
		// A monitor started on a full disk runs: Run opens the database
		// when there is room (SQLite needs some for its shared memory).
		s.ix = &index{checks: make(map[model.CheckKey]*checkRow)}
		s.waiting = true
		msg := StatusDiskFull
		s.status.Store(&msg)
		s.report(msg)
		return s, nil
	}
	if err != nil {
		s.closeDBs()
		return nil, err
	}
	return s, nil
}

// ready checks and migrates the database and reads its index.
func (s *Store) ready(ctx context.Context) error {
	if err := s.prepareWriter(ctx); err != nil {
		return err
	}
	ix, err := loadIndex(ctx, s.r, true)
	if err != nil {
		return classify(s.path, err)
	}
	// The first monitor to open the database marks when recording began
	// (after the reads above, so a damaged file is not written to).
	if _, err := s.w.ExecContext(ctx, "INSERT INTO meta (key, value) VALUES ('began', ?) ON CONFLICT (key) DO NOTHING", s.opts.Now().UnixNano()); err != nil {
		return classify(s.path, err)
	}
	s.ix = ix
	return nil
}

// prepareWriter checks the version before anything writes (a newer file
// is left alone), then switches to WAL and migrates.
func (s *Store) prepareWriter(ctx context.Context) error {
	v, err := userVersion(ctx, s.w)
	if err != nil {
		return classify(s.path, err)
	}
	if v > schemaVersion {
		return newerSchema(s.path, v)
	}
	var mode string
	if err := s.w.QueryRowContext(ctx, "PRAGMA journal_mode = WAL").Scan(&mode); err != nil {
		return classify(s.path, err)
	}
	return migrate(ctx, s.w, s.path)
}

// Began is when a monitor first opened the database for writing: what
// availability is measured from (model.ArchiveBegan). Zero for a database
// no monitor has opened.
func (s *Store) Began(ctx context.Context) (time.Time, error) {
	var began sql.NullInt64
	err := s.r.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = 'began'").Scan(&began)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, classify(s.path, err)
	}
	return fromNanos(began.Int64), nil
}

// OpenReadOnly opens the database for reading only, beside a monitor that
// writes it (`noctop events`, `noctop sla`): no lock, no migration. Errors
// wrap ErrNoDatabase, ErrNotDatabase, ErrCorrupt, ErrNewerSchema or
// ErrOlderSchema.
func OpenReadOnly(ctx context.Context, path string, opts Options) (*Store, error) {
	opts = opts.withDefaults()
	path, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", path, err)
	}
	exists, err := inspect(path, false)
	if err != nil {
		return nil, err
	}
	if !exists {
		return nil, fmt.Errorf("store: no database at %s: %w; the monitor writes it (noctop, noctop --headless), or name another with --state-dir", path, ErrNoDatabase)
	}
	r, err := sql.Open("sqlite", dsn(path, "busy_timeout(5000)")+"&mode=ro")
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", path, err)
	}
	r.SetMaxOpenConns(4)
	s := &Store{path: path, opts: opts, readOnly: true, r: r}
	v, err := userVersion(ctx, r)
	if err != nil {
		r.Close()
		return nil, classify(path, err)
	}
	switch {
	case v > schemaVersion:
		r.Close()
		return nil, newerSchema(path, v)
	case v < schemaVersion:
		r.Close()
		return nil, fmt.Errorf("store: %s has schema version %d, this noctop reads %d: %w; start the monitor once to upgrade it", path, v, schemaVersion, ErrOlderSchema)
	}
	// Read the small tables now, so a damaged file says so here.
	if s.ix, err = loadIndex(ctx, r, false); err != nil {
		r.Close()
		return nil, classify(path, err)
	}
	return s, nil
}

// dsn is a file: URI for path with the driver's per-connection pragmas.
func dsn(path string, pragmas ...string) string {
	q := url.Values{}
	for _, p := range pragmas {
		q.Add("_pragma", p)
	}
	u := url.URL{Scheme: "file", Path: path, RawQuery: q.Encode()}
	return u.String()
}

func (o Options) withDefaults() Options {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.FlushEvery <= 0 {
		o.FlushEvery = time.Second
	}
	if o.PruneEvery <= 0 {
		o.PruneEvery = 10 * time.Minute
	}
	return o
}

// Path is the database's absolute path.
func (s *Store) Path() string { return s.path }

// Status is what the banner and the log show about the store: "" while it
// writes normally, "store: disk full, history paused" while it cannot.
func (s *Store) Status() string {
	if p := s.status.Load(); p != nil {
		return *p
	}
	return ""
}

// Close closes the database and releases the lock. Run must have returned.
func (s *Store) Close() error {
	err := s.closeDBs()
	s.lock.release()
	return err
}

func (s *Store) closeDBs() error {
	var errs []error
	if s.r != nil {
		errs = append(errs, s.r.Close())
	}
	if s.w != nil {
		errs = append(errs, s.w.Close())
	}
	return errors.Join(errs...)
}

// _ checks the interface at compile time.
var _ model.Archive = (*Store)(nil)

// IntegrityCheck runs SQLite's integrity_check over the whole file: nil,
// or an error wrapping ErrCorrupt with what SQLite found.
func (s *Store) IntegrityCheck(ctx context.Context) error {
	rows, err := s.r.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return classify(s.path, err)
	}
	defer rows.Close()
	var found []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return classify(s.path, err)
		}
		if line != "ok" {
			found = append(found, line)
		}
	}
	if err := rows.Err(); err != nil {
		return classify(s.path, err)
	}
	if len(found) > 0 {
		return fmt.Errorf("store: %s: %w: %s", s.path, ErrCorrupt, strings.Join(found, "; "))
	}
	return nil
}
