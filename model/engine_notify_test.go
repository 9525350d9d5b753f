package model_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"noctop/model"
)

// recorder counts the engine's Recheck calls (made on the engine goroutine).
type recorder struct {
	mu   sync.Mutex
	keys []model.CheckKey
}

func (r *recorder) recheck(k model.CheckKey) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.keys = append(r.keys, k)
}

func (r *recorder) take() []model.CheckKey {
	r.mu.Lock()
	defer r.mu.Unlock()
	k := r.keys
	r.keys = nil
	return k
}

func TestNotify(t *testing.T) {
	sw := model.CheckKey{Asset: "core-sw1", Check: "icmp"}
	swHTTP := model.CheckKey{Asset: "core-sw1", Check: "http"}
	at := t0.Add(time.Hour)
	tests := []struct {
		name       string
		n          model.Notice
		wantAsset  string
		wantSum    string
		wantAt     time.Time
		wantStatus model.Status
		rechecks   []model.CheckKey
	}{
		{"known asset, recheck", model.Notice{Asset: "core-sw1", Kind: model.EventTrap, Summary: "linkDown ifIndex 3 (Gi0/3)", At: at, Recheck: true},
			"core-sw1", "linkDown ifIndex 3 (Gi0/3)", at, crit, []model.CheckKey{sw, swHTTP}},
		{"known asset, no recheck", model.Notice{Asset: "core-sw1", Kind: model.EventTrap, Summary: "coldStart", At: at},
			"core-sw1", "coldStart", at, crit, nil},
		{"asset without checks", model.Notice{Asset: "group", Kind: model.EventTrap, Summary: "warmStart", At: at, Recheck: true},
			"group", "warmStart", at, pend, nil},
		{"unknown source", model.Notice{Kind: model.EventTrap, Summary: "trap from unknown source 127.0.0.9: linkDown ifIndex 3", At: at, Recheck: true},
			"", "trap from unknown source 127.0.0.9: linkDown ifIndex 3", at, pend, nil},
		{"name not in config", model.Notice{Asset: "ghost", Kind: model.EventTrap, Summary: "coldStart", At: at, Recheck: true},
			"", `coldStart (asset "ghost" is not in the config)`, at, pend, nil},
		{"no time: engine clock", model.Notice{Asset: "web1", Kind: model.EventTrap, Summary: "linkUp ifIndex 1", Recheck: true},
			"web1", "linkUp ifIndex 1", t0, pend, []model.CheckKey{{Asset: "web1", Check: "tcp"}}},
	}
	var rec recorder
	cfg := &model.Config{Assets: []model.Asset{
		asset("core-sw1", nil, check("icmp"), check("http")),
		asset("web1", nil, check("tcp")),
		asset("group", nil),
	}}
	r := startEngine(t, cfg, model.EngineOptions{Recheck: rec.recheck})
	r.result("core-sw1", "icmp", crit, "3/3 lost")
	r.sync()
	rec.take()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := r.sync().Events
			if err := r.e.Notify(tt.n); err != nil {
				t.Fatalf("Notify: %v", err)
			}
			s := r.sync()
			if len(s.Events) != len(before)+1 {
				t.Fatalf("%d events, want %d", len(s.Events), len(before)+1)
			}
			ev := s.Events[len(s.Events)-1]
			if ev.Kind != model.EventTrap || ev.Asset != tt.wantAsset || ev.Summary != tt.wantSum || !ev.At.Equal(tt.wantAt) ||
				ev.Check != "" || ev.To != tt.wantStatus || ev.From != tt.wantStatus {
				t.Errorf("event %+v\nwant asset %q summary %q at %v status %s", ev, tt.wantAsset, tt.wantSum, tt.wantAt, tt.wantStatus)
			}
			if got := rec.take(); !slices.Equal(got, tt.rechecks) {
				t.Errorf("rechecks %v, want %v", got, tt.rechecks)
			}
		})
	}
	// A notice changes no state.
	if s := r.sync(); r.asset(s, "core-sw1").Status != crit || s.Checks != 3 || s.Done != 1 {
		t.Errorf("state changed: %+v", r.asset(s, "core-sw1"))
	}
}

// Notify never waits: with the inbox full it drops and counts; after Run it
// says the engine stopped.
func TestNotifyNeverBlocks(t *testing.T) {
	cfg := &model.Config{Assets: []model.Asset{asset("a", nil, check("icmp"))}}
	cfg.ApplyDefaults()
	var rec recorder
	e := model.NewEngine(cfg, model.EngineOptions{Recheck: rec.recheck})
	n := model.Notice{Asset: "a", Kind: model.EventTrap, Summary: "coldStart", Recheck: true}
	accepted := 0
	for {
		err := e.Notify(n) // Run is not going: nothing drains the inbox
		if errors.Is(err, model.ErrInboxFull) {
			break
		}
		if err != nil {
			t.Fatalf("Notify: %v", err)
		}
		accepted++
		if accepted > 1<<20 {
			t.Fatal("the inbox never filled")
		}
	}
	if err := e.Notify(n); !errors.Is(err, model.ErrInboxFull) || e.NoticesDropped() != 2 {
		t.Fatalf("err %v, dropped %d, want ErrInboxFull and 2", err, e.NoticesDropped())
	}

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); e.Run(ctx) }()
	s, err := e.Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The queued notices went through; the window keeps the newest.
	if last := s.Events[len(s.Events)-1]; last.Summary != "coldStart" || last.Asset != "a" || uint64(accepted) != last.Seq {
		t.Errorf("last event %+v after %d accepted notices", last, accepted)
	}
	if got := len(rec.take()); got != accepted {
		t.Errorf("%d rechecks for %d notices", got, accepted)
	}
	cancel()
	<-done
	if err := e.Notify(n); !errors.Is(err, model.ErrEngineStopped) {
		t.Errorf("after Run: %v, want ErrEngineStopped", err)
	}
}
