package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// startPrometheusFor runs the real Prometheus scraping one noctop's
// /metrics every second, the target labelled site="lab", shard="0" (as
// dist/scaleout's recipe labels its pollers), and returns its base URL
// and the function that kills it.
func startPrometheusFor(t *testing.T, target string) (string, func()) {
	t.Helper()
	bin, err := exec.LookPath("/usr/bin/prometheus")
	if err != nil {
		if os.Getenv("NOCTOP_REQUIRE_PROMETHEUS") == "1" {
			t.Fatalf("NOCTOP_REQUIRE_PROMETHEUS=1 but %v", err)
		}
		t.Skipf("no /usr/bin/prometheus (Debian package prometheus): %v", err)
	}
	dir := t.TempDir()
	conf := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(conf, fmt.Appendf(nil, `global:
  scrape_interval: 1s
scrape_configs:
  - job_name: noctop
    honor_labels: true
    static_configs:
      - targets: [%q]
        labels: {site: lab, shard: "0"}
`, target), 0o600); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, "--config.file="+conf, "--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+addr, "--log.level=warn")
	cmd.Dir = dir
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	stop := func() { cancel(); _ = cmd.Wait() }
	t.Cleanup(stop)
	for i := 0; ; i++ {
		resp, err := http.Get("http://" + addr + "/-/ready")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return "http://" + addr, stop
			}
		}
		if i == 1500 {
			t.Fatalf("prometheus not ready: %v\n%s", err, logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// noctop serve --prom for real: a poller exports to /metrics, Prometheus
// scrapes it, and serve draws the estate view from Prometheus to SSH
// sessions; with Prometheus gone the view stays, marked stale.
func TestServeEstateView(t *testing.T) {
	// A server that fails every request: web1 CRITICAL whatever ports
	// the others bind (a closed port could be the next one bound).
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "down for the test", http.StatusInternalServerError)
	}))
	t.Cleanup(failing.Close)
	poller := startLogging(t, exec.Command(binPath, "--headless", "--log-format", "json", "--no-store",
		"-c", writeConfig(t, fmt.Sprintf(`
[[asset]]
name = "web1"
address = "127.0.0.1"
  [[asset.check]]
  type = "http"
  name = "down"
  url = %q
  retries = 1
  timeout = "1s"
`, failing.URL+"/")), "--metrics-listen", "127.0.0.1:0"))
	started := poller.waitLine(t, "the poller's start", msgIs("noctop started"))
	target := strings.TrimSuffix(strings.TrimPrefix(started.Metrics, "http://"), "/metrics")
	prom, stopProm := startPrometheusFor(t, target)

	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	key, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	viewers := filepath.Join(t.TempDir(), "viewers")
	if err := os.WriteFile(viewers, append(bytes.TrimSpace(gossh.MarshalAuthorizedKey(key.PublicKey())), " vera@desk\n"...), 0o600); err != nil {
		t.Fatal(err)
	}
	h := startLogging(t, exec.Command(binPath, "serve", "--prom", prom, "--refresh", "1s", "--log-format", "json",
		"--state-dir", t.TempDir(), "--ssh-listen", "127.0.0.1:0", "--authorized-keys", viewers))
	l := h.waitLine(t, "the view's start", msgIs("noctop serving the estate view"))
	var st serveStart
	if err := json.Unmarshal([]byte(l.Text), &st); err != nil || st.SSH == "" {
		t.Fatalf("start line %s (%v)", l.Text, err)
	}
	c := sshDial(t, st, key)
	table := func() (string, int) {
		sess, err := c.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		out, err := sess.Output("")
		var exit *gossh.ExitError
		if errors.As(err, &exit) {
			return string(out), exit.ExitStatus()
		}
		return string(out), 0
	}
	var out string
	var code int
	for range 300 {
		if out, code = table(); code == 2 && strings.Contains(out, "web1") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if code != 2 || !strings.Contains(out, "CRITICAL") || !strings.Contains(out, "site lab") {
		t.Fatalf("the view's table (exit %d):\n%s", code, out)
	}

	t.Logf("the view's table:\n%s", out)
	stopProm()
	for range 300 {
		if out, code = table(); strings.Contains(out, "Prometheus unreachable since") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if code != 2 || !strings.Contains(out, "web1") || !strings.Contains(out, "Prometheus unreachable since") {
		t.Fatalf("with Prometheus gone the last view should stay, marked stale (exit %d):\n%s", code, out)
	}
	t.Logf("with Prometheus gone:\n%s", out)
	h.waitLine(t, "the failed refresh in the log", func(l logLine) bool { return l.Level == "WARN" && strings.Contains(l.Msg, "prometheus") })
	h.signal(t, syscall.SIGTERM)
	if code, last := h.wait(t); code != 0 || last.Msg != "noctop stopped" {
		t.Fatalf("exit %d, last line %q", code, last.Msg)
	}
}

// noctop view refuses bad flags with the flag's name, exit 3, before
// taking the terminal.
func TestViewFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"view"}, "--prom is required"},
		{[]string{"view", "--prom", "127.0.0.1:9090"}, "--prom \"127.0.0.1:9090\": want an http(s) base URL"},
		{[]string{"view", "--prom", "http://127.0.0.1:9090", "--am", "ftp://x"}, "--am \"ftp://x\""},
		{[]string{"view", "--prom", "http://127.0.0.1:9090", "--match", `site="a"`}, "bad --match"},
		{[]string{"view", "--prom", "http://127.0.0.1:9090", "--refresh", "10ms"}, "--refresh 10ms: at least 1s"},
		{[]string{"serve", "--am", "http://127.0.0.1:9093"}, "--am and --match need --prom"},
	} {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), c.args, &stdout, &stderr)
		if code != 3 || !strings.Contains(stderr.String(), c.want) {
			t.Errorf("%v: exit %d, said %q; want 3 and %q", c.args, code, stderr.String(), c.want)
		}
	}
}
