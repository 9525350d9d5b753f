package main

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"noctop/model"
	"noctop/store"
)

// flappingConfig has n assets whose tcp checks flap with the listeners
// flap toggles (interval 1s, hard at the first failure): a steady stream
// of state changes.
func flappingConfig(t *testing.T, ports []int) string {
	t.Helper()
	text := "[defaults]\ninterval = \"1s\"\ntimeout = \"500ms\"\nretries = 1\n"
	for i, p := range ports {
		text += fmt.Sprintf("\n[[asset]]\nname = \"web%d\"\naddress = \"127.0.0.1\"\n[[asset.check]]\ntype = \"tcp\"\nport = %d\n", i, p)
	}
	return writeConfig(t, text)
}

// flap opens and closes a listener on each port every period until the
// test ends.
func flap(t *testing.T, n int, period time.Duration) []int {
	t.Helper()
	var ports []int
	var lns []net.Listener
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ports = append(ports, ln.Addr().(*net.TCPAddr).Port)
		lns = append(lns, ln)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for i, ln := range lns {
		wg.Go(func() {
			port := ports[i]
			tick := time.NewTicker(period)
			defer tick.Stop()
			for {
				if ln != nil {
					go acceptAndClose(ln)
				}
				select {
				case <-ctx.Done():
					if ln != nil {
						ln.Close()
					}
					return
				case <-tick.C:
				}
				if ln != nil {
					ln.Close()
					ln = nil
					continue
				}
				ln, _ = net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port)) // nil if taken meanwhile: closed this turn
			}
		})
	}
	t.Cleanup(func() {
		cancel()
		wg.Wait()
	})
	return ports
}

func stateDB(config string) string {
	return filepath.Join(filepath.Dir(config), "state", "noctop", store.FileName)
}

// A second monitor on a held database says who holds it and exits 3;
// `events` reads the database meanwhile; check and validate never open it.
func TestStoreHeldBySecondMonitor(t *testing.T) {
	cfg := writeConfig(t, "[defaults]\nretries = 1\n"+tcpAsset("web", closedPort(t)))
	first := startHeadless(t, cfg)
	first.waitLine(t, "the first state change", func(l logLine) bool { return l.Kind == "state" })

	_, stderr, code := runBin(t, nil, "--headless", "-c", cfg)
	want := fmt.Sprintf("is held by noctop pid %d (%s --headless -c %s", first.cmd.Process.Pid, binPath, cfg)
	if code != 3 || !strings.Contains(stderr, want) || !strings.Contains(stderr, stateDB(cfg)) {
		t.Fatalf("second monitor: exit %d, stderr:\n%s\nwant exit 3 naming %s and saying %q", code, stderr, stateDB(cfg), want)
	}
	for _, args := range [][]string{{"check", "-c", cfg}, {"validate", "-c", cfg}} {
		if _, stderr, code := runBin(t, nil, args...); code == 3 && strings.Contains(stderr, "held by") {
			t.Errorf("%s opened the store: %s", args[0], stderr)
		}
	}
	// The store writes within a second; events reads it beside the writer.
	deadline := time.Now().Add(time.Minute)
	for {
		stdout, stderr, code := runBin(t, nil, "events", "-c", cfg, "--json")
		if code != 0 {
			t.Fatalf("events beside a monitor: exit %d\n%s", code, stderr)
		}
		if strings.Contains(stdout, `"asset":"web","check":"tcp"`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("events never showed web/tcp:\n%s", stdout)
		}
		time.Sleep(200 * time.Millisecond)
	}
	first.signal(t, syscall.SIGTERM)
	if code, _ := first.wait(t); code != 0 {
		t.Fatalf("first monitor exit %d:\n%s", code, first.log())
	}
}

// kill -9 of a monitor while it writes: the database opens, passes
// integrity_check, and holds every event logged more than the store's
// flush interval (1 s) before the kill, and the next monitor starts.
func TestStoreSurvivesKill9(t *testing.T) {
	ports := flap(t, 4, 700*time.Millisecond)
	cfg := flappingConfig(t, ports)
	run := startHeadless(t, cfg)
	type logged struct {
		at                  time.Time
		asset, check, state string
	}
	var events []logged
	start := time.Now()
	for time.Since(start) < 5*time.Second {
		l := run.waitLine(t, "a state change", func(l logLine) bool { return l.Kind == "state" })
		var stamp struct{ Time time.Time }
		if err := json.Unmarshal([]byte(l.Text), &stamp); err != nil {
			t.Fatal(err)
		}
		events = append(events, logged{stamp.Time, l.Asset, l.Check, l.To})
	}
	run.signal(t, syscall.SIGKILL)
	killed := time.Now()
	run.wait(t)

	s, err := store.Open(context.Background(), stateDB(cfg), store.Options{})
	if err != nil {
		t.Fatalf("reopen after kill -9: %v", err)
	}
	defer s.Close()
	if err := s.IntegrityCheck(context.Background()); err != nil {
		t.Fatal(err)
	}
	stored, err := s.Events(context.Background(), model.EventQuery{Limit: 100_000})
	if err != nil {
		t.Fatal(err)
	}
	// Stored events are the log's, in the engine's order, up to the kill
	// (Events orders by time, and a result's time is when its run started).
	slices.SortFunc(stored, func(a, b model.Event) int { return cmp.Compare(a.Seq, b.Seq) })
	for i, ev := range stored {
		if i >= len(events) {
			break // logged after the last line read
		}
		if w := events[i]; ev.Asset != w.asset || ev.Check != w.check || ev.To.String() != w.state {
			t.Fatalf("stored event %d is %s/%s -> %s, the log says %s/%s -> %s", i, ev.Asset, ev.Check, ev.To, w.asset, w.check, w.state)
		}
	}
	// The store commits at most a second after the engine publishes; a
	// quarter second more covers the log's own delay.
	old := 0
	for _, ev := range events {
		if ev.at.Before(killed.Add(-1250 * time.Millisecond)) {
			old++
		}
	}
	if len(stored) < old || old == 0 {
		t.Errorf("%d events stored; %d were logged more than 1.25 s before the kill (of %d)", len(stored), old, len(events))
	}
	s.Close()
	sqliteIntegrity(t, stateDB(cfg))

	// The lock went with the process: the next monitor starts.
	next := startHeadless(t, cfg)
	next.waitLine(t, "noctop started", msgIs("noctop started"))
	next.signal(t, syscall.SIGTERM)
	if code, _ := next.wait(t); code != 0 {
		t.Errorf("restart exit %d:\n%s", code, next.log())
	}
}

// A file at the database's place that is not a database stops the
// monitor with exit 3, names it, and is left as it was.
func TestStoreBadFileExits3(t *testing.T) {
	cfg := writeConfig(t, tcpAsset("web", listening(t)))
	path := stateDB(cfg)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	junk := make([]byte, 4096)
	_, _ = rand.Read(junk)
	if err := os.WriteFile(path, junk, 0o600); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := runBin(t, nil, "--headless", "-c", cfg)
	if code != 3 || !strings.Contains(stderr, path+" is not an SQLite database") || !strings.Contains(stderr, "--state-dir") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
	if now, err := os.ReadFile(path); err != nil || string(now) != string(junk) {
		t.Errorf("the file changed (%v)", err)
	}
	// --no-store runs whatever is there.
	cmd := exec.Command(binPath, "--headless", "--no-store", "-c", cfg, "--log-format", "json")
	run := startLogging(t, cmd)
	run.waitLine(t, "noctop started", msgIs("noctop started"))
	run.signal(t, syscall.SIGTERM)
	if code, _ := run.wait(t); code != 0 {
		t.Errorf("--no-store exit %d:\n%s", code, run.log())
	}
}

// --no-store writes nothing; neither do check and validate.
func TestNoStoreWritesNothing(t *testing.T) {
	cfg := writeConfig(t, "[defaults]\nretries = 1\n"+tcpAsset("web", closedPort(t)))
	run := startLogging(t, exec.Command(binPath, "--headless", "--no-store", "-c", cfg, "--log-format", "json"))
	run.waitLine(t, "a state change", func(l logLine) bool { return l.Kind == "state" })
	run.signal(t, syscall.SIGTERM)
	run.wait(t)
	runBin(t, nil, "check", "-c", cfg)
	runBin(t, nil, "validate", "-c", cfg)
	if _, err := os.Stat(filepath.Dir(stateDB(cfg))); !os.IsNotExist(err) {
		t.Errorf("state directory made: %v", err)
	}
}

func TestEventsCommand(t *testing.T) {
	cfg := writeConfig(t, "[defaults]\nretries = 1\n"+tcpAsset("web", closedPort(t))+tcpAsset("db", closedPort(t)))
	_, stderr, code := runBin(t, nil, "events", "-c", cfg)
	if code != 3 || !strings.Contains(stderr, "no database at "+stateDB(cfg)) {
		t.Fatalf("events before any monitor: exit %d\n%s", code, stderr)
	}
	run := startHeadless(t, cfg)
	seen := map[string]bool{}
	run.waitLine(t, "web's and db's first state changes", func(l logLine) bool {
		seen[l.Asset] = seen[l.Asset] || l.Kind == "state"
		return seen["web"] && seen["db"]
	})
	run.signal(t, syscall.SIGTERM) // the store writes what it holds before exiting
	if code, _ := run.wait(t); code != 0 {
		t.Fatalf("monitor exit %d", code)
	}

	stdout, stderr, code := runBin(t, nil, "events", "-c", cfg, "--asset", "web", "--json")
	if code != 0 {
		t.Fatalf("events --json: exit %d\n%s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 2 {
		t.Fatalf("web's events: %d lines, want the check's and the asset's:\n%s", len(lines), stdout)
	}
	for _, line := range lines {
		var ev eventJSON
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("%v: %s", err, line)
		}
		if ev.Asset != "web" || ev.To != model.StatusCritical || !ev.Hard || ev.Transition != "PENDING -> CRITICAL hard" || ev.Time.IsZero() {
			t.Errorf("event %+v", ev)
		}
	}
	stdout, _, code = runBin(t, nil, "events", "--state-dir", filepath.Dir(stateDB(cfg)))
	if code != 0 || !strings.HasPrefix(stdout, "TIME") || strings.Count(stdout, "PENDING -> CRITICAL hard") != 4 {
		t.Errorf("events table: exit %d\n%s", code, stdout)
	}
	if _, stderr, code := runBin(t, nil, "events", "-c", cfg, "--since", "soon"); code != 3 || !strings.Contains(stderr, `--since "soon"`) {
		t.Errorf("--since soon: exit %d\n%s", code, stderr)
	}
}

// sqliteIntegrity has the sqlite3 CLI, a tool outside this program and its
// driver, check the file. Skipped without it unless CI requires it.
func sqliteIntegrity(t *testing.T, path string) {
	t.Helper()
	bin, err := exec.LookPath("sqlite3")
	if err != nil {
		if os.Getenv("NOCTOP_REQUIRE_BENCH") != "" {
			t.Fatalf("NOCTOP_REQUIRE_BENCH is set but the sqlite3 CLI is missing (apt-get install sqlite3): %v", err)
		}
		t.Logf("no sqlite3 CLI: the outside integrity check is skipped (%v)", err)
		return
	}
	out, err := exec.Command(bin, path, "PRAGMA integrity_check").CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "ok" {
		t.Fatalf("sqlite3 %s 'PRAGMA integrity_check': %v\n%s", path, err, out)
	}
}
