package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// benchDashboard: the live dashboard with 10,000 ICMP assets on a 60 s
// interval, in a 160x48 tmux window: CPU of noctop (and of tmux, which
// draws it) over a minute after the first sweep.
func benchDashboard(ctx context.Context, e *env) (string, error) {
	const n = 10000
	const window, settle = 60 * time.Second, 45 * time.Second
	cfg := filepath.Join(e.dir, "dashboard.toml")
	if err := writeFile(cfg, icmpConfig(loopbackTargets(1, n), icmpOpts{interval: "60s"})); err != nil {
		return "", err
	}
	// A tmux server of our own (-L), so nothing else's sessions are touched.
	sock := fmt.Sprintf("noctop-bench-%d", os.Getpid())
	tmux := func(args ...string) (string, error) {
		cmd := exec.CommandContext(ctx, "tmux", append([]string{"-L", sock}, args...)...)
		cmd.Env = append(os.Environ(), "TERM=xterm-256color")
		out, err := cmd.CombinedOutput()
		if err != nil {
			return "", fmt.Errorf("tmux %s: %w: %s", strings.Join(args, " "), err, out)
		}
		return strings.TrimSpace(string(out)), nil
	}
	// A database of its own, as the monitor benchmarks have: the shared
	// default one would resume whatever earlier runs left (10,000 more
	// checks' history was the harness's "200 MiB dashboard").
	state := filepath.Join(e.dir, "dashboard-state")
	if _, err := tmux("new-session", "-d", "-s", "bench", "-x", "160", "-y", "48", "exec "+e.noctop+" -c "+cfg+" --state-dir "+state); err != nil {
		return "", err
	}
	defer exec.Command("tmux", "-L", sock, "kill-server").Run()
	ids, err := tmux("display-message", "-p", "-t", "bench", "#{pane_pid} #{pid}")
	if err != nil {
		return "", err
	}
	var pid, serverPID int
	if _, err := fmt.Sscan(ids, &pid, &serverPID); err != nil {
		return "", fmt.Errorf("tmux pids %q: %w", ids, err)
	}
	alive := func(ctx context.Context, d time.Duration) error {
		select {
		case <-ctx.Done():
			return context.Cause(ctx)
		case <-time.After(d):
		}
		if _, err := os.Stat("/proc/" + strconv.Itoa(pid)); err != nil {
			screen, _ := tmux("capture-pane", "-p", "-t", "bench")
			return fmt.Errorf("%w: the dashboard ended: %s", errExited, screen)
		}
		return nil
	}
	// The first sweep is spread over 10 s and the next runs start half an
	// interval later: from 45 s on, runs are steady (167/s).
	if err := alive(ctx, settle); err != nil {
		return "", err
	}
	screen, err := tmux("capture-pane", "-p", "-t", "bench")
	if err != nil {
		return "", err
	}
	if !strings.Contains(screen, "t0") {
		return "", fmt.Errorf("%w: the dashboard shows no asset:\n%s", errOutput, screen)
	}
	tc0, err := cpuSeconds(serverPID, e.clkTck)
	if err != nil {
		return "", err
	}
	t0 := time.Now()
	pct, err := cpuWindow(ctx, pid, e.clkTck, window, alive)
	if err != nil {
		return "", err
	}
	tc1, err := cpuSeconds(serverPID, e.clkTck)
	if err != nil {
		return "", err
	}
	tmuxPct := (tc1 - tc0) / time.Since(t0).Seconds() * 100
	rss, hwm, err := memKiB(pid)
	if err != nil {
		return "", err
	}
	e.logf("dashboard: %s of a core, tmux %s", pctText(pct), pctText(tmuxPct))
	var b []byte
	b = fmt.Appendf(b, "### The live dashboard: %s ICMP assets every 60 s\n\n", count(n))
	b = fmt.Appendf(b, "`noctop -c dashboard.toml` in a 160x48 tmux window (a tmux server of the harness's own), the ICMP sweep's targets "+
		"on a 60 s interval (167 runs/s). CPU from /proc/PID/stat over %s in steady state (from %s after start: the first sweep is "+
		"spread over 10 s, the next runs start half an interval later); one window.\n\n", window, settle)
	b = fmt.Appendf(b, "| noctop CPU, %% of one core | tmux server CPU (drawing it) | noctop RSS MiB (peak) |\n| ---: | ---: | ---: |\n")
	b = fmt.Appendf(b, "| %s | %s | %s (%s) |\n\n", pctText(pct), pctText(tmuxPct), sig3(float64(rss)/1024), sig3(float64(hwm)/1024))
	b = fmt.Appendf(b, "- Goal (issue 10): < 4%% of a core: %s.\n\n", goalText(pct < 4))
	return string(b), nil
}
