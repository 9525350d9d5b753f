package model

import (
	"testing"
	"time"
)

// The register moves on with the clock alone: the tick before the next
// threshold does nothing, the tick after it judges again and the change
// is an ordinary state event; the next local midnight is armed too.
func TestLifecycleThresholdEvents(t *testing.T) {
	ams := mustZone(t, "Europe/Amsterdam")
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, ams)
	clock := func() time.Time { return now }
	cfg := &Config{Assets: []Asset{{Name: "web", Address: "127.0.0.1", Checks: []Check{{Type: CheckTLS}}}}}
	cfg.ApplyDefaults()
	e := NewEngine(cfg, EngineOptions{Now: clock})
	// A certificate 30 days and 2 hours from its end: WARNING, CRITICAL
	// in 2 hours.
	leaf := Cert{Subject: "CN=portal", NotAfter: now.Add(30*24*time.Hour + 2*time.Hour), Fingerprint: "aa"}
	e.applyResult(Result{Key: CheckKey{Asset: "web", Check: "tls"}, At: now, Outcome: Outcome{Status: StatusOK, Summary: "ok", Certs: []Cert{leaf}}})
	lc := &e.checks[e.life.checks[0]]
	if lc.Status != StatusWarning || lc.summary != "certificate CN=portal expires in 30 d (2027-01-06)" {
		t.Fatalf("start: %s %q", lc.Status, lc.summary)
	}
	if want := now.Add(2 * time.Hour); !e.life.next.Equal(want) {
		t.Fatalf("next = %v, want the crit crossing %v", e.life.next, want)
	}
	events := func() []Event {
		var out []Event
		for _, ev := range e.events.view() {
			if ev.Check == CheckLifecycle {
				out = append(out, ev)
			}
		}
		return out
	}
	before := len(events())

	now = now.Add(time.Hour) // not yet
	e.lifecycleTick()
	if lc.Status != StatusWarning || len(events()) != before {
		t.Fatalf("early tick changed it: %s, %d events", lc.Status, len(events()))
	}
	now = now.Add(time.Hour + time.Second) // past the crit crossing
	e.lifecycleTick()
	evs := events()
	if lc.Status != StatusCritical || len(evs) != before+1 {
		t.Fatalf("after the crossing: %s, events %+v", lc.Status, evs)
	}
	if ev := evs[len(evs)-1]; ev.Kind != EventState || ev.From != StatusWarning || ev.To != StatusCritical || !ev.Hard ||
		ev.Summary != "certificate CN=portal expires in 29 d (2027-01-06)" {
		t.Fatalf("event %+v", ev)
	}
	// Nothing else before local midnight.
	if want := time.Date(2026, 12, 8, 0, 0, 0, 0, ams); !e.life.next.Equal(want) {
		t.Fatalf("next = %v, want midnight %v", e.life.next, want)
	}
	if a := &e.assets[0]; a.status != StatusCritical || a.down || a.svcStatus != StatusOK {
		t.Fatalf("asset %s down %v svc %s", a.status, a.down, a.svcStatus)
	}
	if e.life.timer == nil {
		t.Fatal("no timer armed")
	}
	e.life.timer.Stop()
}
