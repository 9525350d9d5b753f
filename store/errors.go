package store

import (
	"errors"
	"fmt"
	"path/filepath"

	"golang.org/x/sys/unix"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Sentinel errors for the cases callers act on; messages wrapping them name
// the file and say what to do.
var (
	// ErrLocked: another process holds the database (main exits 3).
	ErrLocked = errors.New("database in use")
	// ErrNewerSchema: a newer noctop wrote the database.
	ErrNewerSchema = errors.New("database from a newer noctop")
	// ErrOlderSchema: a read-only open found a schema the running monitor
	// has not migrated yet.
	ErrOlderSchema = errors.New("database from an older noctop")
	// ErrNotDatabase: the path is not an SQLite database (random bytes, a
	// directory).
	ErrNotDatabase = errors.New("not a noctop database")
	// ErrCorrupt: SQLite found the file damaged.
	ErrCorrupt = errors.New("database is damaged")
	// ErrReadOnly: the file or its directory cannot be written.
	ErrReadOnly = errors.New("database is read-only")
	// ErrNoDatabase: a read-only open found no database (no monitor ever
	// ran with this state directory).
	ErrNoDatabase = errors.New("no database")
)

// errDiskFull marks a write that failed for lack of space.
var errDiskFull = errors.New("disk full")

// classify wraps SQLite's verdicts on the file in the sentinels callers act
// on, with the file named and what to do.
func classify(path string, err error) error {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return err
	}
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_CORRUPT:
		return fmt.Errorf("store: %s: %w (%v); move it away (noctop never deletes it) and restart to begin a new one, or choose another --state-dir", path, ErrCorrupt, err)
	case sqlite3.SQLITE_NOTADB:
		return fmt.Errorf("store: %s is not an SQLite database: %w; move it away (noctop never deletes it) or choose another --state-dir", path, ErrNotDatabase)
	case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM:
		return fmt.Errorf("store: %s cannot be written (%v): %w; make it and its directory writable, or choose another --state-dir, or run with --no-store", path, err, ErrReadOnly)
	case sqlite3.SQLITE_FULL:
		return fmt.Errorf("store: %s: %w: %v", path, errDiskFull, err)
	}
	if se.Code()&0xff == sqlite3.SQLITE_IOERR && noSpace(path) {
		// ENOSPC in a WAL write, or making the shared memory, surfaces as
		// an I/O error.
		return fmt.Errorf("store: %s: %w: %v", path, errDiskFull, err)
	}
	return fmt.Errorf("store: %s: %w", path, err)
}

// noSpace reports whether the file system holding path has (almost) no
// room left: what an I/O error from SQLite then means.
func noSpace(path string) bool {
	var st unix.Statfs_t
	if err := unix.Statfs(filepath.Dir(path), &st); err != nil {
		return false
	}
	return st.Bavail*uint64(st.Bsize) < 64<<10
}
