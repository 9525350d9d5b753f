package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"noctop/model"
)

// TestWriteBenchDatabase writes a database and its config for measuring
// whole processes (BENCHMARKS.md, "Store: whole processes") through the
// store's own writer, into the directory NOCTOP_BENCH_DB names (it must not
// hold a database yet): NOCTOP_BENCH_DB_ASSETS assets (default 1,000) of
// one icmp check each, in 20 services; 30 days of events ending now,
// NOCTOP_BENCH_DB_OUTAGES (default 30: one a day) ten-minute outages per
// asset in the 30 days, each 7 events (the check's soft and hard CRITICAL,
// the asset's and its service's hard CRITICAL, all three back to OK hard),
// 4 of them hard changes of the asset and service themselves; with
// NOCTOP_BENCH_DB_HISTORY=1 every check's state and 120 results every 30 s
// up to now, three assets hard CRITICAL (a restart's status line counts
// them). Without NOCTOP_BENCH_DB it writes a small one into a temp
// directory and checks what availability and a restart read back.
//
//	NOCTOP_BENCH_DB=/tmp/sla go test ./store -run TestWriteBenchDatabase -v
//	noctop sla -c /tmp/sla/noctop.toml --state-dir /tmp/sla
func TestWriteBenchDatabase(t *testing.T) {
	dir := os.Getenv("NOCTOP_BENCH_DB")
	assets := envInt(t, "NOCTOP_BENCH_DB_ASSETS", 1000)
	outages := envInt(t, "NOCTOP_BENCH_DB_OUTAGES", 30)
	history := os.Getenv("NOCTOP_BENCH_DB_HISTORY") == "1"
	small := dir == ""
	if small {
		dir, assets, outages, history = t.TempDir(), 40, 3, true
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, FileName)
	if _, err := os.Stat(path); err == nil {
		t.Fatalf("%s exists", path)
	}
	now := time.Now().Truncate(time.Minute)
	clk := &clock{t: now.Add(-30 * 24 * time.Hour)}
	s, err := Open(context.Background(), path, Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	w := s.newWriter()
	ctx := context.Background()
	name := func(a int) string { return fmt.Sprintf("host%05d", a) }
	var seq uint64
	ev := func(at time.Time, asset, check string, from, to model.Status, fromHard, hard bool, attempt int, summary string) {
		seq++
		e := model.Event{Seq: seq, At: at, Kind: model.EventState, Asset: asset, Check: check, From: from, To: to,
			FromHard: fromHard, Hard: hard, Summary: summary}
		if check != "" {
			e.Attempt, e.MaxAttempts = attempt, 3
		}
		w.events = append(w.events, e)
	}
	crit, ok := model.StatusCritical, model.StatusOK
	// Outages come every 30 days / outages, each round spread over its
	// period asset by asset.
	period := 30 * 24 * time.Hour / time.Duration(max(outages, 1))
	for o := range outages {
		for a := range assets {
			at := clk.t.Add(time.Duration(o)*period + time.Duration(a)*(period-time.Hour)/time.Duration(assets))
			h := name(a)
			ev(at, h, "icmp", ok, crit, true, false, 1, "3/3 lost")
			ev(at.Add(time.Minute), h, "icmp", crit, crit, false, true, 3, "3/3 lost")
			ev(at.Add(time.Minute), h, "", ok, crit, true, true, 0, "icmp: 3/3 lost")
			ev(at.Add(10*time.Minute), h, "icmp", crit, ok, true, true, 0, "3/3 received, rtt 0.1 ms")
			ev(at.Add(10*time.Minute), h, "", crit, ok, true, true, 0, "all checks OK")
			// Its service (rule all) is down with it.
			sv := fmt.Sprintf("service%02d", a/max(assets/20, 1))
			w.events = append(w.events,
				model.Event{Seq: seq + 1, At: at.Add(time.Minute), Kind: model.EventState, Service: sv, From: ok, To: crit, FromHard: true, Hard: true, Summary: h + " down"},
				model.Event{Seq: seq + 2, At: at.Add(10 * time.Minute), Kind: model.EventState, Service: sv, From: crit, To: ok, FromHard: true, Hard: true, Summary: "all needs up"})
			seq += 2
		}
		w.flush(ctx, false)
	}
	w.flush(ctx, true)
	if history {
		clk.t = now
		snap := &model.Snapshot{}
		for a := range assets {
			var hist model.History
			start := now.Add(-time.Duration(model.DefaultHistoryLen) * 30 * time.Second)
			for k := range model.DefaultHistoryLen - 1 {
				hist = hist.Append(start.Add(time.Duration(k)*30*time.Second), model.StatusOK, 20*time.Millisecond, benchMetrics(k))
			}
			c := benchState(name(a), now, a, hist)
			if a < 3 {
				c.Status, c.HardStatus, c.Summary = crit, crit, "3/3 lost"
			}
			snap.Assets = append(snap.Assets, &model.AssetState{Name: name(a), Checks: []*model.CheckState{c}})
		}
		w.take(snap)
		w.flush(ctx, true)
	}
	if w.paused {
		t.Fatal(s.Status())
	}
	if err := os.WriteFile(filepath.Join(dir, "noctop.toml"), []byte(benchConfig(assets)), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: %d assets, %d events, history %v", path, assets, seq, history)
	if small {
		s.Close()
		checkBenchDatabase(t, path, assets, outages)
	}
}

// checkBenchDatabase reads back a written bench database as noctop sla
// and a restart do.
func checkBenchDatabase(t *testing.T, path string, assets, outages int) {
	t.Helper()
	s, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	evs, err := s.Events(context.Background(), model.EventQuery{Kinds: []string{model.EventState}, HardOnly: true,
		Subjects: true, Brief: true, Limit: 1_000_000})
	if err != nil || len(evs) != 4*assets*outages {
		t.Fatalf("%d hard changes of assets and services, want %d: %v", len(evs), 4*assets*outages, err)
	}
	h := model.NewSLAHistory(evs, time.Time{})
	if av := h.Timeline("host00001").Measure(30*24*time.Hour, time.Now()); av.Down != time.Duration(outages)*9*time.Minute {
		t.Errorf("host00001 down %s over 30 days, want %d outages of 9 m", av.Down, outages)
	}
	r, err := s.Resume(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Checks) != assets || len(r.Checks[model.CheckKey{Asset: "host00001", Check: "icmp"}].History) != model.StoredHistoryLen {
		t.Errorf("resumed %d checks", len(r.Checks))
	}
	if st := r.Checks[model.CheckKey{Asset: "host00000", Check: "icmp"}]; st.HardStatus != model.StatusCritical {
		t.Errorf("host00000 resumed %s, want hard CRITICAL", st.HardStatus)
	}
}

// benchConfig is assets host00000... (127.1.0.1 on: loopback) of one icmp
// check each every 30 s, in 20 services of equal parts.
func benchConfig(assets int) string {
	var b strings.Builder
	b.WriteString("[defaults]\ninterval = \"30s\"\ntimeout = \"2s\"\n\n")
	for a := range assets {
		fmt.Fprintf(&b, "[[asset]]\nname = \"host%05d\"\naddress = \"127.1.%d.%d\"\n  [[asset.check]]\n  type = \"icmp\"\n\n", a, a/250%256, a%250+1)
	}
	per := max(assets/20, 1)
	for sv := 0; sv*per < assets; sv++ {
		var needs []string
		for a := sv * per; a < min((sv+1)*per, assets); a++ {
			needs = append(needs, strconv.Quote(fmt.Sprintf("host%05d", a)))
		}
		fmt.Fprintf(&b, "[[service]]\nname = \"service%02d\"\nrule = \"all\"\nneeds = [%s]\nsla = 99.9\n\n", sv, strings.Join(needs, ", "))
	}
	return b.String()
}

func envInt(t *testing.T, key string, def int) int {
	t.Helper()
	v := os.Getenv(key)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		t.Fatalf("%s=%q: want a count", key, v)
	}
	return n
}
