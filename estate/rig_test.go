package estate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"noctop/promtest"
)

// poller serves /metrics as a sharded noctop would: exposition text in
// the contract's names, every series with site and shard labels.
type poller struct {
	site, shard string
	srv         *httptest.Server
	mu          sync.Mutex
	series      map[string]float64 // `name{labels}` without site/shard -> value
}

func newPoller(t *testing.T, site, shard string) *poller {
	t.Helper()
	p := &poller{site: site, shard: shard, series: map[string]float64{}}
	p.srv = httptest.NewServer(http.HandlerFunc(p.serveHTTP))
	t.Cleanup(p.srv.Close)
	return p
}

// set sets one series: name and its labels as `asset="x",layer="y"`.
func (p *poller) set(name, labels string, v float64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.series[name+"{"+labels+"}"] = v
}

func (p *poller) del(name, labels string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.series, name+"{"+labels+"}")
}

func (p *poller) serveHTTP(w http.ResponseWriter, _ *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	lines := make([]string, 0, len(p.series)+1)
	for k, v := range p.series {
		name, labels, _ := strings.Cut(strings.TrimSuffix(k, "}"), "{")
		if labels != "" {
			labels += ","
		}
		lines = append(lines, fmt.Sprintf("%s{%ssite=%q,shard=%q} %g", name, labels, p.site, p.shard, v))
	}
	lines = append(lines, fmt.Sprintf("noctop_snapshot_timestamp_seconds{site=%q,shard=%q} %d", p.site, p.shard, time.Now().Unix()))
	sort.Strings(lines)
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	fmt.Fprintln(w, strings.Join(lines, "\n"))
}

func (p *poller) target() string { return strings.TrimPrefix(p.srv.URL, "http://") }

// asset exports one asset: info, status and, when role is not "", its
// role; parents comma-joined.
func (p *poller) asset(name, layer, parents string, code float64, role string) {
	l := fmt.Sprintf("asset=%q,layer=%q", name, layer)
	p.set("noctop_asset_info", fmt.Sprintf("asset=%q,layer=%q,kind=\"switch\",address=\"127.0.0.1\",parents=%q", name, layer, parents), 1)
	p.set("noctop_asset_status", l, code)
	if role != "" {
		p.set("noctop_asset_role", l+fmt.Sprintf(",role=%q", role), 1)
	}
}

func (p *poller) check(asset, check, typ, layer string, code float64) {
	p.set("noctop_check_status", fmt.Sprintf("asset=%q,check=%q,type=%q,layer=%q", asset, check, typ, layer), code)
}

// startPrometheus runs the real Prometheus scraping the pollers every
// second, each target labelled with its site and shard (honor_labels, as
// dist/scaleout's recipe), and returns its base URL once ready.
func startPrometheus(t *testing.T, pollers ...*poller) string {
	t.Helper()
	bin := promtest.NeedPrometheus(t, "prometheus")
	var b strings.Builder
	b.WriteString("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nrule_files: [rules.yml]\nscrape_configs:\n  - job_name: noctop\n    honor_labels: true\n    static_configs:\n")
	for _, p := range pollers {
		fmt.Fprintf(&b, "      - targets: [%q]\n        labels: {site: %q, shard: %q}\n", p.target(), p.site, p.shard)
	}
	return promtest.Start(t, bin, "prometheus.yml", b.String(), func(dir, conf, addr string) []string {
		if err := os.WriteFile(filepath.Join(dir, "rules.yml"), []byte(recordingRules), 0o600); err != nil {
			t.Fatal(err)
		}
		return promtest.PrometheusArgs(dir, conf, addr)
	}).URL
}

// recordingRules are the contract's availability rules (dist/scaleout's
// rules.yml has them with the site summaries).
const recordingRules = `groups:
  - name: noctop
    rules:
      - record: noctop:service_up:max
        expr: max without (instance) (noctop_service_status == bool 0)
      - record: service:noctop_availability:ratio_30d
        expr: avg_over_time(noctop:service_up:max[30d])
      - record: service:noctop_availability:ratio_1d
        expr: avg_over_time(noctop:service_up:max[1d])
`

// startAlertmanager runs the real Alertmanager, gossip off, with a
// receiver that does nothing.
func startAlertmanager(t *testing.T) string {
	t.Helper()
	return promtest.StartAlertmanager(t, promtest.NoReceiver).URL
}

// postAlert sends one alert as noctop's alertmanager notifier does.
func postAlert(t *testing.T, am string, labels, ann map[string]string) {
	t.Helper()
	body, _ := json.Marshal([]map[string]any{{
		"labels": labels, "annotations": ann,
		"startsAt": time.Now().Add(-time.Minute).UTC(), "endsAt": time.Now().Add(time.Hour).UTC(),
	}})
	resp, err := http.Post(am+"/api/v2/alerts", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("posting an alert: %s", resp.Status)
	}
}
