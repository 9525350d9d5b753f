package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"noctop/lab"
	"noctop/model"
)

// TestDemoFlapping runs the demo's lab with the real monitor (checks every
// 2 s) until the CRM's sync check, whose endpoint answers 200 and 503 in
// turn, is judged flapping: the demo shows flap detection without a
// scripted step. Its state changes go on being logged.
func TestDemoFlapping(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	_, _, snapshots := startReplay(ctx, t)
	for {
		var s *model.Snapshot
		select {
		case s = <-snapshots:
		case <-ctx.Done():
			t.Fatal("the CRM's /flap check never flapped")
		}
		crm := s.Asset(lab.CRM)
		c := crm.Check("sync")
		if c == nil || !c.Flapping {
			continue
		}
		if !crm.Flapping || s.Tally.Flapping < 1 || !strings.Contains(s.Tally.String(), "flapping") {
			t.Fatalf("crm flapping %v, tally %+v", crm.Flapping, s.Tally)
		}
		var started, changes int
		for _, ev := range s.Events {
			switch {
			case ev.Kind == model.EventFlapping && ev.Asset == lab.CRM && strings.HasPrefix(ev.Summary, "started at "):
				started++
			case ev.Kind == model.EventState && ev.Asset == lab.CRM && ev.Check == "sync":
				changes++
			}
		}
		if started != 1 || changes < 5 {
			t.Fatalf("events: %d started flapping, %d state changes of crm/sync", started, changes)
		}
		t.Logf("crm/sync flapping at %.0f%% after %d state changes", c.FlapPercent, changes)
		return
	}
}
