package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"noctop/model"
)

// memArchive serves events as the store does (EventQuery's rules), from
// what a real engine emitted.
type memArchive struct{ events []model.Event }

func (m *memArchive) Events(_ context.Context, q model.EventQuery) ([]model.Event, error) {
	var out []model.Event
	for _, ev := range m.events {
		switch {
		case !q.Since.IsZero() && ev.At.Before(q.Since), !q.Until.IsZero() && !ev.At.Before(q.Until):
		case q.Kinds != nil && !slices.Contains(q.Kinds, ev.Kind):
		case q.HardOnly && ev.Kind == model.EventState && !ev.Hard:
		case q.Asset != "" && ev.Asset != q.Asset, q.Service != "" && ev.Service != q.Service:
		default:
			out = append(out, ev)
		}
	}
	limit := q.Limit
	if limit == 0 {
		limit = model.DefaultEventLimit
	}
	if len(out) > limit {
		out = out[len(out)-limit:]
	}
	return out, nil
}

func (m *memArchive) Series(context.Context, model.CheckKey, string, time.Time, time.Time) ([]model.Point, error) {
	return nil, nil
}

const slaTestConfig = `
[defaults]
retries = 1

[[asset]]
name = "core-sw1"
address = "127.0.0.1"
  [[asset.check]]
  type = "icmp"

[[asset]]
name = "app"
address = "127.0.0.2"
parents = ["core-sw1"]
  [[asset.check]]
  type = "http"
  url = "http://127.0.0.2/"

[[asset]]
name = "db"
address = "127.0.0.3"
  [[asset.check]]
  type = "tcp"
  port = 5432

[[service]]
name = "Shop"
needs = ["app", "db"]
sla = 99.9

[[service]]
name = "Business"
needs = ["Shop"]
sla = 99
`

// slaStep is one result of slaEngineRun, at t0 + at.
type slaStep struct {
	at           time.Duration
	asset, check string
	st           model.Status
}

// slaSteps are three days: db fails at the start (the first event is at
// the engine's start, so the events alone know the span the engine
// knows), core-sw1 takes app down for an hour (app UNREACHABLE), db fails
// for 30 minutes.
func slaSteps() []slaStep {
	h := time.Hour
	return []slaStep{
		{0, "db", "tcp", model.StatusCritical},
		{time.Minute, "db", "tcp", model.StatusOK},
		{time.Minute, "core-sw1", "icmp", model.StatusOK},
		{time.Minute, "app", "http", model.StatusOK},
		{5 * h, "core-sw1", "icmp", model.StatusCritical},
		{5*h + time.Second, "app", "http", model.StatusCritical},
		{6 * h, "core-sw1", "icmp", model.StatusOK},
		{6*h + time.Second, "app", "http", model.StatusOK},
		{48 * h, "db", "tcp", model.StatusCritical},
		{48*h + 30*time.Minute, "db", "tcp", model.StatusOK},
		{72 * h, "db", "tcp", model.StatusOK}, // now: a publish then
	}
}

// slaEngineRun runs a real engine on slaTestConfig over a fixed clock
// from t0, fed steps; the snapshot is taken at the last step.
func slaEngineRun(t *testing.T, steps []slaStep) (*model.Config, *model.Snapshot, time.Time) {
	t.Helper()
	cfg, err := model.Load(writeConfig(t, slaTestConfig))
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	var clock atomic.Int64
	clock.Store(t0.UnixNano())
	e := model.NewEngine(cfg, model.EngineOptions{Now: func() time.Time { return time.Unix(0, clock.Load()).UTC() }})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); e.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })

	for _, s := range steps {
		at := t0.Add(s.at)
		clock.Store(at.UnixNano())
		r := model.Result{Key: model.CheckKey{Asset: s.asset, Check: s.check}, At: at, Outcome: model.Outcome{Status: s.st, Summary: s.st.String()}}
		if err := e.Submit(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	snap, err := e.Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return cfg, snap, t0.Add(steps[len(steps)-1].at)
}

// noctop sla computes from the store's events what the monitor computed
// live: the same figures for every service and window.
func TestSLAReportAgreesWithEngine(t *testing.T) {
	cfg, snap, now := slaEngineRun(t, slaSteps())
	arch := &memArchive{events: snap.Events}
	for i, w := range model.SLAWindows() {
		rep, err := slaFromArchive(context.Background(), cfg, arch, w, now)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range rep.Services {
			live := snap.Service(s.Name).Availability[i]
			if s.av.Down != live.Down || s.av.Measured != live.Measured || len(s.av.Outages) != len(live.Outages) ||
				math.Abs(float64(s.Percent)-live.Percent) > 1e-9 {
				t.Errorf("%s %s: sla says %v down of %v (%d outages), the monitor %v of %v (%d)", s.Name, model.WindowText(w),
					s.av.Down, s.av.Measured, len(s.av.Outages), live.Down, live.Measured, len(live.Outages))
			}
			if s.Below != (snap.Service(s.Name).Status == model.StatusWarning) && i == 2 {
				t.Errorf("%s: below sla %v, but the monitor says %s %q", s.Name, s.Below, snap.Service(s.Name).Status, snap.Service(s.Name).Reason)
			}
		}
		if i == 2 && rep.Breached != 2 {
			t.Errorf("%d services below their sla, want Shop and Business", rep.Breached)
		}
	}
	// Assets: core-sw1 is charged its hour; app, UNREACHABLE behind it, is
	// not, and that hour is not measured.
	rep, _ := slaFromArchive(context.Background(), cfg, arch, model.SLAWeek, now)
	byName := map[string]slaSubject{}
	for _, a := range rep.Assets {
		byName[a.Name] = a
	}
	core, app, db := byName["core-sw1"].av, byName["app"].av, byName["db"].av
	if core.Down != time.Hour || app.Down != 0 || app.Measured != core.Measured-time.Hour {
		t.Errorf("core-sw1 %v down of %v; app %v down of %v: want app uncharged, its UNREACHABLE hour unmeasured",
			core.Down, core.Measured, app.Down, app.Measured)
	}
	if db.Down != 31*time.Minute || rep.Assets[0].Name != "core-sw1" {
		t.Errorf("db %v down (want 31m); assets listed %v, want longest down first", db.Down, rep.Assets)
	}
}

func TestSLAReportOutput(t *testing.T) {
	cfg, snap, now := slaEngineRun(t, slaSteps())
	rep, err := slaFromArchive(context.Background(), cfg, &memArchive{events: snap.Events}, model.SLAMonth, now)
	if err != nil {
		t.Fatal(err)
	}
	var table bytes.Buffer
	if err := writeSLATable(&table, rep); err != nil {
		t.Fatal(err)
	}
	shop := snap.Service("Shop").Availability[2]
	for _, want := range []string{
		"Availability over 30 d to 2026-05-04 00:00 (known since 2026-05-01 00:00)",
		model.PercentText(shop.Percent), "99.9%", model.DurationText(shop.Down), "▲ below sla",
		"1 h 0 m from 05-01 05:00",
	} {
		if !strings.Contains(table.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, table.String())
		}
	}
	var js bytes.Buffer
	if err := writeReportJSON(&js, rep); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Services []struct {
			Name    string   `json:"name"`
			Percent *float64 `json:"availability_pct"`
			Below   bool     `json:"below_sla"`
			Outages []struct {
				DurationS float64 `json:"duration_s"`
			} `json:"outages"`
		} `json:"services"`
		Breached int `json:"services_below_sla"`
	}
	if err := json.Unmarshal(js.Bytes(), &got); err != nil {
		t.Fatalf("%v\n%s", err, js.String())
	}
	s := got.Services[0]
	if s.Name != "Shop" || s.Percent == nil || math.Abs(*s.Percent-shop.Percent) > 1e-9 || !s.Below || len(s.Outages) != len(shop.Outages) || got.Breached != 2 {
		t.Errorf("JSON %s", js.String())
	}
}

// An empty store: nothing measured, null in JSON, n/a in the table.
func TestSLAReportEmptyStore(t *testing.T) {
	cfg, err := model.Load(writeConfig(t, slaTestConfig))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := slaFromArchive(context.Background(), cfg, &memArchive{}, model.SLADay, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var js, table bytes.Buffer
	if err := writeReportJSON(&js, rep); err != nil {
		t.Fatal(err)
	}
	if err := writeSLATable(&table, rep); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(js.String(), `"availability_pct": null`) || !strings.Contains(table.String(), "n/a") || rep.Breached != 0 {
		t.Errorf("empty store:\n%s\n%s", js.String(), table.String())
	}
}

// A window that is not a duration, or a config with errors, is refused
// before the store is opened: exit 3 and what is wrong.
func TestSLACommandRefusesBadInput(t *testing.T) {
	cfg := writeConfig(t, slaTestConfig)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"sla", "-c", cfg, "--window", "a month"}, `--window "a month": want a duration such as 24h, 7d or 30d`},
		{[]string{"sla", "-c", cfg, "--window", "-7d"}, `--window "-7d"`},
		{[]string{"sla", "-c", writeConfig(t, "[[service]]\nname = \"s\"\nneeds = [\"a\"]\nsla = 101\n")}, "sla: want a percent above 0 and at most 100, got 101"},
	} {
		_, stderr, code := runBin(t, nil, c.args...)
		if code != 3 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want 3 and %q", c.args, code, stderr, c.want)
		}
	}
}

// beganArchive is a store that knows when it began recording.
type beganArchive struct {
	memArchive
	began time.Time
}

func (b *beganArchive) Began(context.Context) (time.Time, error) { return b.began, nil }

// A quiet first day: the first event comes 20 hours after the monitor
// started. A store that knows when it began gives the monitor's figures;
// one that does not measures from the oldest event.
func TestSLAReportFromStoreStart(t *testing.T) {
	h := time.Hour
	cfg, snap, now := slaEngineRun(t, []slaStep{
		{time.Minute, "db", "tcp", model.StatusOK},
		{time.Minute, "core-sw1", "icmp", model.StatusOK},
		{time.Minute, "app", "http", model.StatusOK},
		{20 * h, "db", "tcp", model.StatusCritical},
		{20*h + 30*time.Minute, "db", "tcp", model.StatusOK},
		{24 * h, "db", "tcp", model.StatusOK},
	})
	start := now.Add(-24 * h)
	live := snap.Service("Shop").Availability[0]
	if live.Measured != 24*h || live.Down != 30*time.Minute {
		t.Fatalf("the monitor: %v down of %v, want 30m of 24h", live.Down, live.Measured)
	}
	rep, err := slaFromArchive(context.Background(), cfg, &beganArchive{memArchive{snap.Events}, start}, model.SLADay, now)
	if err != nil {
		t.Fatal(err)
	}
	if got := rep.Services[0].av; got.Measured != live.Measured || got.Down != live.Down || !rep.Since.Equal(start) {
		t.Errorf("from the store's start: %v down of %v since %v, the monitor %v of %v", got.Down, got.Measured, rep.Since, live.Down, live.Measured)
	}
	rep, _ = slaFromArchive(context.Background(), cfg, &memArchive{snap.Events}, model.SLADay, now)
	if got := rep.Services[0].av; got.Measured != 4*h || got.Down != 30*time.Minute {
		t.Errorf("from the oldest event: %v down of %v, want 30m of 4h", got.Down, got.Measured)
	}
}
