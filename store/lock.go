package store

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// lockFile is the writer's claim on a database: an flock on path.lock,
// which the kernel drops when the process dies (kill -9 included), and in
// it the holder's pid, command line and start, for the message a second
// noctop prints.
type lockFile struct{ f *os.File }

func lockPath(db string) string { return db + ".lock" }

func acquireLock(db string, now time.Time) (*lockFile, error) {
	path := lockPath(db)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("store: lock %s: %w", path, err)
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		holder := readHolder(f)
		f.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			return nil, fmt.Errorf("store: %s is held by %s: %w; stop that noctop, or run this one with --state-dir elsewhere or --no-store (noctop events reads it while it runs)", db, holder, ErrLocked)
		}
		return nil, fmt.Errorf("store: lock %s: %w", path, err)
	}
	// Ours now: say who holds it.
	cmd := strings.Join(os.Args, " ")
	rec := fmt.Sprintf("%d\n%s\n%s\n", os.Getpid(), cmd, now.UTC().Format(time.RFC3339))
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt([]byte(rec), 0)
	}
	return &lockFile{f: f}, nil
}

// readHolder reads the pid, command and start the holder wrote.
func readHolder(f *os.File) string {
	buf := make([]byte, 4096)
	n, _ := f.ReadAt(buf, 0)
	lines := strings.SplitN(string(buf[:n]), "\n", 4)
	if len(lines) < 3 {
		return "another process (no pid recorded)"
	}
	pid, err := strconv.Atoi(lines[0])
	if err != nil {
		return "another process (no pid recorded)"
	}
	return fmt.Sprintf("noctop pid %d (%s) since %s", pid, lines[1], lines[2])
}

func (l *lockFile) release() {
	if l == nil {
		return
	}
	// The file stays: deleting it would race a newcomer's flock.
	_ = unix.Flock(int(l.f.Fd()), unix.LOCK_UN)
	l.f.Close()
}
