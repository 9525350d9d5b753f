package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"noctop/model"
)

// checkedRun runs the one-shot state check uses over a config of n
// assets (an icmp check each, every third asset's parent the one before
// it) and one service, submits a result for every check (one run of three
// assets in seven fails, so parents are root causes and their children
// UNREACHABLE) and returns the run check would print.
func checkedRun(t *testing.T, n int) *checkRun {
	t.Helper()
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "[[asset]]\nname = \"h%d\"\naddress = \"127.1.%d.%d\"\n", i, i/250, i%250+1)
		if i%3 == 1 {
			fmt.Fprintf(&b, "parents = [\"h%d\"]\n", i-1)
		}
		b.WriteString("[[asset.check]]\ntype = \"icmp\"\n")
	}
	if n > 0 {
		b.WriteString("[[service]]\nname = \"all hosts\"\nneeds = [\"h0\"]\n")
	}
	cfg, err := model.Parse("n.toml", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	e := model.NewOneShot(cfg, model.OneShotOptions{})
	ctx := context.Background()
	at := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	for i, a := range cfg.Assets {
		o := model.Outcome{Status: model.StatusOK, Summary: "3/3 received", Primary: model.MetricRTTAvg,
			Metrics: map[string]float64{model.MetricRTTAvg: 0.05, model.MetricLossPct: 0, model.MetricJitter: math.NaN()}}
		if (i/3)%7 == 2 {
			o = model.Outcome{Status: model.StatusCritical, Summary: "0/3 received", Metrics: map[string]float64{model.MetricLossPct: 100}}
		}
		if err := e.Submit(ctx, model.Result{Key: a.Key(&a.Checks[0]), Outcome: o, At: at, Duration: 40 * time.Millisecond}); err != nil {
			t.Fatal(err)
		}
	}
	return newCheckRun(cfg, e.Head(), e.Assets(), "raw")
}

// The keys `check --json` may carry (DESIGN.md's fixed shape plus the
// documented extras); decoding with DisallowUnknownFields fails on any
// other.
type shapeCheck struct {
	Type, Name, Status, Summary, Primary string
	Metrics                              map[string]float64
	Units, Attrs                         map[string]string
	DurationMS                           float64 `json:"duration_ms"`
	Interfaces                           []map[string]any
	Host                                 map[string]any
}

type shapeReport struct {
	Status    string
	CheckedAt time.Time `json:"checked_at"`
	Config    string
	ICMPMode  string `json:"icmp_mode"`
	Tally     map[string]int
	Assets    []struct {
		Name, Layer, Kind, Address, Status, Role, Reason string
		RootCause                                        string `json:"root_cause"`
		Checks                                           []shapeCheck
	}
	Services []struct {
		Name, Rule, Status, Reason string
		Up, Total                  int
	}
}

// countingWriter records the writes it gets.
type countingWriter struct {
	bytes.Buffer
	writes, largest int
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.writes++
	w.largest = max(w.largest, len(p))
	return w.Buffer.Write(p)
}

// check --json is written asset by asset: for 0, 1 and 10,000 assets the
// bytes are one valid JSON document (json.Valid, then a decode that
// refuses unknown keys) with every key of the documented shape, in the
// snapshot's order and with its values; a large report reaches the writer
// in bounded pieces, never as one document built in memory.
func TestCheckJSONStreamShape(t *testing.T) {
	for _, n := range []int{0, 1, 10_000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			run := checkedRun(t, n)
			var out countingWriter
			if err := writeCheckJSON(&out, run); err != nil {
				t.Fatal(err)
			}
			raw := out.Bytes()
			if !json.Valid(raw) {
				t.Fatalf("not valid JSON:\n%.3000s", raw)
			}
			dec := json.NewDecoder(bytes.NewReader(raw))
			dec.DisallowUnknownFields()
			var rep shapeReport
			if err := dec.Decode(&rep); err != nil {
				t.Fatalf("shape: %v\n%.3000s", err, raw)
			}
			if dec.More() {
				t.Fatal("more than one JSON value")
			}
			wantKeys(t, raw, n)
			if rep.Status != run.status.String() || !rep.CheckedAt.Equal(run.at) || rep.Config != "n.toml" || rep.ICMPMode != "raw" ||
				rep.Tally["critical"]+rep.Tally["root_causes"] != run.snap.Tally.Critical+run.snap.Tally.RootCauses {
				t.Errorf("head: %+v, tally %v; want %s and %+v", rep.Status, rep.Tally, run.status, run.snap.Tally)
			}
			if len(rep.Assets) != n || len(rep.Services) != len(run.snap.Services) {
				t.Fatalf("%d assets and %d services, want %d and %d", len(rep.Assets), len(rep.Services), n, len(run.snap.Services))
			}
			unreachable := 0
			states := slices.Collect(run.assets)
			for i, a := range rep.Assets {
				if a.Status == model.StatusUnreachable.String() && a.RootCause != "" {
					unreachable++
				}
				s := states[i]
				if a.Name != s.Name || a.Status != s.Status.String() || a.RootCause != s.RootCause || len(a.Checks) != 1 {
					t.Fatalf("asset %d = %+v, want %s %s root cause %q", i, a, s.Name, s.Status, s.RootCause)
				}
				c := a.Checks[0]
				if _, ok := c.Metrics[model.MetricJitter]; ok || c.Metrics[model.MetricLossPct] != s.Checks[0].Metrics[model.MetricLossPct] {
					t.Fatalf("asset %d metrics %v: NaN kept or loss lost", i, c.Metrics)
				}
			}
			if n == 10_000 && unreachable == 0 {
				t.Error("no UNREACHABLE asset with its root cause: the shape of those is not tested")
			}
			if n == 10_000 && (out.largest > 64<<10 || out.writes < len(raw)/(64<<10)) {
				t.Errorf("%d bytes in %d writes, the largest %d: not written as it is encoded", len(raw), out.writes, out.largest)
			}
			t.Logf("%d assets: %d bytes in %d writes", n, len(raw), out.writes)
		})
	}
}

// wantKeys checks that every key DESIGN.md fixes is present (decoding into
// a struct cannot tell a missing key from a zero one).
func wantKeys(t *testing.T, raw []byte, n int) {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	has := func(obj any, where string, keys ...string) {
		m, ok := obj.(map[string]any)
		if !ok {
			t.Fatalf("%s is %T, not an object", where, obj)
		}
		for _, k := range keys {
			if _, ok := m[k]; !ok {
				t.Fatalf("%s has no %q: %v", where, k, m)
			}
		}
	}
	has(doc, "the report", "status", "checked_at", "config", "icmp_mode", "tally", "assets", "services")
	assets, _ := doc["assets"].([]any)
	if assets == nil || len(assets) != n {
		t.Fatalf("assets = %v, want an array of %d", doc["assets"], n)
	}
	for i, a := range assets {
		has(a, fmt.Sprint("asset ", i), "name", "layer", "status", "checks")
		for _, c := range a.(map[string]any)["checks"].([]any) {
			has(c, fmt.Sprint("a check of asset ", i), "type", "name", "status", "summary", "metrics", "primary", "units", "duration_ms")
		}
	}
	for i, s := range doc["services"].([]any) {
		has(s, fmt.Sprint("service ", i), "name", "rule", "status", "up", "total")
	}
}

// The table is written without holding its rows: worst first, in snapshot
// order within a severity (what a stable sort gave), every check once,
// columns aligned, and a large one reaches the writer in bounded pieces.
func TestCheckTableStream(t *testing.T) {
	for _, n := range []int{0, 30, 10_000} {
		run := checkedRun(t, n)
		var out countingWriter
		if err := writeCheckTable(&out, run); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(ansi.Strip(out.String()), "\n")
		if !strings.HasPrefix(lines[0], "noctop check: n.toml, icmp raw, ") || !strings.HasPrefix(lines[2], "STATUS ") {
			t.Fatalf("head:\n%s", strings.Join(lines[:3], "\n"))
		}
		col := strings.Index(lines[2], "ASSET")
		type row struct {
			sev  int
			name string
		}
		var want []row
		for a := range run.assets {
			st := a.Checks[0].Status
			if a.Status == model.StatusUnreachable {
				st = model.StatusUnreachable
			}
			want = append(want, row{st.Severity(), a.Name})
		}
		slices.SortStableFunc(want, func(x, y row) int { return y.sev - x.sev })
		got := lines[3 : 3+n]
		for i, l := range got {
			r := []rune(l)
			name := strings.Fields(string(r[col:]))[0]
			if name != want[i].name || r[col-1] != ' ' || r[col-2] != ' ' {
				t.Fatalf("%d assets: row %d is %q, want asset %s at column %d", n, i, l, want[i].name, col)
			}
		}
		if n == 10_000 && out.largest > 64<<10 {
			t.Errorf("a write of %d bytes: the table is held before it is written", out.largest)
		}
	}
}
