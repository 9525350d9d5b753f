package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	"noctop/model"
)

// errExited: the monitor under measurement ended before it was stopped.
var errExited = errors.New("monitor exited")

// monitorProc is a long-running noctop started by the harness, measured
// through /proc while it runs.
type monitorProc struct {
	cmd  *exec.Cmd
	pid  int
	log  string
	done chan struct{}
	err  error // of Wait, once done is closed
}

// startMonitor starts noctop with args, its output in a log file.
func startMonitor(e *env, name string, args ...string) (*monitorProc, error) {
	// Its own store, as a user's monitor has one, in the harness's directory.
	args = append(args, "--state-dir", filepath.Join(e.dir, name+"-state"))
	return startDaemon(e, name, e.noctop, args...)
}

// startDaemon starts bin with args, its output in a log file.
func startDaemon(e *env, name, bin string, args ...string) (*monitorProc, error) {
	logPath := filepath.Join(e.dir, name+".log")
	f, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = f, f
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	m := &monitorProc{cmd: cmd, pid: cmd.Process.Pid, log: logPath, done: make(chan struct{})}
	go func() {
		defer close(m.done)
		m.err = cmd.Wait()
	}()
	return m, nil
}

// wait sleeps d unless ctx ends or the monitor exits first.
func (m *monitorProc) wait(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	case <-m.done:
		return fmt.Errorf("%w early (%v): %s", errExited, m.err, tail(m.log, 400))
	}
}

// stop ends the monitor with SIGTERM (its clean stop), SIGKILL after 10 s.
func (m *monitorProc) stop() {
	select {
	case <-m.done:
		return
	default:
	}
	m.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-m.done:
	case <-time.After(10 * time.Second):
		m.cmd.Process.Kill()
		<-m.done
	}
}

// cpuWindow measures a process's CPU over d: seconds of CPU per second of
// wall time, as a percentage of one core.
func cpuWindow(ctx context.Context, pid int, clkTck float64, d time.Duration, wait func(context.Context, time.Duration) error) (pct float64, err error) {
	c0, err := cpuSeconds(pid, clkTck)
	if err != nil {
		return 0, err
	}
	t0 := time.Now()
	if err := wait(ctx, d); err != nil {
		return 0, err
	}
	c1, err := cpuSeconds(pid, clkTck)
	if err != nil {
		return 0, err
	}
	return (c1 - c0) / time.Since(t0).Seconds() * 100, nil
}

func pctText(v float64) string { return sig3(v) + "%" }

// restPlan is the monitor-at-rest run's size.
type restPlan struct {
	checks           int
	interval, window time.Duration
}

func planRest(o options) restPlan {
	if o.quick {
		return restPlan{checks: 100, interval: 5 * time.Second, window: 5 * time.Second}
	}
	return restPlan{checks: 1000, interval: 10 * time.Second, window: 60 * time.Second}
}

// benchRest: noctop --headless with HTTP checks, CPU over windows after
// the first sweep.
func benchRest(ctx context.Context, e *env) (string, error) {
	p := planRest(e.opts)
	srv, err := startHTTP()
	if err != nil {
		return "", err
	}
	defer srv.Close()
	cfg := filepath.Join(e.dir, "rest.toml")
	if err := writeFile(cfg, httpConfig(srv.URL, p.checks, p.interval.String())); err != nil {
		return "", err
	}
	m, err := startMonitor(e, "rest", "--headless", "-c", cfg)
	if err != nil {
		return "", err
	}
	defer m.stop()
	if err := m.wait(ctx, steadyAfter(p.interval)); err != nil {
		return "", err
	}
	if got := srv.hits.Load(); got < int64(p.checks) {
		return "", fmt.Errorf("%w: %d requests after the first sweep, want %d", errOutput, got, p.checks)
	}
	var pct, perRun, rate series
	for round := range e.opts.rounds {
		h0 := srv.hits.Load()
		t0 := time.Now()
		v, err := cpuWindow(ctx, m.pid, e.clkTck, p.window, m.wait)
		if err != nil {
			return "", err
		}
		runs := float64(srv.hits.Load() - h0)
		secs := time.Since(t0).Seconds()
		pct = append(pct, v)
		rate = append(rate, runs/secs)
		perRun = append(perRun, v/100*secs/runs*1e6)
		e.logf("rest window %d: %s of a core, %.0f runs/s", round+1, pctText(v), runs/secs)
	}
	rss, hwm, err := memKiB(m.pid)
	if err != nil {
		return "", err
	}
	c := comparison{
		title: fmt.Sprintf("The monitor at rest: `noctop --headless`, %s http checks every %s", count(float64(p.checks)), p.interval),
		intro: fmt.Sprintf("Against the harness's HTTP server. From %s after start (the first sweep and the ramp to steady runs), %d windows of %s each, in one process; "+
			"CPU from /proc/PID/stat (utime+stime, all threads), runs counted by the server.",
			steadyAfter(p.interval), e.opts.rounds, p.window),
	}
	var b []byte
	b = fmt.Appendf(b, "### %s\n\n%s\n\n", c.title, c.intro)
	b = fmt.Appendf(b, "| CPU, %% of one core | runs/s | CPU µs per run | RSS at the end MiB (peak) |\n| ---: | ---: | ---: | ---: |\n")
	b = fmt.Appendf(b, "| %s | %s | %s | %s (%s) |\n\n", cell(pct, sig3, "%"), cell(rate, sig3, ""), cell(perRun, sig3, ""), sig3(float64(rss)/1024), sig3(float64(hwm)/1024))
	if !e.opts.quick {
		med, _ := pct.median()
		b = fmt.Appendf(b, "- Goal (issue 10): < 3%% of a core: %s (%s).\n\n", goalText(med < 3), pctText(med))
	}
	return string(b), nil
}

// benchHistory: the monitor's memory at 10,000 checks once every check's
// history (model.StoredHistoryLen samples, the ring of a monitor with a
// store) has filled.
func benchHistory(ctx context.Context, e *env) (string, error) {
	const checks, samples = 10000, model.StoredHistoryLen
	const interval = 5 * time.Second
	lns, err := startTCP(8)
	if err != nil {
		return "", err
	}
	defer lns.Close()
	text, err := tcpConfig(lns.Addrs, checks, interval.String())
	if err != nil {
		return "", err
	}
	cfg := filepath.Join(e.dir, "history.toml")
	if err := writeFile(cfg, text); err != nil {
		return "", err
	}
	start := time.Now()
	m, err := startMonitor(e, "history", "--headless", "-c", cfg)
	if err != nil {
		return "", err
	}
	defer m.stop()
	// Each check's first run and then 120 more fill its ring; wait for that
	// many connections, with room for a slow machine.
	target := int64(checks * (samples + 1))
	deadline := time.Now().Add(3 * samples * interval)
	var half, full, hwm int64
	var atHalf time.Duration
	for lns.accepts.Load() < target {
		if time.Now().After(deadline) {
			return "", fmt.Errorf("%w: %d of %d runs after %s", errOutput, lns.accepts.Load(), target, time.Since(start).Round(time.Second))
		}
		if err := m.wait(ctx, 5*time.Second); err != nil {
			return "", err
		}
		if half == 0 && lns.accepts.Load() >= target/2 {
			if half, _, err = memKiB(m.pid); err != nil {
				return "", err
			}
			atHalf = time.Since(start)
		}
		if since := time.Since(start); since%time.Minute < 5*time.Second {
			e.logf("history: %d of %d runs, %s", lns.accepts.Load(), target, since.Round(time.Second))
		}
	}
	filled := time.Since(start)
	// A few more seconds so that the last runs' results reach the engine.
	if err := m.wait(ctx, 2*interval); err != nil {
		return "", err
	}
	a0 := lns.accepts.Load()
	t0 := time.Now()
	pct, err := cpuWindow(ctx, m.pid, e.clkTck, 30*time.Second, m.wait)
	if err != nil {
		return "", err
	}
	rate := float64(lns.accepts.Load()-a0) / time.Since(t0).Seconds()
	if full, hwm, err = memKiB(m.pid); err != nil {
		return "", err
	}
	mib := func(k int64) string { return sig3(float64(k) / 1024) }
	var b []byte
	b = fmt.Appendf(b, "### Memory: the monitor with %s checks and full history\n\n", count(checks))
	b = fmt.Appendf(b, "`noctop --headless` with %s tcp checks (connect only) every %s to 8 listeners in the harness (127.3.0.1-8): "+
		"%s checks x %d samples (the in-memory ring of a monitor with a store, which keeps the rest on disk) is %s runs, which a short interval fills in %s without flooding the machine "+
		"(about %s connections/s). Full means every check ran %d times (connections counted by the listeners); one run, not rounds.\n\n",
		count(checks), interval, count(checks), samples, count(checks*samples), filled.Round(time.Second), count(checks/interval.Seconds()), samples+1)
	b = fmt.Appendf(b, "| RSS at %d samples MiB | RSS at %d samples MiB | peak RSS MiB (VmHWM) | CPU, %% of one core | runs/s |\n| ---: | ---: | ---: | ---: | ---: |\n", samples/2, samples)
	b = fmt.Appendf(b, "| %s (at %s) | %s | %s | %s | %s |\n\n", mib(half), atHalf.Round(time.Second), mib(full), mib(hwm), pctText(pct), sig3(rate))
	b = fmt.Appendf(b, "- Goal (issue 10): < 150 MB: %s (%s MiB peak).\n", goalText(float64(hwm)/1024*mibToMB < 150), mib(hwm))
	b = fmt.Appendf(b, "- A tcp check keeps 1 metric per sample (connect_ms); an icmp check keeps 7, which the history ring "+
		"(model/engine_history.go: arrays of the ring's length plus 8 samples of slack, 16 bytes a sample plus 4 a metric) makes 6 x 4 B x 68 x 10,000 = 16 MB "+
		"more live heap; BENCHMARKS.md's history memory section measures 10,000 icmp checks (not run here: 4,000 echo requests "+
		"a second would reach every raw ICMP socket of the host).\n\n")
	return string(b), nil
}

// steadyAfter is when a monitor checking every interval runs steadily: the
// first sweep is spread over min(interval, 10 s); the next runs come at
// least half an interval later, each on its own phase.
func steadyAfter(interval time.Duration) time.Duration {
	return min(interval, 10*time.Second) + interval
}
