package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

const unitPath = "dist/noctop.service"

// The systemd units have what running for real needs, and systemd accepts
// them (systemd-analyze verify, with the binary at the test's path).
func TestSystemdUnit(t *testing.T) {
	for path, wants := range map[string][]string{
		unitPath:                    {"--headless"},
		"dist/noctop-serve.service": {"noctop serve --ssh-listen ", "--authorized-keys /etc/noctop/", "--operator-keys /etc/noctop/"},
	} {
		t.Run(filepath.Base(path), func(t *testing.T) { checkUnit(t, path, wants) })
	}
}

func checkUnit(t *testing.T, path string, wants []string) {
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	unit := string(src)
	for _, want := range append([]string{
		"\nAmbientCapabilities=CAP_NET_RAW", "\nStateDirectory=noctop\n", "\nExecReload=/bin/kill -HUP $MAINPID\n",
		"--metrics-listen 127.0.0.1:",
	}, wants...) {
		if !strings.Contains(unit, want) {
			t.Errorf("%s lacks %q", path, want)
		}
	}
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skipf("systemd-analyze not found: %v", err)
	}
	copyPath := filepath.Join(t.TempDir(), filepath.Base(path))
	if err := os.WriteFile(copyPath, []byte(strings.ReplaceAll(unit, "/usr/local/bin/noctop", binPath)), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(analyze, "verify", copyPath).CombinedOutput(); err != nil || len(out) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
}

// The unit's own command line runs: with its paths moved to temporary
// ones it starts the headless monitor, serves /metrics, writes its
// database to the state directory, reloads on SIGHUP (ExecReload) and
// stops cleanly on SIGTERM (systemctl stop).
func TestSystemdExecStartRuns(t *testing.T) {
	src, err := os.ReadFile(unitPath)
	if err != nil {
		t.Fatal(err)
	}
	var args []string
	for _, line := range strings.Split(string(src), "\n") {
		if rest, ok := strings.CutPrefix(line, "ExecStart="); ok {
			args = strings.Fields(rest)
		}
	}
	if len(args) < 2 || args[0] != "/usr/local/bin/noctop" {
		t.Fatalf("ExecStart %q", args)
	}
	cfg := writeConfig(t, fmt.Sprintf(`
[[asset]]
name = "web1"
address = "127.0.0.1"
  [[asset.check]]
  type = "tcp"
  port = %d
  retries = 1
`, listening(t)))
	state := t.TempDir()
	addr := fmt.Sprintf("127.0.0.1:%d", closedPort(t))
	for i, a := range args {
		switch {
		case a == "/etc/noctop/config.toml":
			args[i] = cfg
		case a == "/var/lib/noctop":
			args[i] = state
		case strings.HasPrefix(a, "127.0.0.1:"):
			args[i] = addr
		}
	}
	h := startLogging(t, exec.Command(binPath, args[1:]...))
	h.waitLine(t, "noctop started", msgIs("noctop started"))
	url := "http://" + addr + "/metrics"
	var st map[string]float64
	for range 600 {
		if fams, err := getMetrics(url); err == nil {
			if st = checkStatuses(fams); st["web1/tcp"] == 0 && len(st) == 1 {
				break
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	if len(st) != 1 || st["web1/tcp"] != 0 {
		t.Fatalf("check statuses %v, want web1/tcp 0 (OK)\n%s", st, h.log())
	}
	if _, err := os.Stat(filepath.Join(state, "noctop.db")); err != nil {
		t.Errorf("no database in the state directory: %v", err)
	}
	h.signal(t, syscall.SIGHUP)
	h.waitLine(t, "the reload", func(l logLine) bool { return strings.HasPrefix(l.Msg, "SIGHUP: reloading") })
	if _, err := getMetrics(url); err != nil {
		t.Errorf("/metrics after the reload: %v", err)
	}
	h.signal(t, syscall.SIGTERM)
	if code, _ := h.wait(t); code != 0 {
		t.Fatalf("exit %d after SIGTERM\n%s", code, h.log())
	}
}
