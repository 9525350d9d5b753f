package main

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"
)

// A /metrics page as serve writes it, the lag histogram's buckets in
// seconds and cumulative.
func lagPage(counts [4]int, total int) string {
	return "# HELP noctop_schedule_lag_seconds How late.\n# TYPE noctop_schedule_lag_seconds histogram\n" +
		"noctop_schedule_lag_seconds_bucket{le=\"0.001\"} " + strconv.Itoa(counts[0]) + "\n" +
		"noctop_schedule_lag_seconds_bucket{le=\"0.05\"} " + strconv.Itoa(counts[1]) + "\n" +
		"noctop_schedule_lag_seconds_bucket{le=\"0.25\"} " + strconv.Itoa(counts[2]) + "\n" +
		"noctop_schedule_lag_seconds_bucket{le=\"60\"} " + strconv.Itoa(counts[3]) + "\n" +
		"noctop_schedule_lag_seconds_bucket{le=\"+Inf\"} " + strconv.Itoa(total) + "\n" +
		"noctop_schedule_lag_seconds_sum 1\nnoctop_schedule_lag_seconds_count " + strconv.Itoa(total) + "\n" +
		"# TYPE noctop_build_info gauge\nnoctop_build_info{version=\"x\"} 1\n"
}

func TestLagSinceIsTheWindowsRunsOnly(t *testing.T) {
	before, err := parseLagHist(strings.NewReader(lagPage([4]int{10, 1000, 1000, 1000}, 1000)))
	if err != nil {
		t.Fatal(err)
	}
	// 1,010 runs in the window: 400 under 1 ms, 590 more under 50 ms, 5
	// under 250 ms, 15 past 60 s (more than 1%). Before it, every run was
	// under 50 ms.
	after, err := parseLagHist(strings.NewReader(lagPage([4]int{410, 1990, 1995, 1995}, 2010)))
	if err != nil {
		t.Fatal(err)
	}
	q, err := after.since(before)
	if err != nil {
		t.Fatal(err)
	}
	if q.runs != 1010 || q.p50 != 0.05 || !math.IsInf(q.p99, 1) {
		t.Errorf("since = %+v; want 1010 runs, p50 0.05, p99 +Inf", q)
	}
	if q, _ := before.since(before); q.runs != 0 || q.p50Text() != "no runs" {
		t.Errorf("empty window = %+v, %q", q, q.p50Text())
	}
	if _, err := before.since(after); !errors.Is(err, errOutput) {
		t.Errorf("a histogram that went down: %v, want errOutput", err)
	}
}

func TestParseLagHistWithoutTheMetric(t *testing.T) {
	for _, page := range []string{"", "# TYPE noctop_build_info gauge\nnoctop_build_info 1\n", "not { metrics"} {
		if _, err := parseLagHist(strings.NewReader(page)); !errors.Is(err, errOutput) {
			t.Errorf("parseLagHist(%q) = %v, want errOutput", page, err)
		}
	}
}

func TestLastLagMaxIn(t *testing.T) {
	log := `{"time":"2026-12-07T15:00:00Z","level":"INFO","msg":"schedule lag","kind":"lag","runs":6000,"p50_ms":50,"p99_ms":100,"max_ms":102}
{"time":"2026-12-07T15:00:30Z","level":"INFO","msg":"change","kind":"change","max_ms":999}
not json "kind":"lag"
{"time":"2026-12-07T15:01:00Z","level":"WARN","msg":"schedule lag","kind":"lag","runs":6000,"p50_ms":50,"p99_ms":250,"max_ms":137}
`
	at := func(s string) time.Time { v, _ := time.Parse(time.RFC3339, s); return v }
	for _, c := range []struct {
		end  string
		want int64
	}{{"2026-12-07T14:59:59Z", -1}, {"2026-12-07T15:00:45Z", 102}, {"2026-12-07T15:02:00Z", 137}} {
		if got := lastLagMaxIn(strings.NewReader(log), at(c.end)); got != c.want {
			t.Errorf("by %s: %d, want %d", c.end, got, c.want)
		}
	}
}
