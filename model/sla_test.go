package model_test

import (
	"math"
	"testing"
	"time"

	"noctop/model"
)

// slaNow is the fixed clock of the SLA arithmetic tests.
var slaNow = time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC)

func ago(d time.Duration) time.Time { return slaNow.Add(-d) }

func tl(known time.Time, start model.Status, changes ...model.Transition) *model.Timeline {
	return &model.Timeline{Known: known, Start: start, Changes: changes}
}

func at(d time.Duration, st model.Status) model.Transition {
	return model.Transition{At: ago(d), Status: st}
}

func wantFigures(t *testing.T, a model.Availability, down, measured time.Duration) {
	t.Helper()
	if a.Down != down || a.Measured != measured {
		t.Fatalf("%s: down %v of %v measured, want %v of %v", model.WindowText(a.Window), a.Down, a.Measured, down, measured)
	}
	want := 100 * float64(measured-down) / float64(measured)
	if math.Abs(a.Percent-want) > 1e-9 {
		t.Fatalf("percent %v, want %v", a.Percent, want)
	}
}

func TestSLAOutageAcrossWindowEdge(t *testing.T) {
	h := time.Hour
	x := tl(ago(60*model.SLADay), ok, at(25*h, crit), at(23*h, ok))
	day := x.Measure(model.SLADay, slaNow)
	wantFigures(t, day, h, 24*h) // only the hour inside the window
	if len(day.Outages) != 1 || !day.Outages[0].Start.Equal(ago(24*h)) || !day.Outages[0].End.Equal(ago(23*h)) || day.Outages[0].Open {
		t.Fatalf("outages %+v, want one clipped to the window's start, closed", day.Outages)
	}
	week := x.Measure(model.SLAWeek, slaNow)
	wantFigures(t, week, 2*h, model.SLAWeek)
	if d := week.Outages[0].Duration(); d != 2*h {
		t.Fatalf("outage of %v in 7 d, want 2h", d)
	}
	if got := model.SLAText(week, 99.9); got != "7 d 98.80% < 99.9%, 2 h 0 m down" {
		t.Fatalf("SLAText = %q", got)
	}
}

func TestSLAOpenOutageAtNow(t *testing.T) {
	x := tl(ago(2*model.SLADay), ok, at(30*time.Minute, crit))
	a := x.Measure(model.SLADay, slaNow)
	wantFigures(t, a, 30*time.Minute, model.SLADay)
	if len(a.Outages) != 1 || !a.Outages[0].Open || !a.Outages[0].End.Equal(slaNow) {
		t.Fatalf("outages %+v, want one open at now", a.Outages)
	}
	// A change after the clock is not seen: a fixed clock, a fixed answer.
	x.Changes = append(x.Changes, model.Transition{At: slaNow.Add(time.Minute), Status: ok})
	if b := x.Measure(model.SLADay, slaNow); b.Down != a.Down || !b.Outages[0].Open {
		t.Fatalf("a change after now altered the figures: %+v", b)
	}
}

func TestSLAMaintenanceAndUnknownExcluded(t *testing.T) {
	h := time.Hour
	x := tl(ago(10*model.SLADay), ok,
		at(10*h, model.StatusMaintenance), at(8*h, crit), at(7*h, model.StatusUnknown), at(6*h, warn), at(5*h, pend), at(4*h, ok))
	// Measured: 24h - 2h maintenance - 1h unknown - 1h pending; WARNING is up.
	wantFigures(t, x.Measure(model.SLADay, slaNow), h, 20*h)
}

func TestSLAUnreachableNotCharged(t *testing.T) {
	h := time.Hour
	child := tl(ago(3*model.SLADay), ok, at(5*h, model.StatusUnreachable), at(2*h, ok))
	a := child.Measure(model.SLADay, slaNow)
	wantFigures(t, a, 0, 21*h)
	if a.Percent != 100 || len(a.Outages) != 0 {
		t.Fatalf("child charged: %+v", a)
	}
}

func TestSLANothingMeasured(t *testing.T) {
	for name, x := range map[string]*model.Timeline{
		"known only from now": tl(slaNow, ok),
		"pending throughout":  tl(ago(3*model.SLADay), pend),
		"known after now":     tl(slaNow.Add(time.Hour), ok),
	} {
		a := x.Measure(model.SLADay, slaNow)
		if a.Known() || !math.IsNaN(a.Percent) || model.PercentText(a.Percent) != "n/a" {
			t.Errorf("%s: %+v, want nothing measured (NaN, n/a)", name, a)
		}
	}
	// Time before the first known state is not measured.
	a := tl(ago(6*time.Hour), ok, at(time.Hour, crit)).Measure(model.SLADay, slaNow)
	wantFigures(t, a, time.Hour, 6*time.Hour)
}

func TestSLATimelinesFromEvents(t *testing.T) {
	h := time.Hour
	ev := func(d time.Duration, kind, asset, check, service string, from, to model.Status, hard, fromHard bool) model.Event {
		return model.Event{At: ago(d), Kind: kind, Asset: asset, Check: check, Service: service, From: from, To: to, Hard: hard, FromHard: fromHard}
	}
	events := []model.Event{
		ev(30*h, model.EventState, "web", "", "", ok, crit, false, true),    // soft: no change
		ev(29*h, model.EventState, "web", "", "", crit, crit, true, false),  // hard: down from here
		ev(29*h, model.EventState, "web", "http", "", ok, crit, true, true), // a check's: not the asset's
		ev(28*h, model.EventReboot, "web", "", "", crit, crit, true, true),
		ev(20*h, model.EventState, "web", "", "", crit, ok, true, true),
		ev(10*h, model.EventState, "", "", "Shop", pend, crit, true, true), // PENDING before
		ev(9*h, model.EventState, "", "", "Shop", crit, ok, true, true),
	}
	got := model.Timelines(events, ago(40*h))
	if len(got) != 2 {
		t.Fatalf("timelines for %d subjects, want 2 (web, Shop)", len(got))
	}
	web := got["web"].Measure(model.SLADay, slaNow)
	wantFigures(t, web, 4*h, model.SLADay)
	if w := got["web"].Measure(model.SLAWeek, slaNow); w.Down != 9*h || w.Measured != 40*h {
		t.Fatalf("web 7 d: %v down of %v, want 9h of 40h", w.Down, w.Measured)
	}
	if s := got["Shop"].Measure(model.SLADay, slaNow); s.Down != h || s.Measured != 10*h {
		t.Fatalf("Shop: %v down of %v, want 1h of 10h (PENDING before its first event)", s.Down, s.Measured)
	}
	// A subject that never answered before failing: its first (soft)
	// event says it was PENDING, so nothing before its hard CRITICAL is
	// measured as up; one that was OK before its soft event was up.
	fresh := model.Timelines([]model.Event{
		ev(5*h, model.EventState, "db", "", "", pend, crit, false, true),
		ev(4*h, model.EventState, "db", "", "", crit, crit, true, false),
		ev(5*h, model.EventState, "app", "", "", ok, crit, false, true),
		ev(4*h, model.EventState, "app", "", "", crit, crit, true, false),
	}, ago(10*h))
	if db := fresh["db"].Measure(model.SLADay, slaNow); db.Measured != 4*h || db.Down != 4*h {
		t.Fatalf("db, PENDING before its soft event: %v down of %v, want 4h of 4h", db.Down, db.Measured)
	}
	if app := fresh["app"].Measure(model.SLADay, slaNow); app.Measured != 10*h || app.Down != 4*h {
		t.Fatalf("app, OK before its soft event: %v down of %v, want 4h of 10h", app.Down, app.Measured)
	}
	// An event stamped before the previous one (its run took longer)
	// counts from the previous change: no time is counted twice.
	late := model.Timelines([]model.Event{
		ev(3*h, model.EventState, "db", "", "", ok, crit, true, true),
		ev(4*h, model.EventState, "db", "", "", crit, ok, true, true),
	}, ago(10*h))["db"].Measure(model.SLADay, slaNow)
	if late.Measured != 10*h || late.Down != 0 {
		t.Fatalf("out of order: %v down of %v, want 0 of 10h", late.Down, late.Measured)
	}
}

func TestSLATrim(t *testing.T) {
	h := time.Hour
	x := tl(ago(90*model.SLADay), ok, at(40*model.SLADay, crit), at(35*model.SLADay, ok), at(31*model.SLADay, crit), at(10*h, ok), at(5*h, crit), at(4*h, ok))
	before := x.MeasureAll(slaNow)
	x.Trim(slaNow, 100)
	if len(x.Changes) != 3 || x.Start != crit {
		t.Fatalf("trimmed to %+v", x)
	}
	after := x.MeasureAll(slaNow)
	for i := range before {
		if before[i].Down != after[i].Down || before[i].Measured != after[i].Measured {
			t.Fatalf("window %d changed by Trim: %+v -> %+v", i, before[i], after[i])
		}
	}
	// The cap drops the oldest changes: measured from the oldest kept.
	x.Trim(slaNow, 1)
	if len(x.Changes) != 1 || !x.Known.Equal(ago(5*h)) || x.Start != crit {
		t.Fatalf("capped to %+v", x)
	}
	wantFigures(t, x.Measure(model.SLADay, slaNow), h, 5*h)
}

func TestSLATexts(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{model.PercentText(99.62999), "99.62%"},
		{model.PercentText(99.9999), "99.99%"},
		{model.PercentText(100), "100.00%"},
		{model.DurationText(2*time.Hour + 44*time.Minute + 10*time.Second), "2 h 44 m"},
		{model.DurationText(50 * time.Hour), "2 d 2 h"},
		{model.DurationText(95 * time.Second), "1 m 35 s"},
		{model.WindowText(model.SLADay), "24 h"},
		{model.WindowText(model.SLAMonth), "30 d"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
