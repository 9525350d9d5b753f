package main

import (
	"bytes"
	"context"
	"path/filepath"
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
	defer ro.Close()
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
			if err := writeSLAJSON(out, rep); err != nil {
				t.Fatal(err)
			}
		}
		if got.String() != want.String() || !bytes.Contains(got.Bytes(), []byte(`"duration_s"`)) {
			t.Errorf("%s from the store:\n%s\nfrom the events:\n%s", model.WindowText(w), got.String(), want.String())
		}
	}
}
