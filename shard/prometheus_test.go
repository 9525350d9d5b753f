package shard

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// needPrometheus returns the path of the prometheus binary, or skips the
// test when it is not installed, unless NOCTOP_REQUIRE_PROMETHEUS=1 (CI)
// makes that a failure.
func needPrometheus(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("prometheus")
	if err == nil {
		return p
	}
	if os.Getenv("NOCTOP_REQUIRE_PROMETHEUS") == "1" {
		t.Fatalf("prometheus not found and NOCTOP_REQUIRE_PROMETHEUS=1: %v", err)
	}
	t.Skipf("prometheus not found (Debian package prometheus): %v", err)
	return ""
}

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
	bin := needPrometheus(t)
	names := testNames(10000)
	dir := t.TempDir()
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
	path := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(path, []byte(cfg.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	web := ln.Addr().String()
	ln.Close()
	var out bytes.Buffer
	cmd := exec.Command(bin, "--config.file="+path, "--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+web, "--log.level=warn")
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})

	var got []map[string]string
	var last string
	for range 300 { // startup, then the discovery manager's 5 s update
		time.Sleep(100 * time.Millisecond)
		got, last = activeTargets("http://" + web + "/api/v1/targets?state=active")
		if len(got) >= len(names) {
			break
		}
	}
	if len(got) != len(names) {
		t.Fatalf("Prometheus lists %d targets (%s), want %d\nprometheus output:\n%s", len(got), last, len(names), out.String())
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
