package serve

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"noctop/model"
)

// manyAssets is the rig's config with n more assets (sw-000...), so that
// a round that changes them all redraws whole screens.
func manyAssets(n int) *model.Config {
	cfg := rigConfig()
	for i := range n {
		cfg.Assets = append(cfg.Assets, model.Asset{Name: fmt.Sprintf("sw-%03d", i), Checks: []model.Check{{Type: "http", Name: "http"}}})
	}
	cfg.ApplyDefaults()
	return cfg
}

// Twenty viewers, one of which never reads: the other nineteen get every
// round's frame, and the engine publishes on. The stuck one's output is
// far more than the SSH window holds (its writes block), yet once it reads
// again it is shown the newest round, not a queue of old ones.
func TestSlowViewerDoesNotHoldOthers(t *testing.T) {
	const assets = 500
	rounds := 70
	if raceOn {
		rounds = 6
	}
	r := newRigWith(t, manyAssets(assets), Options{})
	stuckClient := r.login(r.viewer)
	stuck := openScreen(t, stuckClient, 120, 520, false)
	var readers []*screen
	for i := range 19 {
		signer := r.viewer
		if i%2 == 1 {
			signer = r.operator
		}
		readers = append(readers, openScreen(t, r.login(signer), 120, 40, true))
	}
	for _, s := range readers {
		s.waitText("rig.toml")
	}
	ctx := t.Context() // the rounds take what they take: -race is slow
	for round := 1; round <= rounds; round++ {
		mark := fmt.Sprintf("round-%03d", round)
		// Every asset changes: whole screens are redrawn for everyone.
		st := model.StatusCritical
		if round%2 == 0 {
			st = model.StatusWarning
		}
		for i := range assets {
			k := model.CheckKey{Asset: fmt.Sprintf("sw-%03d", i), Check: "http"}
			if err := r.engine.Submit(ctx, model.Result{Key: k, At: time.Now(), Outcome: model.Outcome{Status: st, Summary: mark}}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := r.engine.Sync(ctx); err != nil {
			t.Fatalf("round %d: the engine did not answer: %v", round, err)
		}
		var wg sync.WaitGroup
		for _, s := range readers {
			wg.Go(func() { s.waitText(mark) })
		}
		wg.Wait()
		if t.Failed() {
			return
		}
	}
	var received int
	for _, s := range readers {
		received += len(s.text())
	}
	t.Logf("%d rounds: the 19 readers got %d bytes of text between them", rounds, received)

	// The stuck viewer reads again: it catches up on the newest state, a
	// last round whose rows differ from every earlier one in each cell (a
	// diff of two rounds' rows draws only the digits that changed).
	for i := range assets {
		k := model.CheckKey{Asset: fmt.Sprintf("sw-%03d", i), Check: "http"}
		if err := r.engine.Submit(ctx, model.Result{Key: k, At: time.Now(), Outcome: model.Outcome{Status: model.StatusUnknown, Summary: "ZZZZZZZZZ"}}); err != nil {
			t.Fatal(err)
		}
	}
	stuck.read()
	stuck.waitText("ZZZZZZZZZ")
	missed := 0
	for round := 1; round < rounds; round++ {
		if !strings.Contains(stuck.text(), fmt.Sprintf("round-%03d", round)) {
			missed++
		}
	}
	if missed == 0 && !raceOn {
		t.Errorf("the stuck viewer was sent every round: frames were queued, not dropped")
	}
	stuck.mu.Lock()
	n := stuck.raw.Len()
	stuck.mu.Unlock()
	t.Logf("the stuck viewer skipped %d of %d rounds; it read %d bytes in all", missed, rounds-1, n)
	// What waited for it was the SSH window (2 MiB in x/crypto/ssh) and
	// the newest frame, not every round's.
	if n > 4<<20 {
		t.Errorf("the stuck viewer was sent %d bytes: more than the window and a frame", n)
	}
}
