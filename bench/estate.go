package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"noctop/estate"
)

// estatePlan is the estate run's size: assets split over 2 shards, each
// polled by an HA pair (4 pollers), scraped by one Prometheus.
type estatePlan struct {
	assets, refreshes  int
	interval, scrape   time.Duration
	ingestWait         time.Duration // at most, for Prometheus to hold every asset
	shards, replicasOf int
}

func planEstate(o options) estatePlan {
	if o.quick {
		return estatePlan{assets: 1000, refreshes: 3, interval: 30 * time.Second, scrape: 5 * time.Second,
			ingestWait: 2 * time.Minute, shards: 2, replicasOf: 2}
	}
	return estatePlan{assets: 10_000, refreshes: 10, interval: time.Minute, scrape: 15 * time.Second,
		ingestWait: 5 * time.Minute, shards: 2, replicasOf: 2}
}

// estateRun is what the run measured.
type estateRun struct {
	first                   time.Duration
	refresh, queries, bytes series
	local, localBytes       series // one poller's /metrics
	promRSSKiB, headSeries  float64
}

// benchEstate: the estate-wide view (estate.Fetch, what `noctop view`
// draws from) over 4 pollers of the recipe (dist/scaleout) through one
// Prometheus and one Alertmanager, against reading one poller's /metrics.
func benchEstate(ctx context.Context, e *env) (string, error) {
	p := planEstate(e.opts)
	promBin, amBin, err := estateTools()
	if err != nil {
		return "", err
	}
	lns, err := startTCP(8)
	if err != nil {
		return "", err
	}
	defer lns.Close()
	text, err := tcpConfig(lns.Addrs, p.assets, p.interval.String())
	if err != nil {
		return "", err
	}
	cfg := filepath.Join(e.dir, "estate.toml")
	if err := writeFile(cfg, text); err != nil {
		return "", err
	}
	var pollers []string
	for shard := range p.shards {
		for replica := range p.replicasOf {
			addr, err := freeLoopbackAddr()
			if err != nil {
				return "", err
			}
			m, err := startMonitor(e, fmt.Sprintf("estate-%d%c", shard, 'a'+replica), "--headless", "--log-format", "json", "-c", cfg,
				"--metrics-listen", addr, "--site", "bench", "--shard", strconv.Itoa(shard), "--shards", strconv.Itoa(p.shards))
			if err != nil {
				return "", err
			}
			defer m.stop()
			pollers = append(pollers, addr)
		}
	}
	amAddr, err := freeLoopbackAddr()
	if err != nil {
		return "", err
	}
	amConf := filepath.Join(e.dir, "estate-am.yml")
	if err := writeFile(amConf, "route:\n  receiver: none\nreceivers:\n  - name: none\n"); err != nil {
		return "", err
	}
	am, err := startDaemon(e, "estate-alertmanager", amBin, "--config.file="+amConf,
		"--storage.path="+filepath.Join(e.dir, "estate-am"), "--web.listen-address="+amAddr, "--cluster.listen-address=")
	if err != nil {
		return "", err
	}
	defer am.stop()
	promConf, err := estatePromConfig(e, p, pollers, amAddr)
	if err != nil {
		return "", err
	}
	promAddr, err := freeLoopbackAddr()
	if err != nil {
		return "", err
	}
	prom, err := startDaemon(e, "estate-prometheus", promBin, "--config.file="+promConf,
		"--storage.tsdb.path="+filepath.Join(e.dir, "estate-prometheus"), "--web.listen-address="+promAddr, "--log.level=warn")
	if err != nil {
		return "", err
	}
	defer prom.stop()
	promURL, amURL := "http://"+promAddr, "http://"+amAddr
	e.logf("estate: waiting for Prometheus to hold %d assets from %d pollers", p.assets, len(pollers))
	if err := waitIngested(ctx, prom, promURL, p); err != nil {
		return "", err
	}

	var r estateRun
	src := estate.Source{Prom: promURL, AM: amURL}
	t0 := time.Now()
	snap, _, err := estate.Fetch(ctx, src)
	if err != nil {
		return "", fmt.Errorf("estate.Fetch: %w", err)
	}
	r.first = time.Since(t0)
	if len(snap.Assets) != p.assets {
		return "", fmt.Errorf("%w: the view has %d assets, want %d", errOutput, len(snap.Assets), p.assets)
	}
	for range p.refreshes {
		t := time.Now()
		_, st, err := estate.Fetch(ctx, src)
		if err != nil {
			return "", fmt.Errorf("estate.Fetch: %w", err)
		}
		r.refresh = append(r.refresh, time.Since(t).Seconds())
		r.queries = append(r.queries, float64(st.Queries))
		r.bytes = append(r.bytes, float64(st.Bytes))
		d, n, err := readMetrics(ctx, "http://"+pollers[0]+"/metrics")
		if err != nil {
			return "", err
		}
		r.local = append(r.local, d.Seconds())
		r.localBytes = append(r.localBytes, float64(n))
	}
	if r.promRSSKiB, r.headSeries, err = promFootprint(ctx, prom.pid, promURL); err != nil {
		return "", err
	}
	e.logf("estate: first snapshot in %s; Prometheus %s MiB for %s head series", r.first.Round(time.Millisecond), sig3(r.promRSSKiB/1024), count(r.headSeries))
	return estateReport(p, r), nil
}

// estateTools finds prometheus and Alertmanager (Debian's packages).
func estateTools() (prom, am string, err error) {
	prom, err1 := exec.LookPath("prometheus")
	am, err2 := exec.LookPath("prometheus-alertmanager")
	if err2 != nil {
		am, err2 = exec.LookPath("alertmanager")
	}
	if err := errors.Join(err1, err2); err != nil {
		return "", "", fmt.Errorf("the estate section needs Debian's prometheus and prometheus-alertmanager: %w", err)
	}
	return prom, am, nil
}

// estatePromConfig writes the recipe's prometheus.yml (and its rules) for
// the run: its scrape interval, the pollers in place of its example
// targets, one Alertmanager.
func estatePromConfig(e *env, p estatePlan, pollers []string, am string) (string, error) {
	dist := filepath.Join(e.root, "dist", "scaleout")
	src, err := os.ReadFile(filepath.Join(dist, "prometheus.yml"))
	if err != nil {
		return "", err
	}
	text := string(src)
	secs := func(d time.Duration) string { return strconv.Itoa(int(d.Seconds())) + "s" } // Prometheus reads no "1m0s"
	repl := []string{"scrape_interval: 15s", "scrape_interval: " + secs(p.scrape),
		"evaluation_interval: 15s", "evaluation_interval: " + secs(p.scrape),
		"scrape_timeout: 10s", "scrape_timeout: " + secs(max(p.scrape*2/3, time.Second)),
		`["127.0.0.1:9093", "127.0.0.1:9193", "127.0.0.1:9293"]`, "[" + strconv.Quote(am) + "]"}
	for i, addr := range pollers {
		repl = append(repl, fmt.Sprintf("127.0.0.1:920%d", i+1), addr)
	}
	for i := 0; i < len(repl); i += 2 {
		if !strings.Contains(text, repl[i]) {
			return "", fmt.Errorf("dist/scaleout/prometheus.yml has no %q", repl[i])
		}
		text = strings.ReplaceAll(text, repl[i], repl[i+1])
	}
	dir := filepath.Join(e.dir, "estate-prom-conf")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	for _, f := range []string{"rules.yml", "alerts.yml"} {
		b, err := os.ReadFile(filepath.Join(dist, f))
		if err != nil {
			return "", err
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			return "", err
		}
	}
	path := filepath.Join(dir, "prometheus.yml")
	return path, writeFile(path, text)
}

// waitIngested waits until Prometheus has a status for every asset (the
// HA pairs merged) or p.ingestWait passes.
func waitIngested(ctx context.Context, prom *monitorProc, base string, p estatePlan) error {
	q := base + "/api/v1/query?query=" + url.QueryEscape(`count(max without (instance) (noctop_asset_status))`)
	deadline := time.Now().Add(p.ingestWait)
	last := ""
	for time.Now().Before(deadline) {
		if err := prom.wait(ctx, time.Second); err != nil {
			return err
		}
		body, err := httpGet(ctx, q)
		if err != nil {
			last = err.Error()
			continue
		}
		last = body
		if strings.Contains(body, `"`+strconv.Itoa(p.assets)+`"]`) {
			return nil
		}
	}
	return fmt.Errorf("%w: Prometheus did not hold %d assets within %s: %s", errOutput, p.assets, p.ingestWait, last)
}

func httpGet(ctx context.Context, u string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return "", err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return string(b), err
}

// readMetrics reads a poller's /metrics whole: how long and how many bytes.
func readMetrics(ctx context.Context, u string) (time.Duration, int64, error) {
	t := time.Now()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, 0, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	return time.Since(t), n, err
}

// promFootprint is Prometheus's resident memory and its head's series.
func promFootprint(ctx context.Context, pid int, base string) (rssKiB, series float64, err error) {
	rss, _, err := memKiB(pid)
	if err != nil {
		return 0, 0, err
	}
	body, err := httpGet(ctx, base+"/metrics")
	if err != nil {
		return 0, 0, err
	}
	sc := bufio.NewScanner(strings.NewReader(body))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "prometheus_tsdb_head_series "); ok {
			series, err = strconv.ParseFloat(v, 64)
			return float64(rss), series, err
		}
	}
	return 0, 0, fmt.Errorf("%w: no prometheus_tsdb_head_series in Prometheus's /metrics", errOutput)
}

func estateReport(p estatePlan, r estateRun) string {
	var b []byte
	b = fmt.Appendf(b, "### The estate-wide view: %s assets, %d pollers (%d shards x %d replicas), one Prometheus\n\n", count(float64(p.assets)), p.shards*p.replicasOf, p.shards, p.replicasOf)
	b = fmt.Appendf(b, "dist/scaleout's prometheus.yml and rules (scrape every %s) over 4 `noctop --headless --site bench --shard i --shards 2` "+
		"with tcp checks (connect only, every %s) to 8 listeners in the harness, and one Alertmanager. "+
		"Once Prometheus holds every asset: the view's fetch (`estate.Fetch`, what `noctop view` draws from) cold, then %d refreshes, "+
		"each next to a GET of one poller's /metrics on loopback (what a single noctop's own screen needs none of: it reads its engine in memory).\n\n",
		p.scrape, p.interval, p.refreshes)
	b = append(b, "| | median | range |\n| --- | ---: | ---: |\n"...)
	b = fmt.Appendf(b, "| view, first snapshot | %s ms | |\n", sig3(r.first.Seconds()*1000))
	row := func(name string, s series, f func(float64) string) {
		med, _ := s.median()
		lo, hi, _ := s.span()
		b = fmt.Appendf(b, "| %s | %s | %s-%s |\n", name, f(med), f(lo), f(hi))
	}
	ms := func(v float64) string { return sig3(v*1000) + " ms" }
	kib := func(v float64) string { return sig3(v/1024) + " KiB" }
	row("view, one refresh", r.refresh, ms)
	row("view, queries per refresh", r.queries, sig3)
	row("view, bytes from Prometheus and Alertmanager per refresh", r.bytes, kib)
	row("one poller's /metrics, read", r.local, ms)
	row("one poller's /metrics, bytes", r.localBytes, kib)
	b = append(b, '\n')
	if r.headSeries > 0 {
		b = fmt.Appendf(b, "- Prometheus: %s MiB resident for %s head series (%s KiB a series, all in).\n",
			sig3(r.promRSSKiB/1024), count(r.headSeries), sig3(r.promRSSKiB/r.headSeries))
	}
	b = append(b, '\n')
	return string(b)
}
