// Package promtest runs Debian's Prometheus and Alertmanager on loopback
// for tests, as net/http/httptest runs an HTTP server: the binary looked
// up (a missing one skips the test, or fails it where CI installs the
// packages), its config in a temporary directory, a free loopback port,
// ready when GET /-/ready answers, stopped when the test ends.
package promtest

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// The environment variables that make a missing binary a failure instead
// of a skip (.ci/run sets both).
const (
	RequirePrometheus   = "NOCTOP_REQUIRE_PROMETHEUS"
	RequireAlertmanager = "NOCTOP_REQUIRE_ALERTMANAGER"
)

// Need returns the path of the first of names found (on PATH, or a path),
// or skips t naming the Debian package pkg to install, unless env is "1",
// which makes a missing binary a failure.
func Need(t testing.TB, env, pkg string, names ...string) string {
	t.Helper()
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	if os.Getenv(env) == "1" {
		t.Fatalf("%s not found and %s=1", strings.Join(names, " or "), env)
	}
	t.Skipf("%s not found (Debian package %s)", strings.Join(names, " or "), pkg)
	return ""
}

// NeedPrometheus returns the path of one of the prometheus package's
// tools (prometheus, promtool), as Need.
func NeedPrometheus(t testing.TB, tool string) string {
	t.Helper()
	return Need(t, RequirePrometheus, "prometheus", tool)
}

// NeedAlertmanager returns the path of one of the prometheus-alertmanager
// package's tools (prometheus-alertmanager, amtool), as Need.
func NeedAlertmanager(t testing.TB, tool string) string {
	t.Helper()
	return Need(t, RequireAlertmanager, "prometheus-alertmanager", tool)
}

// FreeAddr is a loopback host:port nothing listened on a moment ago.
func FreeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// Daemon is a started Prometheus or Alertmanager.
type Daemon struct {
	URL  string // http://host:port
	Addr string // host:port
	Dir  string // its working directory, where its config is

	stop func()
	out  *LockedBuffer
}

// Stop ends it at once (the test's cleanup does too).
func (d *Daemon) Stop() { d.stop() }

// Output is what it printed so far.
func (d *Daemon) Output() string { return d.out.String() }

// Start writes conf as confName into a new temporary directory, runs bin
// there with args(dir, confPath, addr) on a free loopback address, and
// returns once GET /-/ready answers 200 (the test fails after 30 s).
func Start(t testing.TB, bin, confName, conf string, args func(dir, conf, addr string) []string) *Daemon {
	t.Helper()
	d := Launch(t, bin, confName, conf, args)
	for i := 0; ; i++ {
		resp, err := http.Get(d.URL + "/-/ready")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return d
			}
		}
		if i == 1500 {
			t.Fatalf("%s not ready at %s: %v\n%s", filepath.Base(bin), d.URL, err, d.Output())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Launch is Start without waiting for readiness: for a test that polls
// the daemon's API itself.
func Launch(t testing.TB, bin, confName, conf string, args func(dir, conf, addr string) []string) *Daemon {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, confName)
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	addr := FreeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, args(dir, path, addr)...)
	cmd.Dir = dir
	out := &LockedBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	var once sync.Once
	stop := func() { once.Do(func() { cancel(); _ = cmd.Wait() }) }
	t.Cleanup(stop)
	return &Daemon{URL: "http://" + addr, Addr: addr, Dir: dir, stop: stop, out: out}
}

// PrometheusArgs are the flags of a Prometheus started by Start or
// Launch: its config, a data directory beside it, quiet logs.
func PrometheusArgs(dir, conf, addr string) []string {
	return []string{"--config.file=" + conf, "--storage.tsdb.path=" + filepath.Join(dir, "data"),
		"--web.listen-address=" + addr, "--log.level=warn"}
}

// StartPrometheus runs Debian's Prometheus with conf (prometheus.yml).
func StartPrometheus(t testing.TB, conf string) *Daemon {
	t.Helper()
	return Start(t, NeedPrometheus(t, "prometheus"), "prometheus.yml", conf, PrometheusArgs)
}

// NoReceiver is an Alertmanager config whose one receiver does nothing.
const NoReceiver = "route:\n  receiver: none\n  group_wait: 1s\nreceivers:\n  - name: none\n"

// StartAlertmanager runs Debian's Alertmanager with conf
// (alertmanager.yml; NoReceiver when nothing should be sent), gossip off.
func StartAlertmanager(t testing.TB, conf string) *Daemon {
	t.Helper()
	bin := NeedAlertmanager(t, "prometheus-alertmanager")
	return Start(t, bin, "alertmanager.yml", conf, func(dir, conf, addr string) []string {
		return []string{"--config.file=" + conf, "--storage.path=" + filepath.Join(dir, "data"),
			"--web.listen-address=" + addr, "--cluster.listen-address=", "--log.level=warn"}
	})
}

// LockedBuffer is a child process's output, written by its pipes while
// the test reads it (a daemon's here; snmpdtest's and the scale-out
// rig's too).
type LockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p.
func (l *LockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// String is what was written so far.
func (l *LockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
