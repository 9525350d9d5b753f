package model_test

import (
	"sync/atomic"
	"testing"
	"time"

	"noctop/model"
)

// slaRig is a real engine on a clock the test moves.
type slaRig struct {
	*rig
	now  atomic.Int64 // UnixNano
	last model.Result // the last result, repeated by syncAt
}

func startSLAEngine(t *testing.T, cfg *model.Config) *slaRig {
	t.Helper()
	s := &slaRig{}
	s.now.Store(t0.UnixNano())
	s.rig = startEngine(t, cfg, model.EngineOptions{Now: func() time.Time { return time.Unix(0, s.now.Load()).UTC() }})
	return s
}

// at submits a result that ran at t0+d, with the clock there too.
func (s *slaRig) at(d time.Duration, asset, check string, st model.Status) {
	s.t.Helper()
	s.now.Store(t0.Add(d).UnixNano())
	s.last = model.Result{Key: model.CheckKey{Asset: asset, Check: check}, At: t0.Add(d), Outcome: model.Outcome{Status: st}}
	s.submit(s.last)
}

// syncAt moves the clock to t0+d and takes a snapshot built then: the
// last result, repeated at t0+d, changes nothing but makes one due.
func (s *slaRig) syncAt(d time.Duration) *model.Snapshot {
	s.t.Helper()
	s.at(d, s.last.Key.Asset, s.last.Key.Check, s.last.Status)
	snap := s.sync()
	if !snap.At.Equal(t0.Add(d)) {
		s.t.Fatalf("snapshot at %v, want t0+%v", snap.At, d)
	}
	return snap
}

// fromEvents is what `noctop sla` computes from the same events, known
// from the engine's start.
func fromEvents(snap *model.Snapshot, name string, window time.Duration, now time.Time) model.Availability {
	return model.NewSLAHistory(snap.Events, t0).Timeline(name).Measure(window, now)
}

func sameFigures(t *testing.T, what string, got, want model.Availability) {
	t.Helper()
	if got.Down != want.Down || got.Measured != want.Measured || len(got.Outages) != len(want.Outages) {
		t.Errorf("%s: engine %v down of %v (%d outages), events %v of %v (%d)", what,
			got.Down, got.Measured, len(got.Outages), want.Down, want.Measured, len(want.Outages))
	}
}

// An outage behind core-sw1: the switch is charged, the app behind it
// (UNREACHABLE) is not, and the service that needs the app was down.
func TestEngineSLAUnreachableChildNotCharged(t *testing.T) {
	h := time.Hour
	cfg := &model.Config{
		Defaults: model.Defaults{Retries: 1},
		Assets: []model.Asset{
			asset("core-sw1", nil, check("icmp")),
			asset("app", []string{"core-sw1"}, check("http")),
		},
		Services: []model.Service{{Name: "Shop", Needs: []string{"app"}}},
	}
	s := startSLAEngine(t, cfg)
	s.at(time.Second, "core-sw1", "icmp", ok)
	s.at(2*time.Second, "app", "http", ok)
	s.at(2*h, "core-sw1", "icmp", crit)
	s.at(2*h+time.Second, "app", "http", crit)
	if a := s.asset(s.sync(), "app"); a.HardStatus != model.StatusUnreachable {
		t.Fatalf("app is %s, want UNREACHABLE", a.HardStatus)
	}
	s.at(3*h, "core-sw1", "icmp", ok)
	s.at(3*h+time.Second, "app", "http", ok)
	now := t0.Add(10 * h)
	snap := s.syncAt(10 * h)

	core := fromEvents(snap, "core-sw1", model.SLADay, now)
	if core.Down != h || core.Measured != 10*h {
		t.Errorf("core-sw1: %v down of %v, want 1h of 10h", core.Down, core.Measured)
	}
	app := fromEvents(snap, "app", model.SLADay, now)
	if app.Down != 0 || app.Measured != 9*h || app.Percent != 100 {
		t.Errorf("app: %v down of %v (%.2f%%), want nothing charged over 9h", app.Down, app.Measured, app.Percent)
	}
	shop := s.service(snap, "Shop")
	if av := shop.Availability[0]; av.Down != h || av.Measured != 10*h {
		t.Errorf("Shop: %v down of %v, want 1h of 10h", av.Down, av.Measured)
	}
	sameFigures(t, "Shop", shop.Availability[0], fromEvents(snap, "Shop", model.SLADay, now))
}

// A service of services: Business needs Order, which needs erp. erp's
// outage makes Order down, which makes Business down: Business's own
// timeline shows it. Its 30-day figure below its sla turns it WARNING; an
// outage open at now is CRITICAL, worse, and stays so.
func TestEngineSLAServiceOfServices(t *testing.T) {
	h := time.Hour
	cfg := &model.Config{
		Defaults: model.Defaults{Retries: 1},
		Assets:   []model.Asset{asset("erp", nil, check("tcp")), asset("web", nil, check("http"))},
		Services: []model.Service{
			{Name: "Business", Needs: []string{"Order", "web"}, SLA: 99.9},
			{Name: "Order", Needs: []string{"erp"}},
		},
	}
	s := startSLAEngine(t, cfg)
	s.at(time.Second, "erp", "tcp", ok)
	s.at(time.Second, "web", "http", ok)
	s.at(10*h, "erp", "tcp", crit)
	s.at(11*h, "erp", "tcp", ok)
	snap := s.syncAt(20 * h)
	now := t0.Add(20 * h)

	biz := s.service(snap, "Business")
	day := biz.Availability[0]
	if day.Down != h || day.Measured != 20*h || len(day.Outages) != 1 ||
		!day.Outages[0].Start.Equal(t0.Add(10*h)) || day.Outages[0].Duration() != h || day.Outages[0].Open {
		t.Fatalf("Business 24 h: %+v, want one closed 1h outage at t0+10h of 20h measured", day)
	}
	const reason = "30 d 95.00% < 99.9%, 1 h 0 m down"
	if biz.Status != warn || biz.Reason != reason {
		t.Fatalf("Business: %s %q, want WARNING %q", biz.Status, biz.Reason, reason)
	}
	if o := s.service(snap, "Order"); o.Status != ok || o.Availability[2].Down != h {
		t.Fatalf("Order (no sla): %s, %v down; want OK with the hour down", o.Status, o.Availability[2].Down)
	}
	for i, w := range model.SLAWindows() {
		sameFigures(t, "Business "+model.WindowText(w), biz.Availability[i], fromEvents(snap, "Business", w, now))
	}

	// An outage open at now: CRITICAL (worse than the breach), open.
	s.at(20*h, "erp", "tcp", crit)
	snap = s.syncAt(21 * h)
	biz = s.service(snap, "Business")
	last := biz.Availability[0].Outages[len(biz.Availability[0].Outages)-1]
	if biz.Status != crit || !last.Open || last.Duration() != time.Hour {
		t.Fatalf("Business: %s %q, last outage %+v; want CRITICAL with an open 1h outage", biz.Status, biz.Reason, last)
	}
	// Recovered: the breach shows again.
	s.at(21*h+30*time.Minute, "erp", "tcp", ok)
	snap = s.syncAt(21*h + 30*time.Minute)
	if biz = s.service(snap, "Business"); biz.Status != warn || biz.Availability[2].Down != 2*h+30*time.Minute {
		t.Fatalf("Business: %s %q, %v down; want WARNING, 2h30m down", biz.Status, biz.Reason, biz.Availability[2].Down)
	}
}

// A service in maintenance-free steady state meets its sla: OK, 100%.
func TestEngineSLAMet(t *testing.T) {
	cfg := &model.Config{
		Defaults: model.Defaults{Retries: 1},
		Assets:   []model.Asset{asset("erp", nil, check("tcp"))},
		Services: []model.Service{{Name: "Order", Needs: []string{"erp"}, SLA: 99.9}},
	}
	s := startSLAEngine(t, cfg)
	s.at(time.Second, "erp", "tcp", ok)
	v := s.service(s.syncAt(5*time.Hour), "Order")
	if v.Status != ok || v.Availability[2].Percent != 100 || v.SLA != 99.9 {
		t.Fatalf("Order: %s %q %.3f%% sla %v, want OK 100%%", v.Status, v.Reason, v.Availability[2].Percent, v.SLA)
	}
}
