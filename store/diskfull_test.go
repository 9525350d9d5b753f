package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"noctop/model"
)

// smallDisk mounts a 2 MB tmpfs for the test. Without the right to mount
// it skips, except in CI (NOCTOP_REQUIRE_ICMP=1 means root there).
func smallDisk(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := unix.Mount("tmpfs", dir, "tmpfs", 0, "size=2m"); err != nil {
		if os.Getenv("NOCTOP_REQUIRE_ICMP") == "1" {
			t.Fatalf("mount tmpfs on %s: %v (CI runs as root)", dir, err)
		}
		t.Skipf("mount tmpfs: %v (needs root)", err)
	}
	t.Cleanup(func() { _ = unix.Unmount(dir, 0) })
	return dir
}

// fill writes a file until the disk is full.
func fill(t *testing.T, path string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 16<<10)
	for {
		if _, err := f.Write(chunk); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatal(err)
			}
			return
		}
	}
}

func TestDiskFull(t *testing.T) {
	dir := smallDisk(t)
	clk := &clock{t: t0}
	var reports []string
	s := openTest(t, filepath.Join(dir, FileName), Options{Now: clk.Now, Report: func(m string) { reports = append(reports, m) }})
	defer s.Close()
	r := startEngine(t, testConfig(1), clk.Now, nil)
	w := s.newWriter()
	ctx := context.Background()
	i := 0
	// step flips host0 between OK and CRITICAL: an event every result.
	step := func() *model.Snapshot {
		st := model.StatusOK
		if i%2 == 1 {
			st = model.StatusCritical
		}
		at := clk.Add(time.Second)
		r.result("host0", st, at, float64(i))
		i++
		snap := r.sync()
		w.take(snap)
		w.flush(ctx, false)
		return snap
	}
	for range 10 {
		step()
	}
	if w.paused {
		t.Fatalf("paused before the disk filled: %s", s.Status())
	}
	before, err := s.Events(ctx, model.EventQuery{})
	if err != nil || len(before) == 0 {
		t.Fatalf("events before the disk filled: %d, %v", len(before), err)
	}

	filler := filepath.Join(dir, "filler")
	fill(t, filler)
	for n := 0; !w.paused; n++ {
		if n == 1000 {
			t.Fatal("1000 writes on a full disk and none failed")
		}
		step()
	}
	t.Logf("paused after %d more results; reports %q", i-10, reports)
	if s.Status() != StatusDiskFull || !contains(reports, StatusDiskFull) {
		t.Fatalf("Status %q, reports %q; want %q", s.Status(), reports, StatusDiskFull)
	}
	// Monitoring goes on meanwhile; what was written stays readable.
	for range 5 {
		step()
	}
	kept, err := s.Events(ctx, model.EventQuery{Limit: 10_000})
	if err != nil {
		t.Fatalf("reading while the disk is full: %v", err)
	}
	for k, ev := range before {
		if k >= len(kept) || !sameEvent(kept[k], ev) {
			t.Fatalf("event %d written before the disk filled is gone or changed", k)
		}
	}

	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	last := step()
	if w.paused || s.Status() != "" || !contains(reports, "store: writing again") {
		t.Fatalf("after space returned: paused %v, Status %q, reports %q", w.paused, s.Status(), reports)
	}
	// Events waited in memory: none lost.
	all, err := s.Events(ctx, model.EventQuery{Limit: 10_000})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != len(last.Events) {
		t.Errorf("%d events stored, the engine made %d", len(all), len(last.Events))
	}
	var ok string
	if err := s.r.QueryRow("PRAGMA integrity_check").Scan(&ok); err != nil || ok != "ok" {
		t.Errorf("integrity_check: %q, %v", ok, err)
	}
}

func contains(msgs []string, prefix string) bool {
	for _, m := range msgs {
		if strings.HasPrefix(m, prefix) {
			return true
		}
	}
	return false
}

// A monitor started on a full disk runs: the database opens, resumes, and
// says the disk is full until there is room.
func TestDiskFullAtStart(t *testing.T) {
	dir := smallDisk(t)
	path := filepath.Join(dir, FileName)
	feedOne := func(s *Store) {
		r := startEngine(t, testConfig(1), time.Now, nil)
		r.result("host0", model.StatusCritical, time.Now(), 0)
		feed(t, s, r.sync())
	}
	s := openTest(t, path, Options{})
	feedOne(s)
	s.Close()
	os.Remove(path + ".lock") // a fresh start: the lock file must be made too
	fill(t, filepath.Join(dir, "filler"))

	var reports []string
	s, err := Open(context.Background(), path, Options{Report: func(m string) { reports = append(reports, m) }})
	if err != nil {
		t.Fatalf("Open on a full disk: %v", err)
	}
	defer s.Close()
	if s.Status() != StatusDiskFull || !contains(reports, StatusDiskFull) {
		t.Errorf("Status %q, reports %q on a full disk", s.Status(), reports)
	}
	// Nothing can be read: the monitor starts afresh.
	if res, err := s.Resume(context.Background()); err != nil || len(res.Checks) != 0 {
		t.Fatalf("Resume on a full disk: %+v, %v", res, err)
	}
	if err := os.Remove(filepath.Join(dir, "filler")); err != nil {
		t.Fatal(err)
	}
	feedOne(s)
	if s.Status() != "" {
		t.Errorf("Status %q after space returned", s.Status())
	}
	// Both runs' events are there.
	if evs, err := s.Events(context.Background(), model.EventQuery{}); err != nil || len(evs) != 4 {
		t.Errorf("%d events, %v; want 2 per run", len(evs), err)
	}
}
