package main

import (
	"context"
	"fmt"
	"net"
	"path/filepath"
	"strconv"
	"time"
)

// servePlan is the serve run's size: checks x interval gives the run rate
// (100 runs/s in both), viewers the sessions of the second window.
type servePlan struct {
	checks, viewers  int
	interval, window time.Duration
}

func planServe(o options) servePlan {
	if o.quick {
		return servePlan{checks: 300, viewers: 5, interval: 3 * time.Second, window: 10 * time.Second}
	}
	return servePlan{checks: 1000, viewers: 50, interval: 10 * time.Second, window: time.Minute}
}

// serveWindow is what one window measured.
type serveWindow struct {
	viewers       int
	cpuPct, runsS float64
	lag           lagQuantiles
	logMaxMS      int64 // the last "schedule lag" log line's max_ms by the window's end; -1 none
	bytesPerView  float64
	rssKiB        int64
}

// benchServe: `noctop serve` with tcp checks, a window without viewers,
// then the same window with N SSH dashboard sessions reading everything:
// does the engine's schedule still keep up, and what does a viewer cost.
func benchServe(ctx context.Context, e *env) (string, error) {
	p := planServe(e.opts)
	lns, err := startTCP(8)
	if err != nil {
		return "", err
	}
	defer lns.Close()
	text, err := tcpConfig(lns.Addrs, p.checks, p.interval.String())
	if err != nil {
		return "", err
	}
	cfg := filepath.Join(e.dir, "serve.toml")
	if err := writeFile(cfg, text); err != nil {
		return "", err
	}
	signer, err := writeViewerKey(filepath.Join(e.dir, "serve.keys"))
	if err != nil {
		return "", err
	}
	sshAddr, err := freeLoopbackAddr()
	if err != nil {
		return "", err
	}
	metricsAddr, err := freeLoopbackAddr()
	if err != nil {
		return "", err
	}
	m, err := startMonitor(e, "serve", "serve", "--ssh-listen", sshAddr, "--authorized-keys", filepath.Join(e.dir, "serve.keys"),
		"--max-sessions", strconv.Itoa(p.viewers+1), "--metrics-listen", metricsAddr, "--log-format", "json", "-c", cfg)
	if err != nil {
		return "", err
	}
	defer m.stop()
	if err := m.wait(ctx, steadyAfter(p.interval)); err != nil {
		return "", err
	}
	if got := lns.accepts.Load(); got < int64(p.checks) {
		return "", fmt.Errorf("%w: %d connections after the first sweep, want %d", errOutput, got, p.checks)
	}
	metricsURL := "http://" + metricsAddr + "/metrics"
	idle, err := measureServeWindow(ctx, e, m, lns, metricsURL, p.window, nil)
	if err != nil {
		return "", err
	}
	vs, err := openViewers(ctx, sshAddr, signer, p.viewers)
	if err != nil {
		return "", err
	}
	defer vs.close()
	// Let every session draw its first full screen before measuring.
	if err := m.wait(ctx, 3*time.Second); err != nil {
		return "", err
	}
	busy, err := measureServeWindow(ctx, e, m, lns, metricsURL, p.window, vs)
	if err != nil {
		return "", err
	}
	if err := vs.check(); err != nil {
		return "", err
	}
	vs.close()
	return serveReport(e.opts, p, steadyAfter(p.interval), idle, busy), nil
}

// measureServeWindow measures serve over d: CPU, runs, the lag histogram's
// growth and (with viewers) the bytes they read.
func measureServeWindow(ctx context.Context, e *env, m *monitorProc, lns *tcpListeners, metricsURL string, d time.Duration, vs *viewers) (serveWindow, error) {
	w := serveWindow{viewers: vs.count()}
	h0, err := scrapeLag(ctx, metricsURL)
	if err != nil {
		return w, err
	}
	a0, b0, t0 := lns.accepts.Load(), vs.bytes(), time.Now()
	if w.cpuPct, err = cpuWindow(ctx, m.pid, e.clkTck, d, m.wait); err != nil {
		return w, err
	}
	secs := time.Since(t0).Seconds()
	w.runsS = float64(lns.accepts.Load()-a0) / secs
	if w.viewers > 0 {
		w.bytesPerView = float64(vs.bytes()-b0) / secs / float64(w.viewers)
	}
	h1, err := scrapeLag(ctx, metricsURL)
	if err != nil {
		return w, err
	}
	if w.lag, err = h1.since(h0); err != nil {
		return w, err
	}
	if w.rssKiB, _, err = memKiB(m.pid); err != nil {
		return w, err
	}
	w.logMaxMS = lastLagMax(m.log, time.Now())
	e.logf("serve, %d viewers: %s of a core, %.0f runs/s, lag p50 %s p99 %s, %s B/s per viewer",
		w.viewers, pctText(w.cpuPct), w.runsS, w.lag.p50Text(), w.lag.p99Text(), sig3(w.bytesPerView))
	return w, nil
}

// freeLoopbackAddr is a 127.0.0.1 port free a moment ago, for a child's
// listener (noctop serve logs no port it picked itself on port 0 in a
// form worth parsing here).
func freeLoopbackAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

func serveReport(o options, p servePlan, settle time.Duration, idle, busy serveWindow) string {
	var b []byte
	b = fmt.Appendf(b, "### Serving the dashboard: `noctop serve`, %s tcp checks every %s, 0 then %d SSH viewers\n\n", count(float64(p.checks)), p.interval, p.viewers)
	b = fmt.Appendf(b, "`noctop serve --ssh-listen 127.0.0.1:PORT --authorized-keys F --max-sessions %d` (its store on, JSON log) with tcp checks (connect only) to 8 listeners in the harness (127.3.0.1-8). "+
		"From %s after start, one window of %s without viewers, then %d dashboard sessions opened (x/crypto/ssh in the harness, a 160x48 PTY each, every byte read; their CPU is in no column) and, 3 s later, the same window again. "+
		"CPU from /proc/PID/stat; runs counted by the listeners; schedule lag p50/p99 from the growth of serve's `noctop_schedule_lag_seconds` histogram over the window (the upper bound of the bucket the quantile falls in); "+
		"log max is the `schedule lag` line serve logs once a minute (max_ms, over the last 1-2 minutes) last logged by the window's end.\n\n",
		p.viewers+1, settle, p.window, p.viewers)
	b = fmt.Appendf(b, "| viewers | CPU, %% of one core | runs/s | lag p50 | lag p99 | log max | B/s per viewer | RSS MiB |\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for _, w := range []serveWindow{idle, busy} {
		logMax := "-"
		if w.logMaxMS >= 0 {
			logMax = fmt.Sprintf("%d ms", w.logMaxMS)
		}
		perView := "-"
		if w.viewers > 0 {
			perView = sig3(w.bytesPerView)
		}
		b = fmt.Appendf(b, "| %d | %s | %s | %s | %s | %s | %s | %s |\n", w.viewers, pctText(w.cpuPct), sig3(w.runsS), w.lag.p50Text(), w.lag.p99Text(), logMax, perView, sig3(float64(w.rssKiB)/1024))
	}
	b = append(b, '\n')
	n := float64(busy.viewers)
	b = fmt.Appendf(b, "- Per extra viewer: %s of a core, %s MiB RSS.\n", pctText((busy.cpuPct-idle.cpuPct)/n), sig3(float64(busy.rssKiB-idle.rssKiB)/1024/n))
	if !o.quick {
		b = fmt.Appendf(b, "- Goal (issue 13): %d viewers, schedule lag unchanged (p99 in the same bucket or lower): %s.\n", p.viewers, goalText(busy.lag.p99 <= idle.lag.p99))
	}
	b = append(b, '\n')
	return string(b)
}
