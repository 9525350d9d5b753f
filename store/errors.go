package store

import "errors"

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
