package model_test

import (
	"strings"
	"testing"
	"time"

	"noctop/model"
)

// flapCfg has one endpoint that may flap and one steady neighbour.
func flapCfg() *model.Config {
	return &model.Config{Assets: []model.Asset{
		asset("crm", nil, check("http"), check("icmp")),
		asset("erp", nil, check("http")),
	}}
}

func flapEvents(s *model.Snapshot) []model.Event {
	var out []model.Event
	for _, ev := range s.Events {
		if ev.Kind == model.EventFlapping {
			out = append(out, ev)
		}
	}
	return out
}

// TestFlappingThroughEngine: an endpoint answering 200 and 503 in turn
// starts flapping once, is marked on the check and the asset and counted
// in the tally, keeps its state changes in the log, and stops once it
// settles.
func TestFlappingThroughEngine(t *testing.T) {
	r := startEngine(t, flapCfg(), model.EngineOptions{})
	r.result("crm", "icmp", ok, "3/3 received")
	r.result("erp", "http", ok, "HTTP 200")
	for i := range 21 {
		st := ok
		if i%2 == 1 {
			st = crit
		}
		r.result("crm", "http", st, "flap")
	}
	s := r.sync()
	evs := flapEvents(s)
	if len(evs) != 1 || !strings.HasPrefix(evs[0].Summary, "started at ") || evs[0].Asset != "crm" || evs[0].Check != "http" {
		t.Fatalf("flapping events %+v", evs)
	}
	c := r.asset(s, "crm").Check("http")
	if !c.Flapping || c.FlapPercent < 50 || !r.asset(s, "crm").Flapping || s.Tally.Flapping != 1 {
		t.Fatalf("check flapping %v %.1f%%, asset %v, tally %d", c.Flapping, c.FlapPercent, r.asset(s, "crm").Flapping, s.Tally.Flapping)
	}
	if r.asset(s, "erp").Flapping || r.asset(s, "crm").Check("icmp").Flapping {
		t.Fatal("steady checks marked flapping")
	}
	states := 0
	for _, ev := range s.Events {
		if ev.Kind == model.EventState && ev.Asset == "crm" {
			states++
		}
	}
	if states < 10 {
		t.Fatalf("a flapping check's state changes are still logged: %d", states)
	}

	for range model.FlapWindow {
		r.result("crm", "http", ok, "HTTP 200")
	}
	s = r.sync()
	evs = flapEvents(s)
	if len(evs) != 2 || !strings.HasPrefix(evs[1].Summary, "stopped at ") {
		t.Fatalf("flapping events %+v", evs)
	}
	if c := r.asset(s, "crm").Check("http"); c.Flapping || c.FlapPercent != 0 || r.asset(s, "crm").Flapping || s.Tally.Flapping != 0 {
		t.Fatalf("after settling: check %v %.1f%%, tally %d", c.Flapping, c.FlapPercent, s.Tally.Flapping)
	}
}

// TestFlappingResumedAndReloaded: a restart from the store's history
// brings a flapping check back flapping without a new event; a reload
// that turns detection off for it ends it (quietly) and the tally follows.
func TestFlappingResumedAndReloaded(t *testing.T) {
	r := startEngine(t, flapCfg(), model.EngineOptions{})
	for i := range 21 {
		st := ok
		if i%2 == 1 {
			st = crit
		}
		r.result("crm", "http", st, "flap")
	}
	before := r.sync()

	cfg := flapCfg()
	cfg.ApplyDefaults()
	r2 := runEngine(t, model.NewEngine(cfg, model.EngineOptions{Resume: resumeFrom(before), Now: func() time.Time { return before.At }}), before.At)
	s := r2.sync()
	if !r2.asset(s, "crm").Check("http").Flapping || s.Tally.Flapping != 1 {
		t.Fatalf("resumed: flapping %v, tally %d", r2.asset(s, "crm").Check("http").Flapping, s.Tally.Flapping)
	}
	if n, m := len(flapEvents(s)), len(flapEvents(before)); n != m {
		t.Fatalf("resume added flapping events: %d, before %d", n, m)
	}

	off := flapCfg()
	off.Assets[0].Checks[0].Flap = &model.Flap{Off: true}
	off.ApplyDefaults()
	s = r2.reload(off)
	if r2.asset(s, "crm").Check("http").Flapping || r2.asset(s, "crm").Flapping || s.Tally.Flapping != 0 {
		t.Fatalf("after reload with flap off: tally %d", s.Tally.Flapping)
	}
}
