package store

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// Operations is another process's handle on a monitor's database for
// queueing operations (`noctop ack`): one connection, no lock (WAL lets it
// write beside the monitor), no migration.
type Operations struct {
	path string
	db   *sql.DB
}

// OpenOperations opens the database at path to queue operations. Errors
// wrap ErrNoDatabase, ErrNotDatabase, ErrCorrupt, ErrReadOnly,
// ErrNewerSchema or ErrOlderSchema.
func OpenOperations(ctx context.Context, path string) (*Operations, error) {
	path, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", path, err)
	}
	exists, err := inspect(path, true)
	if err != nil {
		return nil, err
	}
	if !exists {
		return nil, fmt.Errorf("store: no database at %s: %w; the monitor writes it (noctop, noctop --headless), or name another with --state-dir", path, ErrNoDatabase)
	}
	db, err := sql.Open("sqlite", dsn(path, "busy_timeout(5000)"))
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	v, err := userVersion(ctx, db)
	if err != nil {
		db.Close()
		return nil, classify(path, err)
	}
	switch {
	case v > schemaVersion:
		db.Close()
		return nil, newerSchema(path, v)
	case v < schemaVersion:
		db.Close()
		return nil, fmt.Errorf("store: %s has schema version %d, this noctop needs %d: %w; start the monitor once to upgrade it", path, v, schemaVersion, ErrOlderSchema)
	}
	return &Operations{path: path, db: db}, nil
}

// Path is the database's absolute path.
func (o *Operations) Path() string { return o.path }

// Close closes the connection.
func (o *Operations) Close() error { return o.db.Close() }

// Queue inserts op and returns its id. Kind, Asset and By are required;
// Until only for maintenance.
func (o *Operations) Queue(ctx context.Context, op Operation) (int64, error) {
	switch {
	case op.Kind != OpAck && op.Kind != OpUnack && op.Kind != OpMaintenance && op.Kind != OpEndMaintenance:
		return 0, fmt.Errorf("store: operation kind %q: %w", op.Kind, ErrBadOperation)
	case op.Asset == "":
		return 0, fmt.Errorf("store: %s without an asset: %w", op.Kind, ErrBadOperation)
	case op.By == "":
		return 0, fmt.Errorf("store: %s without an operator: %w", op.Kind, ErrBadOperation)
	case op.Kind == OpMaintenance && op.Until.IsZero():
		return 0, fmt.Errorf("store: maintenance without an end: %w", ErrBadOperation)
	}
	if op.At.IsZero() {
		op.At = time.Now()
	}
	res, err := o.db.ExecContext(ctx, `INSERT INTO operations (at, operator, kind, asset, check_name, comment, sticky, until)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, op.At.UnixNano(), op.By, op.Kind, op.Asset, op.Check, op.Comment, op.Sticky, nanos(op.Until))
	if err != nil {
		return 0, classify(o.path, err)
	}
	return res.LastInsertId()
}

// Mark is the monitor's verdict on a queued operation.
type Mark struct {
	// Done is false while no monitor has handled it.
	Done bool
	At   time.Time
	// Rejected holds why it was not applied ("" when applied).
	Rejected string
}

// Mark reads the verdict on operation id.
func (o *Operations) Mark(ctx context.Context, id int64) (Mark, error) {
	var at sql.NullInt64
	var reason sql.NullString
	err := o.db.QueryRowContext(ctx, "SELECT applied_at, error FROM operations WHERE id = ?", id).Scan(&at, &reason)
	if err != nil {
		return Mark{}, classify(o.path, err)
	}
	return Mark{Done: at.Valid, At: fromNanos(at.Int64), Rejected: reason.String}, nil
}

// Wait polls the verdict on operation id every poll until it is marked or
// ctx ends (then it returns the last read, not done, and no error).
func (o *Operations) Wait(ctx context.Context, id int64, poll time.Duration) (Mark, error) {
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		m, err := o.Mark(ctx, id)
		if err != nil || m.Done {
			if ctx.Err() != nil && !m.Done {
				return m, nil
			}
			return m, err
		}
		select {
		case <-ctx.Done():
			return m, nil
		case <-t.C:
		}
	}
}

// MonitorRunning reports whether a monitor holds the database: whether the
// kernel lists an flock on its lock file (/proc/locks). It never takes the
// lock itself, not even for a moment: a monitor starting then would fail.
func (o *Operations) MonitorRunning() (bool, error) {
	return lockHeld(lockPath(o.path))
}

func lockHeld(path string) (bool, error) {
	var st unix.Stat_t
	if err := unix.Stat(path, &st); err != nil {
		if errors.Is(err, unix.ENOENT) {
			return false, nil
		}
		return false, fmt.Errorf("store: %s: %w", path, err)
	}
	f, err := os.Open("/proc/locks")
	if err != nil {
		return false, fmt.Errorf("store: cannot tell whether a monitor runs: %w", err)
	}
	defer f.Close()
	want := fmt.Sprintf("%02x:%02x:%d", unix.Major(st.Dev), unix.Minor(st.Dev), st.Ino)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// "1: FLOCK  ADVISORY  WRITE 4242 00:2c:1234 0 EOF"; a waiter's
		// line has "->" after the number.
		fs := strings.Fields(sc.Text())
		if len(fs) >= 6 && fs[1] == "FLOCK" && sameFile(fs[5], want) {
			return true, nil
		}
	}
	return false, sc.Err()
}

// sameFile compares /proc/locks' "maj:min:inode" with ours; the kernel
// prints the device numbers in hex of varying width.
func sameFile(got, want string) bool {
	g, w := strings.Split(got, ":"), strings.Split(want, ":")
	if len(g) != 3 || len(w) != 3 {
		return false
	}
	for i := range 2 {
		a, err1 := strconv.ParseUint(g[i], 16, 32)
		b, err2 := strconv.ParseUint(w[i], 16, 32)
		if err1 != nil || err2 != nil || a != b {
			return false
		}
	}
	return g[2] == w[2]
}
