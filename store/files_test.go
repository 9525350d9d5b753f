package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"noctop/model"
)

// fileState is a file's bytes and mtime, to prove it untouched.
type fileState struct {
	data  []byte
	mtime time.Time
}

func stateOf(t *testing.T, path string) fileState {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fileState{data: data, mtime: st.ModTime()}
}

func (f fileState) check(t *testing.T, path string) {
	t.Helper()
	now := stateOf(t, path)
	if !bytes.Equal(now.data, f.data) || !now.mtime.Equal(f.mtime) {
		t.Errorf("%s changed: %d bytes mtime %v, was %d bytes mtime %v", path, len(now.data), now.mtime, len(f.data), f.mtime)
	}
}

// wantErr checks that both opens fail with sentinel, naming path and
// saying what to do, and leave the file as it was.
func wantBadFile(t *testing.T, path string, sentinel error, advice string) {
	t.Helper()
	before := stateOf(t, path)
	for name, open := range map[string]func(context.Context, string, Options) (*Store, error){"Open": Open, "OpenReadOnly": OpenReadOnly} {
		if name == "OpenReadOnly" && errors.Is(sentinel, ErrReadOnly) {
			continue // reading a read-only file is fine
		}
		s, err := open(context.Background(), path, Options{})
		if err == nil {
			s.Close()
			t.Fatalf("%s succeeded on %s", name, path)
		}
		if !errors.Is(err, sentinel) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), advice) {
			t.Errorf("%s: %v; want %v naming %s and saying %q", name, err, sentinel, path, advice)
		}
		before.check(t, path)
	}
}

func TestRandomBytes(t *testing.T) {
	path := dbPath(t)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	junk := make([]byte, 8192)
	_, _ = rand.Read(junk)
	if err := os.WriteFile(path, junk, 0o600); err != nil {
		t.Fatal(err)
	}
	wantBadFile(t, path, ErrNotDatabase, "move it away")
}

func TestDirectoryInPlace(t *testing.T) {
	path := dbPath(t)
	if err := os.MkdirAll(path, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, open := range []func(context.Context, string, Options) (*Store, error){Open, OpenReadOnly} {
		_, err := open(context.Background(), path, Options{})
		if !errors.Is(err, ErrNotDatabase) || !strings.Contains(err.Error(), path+" is a directory") {
			t.Errorf("got %v, want ErrNotDatabase saying %s is a directory", err, path)
		}
	}
	if st, err := os.Stat(path); err != nil || !st.IsDir() {
		t.Errorf("the directory is gone: %v", err)
	}
}

// writtenDB makes a database with one check's state and events in it.
func writtenDB(t *testing.T) string {
	t.Helper()
	clk := &clock{t: t0}
	r := startEngine(t, testConfig(1), clk.Now, nil)
	r.result("host0", model.StatusCritical, t0, 0)
	path := dbPath(t)
	s := openTest(t, path, Options{Now: clk.Now})
	feed(t, s, r.sync())
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestReadOnlyFile(t *testing.T) {
	path := writtenDB(t)
	if err := os.Chmod(path, 0o444); err != nil {
		t.Fatal(err)
	}
	wantBadFile(t, path, ErrReadOnly, "chmod u+w")
	// Reading it is fine.
	s, err := OpenReadOnly(context.Background(), path, Options{})
	if err != nil {
		t.Fatalf("OpenReadOnly of a read-only file: %v", err)
	}
	evs, err := s.Events(context.Background(), model.EventQuery{})
	s.Close()
	if err != nil || len(evs) == 0 {
		t.Errorf("events of a read-only file: %d, %v", len(evs), err)
	}
}

func TestNewerSchema(t *testing.T) {
	path := writtenDB(t)
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(fmt.Sprintf("PRAGMA user_version = %d", schemaVersion+1)); err != nil {
		t.Fatal(err)
	}
	db.Close()
	wantBadFile(t, path, ErrNewerSchema, "run the newer noctop")
}

func TestDamagedFile(t *testing.T) {
	path := writtenDB(t)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Keep the header, wreck every page after the first.
	junk := make([]byte, len(data)-4096)
	_, _ = rand.Read(junk)
	copy(data[4096:], junk)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	wantBadFile(t, path, ErrCorrupt, "move it away")
}

func TestSecondWriterLocked(t *testing.T) {
	path := writtenDB(t)
	s := openTest(t, path, Options{})
	_, err := Open(context.Background(), path, Options{})
	want := fmt.Sprintf("held by noctop pid %d (", os.Getpid())
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), path) {
		t.Fatalf("second Open: %v; want ErrLocked naming %s and %q", err, path, want)
	}
	// A reader is welcome while the writer holds it.
	ro, err := OpenReadOnly(context.Background(), path, Options{})
	if err != nil {
		t.Fatalf("OpenReadOnly beside a writer: %v", err)
	}
	if evs, err := ro.Events(context.Background(), model.EventQuery{}); err != nil || len(evs) == 0 {
		t.Errorf("reader beside a writer: %d events, %v", len(evs), err)
	}
	if err := ro.Run(context.Background(), nil); !errors.Is(err, ErrReadOnlyStore) {
		t.Errorf("Run on a read-only store: %v", err)
	}
	ro.Close()
	s.Close()
	s2, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatalf("Open after the holder closed: %v", err)
	}
	s2.Close()
}

func TestReadOnlyNoDatabase(t *testing.T) {
	path := dbPath(t)
	_, err := OpenReadOnly(context.Background(), path, Options{})
	if !errors.Is(err, ErrNoDatabase) || !strings.Contains(err.Error(), path) {
		t.Errorf("got %v, want ErrNoDatabase naming %s", err, path)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("OpenReadOnly made %s", path)
	}
}

// Every earlier version, built from the frozen copies of the migrations
// that shipped, migrates to the schema a new database gets, and keeps its
// rows.
func TestMigrationsFromEveryVersion(t *testing.T) {
	if len(migrations()) != schemaVersion {
		t.Fatalf("schemaVersion %d, %d migrations", schemaVersion, len(migrations()))
	}
	fresh := schemaOf(t, openAndClose(t, dbPath(t)))
	for v := 0; v < schemaVersion; v++ {
		t.Run(fmt.Sprintf("from%d", v), func(t *testing.T) {
			path := dbPath(t)
			if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
				t.Fatal(err)
			}
			db, err := sql.Open("sqlite", path)
			if err != nil {
				t.Fatal(err)
			}
			for i := 1; i <= v; i++ {
				step, err := os.ReadFile(fmt.Sprintf("testdata/schema_v%d.sql", i))
				if err != nil {
					t.Fatal(err)
				}
				if _, err := db.Exec(string(step)); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := db.Exec(fmt.Sprintf("PRAGMA user_version = %d", v)); err != nil {
				t.Fatal(err)
			}
			if v >= 1 {
				if _, err := db.Exec(`INSERT INTO events (seq, at, kind, asset, check_name, service, from_status, to_status,
					hard, from_hard, from_attempt, attempt, max_attempts, summary) VALUES (7, 1, 'state', 'old', '', '', 0, 3, 1, 1, 0, 0, 0, 'kept')`); err != nil {
					t.Fatal(err)
				}
			}
			db.Close()
			if got := schemaOf(t, openAndClose(t, path)); got != fresh {
				t.Errorf("migrated from %d:\n%s\nfresh:\n%s", v, got, fresh)
			}
			if v >= 1 {
				s, err := OpenReadOnly(context.Background(), path, Options{})
				if err != nil {
					t.Fatal(err)
				}
				evs, err := s.Events(context.Background(), model.EventQuery{})
				if err != nil || len(evs) != 1 || evs[0].Summary != "kept" {
					t.Errorf("events after migrating: %+v, %v", evs, err)
				}
				// The index of availability's changes holds the old row.
				evs, err = s.Events(context.Background(), model.EventQuery{Kinds: []string{model.EventState}, HardOnly: true, Subjects: true, Brief: true})
				s.Close()
				if err != nil || len(evs) != 1 || evs[0].Asset != "old" || evs[0].To != model.StatusCritical {
					t.Errorf("availability's changes after migrating: %+v, %v", evs, err)
				}
			}
		})
	}
}

func openAndClose(t *testing.T, path string) string {
	t.Helper()
	s := openTest(t, path, Options{})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// schemaOf is a database's version and the SQL of its tables and indexes.
func schemaOf(t *testing.T, path string) string {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v int
	if err := db.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	rows, err := db.Query("SELECT type, name, coalesce(sql, '') FROM sqlite_master ORDER BY type, name")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := fmt.Sprintf("version %d\n", v)
	for rows.Next() {
		var typ, name, text string
		if err := rows.Scan(&typ, &name, &text); err != nil {
			t.Fatal(err)
		}
		out += typ + " " + name + ": " + text + "\n"
	}
	return out
}
