package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"noctop/estate"
	"noctop/promtest"
)

// startPrometheusFor runs the real Prometheus scraping one noctop's
// /metrics every second, the target labelled with labels (YAML flow
// map, "{}" for none: dist/scaleout's recipe puts site and shard there).
func startPrometheusFor(t *testing.T, target, labels string) (string, func()) {
	t.Helper()
	conf := fmt.Sprintf(`global:
  scrape_interval: 1s
scrape_configs:
  - job_name: noctop
    honor_labels: true
    static_configs:
      - targets: [%q]
        labels: %s
`, target, labels)
	d := promtest.StartPrometheus(t, conf)
	return d.URL, d.Stop
}

// startAlertmanager runs the real Alertmanager, gossip off, routing to
// the webhook at hook grouped by site and asset (to a receiver that does
// nothing when hook is ""), and returns its base URL once ready.
func startAlertmanager(t *testing.T, hook string) string {
	t.Helper()
	conf := promtest.NoReceiver
	if hook != "" {
		conf = fmt.Sprintf("route:\n  receiver: hook\n  group_by: [site, asset]\n  group_wait: 1s\n  group_interval: 1h\n  repeat_interval: 1h\n"+
			"receivers:\n  - name: hook\n    webhook_configs:\n      - url: %q\n", hook)
	}
	return promtest.StartAlertmanager(t, conf).URL
}

// startFailingPoller runs a real noctop whose web1 is CRITICAL (an http
// check on a server that fails every request: whatever ports the others
// bind, where a closed port could be the next one bound), exporting
// /metrics, extra config appended; it returns /metrics's host:port.
func startFailingPoller(t *testing.T, extra string) string {
	t.Helper()
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "down for the test", http.StatusInternalServerError)
	}))
	t.Cleanup(failing.Close)
	poller := startLogging(t, exec.Command(binPath, "--headless", "--log-format", "json", "--no-store",
		"-c", writeConfig(t, fmt.Sprintf(`
[defaults]
interval = "2s"
timeout = "1s"

[[asset]]
name = "web1"
address = "127.0.0.1"
  [[asset.check]]
  type = "http"
  name = "down"
  url = %q
  retries = 1
  timeout = "1s"
`, failing.URL+"/")+extra), "--metrics-listen", "127.0.0.1:0"))
	started := poller.waitLine(t, "the poller's start", msgIs("noctop started"))
	return strings.TrimSuffix(strings.TrimPrefix(started.Metrics, "http://"), "/metrics")
}

// noctop serve --prom for real: a poller exports to /metrics, Prometheus
// scrapes it, and serve draws the estate view from Prometheus to SSH
// sessions; with Prometheus gone the view stays, marked stale.
func TestServeEstateView(t *testing.T) {
	target := startFailingPoller(t, "")
	prom, stopProm := startPrometheusFor(t, target, `{site: lab, shard: "0"}`)

	key, viewers := viewerKey(t)
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

// noctop view in a real terminal over a real poller, Prometheus and
// Alertmanager: the poller's problem with its alert's text, r refused
// with a word, a making a silence in Alertmanager, A expiring it, q
// ending with exit 0.
func TestViewDashboard(t *testing.T) {
	am := startAlertmanager(t, "")
	target := startFailingPoller(t, fmt.Sprintf("\n[[notify]]\nname = \"am\"\ntype = \"alertmanager\"\nurl = %q\n", am))
	prom, _ := startPrometheusFor(t, target, "{}")
	tm := newTmuxTerm(t)
	tm.tmux("send-keys", "-t", "t", fmt.Sprintf("USER=vera %s view --prom %s --am %s --refresh 1s; echo \"exit=$?\"", binPath, prom, am), "Enter")
	tm.waitScreen("down: HTTP 500", "web1 with its alert's reason")
	keys := func(k ...string) { tm.tmux(append([]string{"send-keys", "-t", "t"}, k...)...) }
	keys("r")
	tm.waitScreen("recheck: not from the estate view", "r refused")
	keys("a")
	tm.waitScreen("why, who is on it", "the ack prompt")
	keys("-l", "on it")
	keys("Enter")
	tm.waitScreen("acknowledged web1 as vera", "the ack's notice")
	silences := func() []estate.Silence {
		resp, err := http.Get(am + "/api/v2/silences")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b bytes.Buffer
		_, _ = b.ReadFrom(resp.Body)
		ss, err := estate.DecodeSilences(b.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		return ss
	}
	ss := silences()
	if len(ss) != 1 || ss[0].CreatedBy != "vera" || ss[0].Comment != "on it" || ss[0].Status.State != "active" ||
		len(ss[0].Matchers) != 1 || ss[0].Matchers[0].Name != "asset" || ss[0].Matchers[0].Value != "web1" {
		// The overview's row is the asset: asset=web1 alone (no site: this
		// poller is not sharded).
		t.Fatalf("silences after a: %+v", ss)
	}
	tm.waitScreen("⚑", "the ack's flag after the refresh")
	keys("A")
	tm.waitScreen("acknowledgement of web1 removed", "A's notice")
	if ss := silences(); len(ss) != 1 || ss[0].Status.State != "expired" {
		t.Fatalf("silences after A: %+v", ss)
	}
	keys("q")
	tm.waitScreen("exit=0", "the view's exit")
}
