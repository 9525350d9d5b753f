package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"noctop/lab"
	"noctop/promtest"
)

// The scale-out recipe (dist/scaleout) as the tests run it: the lab in
// this process, 4 noctop pollers (2 shards x 2 replicas), a Prometheus
// with the recipe's config and rules (scraping every 2 s) and an
// Alertmanager cluster of 3 with the recipe's config, its webhook an
// httptest server. Everything on 127.0.0.1.

const scaleoutDir = "dist/scaleout"

// scaleoutScrape is the test's scrape (and rule evaluation) interval; the
// recipe's is 15 s.
const scaleoutScrape = 2 * time.Second

// proc is a child process of the recipe; its output is kept for failures.
type proc struct {
	name string
	cmd  *exec.Cmd
	out  *promtest.LockedBuffer
	once sync.Once
}

func startProc(t *testing.T, name, bin string, args ...string) *proc {
	t.Helper()
	p := &proc{name: name, cmd: exec.Command(bin, args...), out: &promtest.LockedBuffer{}}
	p.cmd.Env = append(os.Environ(), "NO_COLOR=1")
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	t.Cleanup(p.kill)
	return p
}

// kill ends the process at once (SIGKILL: a crash, not a clean stop) and
// waits for it.
func (p *proc) kill() {
	p.once.Do(func() {
		_ = p.cmd.Process.Kill()
		_ = p.cmd.Wait()
	})
}

// waitHTTP waits until GET url answers 200.
func waitHTTP(t *testing.T, p *proc, url string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %s not ready: %v\n%s", p.name, url, err, p.out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// recipeFile reads a file of dist/scaleout and applies the replacements
// (old, new pairs), failing when one of the olds is not there: a recipe
// changed under the test must not leave the test on defaults.
func recipeFile(t *testing.T, name string, oldNew ...string) string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(scaleoutDir, name))
	if err != nil {
		t.Fatal(err)
	}
	text := string(src)
	for i := 0; i < len(oldNew); i += 2 {
		if !strings.Contains(text, oldNew[i]) {
			t.Fatalf("%s has no %q", name, oldNew[i])
		}
		text = strings.ReplaceAll(text, oldNew[i], oldNew[i+1])
	}
	return text
}

// amPayload is Alertmanager's webhook body, as much as the tests read.
type amPayload struct {
	Status   string            `json:"status"`
	GroupKey string            `json:"groupKey"`
	Group    map[string]string `json:"groupLabels"`
	Alerts   []struct {
		Status      string            `json:"status"`
		Labels      map[string]string `json:"labels"`
		Annotations map[string]string `json:"annotations"`
		StartsAt    time.Time         `json:"startsAt"`
	} `json:"alerts"`
}

// webhook collects Alertmanager's notifications.
type webhook struct {
	srv *httptest.Server
	mu  sync.Mutex
	got []amPayload
	at  []time.Time // when each arrived
}

func startWebhook(t *testing.T) *webhook {
	w := &webhook{}
	w.srv = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		var p amPayload
		if err := json.NewDecoder(r.Body).Decode(&p); err != nil {
			http.Error(rw, err.Error(), http.StatusBadRequest)
			return
		}
		w.mu.Lock()
		w.got = append(w.got, p)
		w.at = append(w.at, time.Now())
		w.mu.Unlock()
	}))
	t.Cleanup(w.srv.Close)
	return w
}

// groupNotes lists the notifications of asset's group (group_by site,
// asset) that arrived after since.
func (w *webhook) groupNotes(asset string, since time.Time) []amPayload {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []amPayload
	for i, p := range w.got {
		if p.Group["asset"] == asset && w.at[i].After(since) {
			out = append(out, p)
		}
	}
	return out
}

// copies counts the notifications by what they say: group, status and
// each alert's labels, status and start. Two members of a cluster that
// both notify send the same; a changed alert is a new notification.
func (w *webhook) copies() map[string]int {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := map[string]int{}
	for _, p := range w.got {
		key := []string{p.GroupKey, p.Status}
		for _, a := range p.Alerts {
			key = append(key, fmt.Sprintf("%s %v %s", a.Status, a.Labels, a.StartsAt.Format(time.RFC3339Nano)))
		}
		slices.Sort(key[2:])
		n[strings.Join(key, " | ")]++
	}
	return n
}

func (w *webhook) all() []amPayload {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.got)
}

// amPeerTimeout is how long a cluster member waits per position for the
// ones before it to notify (default 15 s): shorter, so the test does not
// wait 30 s for the third member.
const amPeerTimeout = 3 * time.Second

// alertmanagers starts the recipe's cluster of n members, every one a peer
// of the others, notifying hook. group_wait is cut to 1 s; group_interval
// stays 5 minutes, so within a test a group is notified at most once
// unless the members fail to deduplicate.
func alertmanagers(t *testing.T, n int, hook string) (procs []*proc, urls []string) {
	bin := promtest.Need(t, "NOCTOP_REQUIRE_ALERTMANAGER", "prometheus-alertmanager", "prometheus-alertmanager", "alertmanager")
	dir := t.TempDir()
	conf := filepath.Join(dir, "alertmanager.yml")
	text := recipeFile(t, "alertmanager.yml", "http://127.0.0.1:9099/alerts", hook, "group_wait: 30s", "group_wait: 1s")
	if err := os.WriteFile(conf, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	web, gossip := make([]string, n), make([]string, n)
	for i := range n {
		web[i], gossip[i] = promtest.FreeAddr(t), promtest.FreeAddr(t)
	}
	for i := range n {
		args := []string{"--config.file=" + conf, "--storage.path=" + filepath.Join(dir, "data"+strconv.Itoa(i)),
			"--web.listen-address=" + web[i], "--cluster.listen-address=" + gossip[i],
			"--cluster.peer-timeout=" + amPeerTimeout.String(), "--log.level=warn"}
		for j := range n {
			if j != i {
				args = append(args, "--cluster.peer="+gossip[j])
			}
		}
		procs = append(procs, startProc(t, "alertmanager"+strconv.Itoa(i), bin, args...))
		urls = append(urls, "http://"+web[i])
	}
	for i, p := range procs {
		waitHTTP(t, p, urls[i]+"/-/ready")
	}
	return procs, urls
}

// startLab runs the demo lab in this process and writes its config with
// 4 s checks (2 s retries), so a root cause is hard within ~10 s.
// core-sw1 must be clean before the outage.
func startLab(t *testing.T) (*lab.Lab, string) {
	t.Helper()
	dir := t.TempDir()
	l, err := lab.Start(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	cfg := l.Config()
	for _, r := range [][2]string{
		{`interval = "10s"`, `interval = "4s"`}, {`retry_interval = "5s"`, `retry_interval = "2s"`},
		// core-sw1's port discards, per minute over 4 s instead of 10 s,
		// cross its warn threshold now and then: a WARNING alert before
		// the outage would hold its group until group_interval.
		{`errors = { warn = 60, crit = 600 }`, `errors = { warn = 6000, crit = 60000 }`},
	} {
		if !strings.Contains(cfg, r[0]) {
			t.Fatalf("the lab config has no %s", r[0])
		}
		cfg = strings.Replace(cfg, r[0], r[1], 1)
	}
	path := filepath.Join(dir, "lab.toml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return l, path
}

// poller is one noctop of the recipe.
type poller struct {
	*proc
	shard   int
	metrics string // host:port of /metrics
}

// startPollers starts 2 replicas of each of 2 shards on config, with the
// flags pollerArgs gives (the shard flags once they exist) and the notify
// receiver notifyFor(replica) appended to a copy of the config.
func startPollers(t *testing.T, config string, notifyFor func(replica int) string) []*poller {
	t.Helper()
	src, err := os.ReadFile(config)
	if err != nil {
		t.Fatal(err)
	}
	var out []*poller
	for shard := range 2 {
		for replica := range 2 {
			dir := t.TempDir()
			cfg := filepath.Join(dir, "noctop.toml")
			if err := os.WriteFile(cfg, append(src, notifyFor(replica)...), 0o644); err != nil {
				t.Fatal(err)
			}
			addr := promtest.FreeAddr(t)
			args := append([]string{"--headless", "--log-format", "json", "-c", cfg, "--state-dir", filepath.Join(dir, "state"),
				"--metrics-listen", addr}, pollerArgs(shard)...)
			p := &poller{proc: startProc(t, fmt.Sprintf("poller %d%c", shard, 'a'+replica), binPath, args...), shard: shard, metrics: addr}
			out = append(out, p)
		}
	}
	for _, p := range out {
		waitHTTP(t, p.proc, "http://"+p.metrics+"/metrics")
	}
	return out
}

// startPrometheus runs Prometheus with the recipe's config and rules,
// scraping the 4 pollers (in order: shard 0 a, b, shard 1 a, b) every 2 s
// and sending alerts to ams.
func startPrometheus(t *testing.T, pollers []*poller, ams []string) (*proc, string) {
	bin := promtest.Need(t, "NOCTOP_REQUIRE_PROMETHEUS", "prometheus", "prometheus")
	dir := t.TempDir()
	repl := []string{"scrape_interval: 15s", "scrape_interval: " + scaleoutScrape.String(),
		"evaluation_interval: 15s", "evaluation_interval: " + scaleoutScrape.String(),
		"scrape_timeout: 10s", "scrape_timeout: 1s"}
	for i, p := range pollers {
		repl = append(repl, fmt.Sprintf("127.0.0.1:920%d", i+1), p.metrics)
	}
	for i, port := range []string{"9093", "9193", "9293"} {
		repl = append(repl, "127.0.0.1:"+port, strings.TrimPrefix(ams[i], "http://"))
	}
	conf := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(conf, []byte(recipeFile(t, "prometheus.yml", repl...)), 0o644); err != nil {
		t.Fatal(err)
	}
	// The availability group runs every minute; here every 2 s too.
	rules := recipeFile(t, "rules.yml", "interval: 1m", "interval: "+scaleoutScrape.String())
	if err := os.WriteFile(filepath.Join(dir, "rules.yml"), []byte(rules), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "alerts.yml"), []byte(recipeFile(t, "alerts.yml")), 0o644); err != nil {
		t.Fatal(err)
	}
	web := promtest.FreeAddr(t)
	p := startProc(t, "prometheus", bin, "--config.file="+conf, "--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+web, "--log.level=warn")
	base := "http://" + web
	waitHTTP(t, p, base+"/-/ready")
	return p, base
}

// promQuery runs an instant query: each series' labels and value.
func promQuery(ctx context.Context, base, q string) ([]promSample, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/v1/query?query="+url.QueryEscape(q), nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var r struct {
		Status, Error string
		Data          struct {
			Result []struct {
				Metric map[string]string `json:"metric"`
				Value  [2]any            `json:"value"`
			} `json:"result"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return nil, err
	}
	if r.Status != "success" {
		return nil, fmt.Errorf("query %s: %s", q, r.Error)
	}
	out := make([]promSample, 0, len(r.Data.Result))
	for _, s := range r.Data.Result {
		str, _ := s.Value[1].(string)
		v, err := strconv.ParseFloat(str, 64)
		if err != nil {
			return nil, fmt.Errorf("query %s: value %v: %w", q, s.Value, err)
		}
		out = append(out, promSample{s.Metric, v})
	}
	return out, nil
}

type promSample struct {
	Labels map[string]string
	Value  float64
}

// eventually polls cond every 200 ms until it returns "" (done) or a
// minute passes; the last complaint fails the test.
func eventually(t *testing.T, what string, cond func() string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		msg := cond()
		if msg == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %s", what, msg)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
