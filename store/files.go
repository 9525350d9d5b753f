package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// sqliteMagic opens every SQLite database file.
const sqliteMagic = "SQLite format 3\x00"

// userVersionOffset is where the header keeps PRAGMA user_version.
const userVersionOffset = 60

// DefaultPath is where the database lives without state_dir or
// --state-dir: $XDG_STATE_HOME/noctop/noctop.db, else
// ~/.local/state/noctop/noctop.db.
func DefaultPath() (string, error) {
	dir, err := DefaultDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, FileName), nil
}

// FileName is the database's name inside the state directory.
const FileName = "noctop.db"

// DefaultDir is the state directory without state_dir or --state-dir.
func DefaultDir() (string, error) {
	if d := os.Getenv("XDG_STATE_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "noctop"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("store: no state directory: %w (set $XDG_STATE_HOME, state_dir or --state-dir)", err)
	}
	return filepath.Join(home, ".local", "state", "noctop"), nil
}

// inspect checks what is at path before SQLite touches it, so a file that
// is not ours is reported and left byte-for-byte as it was. It returns
// whether a database exists there. writable asks for the write checks.
func inspect(path string, writable bool) (exists bool, err error) {
	st, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store: %s: %w", path, err)
	}
	if st.IsDir() {
		return false, fmt.Errorf("store: %s is a directory, not a database: %w; move it away or choose another --state-dir", path, ErrNotDatabase)
	}
	if !st.Mode().IsRegular() {
		return false, fmt.Errorf("store: %s is not a regular file: %w; move it away or choose another --state-dir", path, ErrNotDatabase)
	}
	// Root may write a file whatever its mode; the mode is still the
	// owner's word that it must not change.
	if writable && st.Mode().Perm()&0o200 == 0 {
		return false, fmt.Errorf("store: %s is read-only (mode %04o): %w; make it writable (chmod u+w), or choose another --state-dir, or run with --no-store", path, st.Mode().Perm(), ErrReadOnly)
	}
	f, err := os.Open(path)
	if err != nil {
		return false, fmt.Errorf("store: %s: %w", path, err)
	}
	defer f.Close()
	var head [100]byte
	n, err := io.ReadFull(f, head[:])
	if n == 0 && (err == io.EOF) {
		return false, nil // an empty file: SQLite makes it a database
	}
	if n < len(head) || !bytes.Equal(head[:len(sqliteMagic)], []byte(sqliteMagic)) {
		return false, fmt.Errorf("store: %s is not an SQLite database: %w; move it away (noctop never deletes it) or choose another --state-dir", path, ErrNotDatabase)
	}
	if v := int(binary.BigEndian.Uint32(head[userVersionOffset:])); v > schemaVersion {
		return false, newerSchema(path, v)
	}
	return true, nil
}

func newerSchema(path string, v int) error {
	return fmt.Errorf("store: %s has schema version %d, this noctop knows up to %d: %w; run the newer noctop, or choose another --state-dir", path, v, schemaVersion, ErrNewerSchema)
}
