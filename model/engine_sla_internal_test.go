package model

import (
	"testing"
	"time"
)

func slaTestConfig() *Config {
	cfg := &Config{
		Defaults: Defaults{Retries: 1},
		Assets:   []Asset{{Name: "erp", Address: "127.0.0.1", Checks: []Check{{Type: CheckTCP, Port: 1}}}},
		Services: []Service{{Name: "Order", Needs: []string{"erp"}, SLA: 99}},
	}
	cfg.ApplyDefaults()
	return cfg
}

// A flapping asset keeps at most slaKeep changes, however long it flaps.
func TestSLAEngineBounded(t *testing.T) {
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	now := start
	e := NewEngine(slaTestConfig(), EngineOptions{Now: func() time.Time { return now }})
	key := CheckKey{Asset: "erp", Check: CheckTCP}
	for i := range 3 * slaKeep {
		st := StatusOK
		if i%2 == 1 {
			st = StatusCritical
		}
		now = start.Add(time.Duration(i+1) * time.Minute)
		e.applyResult(Result{Key: key, At: now, Outcome: Outcome{Status: st}})
		if i%100 == 0 {
			e.buildSnapshot()
		}
	}
	e.buildSnapshot()
	for name, tl := range e.sla.timelines {
		if len(tl.Changes) > slaKeep {
			t.Errorf("%s keeps %d changes, want at most %d", name, len(tl.Changes), slaKeep)
		}
	}
	if len(e.sla.timelines) != 2 {
		t.Errorf("timelines for %d subjects, want erp and Order", len(e.sla.timelines))
	}
}

// Seeded from an earlier run (Resume.SLA), the figures include its
// outages, and measuring starts at its Known.
func TestSLAEngineSeeded(t *testing.T) {
	start := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
	now := start
	e := NewEngine(slaTestConfig(), EngineOptions{Now: func() time.Time { return now }})
	earlier := []Event{
		{At: start.Add(-5 * SLADay), Kind: EventState, Service: "Order", From: StatusOK, To: StatusCritical, Hard: true, FromHard: true},
		{At: start.Add(-5*SLADay + 3*time.Hour), Kind: EventState, Service: "Order", From: StatusCritical, To: StatusOK, Hard: true, FromHard: true},
	}
	e.seedSLA(NewSLAHistory(earlier, start.Add(-9*SLADay)))
	now = start.Add(SLADay)
	e.applyResult(Result{Key: CheckKey{Asset: "erp", Check: CheckTCP}, At: start.Add(time.Minute), Outcome: Outcome{Status: StatusOK}})
	s := e.buildSnapshot().Service("Order")
	month := s.Availability[2]
	if month.Down != 3*time.Hour || month.Measured != 10*SLADay || len(month.Outages) != 1 {
		t.Fatalf("30 d: %v down of %v, %d outages; want 3h of 10 d, 1", month.Down, month.Measured, len(month.Outages))
	}
	if s.Status != StatusWarning || s.Reason != "30 d 98.75% < 99%, 3 h 0 m down" {
		t.Fatalf("Order: %s %q", s.Status, s.Reason)
	}
}

// BenchmarkEngineSLARefresh is the minute's refresh of the bench estate's
// 50 services (each with 30 days of daily outages) and the trim of 5,050
// timelines: the cost the monitor pays once a minute.
func BenchmarkEngineSLARefresh(b *testing.B) {
	cfg := benchConfig()
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	e := NewEngine(cfg, EngineOptions{Now: func() time.Time { return now }})
	var events []Event
	for d := 30; d > 0; d-- {
		at := now.Add(-time.Duration(d) * SLADay)
		for _, a := range cfg.Assets {
			events = append(events, Event{At: at, Kind: EventState, Asset: a.Name, From: StatusOK, To: StatusCritical, Hard: true, FromHard: true},
				Event{At: at.Add(10 * time.Minute), Kind: EventState, Asset: a.Name, From: StatusCritical, To: StatusOK, Hard: true, FromHard: true})
		}
		for _, s := range cfg.Services {
			events = append(events, Event{At: at, Kind: EventState, Service: s.Name, From: StatusOK, To: StatusCritical, Hard: true, FromHard: true},
				Event{At: at.Add(10 * time.Minute), Kind: EventState, Service: s.Name, From: StatusCritical, To: StatusOK, Hard: true, FromHard: true})
		}
	}
	e.seedSLA(NewSLAHistory(events, now.Add(-40*SLADay)))
	b.ReportAllocs()
	for b.Loop() {
		e.sla.due = time.Time{}
		e.refreshSLA(now)
	}
	if got := e.services[0].avail[2].Down; got != 300*time.Minute {
		b.Fatalf("30 d down %v, want 5h", got)
	}
}
