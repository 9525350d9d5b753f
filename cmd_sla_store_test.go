package main

import (
	"bytes"
	"context"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"noctop/model"
	"noctop/store"
)

// noctop sla reads the store's per-day history (store.SLAHistory), not its
// events: the report is the one the same events give, byte for byte.
func TestSLAReportFromStoreAgreesWithEvents(t *testing.T) {
	cfg, snap, now := slaEngineRun(t, slaSteps())
	ctx := context.Background()
	ro := storedSnapshot(t, snap, now)
	began, err := ro.Began(ctx)
	if err != nil {
		t.Fatal(err)
	}
	events := &beganArchive{memArchive{snap.Events}, began}
	for _, w := range model.SLAWindows() {
		var got, want bytes.Buffer
		for arch, out := range map[model.Archive]*bytes.Buffer{ro: &got, events: &want} {
			rep, err := slaFromArchive(ctx, cfg, arch, w, now)
			if err != nil {
				t.Fatal(err)
			}
			if err := writeReportJSON(out, rep); err != nil {
				t.Fatal(err)
			}
		}
		if got.String() != want.String() || !bytes.Contains(got.Bytes(), []byte(`"duration_s"`)) {
			t.Errorf("%s from the store:\n%s\nfrom the events:\n%s", model.WindowText(w), got.String(), want.String())
		}
	}
}

// A subject that never answered and then failed ("PENDING -> CRITICAL
// soft", then hard) was not up before its first hard change: noctop sla
// applies the rule the monitor applies live (the first change, soft or
// hard, says what came before), since the store keeps soft changes of
// assets and services too. From the hard events alone it counted as up.
func TestSLAFromStoreSeesFirstSoftChange(t *testing.T) {
	cfg, err := model.Load(writeConfig(t, strings.Replace(slaTestConfig, "retries = 1", "retries = 3", 1)))
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	var clock atomic.Int64
	now := func() time.Time { return time.Unix(0, clock.Load()).UTC() }
	e := model.NewEngine(cfg, model.EngineOptions{Now: now})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); e.Run(ctx) }()
	defer func() { cancel(); <-done }()
	for _, s := range []slaStep{
		{time.Minute, "core-sw1", "icmp", model.StatusOK},
		{time.Minute, "app", "http", model.StatusOK},
		{time.Hour, "db", "tcp", model.StatusCritical}, // its first answer
		{time.Hour + time.Minute, "db", "tcp", model.StatusCritical},
		{time.Hour + 2*time.Minute, "db", "tcp", model.StatusCritical}, // hard
		{2 * time.Hour, "db", "tcp", model.StatusOK},
	} {
		clock.Store(t0.Add(s.at).UnixNano())
		if err := e.Submit(ctx, model.Result{Key: model.CheckKey{Asset: s.asset, Check: s.check}, At: now(),
			Outcome: model.Outcome{Status: s.st, Summary: s.st.String()}}); err != nil {
			t.Fatal(err)
		}
	}
	snap, err := e.Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ro := storedSnapshot(t, snap, t0)
	h, err := ro.SLAHistory(ctx, t0.Add(3*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	live := model.Timelines(snap.Events, h.Known)["db"] // every event, as the engine notes them
	got := h.Timeline("db")
	if live == nil || got.Start != live.Start || got.Start != model.StatusPending || !slices.EqualFunc(got.Changes, live.Changes, func(a, b model.Transition) bool { return a.At.Equal(b.At) && a.Status == b.Status }) {
		t.Errorf("db from the store: %+v; the monitor's rule: %+v (want PENDING before its first hard change)", got, live)
	}
	var hard []model.Event
	for _, ev := range snap.Events {
		if ev.Hard {
			hard = append(hard, ev)
		}
	}
	if old := model.NewSLAHistory(hard, h.Known).Timeline("db"); old.Start != model.StatusOK {
		t.Errorf("from hard events alone db starts %s: the case this test is about is gone", old.Start)
	}
	av := got.Measure(model.SLADay, t0.Add(3*time.Hour))
	if av.Measured != 2*time.Hour-2*time.Minute || av.Down != 58*time.Minute {
		t.Errorf("db measured %v, down %v; want from its first hard change at 1h02m: 1h58m, 58m", av.Measured, av.Down)
	}
}

// storedSnapshot writes snap with the store's own writer (clock now) and
// opens the database read-only, as noctop sla does; closed at cleanup.
func storedSnapshot(t *testing.T, snap *model.Snapshot, now time.Time) *store.Store {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), store.FileName)
	st, err := store.Open(ctx, path, store.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	snaps := make(chan *model.Snapshot, 1)
	snaps <- snap
	close(snaps)
	if err := st.Run(ctx, snaps); err != nil {
		t.Fatal(err)
	}
	st.Close()
	ro, err := store.OpenReadOnly(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ro.Close() })
	return ro
}
