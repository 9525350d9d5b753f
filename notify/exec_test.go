package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"noctop/model"
)

// The test binary doubles as the command exec runs: with
// NOCTOP_NOTIFY_HELPER set it plays one of the roles below and exits.
func TestMain(m *testing.M) {
	switch os.Getenv("NOCTOP_NOTIFY_HELPER") {
	case "":
		os.Exit(m.Run())
	case "record": // writes its arguments and NOCTOP_* environment to a file
		got := map[string]any{"args": os.Args[1:]}
		vars := map[string]string{}
		for _, kv := range os.Environ() {
			if k, v, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "NOCTOP_") && k != "NOCTOP_NOTIFY_HELPER" && k != "NOCTOP_HELPER_DIR" {
				vars[k] = v
			}
		}
		got["env"] = vars
		b, _ := json.Marshal(got)
		path := filepath.Join(os.Getenv("NOCTOP_HELPER_DIR"), strconv.Itoa(os.Getpid())+".json")
		if err := os.WriteFile(path, b, 0o600); err != nil {
			os.Exit(2)
		}
	case "spew": // prints 64 MiB and fails
		line := []byte(strings.Repeat("x", 1023) + "\n")
		for range 64 << 10 {
			_, _ = os.Stdout.Write(line)
		}
		os.Exit(1)
	case "hang": // starts a grandchild, tells its pid, and never exits
		child := exec.Command(os.Args[0])
		child.Env = append(os.Environ(), "NOCTOP_NOTIFY_HELPER=sleep")
		child.Stdout = os.Stdout // holds the pipe open too
		if err := child.Start(); err != nil {
			os.Exit(2)
		}
		_ = os.WriteFile(filepath.Join(os.Getenv("NOCTOP_HELPER_DIR"), "grandchild"), []byte(strconv.Itoa(child.Process.Pid)), 0o600)
		fmt.Println("started", child.Process.Pid)
		select {}
	case "sleep":
		select {}
	}
	os.Exit(0)
}

// helper makes the test binary the command of an exec receiver.
func helper(t *testing.T, role string) (dir string) {
	t.Helper()
	dir = t.TempDir()
	t.Setenv("NOCTOP_NOTIFY_HELPER", role)
	t.Setenv("NOCTOP_HELPER_DIR", dir)
	return dir
}

// recorded reads what the record helper wrote, one per run.
func recorded(t *testing.T, dir string) []struct {
	Args []string
	Env  map[string]string
} {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	var out []struct {
		Args []string
		Env  map[string]string
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			Args []string
			Env  map[string]string
		}
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatal(err)
		}
		out = append(out, got)
	}
	return out
}

// Asset names made to break a shell reach the command as plain text, in
// arguments and environment, and nothing they spell is run.
func TestExecHostileNames(t *testing.T) {
	dir := helper(t, "record")
	pwned := filepath.Join(dir, "pwned")
	names := []string{
		`it's "quoted"`,
		"$(touch " + pwned + ")",
		"`touch " + pwned + "`",
		"a; touch " + pwned + "; b",
		"two\nlines && touch " + pwned,
		"-rf --help",
	}
	cfg := &model.Config{}
	for _, n := range names {
		cfg.Assets = append(cfg.Assets, model.Asset{Name: n, Address: "127.0.0.1", Checks: []model.Check{{Type: "http", Retries: 1}}})
	}
	r := startEngine(t, cfg)
	r.startNotifier([]model.Notify{{Name: "run", Type: model.NotifyExec,
		Command: []string{os.Args[0], "{asset}", "--status={status}", "$(echo {kind})"}}}, Options{})
	for _, n := range names {
		r.result(n, "http", model.StatusCritical)
	}
	for _, n := range names {
		r.waitEvent("notify run: sent problem " + n + " CRITICAL")
	}
	runs := recorded(t, dir)
	if len(runs) != len(names) {
		t.Fatalf("%d runs recorded, want %d", len(runs), len(names))
	}
	seen := map[string]bool{}
	for _, run := range runs {
		if len(run.Args) != 3 || run.Args[1] != "--status=CRITICAL" || run.Args[2] != "$(echo problem)" {
			t.Errorf("args = %q", run.Args)
			continue
		}
		name := run.Args[0]
		seen[name] = true
		e := run.Env
		if e["NOCTOP_ASSET"] != name || e["NOCTOP_STATUS"] != "CRITICAL" || e["NOCTOP_KIND"] != "problem" ||
			e["NOCTOP_RECEIVER"] != "run" || e["NOCTOP_ROOT_CAUSE"] != "true" || e["NOCTOP_RECOVERY"] != "false" {
			t.Errorf("env = %q", e)
		}
		var p Payload
		if err := json.Unmarshal([]byte(e["NOCTOP_JSON"]), &p); err != nil || p.Asset != name {
			t.Errorf("NOCTOP_JSON = %q (%v)", e["NOCTOP_JSON"], err)
		}
	}
	for _, n := range names {
		if !seen[n] {
			t.Errorf("no run got %q intact", n)
		}
	}
	if _, err := os.Stat(pwned); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a name was run as a command: %s exists", pwned)
	}
}

// A command printing 64 MiB: its output is read to the end (it is not
// blocked on a full pipe) but only the head is kept, so the attempt's
// allocations stay far below what it printed.
func TestExecOutputBounded(t *testing.T) {
	helper(t, "spew")
	cfg := model.Notify{Name: "spew", Type: model.NotifyExec, Command: []string{os.Args[0]}, Timeout: model.D(time.Minute), Retries: 1}
	var events []string
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	err := Test(context.Background(), cfg, Options{Backoff: time.Millisecond}, func(s string) { events = append(events, s) })
	runtime.ReadMemStats(&after)
	if err == nil {
		t.Fatal("a command exiting 1 was taken as sent")
	}
	if !strings.Contains(err.Error(), "exit status 1") || !strings.Contains(err.Error(), "(67108864 bytes of output in all)") {
		t.Errorf("error = %.300q", err)
	}
	if len(events) != 2 || !strings.Contains(events[1], "gave up after attempt 2/2") || len(events[1]) > 1024 {
		t.Errorf("events = %.500q", events)
	}
	// Two runs printed 128 MiB between them.
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 8<<20 {
		t.Errorf("the attempts allocated %d bytes for 128 MiB of output", grew)
	}
}

func TestHeadWriter(t *testing.T) {
	h := &headWriter{limit: maxOutput}
	chunk := []byte(strings.Repeat("y", 10_000))
	for range 1000 {
		if n, err := h.Write(chunk); n != len(chunk) || err != nil {
			t.Fatal(n, err)
		}
	}
	if len(h.buf) != maxOutput || cap(h.buf) > 2*maxOutput || h.total != 10_000_000 {
		t.Errorf("kept %d (cap %d) of %d", len(h.buf), cap(h.buf), h.total)
	}
}

// A command that never exits is killed at its timeout with its whole
// process group (a grandchild holding its output too), each attempt.
func TestExecKilledAtTimeout(t *testing.T) {
	dir := helper(t, "hang")
	cfg := model.Notify{Name: "hang", Type: model.NotifyExec, Command: []string{os.Args[0]}, Timeout: model.D(300 * time.Millisecond), Retries: 1}
	var events []string
	err := Test(context.Background(), cfg, Options{Backoff: time.Millisecond}, func(s string) { events = append(events, s) })
	if err == nil || !strings.Contains(err.Error(), "killed at its timeout") || !strings.Contains(err.Error(), "started") {
		t.Fatalf("err = %v", err)
	}
	if len(events) != 2 || !strings.Contains(events[0], "(attempt 1/2)") || !strings.Contains(events[1], "gave up after attempt 2/2") {
		t.Errorf("events = %q", events)
	}
	b, err := os.ReadFile(filepath.Join(dir, "grandchild"))
	if err != nil {
		t.Fatal(err)
	}
	pid, _ := strconv.Atoi(string(b))
	deadline := time.Now().Add(wait)
	for !gone(pid) {
		if time.Now().After(deadline) {
			t.Fatalf("grandchild %d still runs after the command was killed", pid)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// gone reports a process that no longer runs (reaped, or a zombie).
func gone(pid int) bool {
	if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
		return true
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	// The state follows the command name in parentheses.
	s := string(stat)
	i := strings.LastIndexByte(s, ')')
	return i > 0 && i+2 < len(s) && s[i+2] == 'Z'
}

// A program that does not exist is not retried: it will not appear.
func TestExecMissingProgram(t *testing.T) {
	cfg := model.Notify{Name: "nope", Type: model.NotifyExec, Command: []string{filepath.Join(t.TempDir(), "no-such-program")}, Timeout: model.D(time.Second), Retries: 3}
	var events []string
	err := Test(context.Background(), cfg, Options{}, func(s string) { events = append(events, s) })
	if !errors.Is(err, ErrPermanent) || len(events) != 1 || !strings.Contains(events[0], "gave up after attempt 1/4") {
		t.Errorf("err %v, events %q", err, events)
	}
}
