package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/prometheus/common/expfmt"
	pmodel "github.com/prometheus/common/model"
)

// lagMetric is serve's histogram of every run's schedule lag.
const lagMetric = "noctop_schedule_lag_seconds"

// lagHist is the cumulative lag histogram at one scrape: counts[i] runs
// at most bounds[i] seconds late, total every run.
type lagHist struct {
	bounds []float64
	counts []uint64
	total  uint64
}

// lagQuantiles are a window's p50 and p99 lag in seconds: the upper bound
// of the bucket each falls in, +Inf past the last bound; runs is how many
// runs the window counted.
type lagQuantiles struct {
	runs     uint64
	p50, p99 float64
}

func (q lagQuantiles) p50Text() string { return lagText(q.p50, q.runs) }
func (q lagQuantiles) p99Text() string { return lagText(q.p99, q.runs) }

func lagText(s float64, runs uint64) string {
	switch {
	case runs == 0:
		return "no runs"
	case math.IsInf(s, 1):
		return "> 60 s"
	}
	return "≤ " + sig3(s*1000) + " ms"
}

// parseLagHist reads the lag histogram from a /metrics page.
func parseLagHist(r io.Reader) (lagHist, error) {
	p := expfmt.NewTextParser(pmodel.UTF8Validation)
	fams, err := p.TextToMetricFamilies(r)
	if err != nil {
		return lagHist{}, fmt.Errorf("%w: /metrics: %w", errOutput, err)
	}
	fam, ok := fams[lagMetric]
	if !ok || len(fam.GetMetric()) != 1 || fam.GetMetric()[0].GetHistogram() == nil {
		return lagHist{}, fmt.Errorf("%w: /metrics has no histogram %s", errOutput, lagMetric)
	}
	h := fam.GetMetric()[0].GetHistogram()
	out := lagHist{total: h.GetSampleCount()}
	for _, b := range h.GetBucket() {
		out.bounds = append(out.bounds, b.GetUpperBound())
		out.counts = append(out.counts, b.GetCumulativeCount())
	}
	return out, nil
}

// since is the lag of the runs counted between an earlier scrape and h.
func (h lagHist) since(earlier lagHist) (lagQuantiles, error) {
	if len(h.bounds) != len(earlier.bounds) || h.total < earlier.total {
		return lagQuantiles{}, fmt.Errorf("%w: %s changed between scrapes", errOutput, lagMetric)
	}
	q := lagQuantiles{runs: h.total - earlier.total}
	at := func(f float64) float64 {
		want := uint64(math.Ceil(f * float64(q.runs)))
		for i, ub := range h.bounds {
			if h.counts[i]-earlier.counts[i] >= want {
				return ub
			}
		}
		return math.Inf(1)
	}
	q.p50, q.p99 = at(0.5), at(0.99)
	return q, nil
}

func scrapeLag(ctx context.Context, url string) (lagHist, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return lagHist{}, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return lagHist{}, fmt.Errorf("scrape %s: %w", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return lagHist{}, fmt.Errorf("%w: scrape %s: %s", errOutput, url, resp.Status)
	}
	return parseLagHist(resp.Body)
}

// lagLine is the once-a-minute "schedule lag" line of the JSON log.
type lagLine struct {
	Time  time.Time `json:"time"`
	Kind  string    `json:"kind"`
	MaxMS int64     `json:"max_ms"`
}

// lastLagMaxIn is the max_ms of the last lag line at or before end, -1
// when there is none; other lines (text, other kinds) are skipped.
func lastLagMaxIn(r io.Reader, end time.Time) int64 {
	last := int64(-1)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		line := sc.Text()
		if !strings.Contains(line, `"kind":"lag"`) {
			continue
		}
		var l lagLine
		if json.Unmarshal([]byte(line), &l) != nil || l.Kind != "lag" || l.Time.After(end) {
			continue
		}
		last = l.MaxMS
	}
	return last
}

func lastLagMax(logPath string, end time.Time) int64 {
	f, err := os.Open(logPath)
	if err != nil {
		return -1
	}
	defer f.Close()
	return lastLagMaxIn(f, end)
}
