package model_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
	_ "time/tzdata"

	"noctop/model"
)

// maintCfg: core-sw1 with an app behind it, a db beside, the Shop service
// needing app and db.
func maintCfg(windows ...model.MaintenanceWindow) *model.Config {
	return &model.Config{
		Defaults: model.Defaults{Retries: 1},
		Assets: []model.Asset{
			asset("core-sw1", nil, check("icmp")),
			asset("app", []string{"core-sw1"}, check("http")),
			asset("db", nil, check("tcp")),
		},
		Services:    []model.Service{{Name: "Shop", Needs: []string{"app", "db"}}},
		Maintenance: windows,
	}
}

func oneOff(assets []string, from, to time.Duration, reason string) model.MaintenanceWindow {
	return model.MaintenanceWindow{Name: "fw", Assets: assets, From: t0.Add(from), To: t0.Add(to), Reason: reason}
}

// eventsOf lists an asset's events of a kind newer than seq.
func eventsOf(s *model.Snapshot, asset, kind string, seq uint64) []model.Event {
	var out []model.Event
	for _, ev := range s.Events {
		if ev.Seq > seq && ev.Asset == asset && ev.Check == "" && ev.Kind == kind {
			out = append(out, ev)
		}
	}
	return out
}

// A one-off window on core-sw1: it is MAINTENANCE with no role while its
// check fails, the app behind it is covered, the checks keep their own
// statuses; when the window ends with the problem still there, the switch
// is the root cause again and the app UNREACHABLE.
func TestMaintenanceOneOffCoversChildren(t *testing.T) {
	h := time.Hour
	s := startSLAEngine(t, maintCfg(oneOff([]string{"core-sw1"}, h, 2*h, "firmware upgrade")))
	s.at(time.Second, "core-sw1", "icmp", ok)
	s.at(2*time.Second, "app", "http", ok)
	s.at(3*time.Second, "db", "tcp", ok)
	if a := s.asset(s.syncAt(h-time.Minute), "core-sw1"); a.Status != ok || a.Maintenance != nil {
		t.Fatalf("before the window: %s %+v", a.Status, a.Maintenance)
	}

	snap := s.syncAt(h)
	sw := s.asset(snap, "core-sw1")
	if sw.Status != maint || sw.HardStatus != maint || sw.Role != model.RoleNone || sw.Maintenance == nil {
		t.Fatalf("in the window: %s/%s role %q %+v", sw.Status, sw.HardStatus, sw.Role, sw.Maintenance)
	}
	if m := sw.Maintenance; m.Window != "fw" || m.Reason != "firmware upgrade" || !m.From.Equal(t0.Add(h)) || !m.Until.Equal(t0.Add(2*h)) || m.CoveredBy != "" {
		t.Errorf("maintenance %+v", m)
	}
	if snap.Count(maint) != 1 || snap.Count(ok) != 2 {
		t.Errorf("counts %v", snap.Counts)
	}
	began := eventsOf(snap, "core-sw1", model.EventMaintenance, 0)
	if len(began) != 1 || !strings.Contains(began[0].Summary, `maintenance "fw" until `) || !strings.Contains(began[0].Summary, "firmware upgrade") {
		t.Fatalf("window start events %+v", began)
	}
	if st := eventsOf(snap, "core-sw1", model.EventState, 0); len(st) != 1 || st[0].From != ok || st[0].To != maint {
		t.Errorf("state events %+v", st)
	}

	// The work takes the switch down: nobody is paged, the app is covered.
	seq := snap.Events[len(snap.Events)-1].Seq
	s.at(h+10*time.Minute, "core-sw1", "icmp", crit)
	s.at(h+11*time.Minute, "app", "http", crit)
	snap = s.sync()
	sw, app := s.asset(snap, "core-sw1"), s.asset(snap, "app")
	if sw.Status != maint || sw.Check("icmp").Status != crit || !sw.Down {
		t.Errorf("switch down in its window: %s, icmp %s, down %v", sw.Status, sw.Check("icmp").Status, sw.Down)
	}
	if app.Status != maint || app.Maintenance == nil || app.Maintenance.CoveredBy != "core-sw1" || app.Check("http").Status != crit {
		t.Fatalf("app behind it: %s %+v", app.Status, app.Maintenance)
	}
	if !strings.HasPrefix(app.Reason, `maintenance "fw" of core-sw1 (firmware upgrade); unreachable: core-sw1 is down`) {
		t.Errorf("app reason %q", app.Reason)
	}
	if snap.Tally != (model.Tally{}) || snap.Tally.Red() {
		t.Errorf("tally in the window %+v", snap.Tally)
	}
	if ev := eventsOf(snap, "app", model.EventMaintenance, seq); len(ev) != 1 || !strings.Contains(ev[0].Summary, "of core-sw1") {
		t.Errorf("app's window events %+v", ev)
	}
	if ev := eventsOf(snap, "core-sw1", model.EventState, seq); len(ev) != 0 {
		t.Errorf("a state event for the switch inside its window: %+v", ev)
	}
	if shop := s.service(snap, "Shop"); shop.Status != ok || !strings.Contains(shop.Reason, "app (maintenance)") {
		t.Errorf("Shop %s %q, want OK saying app (maintenance)", shop.Status, shop.Reason)
	}

	// The window ends with the switch still down: the truth at once.
	seq = snap.Events[len(snap.Events)-1].Seq
	snap = s.syncAt(2 * h)
	sw, app = s.asset(snap, "core-sw1"), s.asset(snap, "app")
	if sw.Status != crit || sw.Role != model.RoleRootCause || sw.Maintenance != nil {
		t.Errorf("after the window the switch is %s %q", sw.Status, sw.Role)
	}
	if app.Status != model.StatusUnreachable || app.Maintenance != nil {
		t.Errorf("after the window the app is %s", app.Status)
	}
	ended := eventsOf(snap, "core-sw1", model.EventMaintenance, seq)
	if len(ended) != 1 || !strings.Contains(ended[0].Summary, "ended; now CRITICAL") {
		t.Errorf("window end events %+v", ended)
	}
	if st := eventsOf(snap, "core-sw1", model.EventState, seq); len(st) != 1 || st[0].From != maint || st[0].To != crit || !st[0].Hard {
		t.Errorf("state events at the end %+v", st)
	}
	if snap.Tally.RootCauses != 1 || snap.Tally.Unreachable != 1 {
		t.Errorf("tally after %+v", snap.Tally)
	}
	if shop := s.service(snap, "Shop"); shop.Status != crit {
		t.Errorf("Shop after the window: %s", shop.Status)
	}
}

// An outage inside a window is not charged; the part outside is.
func TestMaintenanceNotChargedToSLA(t *testing.T) {
	h := time.Hour
	s := startSLAEngine(t, maintCfg(oneOff([]string{"db"}, 2*h, 3*h, "")))
	// Each result is taken before the clock moves on (the engine reads the
	// clock for window boundaries when it takes a message).
	step := func(d time.Duration, st model.Status) { s.at(d, "db", "tcp", st); s.sync() }
	step(time.Second, ok)
	step(2*h+10*time.Minute, crit) // inside
	step(2*h+20*time.Minute, ok)
	step(2*h+50*time.Minute, crit) // runs 30 min past the end
	step(3*h+30*time.Minute, ok)
	now := t0.Add(10 * h)
	snap := s.syncAt(10 * h)
	db := fromEvents(snap, "db", model.SLADay, now)
	if db.Down != 30*time.Minute || db.Measured != 9*h {
		t.Errorf("db: %v down of %v measured, want 30m of 9h (the window's hour not measured)", db.Down, db.Measured)
	}
	// Shop counts its member in maintenance as up.
	shop := s.service(snap, "Shop")
	if av := shop.Availability[0]; av.Down != 30*time.Minute {
		t.Errorf("Shop: %v down, want 30m", av.Down)
	}
}

// A recurring window by tag and by service, on Amsterdam's wall clock:
// the spring-forward night's "sun 02:00" opens at 03:00 CEST (01:00 UTC).
func TestMaintenanceRecurringBySelectors(t *testing.T) {
	cfg := maintCfg(
		model.MaintenanceWindow{Name: "patch", Tags: []string{"site:dc"}, Every: "sun 02:00",
			Duration: model.Duration{Duration: 2 * time.Hour}, Timezone: "Europe/Amsterdam"},
		model.MaintenanceWindow{Name: "shop", Services: []string{"Shop"}, Every: "daily 23:00",
			Duration: model.Duration{Duration: time.Hour}, Timezone: "UTC"},
	)
	cfg.Assets[0].Tags = []string{"site:dc"}
	var now time.Time
	clock := func() time.Time { return now }
	now = time.Date(2026, 3, 29, 0, 59, 0, 0, time.UTC)
	r := startEngine(t, cfg, model.EngineOptions{Now: func() time.Time { return clock() }})
	r.result("core-sw1", "icmp", ok, "")
	if a := r.asset(r.sync(), "core-sw1"); a.Status != ok {
		t.Fatalf("at 00:59 UTC: %s", a.Status)
	}
	now = time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC)
	snap := r.sync()
	a := r.asset(snap, "core-sw1")
	if a.Status != maint || a.Maintenance.Window != "patch" || !a.Maintenance.Until.Equal(time.Date(2026, 3, 29, 3, 0, 0, 0, time.UTC)) {
		t.Fatalf("at 03:00 CEST: %s %+v", a.Status, a.Maintenance)
	}
	if got := r.asset(snap, "app").Status; got == maint {
		t.Errorf("app is in maintenance before 23:00")
	}
	// Shop's window covers its members app and db (PENDING: no results
	// yet, MAINTENANCE all the same).
	now = time.Date(2026, 3, 29, 23, 0, 0, 0, time.UTC)
	snap = r.sync()
	for _, n := range []string{"app", "db"} {
		if a := r.asset(snap, n); a.Status != maint || a.Maintenance.Window != "shop" {
			t.Errorf("%s at 23:00: %s %+v", n, a.Status, a.Maintenance)
		}
	}
	if a := r.asset(snap, "core-sw1"); a.Status != ok {
		t.Errorf("core-sw1 at 23:00: %s", a.Status)
	}
}

// Ad hoc windows: the commands, their errors and events, and the end at
// Until.
func TestMaintainAdHoc(t *testing.T) {
	h := time.Hour
	s := startSLAEngine(t, maintCfg())
	s.at(time.Second, "db", "tcp", crit)
	ctx := context.Background()
	if err := s.e.Maintain(ctx, model.MaintainRequest{Asset: "nope", Until: t0.Add(h)}); !errors.Is(err, model.ErrUnknownAsset) {
		t.Errorf("unknown asset: %v", err)
	}
	if err := s.e.Maintain(ctx, model.MaintainRequest{Asset: "db", Until: t0}); !errors.Is(err, model.ErrWindowOver) {
		t.Errorf("until in the past: %v", err)
	}
	if err := s.e.EndMaintenance(ctx, "db", "alice"); !errors.Is(err, model.ErrNoWindow) {
		t.Errorf("end without a window: %v", err)
	}
	if err := s.e.EndMaintenance(ctx, "nope", "alice"); !errors.Is(err, model.ErrUnknownAsset) {
		t.Errorf("end on an unknown asset: %v", err)
	}
	until := t0.Add(2 * h)
	if err := s.e.Maintain(ctx, model.MaintainRequest{Asset: "db", Until: until, Reason: "disk swap", By: "alice"}); err != nil {
		t.Fatal(err)
	}
	snap := s.sync()
	db := s.asset(snap, "db")
	if db.Status != maint || db.Maintenance == nil || db.Maintenance.Window != "ad hoc" || db.Maintenance.By != "alice" ||
		db.Maintenance.Reason != "disk swap" || !db.Maintenance.Until.Equal(until) {
		t.Fatalf("after Maintain: %s %+v", db.Status, db.Maintenance)
	}
	if len(snap.AdHocWindows) != 1 || snap.AdHocWindows[0].Asset != "db" || snap.AdHocWindows[0].By != "alice" {
		t.Errorf("AdHocWindows %+v", snap.AdHocWindows)
	}
	if ev := eventsOf(snap, "db", model.EventMaintenance, 0); len(ev) != 1 || !strings.Contains(ev[0].Summary, "by alice: disk swap") {
		t.Errorf("events %+v", ev)
	}
	seq := snap.Events[len(snap.Events)-1].Seq
	if err := s.e.EndMaintenance(ctx, "db", "bob"); err != nil {
		t.Fatal(err)
	}
	snap = s.sync()
	if db := s.asset(snap, "db"); db.Status != crit || len(snap.AdHocWindows) != 0 {
		t.Errorf("after EndMaintenance: %s, %d windows", db.Status, len(snap.AdHocWindows))
	}
	if ev := eventsOf(snap, "db", model.EventMaintenance, seq); len(ev) != 1 || !strings.Contains(ev[0].Summary, "ended by bob") {
		t.Errorf("end events %+v", ev)
	}

	// A window runs out at Until.
	if err := s.e.Maintain(ctx, model.MaintainRequest{Asset: "db", Until: t0.Add(h), By: "alice"}); err != nil {
		t.Fatal(err)
	}
	if db := s.asset(s.syncAt(h-time.Second), "db"); db.Status != maint {
		t.Fatalf("before until: %s", db.Status)
	}
	snap = s.syncAt(h)
	if db := s.asset(snap, "db"); db.Status != crit || len(snap.AdHocWindows) != 0 {
		t.Errorf("at until: %s, %+v", db.Status, snap.AdHocWindows)
	}
}

// A command on an asset already in a config window is still an event.
func TestMaintainInsideConfigWindow(t *testing.T) {
	s := startSLAEngine(t, maintCfg(oneOff([]string{"db"}, 0, 3*time.Hour, "")))
	s.at(time.Second, "db", "tcp", ok)
	if err := s.e.Maintain(context.Background(), model.MaintainRequest{Asset: "db", Until: t0.Add(time.Hour), By: "alice"}); err != nil {
		t.Fatal(err)
	}
	snap := s.sync()
	db := s.asset(snap, "db")
	if db.Maintenance.Window != "fw" {
		t.Errorf("the window that ends last decides: %+v", db.Maintenance)
	}
	evs := eventsOf(snap, "db", model.EventMaintenance, 0)
	if len(evs) != 2 || !strings.Contains(evs[1].Summary, `alice opened an ad hoc maintenance window`) || !strings.Contains(evs[1].Summary, `still in maintenance "fw"`) {
		t.Errorf("events %+v", evs)
	}
}

// A reload keeps ad hoc windows and applies the new config's windows.
func TestMaintenanceReload(t *testing.T) {
	s := startSLAEngine(t, maintCfg())
	s.at(time.Second, "db", "tcp", ok)
	s.at(2*time.Second, "core-sw1", "icmp", ok)
	if err := s.e.Maintain(context.Background(), model.MaintainRequest{Asset: "db", Until: t0.Add(time.Hour), By: "alice"}); err != nil {
		t.Fatal(err)
	}
	cfg := maintCfg(oneOff([]string{"core-sw1"}, 0, time.Hour, "swap"))
	cfg.ApplyDefaults()
	snap := s.reload(cfg)
	if db := s.asset(snap, "db"); db.Status != maint || db.Maintenance.By != "alice" {
		t.Errorf("db after reload: %s %+v", db.Status, db.Maintenance)
	}
	if sw := s.asset(snap, "core-sw1"); sw.Status != maint || sw.Maintenance.Reason != "swap" {
		t.Errorf("core-sw1 after reload: %s %+v", sw.Status, sw.Maintenance)
	}
	if snap.Count(maint) != 2 {
		t.Errorf("counts %v", snap.Counts)
	}
	// Without the window, core-sw1 is itself again; db keeps alice's.
	cfg = maintCfg()
	cfg.ApplyDefaults()
	snap = s.reload(cfg)
	if sw := s.asset(snap, "core-sw1"); sw.Status != ok {
		t.Errorf("core-sw1 after the window left the config: %s", sw.Status)
	}
	if db := s.asset(snap, "db"); db.Status != maint || snap.Count(maint) != 1 || snap.Count(ok) != 1 {
		t.Errorf("db %s, counts %v", db.Status, snap.Counts)
	}
}

// A restart resumes ad hoc windows that are not over, silently.
func TestMaintenanceResume(t *testing.T) {
	res := &model.Resume{
		At: t0,
		Checks: map[model.CheckKey]model.ResumeCheck{
			key("db", "tcp"): {Type: "tcp", Status: crit, HardStatus: crit, Hard: true, Summary: "refused", LastRun: t0.Add(-time.Minute)},
		},
		AdHocWindows: []model.AdHocWindow{
			{Asset: "db", Reason: "disk swap", By: "alice", From: t0.Add(-time.Hour), Until: t0.Add(time.Hour)},
			{Asset: "app", By: "bob", From: t0.Add(-2 * time.Hour), Until: t0.Add(-time.Minute)}, // over
			{Asset: "gone", By: "bob", From: t0.Add(-time.Hour), Until: t0.Add(time.Hour)},       // not in the config
		},
	}
	r := startEngine(t, maintCfg(), model.EngineOptions{Resume: res})
	snap := r.sync()
	db := r.asset(snap, "db")
	if db.Status != maint || db.Maintenance.By != "alice" || !db.Maintenance.From.Equal(t0.Add(-time.Hour)) {
		t.Errorf("db resumed: %s %+v", db.Status, db.Maintenance)
	}
	if a := r.asset(snap, "app"); a.Status == maint {
		t.Errorf("a window over before the restart came back")
	}
	if len(snap.AdHocWindows) != 1 || len(snap.Events) != 0 {
		t.Errorf("windows %+v, events %+v", snap.AdHocWindows, snap.Events)
	}
	if snap.Tally != (model.Tally{}) {
		t.Errorf("tally %+v", snap.Tally)
	}
}

// The engine's own timer ends a window while nothing else happens (real
// clock, no messages after the window opened).
func TestMaintenanceTimerFires(t *testing.T) {
	start := time.Now()
	cfg := maintCfg(model.MaintenanceWindow{Name: "short", Assets: []string{"db"}, From: start.Add(-time.Minute), To: start.Add(200 * time.Millisecond)})
	cfg.ApplyDefaults()
	e := model.NewEngine(cfg, model.EngineOptions{})
	if a := e.Latest().Asset("db"); a.Status != maint {
		t.Fatalf("at start: %s", a.Status)
	}
	sub := e.Subscribe()
	defer sub.Close()
	runEngine(t, e, start)
	deadline := time.After(10 * time.Second)
	for {
		select {
		case s := <-sub.C:
			if a := s.Asset("db"); a.Status != maint {
				if a.Status != model.StatusPending || a.Maintenance != nil {
					t.Errorf("after the window: %s %+v", a.Status, a.Maintenance)
				}
				return
			}
		case <-deadline:
			t.Fatal("the window never ended")
		}
	}
}

// A window on a service covers the members of its member services too.
func TestMaintenanceServiceOfServices(t *testing.T) {
	cfg := maintCfg(model.MaintenanceWindow{Name: "all", Services: []string{"Business"}, From: t0, To: t0.Add(time.Hour)})
	cfg.Services = append(cfg.Services, model.Service{Name: "Business", Needs: []string{"Shop", "core-sw1"}})
	r := startEngine(t, cfg, model.EngineOptions{})
	snap := r.sync()
	for _, n := range []string{"core-sw1", "app", "db"} {
		if a := r.asset(snap, n); a.Status != maint {
			t.Errorf("%s: %s, want MAINTENANCE", n, a.Status)
		}
	}
}

// A child is covered only when every root cause behind it is in a window.
func TestMaintenanceCoversOnlyWhenAllRootCausesAre(t *testing.T) {
	cfg := &model.Config{
		Defaults: model.Defaults{Retries: 1},
		Assets: []model.Asset{
			asset("gw-a", nil, check("icmp")),
			asset("gw-b", nil, check("icmp")),
			asset("app", []string{"gw-a", "gw-b"}, check("http")),
		},
		Maintenance: []model.MaintenanceWindow{{Name: "a", Assets: []string{"gw-a"}, From: t0, To: t0.Add(time.Hour)}},
	}
	r := startEngine(t, cfg, model.EngineOptions{})
	r.result("gw-a", "icmp", crit, "3/3 lost")
	r.result("gw-b", "icmp", crit, "3/3 lost")
	r.result("app", "http", crit, "no route")
	snap := r.sync()
	if a := r.asset(snap, "app"); a.Status != model.StatusUnreachable || a.Maintenance != nil {
		t.Errorf("app behind gw-a (in a window) and gw-b (not): %s %+v", a.Status, a.Maintenance)
	}
	if snap.Tally.RootCauses != 1 || snap.Tally.Unreachable != 1 {
		t.Errorf("tally %+v: gw-b is the root cause", snap.Tally)
	}
	if err := r.e.Maintain(context.Background(), model.MaintainRequest{Asset: "gw-b", Until: t0.Add(time.Hour), By: "alice"}); err != nil {
		t.Fatal(err)
	}
	snap = r.sync()
	if a := r.asset(snap, "app"); a.Status != maint || a.Maintenance.CoveredBy != "gw-a, gw-b" {
		t.Errorf("both gateways in windows: app %s %+v", a.Status, a.Maintenance)
	}
	if snap.Tally != (model.Tally{}) {
		t.Errorf("tally %+v", snap.Tally)
	}
}
