package probes

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"noctop/model"
)

// A check whose prepare step fails is scheduled all the same: every run is
// UNKNOWN with the reason, and tries the prepare step again, so the check
// runs once its cause is gone. The other checks are not affected.
func TestSchedulerCheckNotPreparedIsUnknownEachRun(t *testing.T) {
	cfg := schedConfig(3, time.Minute, time.Second)
	var (
		broken   atomic.Bool // a1's file is missing
		prepared = map[string]*atomic.Int64{"a0": {}, "a1": {}, "a2": {}}
	)
	broken.Store(true)
	errGone := errors.New("ca_file: open /gone.pem: no such file or directory")
	prepare := func(tg Target) (Prepared, error) {
		prepared[tg.Asset.Name].Add(1)
		if tg.Asset.Name == "a1" && broken.Load() {
			return nil, errGone
		}
		return eachRun(okProbe, tg)
	}
	s := NewScheduler(cfg, prepare, newCollector().sink)
	for round := range 4 {
		if round == 2 {
			broken.Store(false)
		}
		c := newCollector()
		s.sink = c.sink
		if err := s.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		for i := range 3 {
			rs := c.of(key(i))
			if len(rs) != 1 {
				t.Fatalf("round %d: %d results for %s", round, len(rs), key(i))
			}
			want, summary := model.StatusOK, "fine"
			if i == 1 && round < 2 {
				want, summary = model.StatusUnknown, errGone.Error()
			}
			if rs[0].Status != want || rs[0].Summary != summary || rs[0].Local {
				t.Errorf("round %d, %s: got %s %q (local %v), want %s %q", round, key(i), rs[0].Status, rs[0].Summary, rs[0].Local, want, summary)
			}
		}
	}
	// Prepared once each; a1 at build, then once per run up to the one where
	// it took (the third), and never again.
	for name, want := range map[string]int64{"a0": 1, "a1": 4, "a2": 1} {
		if got := prepared[name].Load(); got != want {
			t.Errorf("%s prepared %d times, want %d", name, got, want)
		}
	}
}

// The scheduler takes the checks' timing as the loader left it; a config
// that skipped the loader (no ApplyDefaults) is a programming error named
// at once, not a division by zero at the first run.
func TestSchedulerNeedsLoadedTiming(t *testing.T) {
	cfg := &model.Config{Assets: []model.Asset{{Name: "a", Checks: []model.Check{{Type: model.CheckTCP, Name: "tcp"}}}}}
	defer func() {
		v := recover()
		if v == nil || !strings.Contains(fmt.Sprint(v), "check a/tcp has interval 0s") {
			t.Errorf("recovered %v, want a panic naming check a/tcp", v)
		}
	}()
	NewScheduler(cfg, perRun(okProbe), newCollector().sink)
}
