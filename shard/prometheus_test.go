package shard

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"noctop/promtest"
)

// testNames are n asset names of the shapes configs use, some with bytes
// beyond ASCII.
func testNames(n int) []string {
	out := make([]string, n)
	for i := range out {
		switch i % 4 {
		case 0:
			out[i] = fmt.Sprintf("sw-%05d", i)
		case 1:
			out[i] = fmt.Sprintf("site%d-ap-%d.example.net", i%37, i)
		case 2:
			out[i] = fmt.Sprintf("café-%d ünïcode", i)
		default:
			out[i] = strconv.Itoa(i)
		}
	}
	return out
}

// hashModuli are the moduli compared: small shard counts and one large
// enough that most of the 64 bits matter.
var hashModuli = []uint64{2, 7, 1000003}

// Prometheus's relabel hashmod and Hashmod agree on 10,000 names: the real
// prometheus binary relabels 10,000 static targets (never scraped: the
// interval is an hour) and /api/v1/targets says each one's hash.
func TestHashmodEqualsPrometheusRelabel(t *testing.T) {
	bin := promtest.NeedPrometheus(t, "prometheus")
	names := testNames(10000)
	var cfg strings.Builder
	cfg.WriteString("global:\n  scrape_interval: 1h\n  scrape_timeout: 10s\nscrape_configs:\n  - job_name: hashmod\n    relabel_configs:\n")
	for _, m := range hashModuli {
		fmt.Fprintf(&cfg, "      - {action: hashmod, source_labels: [asset], modulus: %d, target_label: h%d}\n", m, m)
	}
	cfg.WriteString("    static_configs:\n")
	for _, n := range names {
		q, _ := json.Marshal(n) // a JSON string is a YAML string
		fmt.Fprintf(&cfg, "      - {targets: [\"127.0.0.1:9\"], labels: {asset: %s}}\n", q)
	}
	// Not waited for: the targets' list below is the readiness that counts.
	d := promtest.Launch(t, bin, "prometheus.yml", cfg.String(), promtest.PrometheusArgs)

	var got []map[string]string
	var last string
	for range 300 { // startup, then the discovery manager's 5 s update
		time.Sleep(100 * time.Millisecond)
		got, last = activeTargets(d.URL + "/api/v1/targets?state=active")
		if len(got) >= len(names) {
			break
		}
	}
	if len(got) != len(names) {
		t.Fatalf("Prometheus lists %d targets (%s), want %d\nprometheus output:\n%s", len(got), last, len(names), d.Output())
	}
	seen := make(map[string]bool, len(names))
	for _, l := range got {
		name := l["asset"]
		seen[name] = true
		for _, m := range hashModuli {
			want := strconv.FormatUint(Hashmod(name, m), 10)
			if h := l["h"+strconv.FormatUint(m, 10)]; h != want {
				t.Errorf("%q modulus %d: Prometheus %s, Hashmod %s", name, m, h, want)
			}
		}
	}
	for _, n := range names {
		if !seen[n] {
			t.Errorf("%q: no target in Prometheus", n)
		}
	}
}

// activeTargets returns the labels of Prometheus's active targets, and
// what went wrong when it could not.
func activeTargets(url string) ([]map[string]string, string) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err.Error()
	}
	defer resp.Body.Close()
	var r struct {
		Status string `json:"status"`
		Error  string `json:"error"`
		Data   struct {
			ActiveTargets []struct {
				Labels map[string]string `json:"labels"`
			} `json:"activeTargets"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return nil, err.Error()
	}
	if r.Status != "success" {
		return nil, r.Error
	}
	out := make([]map[string]string, len(r.Data.ActiveTargets))
	for i, t := range r.Data.ActiveTargets {
		out[i] = t.Labels
	}
	return out, ""
}
