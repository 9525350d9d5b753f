package metrics

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"noctop/promtest"
)

type queryResponse struct {
	Status string `json:"status"`
	Error  string `json:"error"`
	Data   struct {
		Result []struct {
			Metric map[string]string `json:"metric"`
			Value  [2]any            `json:"value"`
		} `json:"result"`
	} `json:"data"`
}

// A real Prometheus scrapes /metrics on loopback, and a query through its
// HTTP API returns every check's status as the snapshot has it.
func TestRealPrometheusScrapes(t *testing.T) {
	bin := promtest.NeedPrometheus(t, "prometheus")
	e, s := runLab(t)
	base := serveMetrics(t, Options{Latest: e.Latest, Now: func() time.Time { return testNow }})
	target := strings.TrimPrefix(base, "http://")

	prom := startPrometheus(t, bin, target, "")
	want := map[string]float64{}
	for _, a := range s.Assets {
		for _, c := range a.Checks {
			want[a.Name+"/"+c.Name] = statusValue(c.Status)
		}
	}
	q := prom.URL + "/api/v1/query?query=" + url.QueryEscape("noctop_check_status")
	var got map[string]float64
	var last string
	for range 600 { // Prometheus starts, then scrapes every second
		time.Sleep(100 * time.Millisecond)
		got, last = queryStatuses(q)
		if len(got) == len(want) {
			break
		}
	}
	if len(got) != len(want) {
		t.Fatalf("Prometheus returned %v (%s), want %d checks\nprometheus output:\n%s", got, last, len(want), prom.Output())
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: Prometheus has %v, the snapshot %v", k, got[k], v)
		}
	}
}

// startPrometheus runs the real Prometheus scraping target every second
// (job noctop; scrape adds keys to the job's config) until the test ends;
// the test polls its query API for what it waits for.
func startPrometheus(t *testing.T, bin, target, scrape string) *promtest.Daemon {
	t.Helper()
	conf := fmt.Sprintf(`global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: noctop
%s    static_configs:
      - targets: ["%s"]
`, scrape, target)
	return promtest.Launch(t, bin, "prometheus.yml", conf, promtest.PrometheusArgs)
}

// A real Prometheus scraping a sharded poller (honor_labels, as the
// scale-out recipe does) stores its site and shard on every series and
// none of the assets it borrows.
func TestRealPrometheusScrapesShard(t *testing.T) {
	bin := promtest.NeedPrometheus(t, "prometheus")
	e, _ := outage(t)
	base := serveMetrics(t, Options{Latest: e.Latest, Now: func() time.Time { return testNow },
		ConstLabels: map[string]string{"site": "paris", "shard": "1"}, Owns: func(n string) bool { return n != "gw1" }})
	prom := startPrometheus(t, bin, strings.TrimPrefix(base, "http://"), "    honor_labels: true\n")
	q := prom.URL + "/api/v1/query?query=" + url.QueryEscape(`noctop_asset_info or noctop_asset_root_cause or noctop_assets{role="total"}`)
	var r queryResponse
	for range 600 {
		time.Sleep(100 * time.Millisecond)
		r = queryResponse{}
		resp, err := http.Get(q)
		if err != nil {
			continue
		}
		err = json.NewDecoder(resp.Body).Decode(&r)
		resp.Body.Close()
		if err == nil && len(r.Data.Result) == 4 {
			break
		}
	}
	if len(r.Data.Result) != 4 { // sw1's and web1's info, sw1's root cause, the total
		t.Fatalf("Prometheus returned %+v, want 4 series\nprometheus output:\n%s", r, prom.Output())
	}
	for _, res := range r.Data.Result {
		m := res.Metric
		if m["site"] != "paris" || m["shard"] != "1" || m["asset"] == "gw1" {
			t.Errorf("series %v", m)
		}
		if m["__name__"] == "noctop_asset_root_cause" && (m["asset"] != "sw1" || m["root_cause"] != "gw1") {
			t.Errorf("root cause series %v", m)
		}
	}
}

// queryStatuses asks Prometheus for the check statuses: asset/check ->
// value, and what went wrong when it could not.
func queryStatuses(q string) (map[string]float64, string) {
	resp, err := http.Get(q)
	if err != nil {
		return nil, err.Error()
	}
	defer resp.Body.Close()
	var r queryResponse
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return nil, err.Error()
	}
	if r.Status != "success" {
		return nil, r.Error
	}
	out := map[string]float64{}
	for _, res := range r.Data.Result {
		str, _ := res.Value[1].(string)
		v, err := strconv.ParseFloat(str, 64)
		if err != nil || res.Metric["job"] != "noctop" || res.Metric["type"] == "" || res.Metric["layer"] == "" {
			return nil, fmt.Sprintf("series %v value %v", res.Metric, res.Value)
		}
		out[res.Metric["asset"]+"/"+res.Metric["check"]] = v
	}
	return out, ""
}

const rulesDir = "../../dist"

// The example alert rules are valid (promtool check rules) and fire as
// their unit tests say (promtool test rules).
func TestAlertRulesPromtool(t *testing.T) {
	bin := promtest.NeedPrometheus(t, "promtool")
	for _, args := range [][]string{
		{"check", "rules", "noctop-rules.yml"},
		{"test", "rules", "noctop-rules.test.yml"},
	} {
		cmd := exec.Command(bin, args...)
		cmd.Dir = rulesDir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

// Every noctop metric the rules use is one this exporter describes: a
// renamed metric must not leave rules that silently never fire.
func TestAlertRulesUseExportedMetrics(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(rulesDir, "noctop-rules.yml"))
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	fqName := regexp.MustCompile(`fqName: "([^"]+)"`)
	ds := newDescs(nil)
	for _, d := range ds.all() {
		m := fqName.FindStringSubmatch(d.String())
		if m == nil {
			t.Fatalf("no name in %s", d)
		}
		known[m[1]] = true
	}
	used := regexp.MustCompile(`\bnoctop_[a-z_]+`).FindAllString(string(src), -1)
	if len(used) < 5 {
		t.Fatalf("the rules use %d noctop metrics", len(used))
	}
	for _, name := range used {
		base := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(name, "_bucket"), "_sum"), "_count")
		if !known[base] {
			t.Errorf("the rules use %s, which the exporter does not have", name)
		}
	}
}
