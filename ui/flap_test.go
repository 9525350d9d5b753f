package ui

import (
	"context"
	"testing"

	"noctop/model"
)

// TestFlappingShown drives a real engine until the lab's gateway check
// flaps: the row says so, the banner counts it apart, and the check screen
// explains what it means for alerts.
func TestFlappingShown(t *testing.T) {
	e, _ := engineFor(t, labSnapshot())
	ctx := context.Background()
	for i := range model.FlapWindow {
		st, sum := model.StatusOK, "3/3 received"
		if i%2 == 1 {
			st, sum = model.StatusCritical, "3/3 lost"
		}
		if err := e.Submit(ctx, model.Result{Key: model.CheckKey{Asset: "gw1", Check: "icmp"}, Outcome: model.Outcome{Status: st, Summary: sum}}); err != nil {
			t.Fatal(err)
		}
	}
	snap, err := e.Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !snap.Asset("gw1").Flapping {
		t.Fatal("the engine did not judge gw1 flapping")
	}
	m := newTestRoot(t, snap, 160, 40)
	wantIn(t, m, "✓ OK ≈     gw1", "1 flapping")
	press(m, "G", "enter") // gw1, the only OK asset, sorts last
	if f, ok := m.top().(*assetScreen); !ok || f.name != "gw1" {
		t.Fatalf("enter: top %#v, want asset gw1", m.top())
	}
	wantIn(t, m, "✓ OK  since", "≈ flapping", "✓ OK ≈", "flapping: started at 50% state change over the last 10 results")
	press(m, "enter")
	wantIn(t, m, "≈ flapping: 100% state change over its last 21 results; notifications wait until it settles")
}
