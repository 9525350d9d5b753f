package model_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"noctop/model"
)

// outageConfig: gw1 <- core-sw1 <- app1..appN (http, retries 2); the
// switches retry 3 times, as in the demo.
func outageConfig(n int) *model.Config {
	cfg := &model.Config{Assets: []model.Asset{
		asset("gw1", nil, checkRetries("icmp", 3)),
		asset("core-sw1", []string{"gw1"}, checkRetries("icmp", 3)),
	}}
	for i := 1; i <= n; i++ {
		cfg.Assets = append(cfg.Assets, asset(fmt.Sprint("app", i), []string{"core-sw1"}, checkRetries("http", 2)))
	}
	return cfg
}

// noFalseRootCause fails when a snapshot names a root cause other than
// those allowed, or when its tally disagrees with its assets' roles.
func noFalseRootCause(t *testing.T, s *model.Snapshot, allowed ...string) {
	t.Helper()
	var recount model.Tally
	for _, a := range s.Assets {
		if a.Role == model.RoleRootCause && !slices.Contains(allowed, a.Name) {
			t.Errorf("snapshot %d: %s is a root cause (%s); allowed %v", s.Seq, a.Name, a.Reason, allowed)
		}
		if a.Down != (a.Role == model.RoleRootCause) {
			t.Errorf("snapshot %d: %s down=%v but role %s", s.Seq, a.Name, a.Down, a.Role)
		}
		recount.Add(a.Role)
	}
	recount.ServicesDown, recount.ServicesDegraded = s.Tally.ServicesDown, s.Tally.ServicesDegraded
	if recount != s.Tally {
		t.Errorf("snapshot %d: tally %+v, roles say %+v", s.Seq, s.Tally, recount)
	}
}

func TestOnsetWaitsForParentVerdict(t *testing.T) {
	const n = 9
	rec := &recorder{}
	r := startEngine(t, outageConfig(n), model.EngineOptions{Recheck: rec.recheck})
	r.result("gw1", "icmp", ok, "3/3 received")
	r.result("core-sw1", "icmp", ok, "3/3 received")
	for i := 1; i <= n; i++ {
		r.result(fmt.Sprint("app", i), "http", ok, "HTTP 200")
	}
	noFalseRootCause(t, r.sync())
	rec.take()

	// core-sw1 dies; app1 notices first and fails twice (hard) before
	// core-sw1 is rechecked.
	r.result("app1", "http", crit, "connection refused")
	s := r.sync()
	if got := rec.take(); !slices.Equal(got, []model.CheckKey{{Asset: "core-sw1", Check: "icmp"}}) {
		t.Fatalf("rechecks after app1 failed: %v, want core-sw1/icmp", got)
	}
	noFalseRootCause(t, s)
	a := r.asset(s, "app1")
	if a.Role != model.RoleChecking || !slices.Equal(a.Checking, []string{"core-sw1"}) || a.Reason != "checking core-sw1 first; http: connection refused (soft 1/2)" {
		t.Errorf("app1: role %s checking %q reason %q", a.Role, a.Checking, a.Reason)
	}
	if !slices.Equal(s.Checking, []string{"core-sw1"}) || s.Tally.Checking != 1 {
		t.Errorf("snapshot checking %v tally %+v", s.Checking, s.Tally)
	}
	r.result("app1", "http", crit, "connection refused") // hard now
	noFalseRootCause(t, r.sync())

	// The recheck: core-sw1 soft 1/3. It may yet be down: app1 waits.
	// core-sw1 in turn has gw1 rechecked.
	r.result("core-sw1", "icmp", crit, "3/3 lost")
	s = r.sync()
	if got := rec.take(); !slices.Equal(got, []model.CheckKey{{Asset: "gw1", Check: "icmp"}}) {
		t.Fatalf("rechecks after core-sw1 failed: %v, want gw1/icmp", got)
	}
	noFalseRootCause(t, s)
	if a := r.asset(s, "app1"); a.Role != model.RoleChecking || !slices.Equal(a.Checking, []string{"core-sw1", "gw1"}) {
		t.Errorf("app1 while gw1 is rechecked: role %s checking %q", a.Role, a.Checking)
	}
	r.result("gw1", "icmp", ok, "3/3 received")
	for i := 2; i <= n; i++ {
		r.result(fmt.Sprint("app", i), "http", crit, "connection refused")
		noFalseRootCause(t, r.sync())
	}
	r.result("core-sw1", "icmp", crit, "3/3 lost")
	s = r.sync()
	noFalseRootCause(t, s)
	if s.Tally.Checking != n || s.Tally.RootCauses != 0 {
		t.Errorf("before core-sw1 turns hard: tally %+v, want %d checking and no root cause", s.Tally, n)
	}

	r.result("core-sw1", "icmp", crit, "3/3 lost") // hard: the verdict
	s = r.sync()
	noFalseRootCause(t, s, "core-sw1")
	want := model.Tally{RootCauses: 1, Unreachable: n}
	if s.Tally != want || len(s.Checking) != 0 {
		t.Errorf("outage: tally %+v checking %v, want %+v", s.Tally, s.Checking, want)
	}
	if a := r.asset(s, "app5"); a.Status != unr || a.RootCause != "core-sw1" || !slices.Equal(a.RootCauses, []string{"core-sw1"}) {
		t.Errorf("app5: %s root %q %v", a.Status, a.RootCause, a.RootCauses)
	}
}

func TestRecoveryRechecksChildren(t *testing.T) {
	const n = 9
	rec := &recorder{}
	r := startEngine(t, outageConfig(n), model.EngineOptions{Recheck: rec.recheck})
	r.result("gw1", "icmp", ok, "3/3 received")
	r.result("core-sw1", "icmp", crit, "3/3 lost")
	r.result("gw1", "icmp", ok, "3/3 received") // the recheck it asked for
	for range 2 {
		r.result("core-sw1", "icmp", crit, "3/3 lost")
	}
	for i := 1; i <= n; i++ {
		for range 2 {
			r.result(fmt.Sprint("app", i), "http", crit, "connection refused")
		}
	}
	s := r.sync()
	if want := (model.Tally{RootCauses: 1, Unreachable: n}); s.Tally != want {
		t.Fatalf("outage: tally %+v, want %+v", s.Tally, want)
	}
	rec.take()
	seen := s.Events[len(s.Events)-1].Seq

	// core-sw1 is back: every child is rechecked at once and stays
	// UNREACHABLE, not CRITICAL, until its own check answered.
	r.result("core-sw1", "icmp", ok, "3/3 received")
	s = r.sync()
	got := rec.take()
	if len(got) != n {
		t.Fatalf("rechecks on recovery: %v, want the %d children's http", got, n)
	}
	noFalseRootCause(t, s)
	if want := (model.Tally{Unreachable: n}); s.Tally != want {
		t.Errorf("recovery: tally %+v, want %+v", s.Tally, want)
	}
	if a := r.asset(s, "app1"); a.Status != unr || a.Reason != "unreachable: core-sw1 recovered, rechecking; http: connection refused" {
		t.Errorf("app1 on recovery: %s %q", a.Status, a.Reason)
	}
	// Eight come back; app9's own server is still broken: a root cause,
	// correctly, once its recheck says so.
	for i := 1; i < n; i++ {
		r.result(fmt.Sprint("app", i), "http", ok, "HTTP 200")
		noFalseRootCause(t, r.sync())
	}
	r.result("app9", "http", crit, "connection refused")
	s = r.sync()
	noFalseRootCause(t, s, "app9")
	if want := (model.Tally{RootCauses: 1}); s.Tally != want {
		t.Errorf("after rechecks: tally %+v, want %+v", s.Tally, want)
	}
	for _, ev := range s.Events {
		if ev.Seq > seen && ev.Check == "" && ev.From == unr && ev.To == crit && ev.Asset != "app9" {
			t.Errorf("%s went UNREACHABLE -> CRITICAL while its target was up: %+v", ev.Asset, ev)
		}
	}
}

func TestStartupChildWaitsForPendingParent(t *testing.T) {
	rec := &recorder{}
	r := startEngine(t, outageConfig(1), model.EngineOptions{Recheck: rec.recheck})
	r.result("app1", "http", crit, "connection refused")
	r.result("app1", "http", crit, "connection refused")
	s := r.sync()
	noFalseRootCause(t, s)
	if a := r.asset(s, "app1"); a.Role != model.RoleChecking || !slices.Equal(a.Checking, []string{"core-sw1"}) {
		t.Errorf("app1 with core-sw1 pending: role %s checking %q", a.Role, a.Checking)
	}
	r.result("gw1", "icmp", ok, "3/3 received")
	r.result("core-sw1", "icmp", ok, "3/3 received")
	s = r.sync()
	noFalseRootCause(t, s, "app1")
	if a := r.asset(s, "app1"); a.Role != model.RoleRootCause {
		t.Errorf("app1 once core-sw1 answered: role %s (%s)", a.Role, a.Reason)
	}
}

// A root cause found stays one while a parent wavers (soft), rather than
// flickering back to checking.
func TestRootCauseKeptWhileParentSoft(t *testing.T) {
	rec := &recorder{}
	r := startEngine(t, outageConfig(1), model.EngineOptions{Recheck: rec.recheck})
	r.result("gw1", "icmp", ok, "3/3 received")
	r.result("core-sw1", "icmp", ok, "3/3 received")
	r.result("app1", "http", crit, "refused")
	r.result("core-sw1", "icmp", ok, "3/3 received") // the recheck: fine
	r.result("app1", "http", crit, "refused")
	s := r.sync()
	noFalseRootCause(t, s, "app1")
	if a := r.asset(s, "app1"); a.Role != model.RoleRootCause {
		t.Fatalf("app1: role %s (%s)", a.Role, a.Reason)
	}
	r.result("core-sw1", "icmp", crit, "1/3 lost")
	s = r.sync()
	if a := r.asset(s, "app1"); a.Role != model.RoleRootCause {
		t.Errorf("app1 while core-sw1 is soft: role %s (%s)", a.Role, a.Reason)
	}
}

func TestAssetEventAtSoftToHard(t *testing.T) {
	r := startEngine(t, outageConfig(1), model.EngineOptions{})
	r.result("app1", "http", ok, "HTTP 200")
	r.result("app1", "http", crit, "HTTP 503")
	r.result("app1", "http", crit, "HTTP 503")
	s := r.sync()
	var got []string
	for _, ev := range s.Events {
		if ev.Asset == "app1" && ev.Check == "" {
			got = append(got, ev.Transition())
		}
	}
	want := []string{"OK -> CRITICAL soft", "CRITICAL soft -> CRITICAL hard"}
	if !slices.Equal(got, want) {
		t.Errorf("asset events %q, want %q", got, want)
	}
}

// A slow run (three pings to a dead switch) starts before a fast one (a
// child's refused connection) but is applied after it: the events must
// read in the order they happened, so each is stamped when its result was
// known, not when its run started.
func TestEventsStampedWhenKnown(t *testing.T) {
	r := startEngine(t, outageConfig(1), model.EngineOptions{})
	r.result("gw1", "icmp", ok, "3/3 received")
	r.result("core-sw1", "icmp", ok, "3/3 received")
	r.result("app1", "http", ok, "HTTP 200")
	r.sync()

	slow := r.at.Add(time.Second) // core-sw1's pings start first ...
	fast := slow.Add(time.Second) // ... app1's connection is refused a second later, at once
	r.submit(model.Result{Key: model.CheckKey{Asset: "app1", Check: "http"}, At: fast,
		Outcome: model.Outcome{Status: crit, Summary: "connection refused"}})
	for i := range 3 { // ... and is applied after it, going hard at its third run
		r.submit(model.Result{Key: model.CheckKey{Asset: "core-sw1", Check: "icmp"}, At: slow.Add(time.Duration(i) * 3 * time.Second),
			Duration: 2 * time.Second, Outcome: model.Outcome{Status: crit, Summary: "3/3 lost"}})
	}
	s := r.sync()
	var last time.Time
	for _, ev := range s.Events {
		if ev.At.Before(last) {
			t.Errorf("event %d at %s (%s %s %s) is older than the one before it (%s)", ev.Seq, ev.At.Format(time.TimeOnly), ev.Asset, ev.Check, ev.Transition(), last.Format(time.TimeOnly))
		}
		last = ev.At
	}
	// CRITICAL since its first failing run answered.
	if got, want := r.asset(s, "core-sw1").Since, slow.Add(2*time.Second); !got.Equal(want) {
		t.Errorf("core-sw1 since %s, want when its first failing run answered (%s)", got.Format(time.TimeOnly), want.Format(time.TimeOnly))
	}
}
