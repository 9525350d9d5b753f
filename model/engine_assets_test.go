package model_test

import (
	"strings"
	"testing"

	"noctop/model"
)

type assetWant struct {
	name      string
	status    model.Status
	down      bool
	rootCause string
}

func checkAssets(t *testing.T, r *rig, s *model.Snapshot, wants ...assetWant) {
	t.Helper()
	for _, w := range wants {
		a := r.asset(s, w.name)
		if a.Status != w.status || a.Down != w.down || a.RootCause != w.rootCause {
			t.Errorf("%s: got %s down=%v root=%q (%s), want %s down=%v root=%q",
				w.name, a.Status, a.Down, a.RootCause, a.Reason, w.status, w.down, w.rootCause)
		}
	}
}

// chainConfig: gw1 <- core-sw1 <- access-sw <- web1, icmp everywhere,
// retries 1 so every result is hard.
func chainConfig() *model.Config {
	return &model.Config{
		Defaults: model.Defaults{Retries: 1},
		Assets: []model.Asset{
			// Children listed before parents: evaluation order must come
			// from the graph, not the file.
			asset("web1", []string{"access-sw"}, check("icmp"), check("http")),
			asset("access-sw", []string{"core-sw1"}, check("icmp")),
			asset("core-sw1", []string{"gw1"}, check("icmp")),
			asset("gw1", nil, check("icmp")),
		},
	}
}

func TestUnreachableChain(t *testing.T) {
	for _, parentFirst := range []bool{true, false} {
		name := "children fail first"
		if parentFirst {
			name = "parent fails first"
		}
		t.Run(name, func(t *testing.T) {
			r := startEngine(t, chainConfig(), model.EngineOptions{})
			fail := func(names ...string) {
				for _, n := range names {
					r.result(n, "icmp", crit, "3/3 lost")
				}
			}
			if parentFirst {
				fail("gw1", "core-sw1", "access-sw", "web1")
			} else {
				fail("web1", "access-sw", "core-sw1", "gw1")
			}
			r.result("web1", "http", crit, "connection refused")
			s := r.sync()
			checkAssets(t, r, s,
				assetWant{"gw1", crit, true, ""},
				assetWant{"core-sw1", unr, false, "gw1"},
				assetWant{"access-sw", unr, false, "gw1"},
				assetWant{"web1", unr, false, "gw1"},
			)
			if got := r.asset(s, "web1").Reason; got != "unreachable: gw1 is down; icmp: 3/3 lost (+1 more)" {
				t.Errorf("web1 reason %q", got)
			}
			if s.Count(unr) != 3 || s.Count(crit) != 1 {
				t.Errorf("counts: %d UNREACHABLE, %d CRITICAL", s.Count(unr), s.Count(crit))
			}

			// gw1 comes back: core-sw1 stays UNREACHABLE until its own
			// check ran again, then is the top of the chain.
			r.result("gw1", "icmp", ok, "3/3 received")
			s = r.sync()
			checkAssets(t, r, s,
				assetWant{"gw1", ok, false, ""},
				assetWant{"core-sw1", unr, false, "gw1"},
				assetWant{"access-sw", unr, false, "gw1"},
			)
			if got := r.asset(s, "core-sw1").Reason; got != "unreachable: gw1 recovered, rechecking; icmp: 3/3 lost" {
				t.Errorf("core-sw1 reason %q", got)
			}
			r.result("core-sw1", "icmp", crit, "3/3 lost")
			s = r.sync()
			checkAssets(t, r, s,
				assetWant{"gw1", ok, false, ""},
				assetWant{"core-sw1", crit, true, ""},
				assetWant{"access-sw", unr, false, "core-sw1"},
				assetWant{"web1", unr, false, "core-sw1"},
			)

			// core-sw1 comes back: the rest are down on their own, once
			// rechecked.
			r.result("core-sw1", "icmp", ok, "3/3 received")
			r.result("access-sw", "icmp", crit, "3/3 lost")
			s = r.sync()
			checkAssets(t, r, s,
				assetWant{"core-sw1", ok, false, ""},
				assetWant{"access-sw", crit, true, ""},
				assetWant{"web1", unr, false, "access-sw"},
			)
		})
	}
}

func TestUnreachableTwoParents(t *testing.T) {
	cfg := func() *model.Config {
		return &model.Config{
			Defaults: model.Defaults{Retries: 1},
			Assets: []model.Asset{
				asset("gw1", nil, check("icmp")),
				asset("sw-a", []string{"gw1"}, check("icmp")),
				asset("sw-b", []string{"gw1"}, check("icmp")),
				asset("r1", nil, check("icmp")),
				asset("r2", nil, check("icmp")),
				asset("db1", []string{"r2", "r1"}, check("icmp")),
				asset("app1", []string{"sw-a", "sw-b"}, check("tcp")),
			},
		}
	}
	t.Run("both parents down", func(t *testing.T) {
		r := startEngine(t, cfg(), model.EngineOptions{})
		r.result("r1", "icmp", crit, "3/3 lost")
		r.result("r2", "icmp", crit, "3/3 lost")
		r.result("db1", "icmp", crit, "3/3 lost")
		s := r.sync()
		checkAssets(t, r, s, assetWant{"db1", unr, false, "r1, r2"})
		if got := r.asset(s, "db1").Reason; !strings.HasPrefix(got, "unreachable: r1, r2 are down") {
			t.Errorf("reason %q", got)
		}
	})
	t.Run("one parent up: not unreachable", func(t *testing.T) {
		r := startEngine(t, cfg(), model.EngineOptions{})
		r.result("r1", "icmp", ok, "3/3 received")
		r.result("r2", "icmp", crit, "3/3 lost")
		r.result("db1", "icmp", crit, "3/3 lost")
		s := r.sync()
		checkAssets(t, r, s, assetWant{"db1", crit, true, ""})
		// The second parent fails too: now it is.
		r.result("r1", "icmp", crit, "3/3 lost")
		s = r.sync()
		checkAssets(t, r, s, assetWant{"db1", unr, false, "r1, r2"})
	})
	t.Run("two unreachable parents share one root cause", func(t *testing.T) {
		r := startEngine(t, cfg(), model.EngineOptions{})
		r.result("app1", "tcp", crit, "connection refused")
		r.result("sw-a", "icmp", crit, "3/3 lost")
		r.result("sw-b", "icmp", crit, "3/3 lost")
		s := r.sync()
		// Both switches are down on their own: two root causes.
		checkAssets(t, r, s, assetWant{"app1", unr, false, "sw-a, sw-b"})
		r.result("gw1", "icmp", crit, "3/3 lost")
		s = r.sync()
		checkAssets(t, r, s,
			assetWant{"sw-a", unr, false, "gw1"},
			assetWant{"sw-b", unr, false, "gw1"},
			assetWant{"app1", unr, false, "gw1"},
		)
	})
}

func TestOKChildUnderDownParentStaysOK(t *testing.T) {
	r := startEngine(t, chainConfig(), model.EngineOptions{})
	r.result("access-sw", "icmp", ok, "3/3 received")
	r.result("gw1", "icmp", crit, "3/3 lost")
	r.result("core-sw1", "icmp", crit, "3/3 lost")
	s := r.sync()
	checkAssets(t, r, s,
		assetWant{"core-sw1", unr, false, "gw1"},
		assetWant{"access-sw", ok, false, ""},
	)
	// web1 hangs off an OK switch: its own failure is its own.
	r.result("web1", "icmp", crit, "3/3 lost")
	s = r.sync()
	checkAssets(t, r, s, assetWant{"web1", crit, true, ""})
}

func TestUnreachableSoftAndWarning(t *testing.T) {
	cfg := &model.Config{Assets: []model.Asset{
		asset("core-sw1", nil, checkRetries("icmp", 1)),
		asset("crm-app", []string{"core-sw1"}, checkRetries("http", 3), checkRetries("icmp", 3)),
		asset("erp-app", []string{"core-sw1"}, checkRetries("http", 1)),
	}}
	r := startEngine(t, cfg, model.EngineOptions{})
	r.result("crm-app", "http", ok, "HTTP 200")
	r.result("crm-app", "icmp", ok, "3/3 received")
	r.result("core-sw1", "icmp", crit, "3/3 lost")
	// A soft problem behind a hard-down parent is UNREACHABLE at once; its
	// hard status is still OK (services keep counting it up).
	r.result("crm-app", "http", crit, "timeout")
	// A WARNING is a problem too.
	r.result("erp-app", "http", warn, "HTTP 200 in 900 ms")
	s := r.sync()
	checkAssets(t, r, s,
		assetWant{"crm-app", unr, false, "core-sw1"},
		assetWant{"erp-app", unr, false, "core-sw1"},
	)
	if a := r.asset(s, "crm-app"); a.Hard || a.HardStatus != ok {
		t.Errorf("crm-app hard=%v hardStatus=%s, want soft with hard OK", a.Hard, a.HardStatus)
	}
	if a := r.asset(s, "erp-app"); !a.Hard || a.HardStatus != unr {
		t.Errorf("erp-app hard=%v hardStatus=%s, want hard UNREACHABLE", a.Hard, a.HardStatus)
	}
}

func TestParentSoftDownDoesNotBlock(t *testing.T) {
	cfg := &model.Config{Assets: []model.Asset{
		asset("core-sw1", nil, checkRetries("icmp", 3)),
		asset("web1", []string{"core-sw1"}, checkRetries("http", 1)),
	}}
	r := startEngine(t, cfg, model.EngineOptions{})
	r.result("core-sw1", "icmp", crit, "3/3 lost")
	r.result("web1", "http", crit, "refused")
	s := r.sync()
	// core-sw1 is soft: it may yet be down, so web1 waits for its verdict
	// instead of posing as a root cause.
	checkAssets(t, r, s,
		assetWant{"core-sw1", crit, false, ""},
		assetWant{"web1", crit, false, ""},
	)
	if a := r.asset(s, "web1"); a.Role != model.RoleChecking || strings.Join(a.Checking, ",") != "core-sw1" {
		t.Errorf("web1 role %s checking %q, want checking core-sw1", a.Role, a.Checking)
	}
	r.result("core-sw1", "icmp", crit, "3/3 lost")
	r.result("core-sw1", "icmp", crit, "3/3 lost")
	s = r.sync()
	checkAssets(t, r, s,
		assetWant{"core-sw1", crit, true, ""},
		assetWant{"web1", unr, false, "core-sw1"},
	)
}

func TestDownWithoutICMP(t *testing.T) {
	cfg := &model.Config{
		Defaults: model.Defaults{Retries: 1},
		Assets: []model.Asset{
			asset("erp-db", nil, check("tcp"), check("http")),
			asset("erp-app", []string{"erp-db"}, check("http")),
		},
	}
	r := startEngine(t, cfg, model.EngineOptions{})
	r.result("erp-db", "tcp", crit, "refused")
	r.result("erp-db", "http", warn, "slow")
	r.result("erp-app", "http", crit, "HTTP 502")
	s := r.sync()
	checkAssets(t, r, s,
		assetWant{"erp-db", crit, false, ""},
		// Its only check is hard CRITICAL: down on its own.
		assetWant{"erp-app", crit, true, ""},
	)
	r.result("erp-db", "http", crit, "refused")
	s = r.sync()
	checkAssets(t, r, s,
		assetWant{"erp-db", crit, true, ""},
		assetWant{"erp-app", unr, false, "erp-db"},
	)
}

// A cycle is rejected by the loader; the engine must still not loop on a
// hand-built one.
func TestDependencyCycleTerminates(t *testing.T) {
	cfg := &model.Config{
		Defaults: model.Defaults{Retries: 1},
		Assets: []model.Asset{
			asset("a", []string{"b"}, check("icmp")),
			asset("b", []string{"a"}, check("icmp")),
		},
	}
	r := startEngine(t, cfg, model.EngineOptions{})
	r.result("a", "icmp", crit, "lost")
	r.result("b", "icmp", crit, "lost")
	s := r.sync()
	if s.Count(crit)+s.Count(unr) != 2 {
		t.Fatalf("counts %v", s.Counts)
	}
}

// A CRITICAL the target answered with (an SNMP agent reporting a port down)
// does not make the asset down: its children are not UNREACHABLE because of
// it, and the asset is not a root cause.
func TestDegradedCriticalIsNotDown(t *testing.T) {
	cfg := &model.Config{
		Defaults: model.Defaults{Retries: 1},
		Assets: []model.Asset{
			asset("acc-sw2", nil, check("snmp")),
			asset("printer", []string{"acc-sw2"}, check("tcp")),
		},
	}
	r := startEngine(t, cfg, model.EngineOptions{})
	snmp := func(degraded bool, summary string) {
		r.submit(model.Result{Key: model.CheckKey{Asset: "acc-sw2", Check: "snmp"},
			Outcome: model.Outcome{Status: crit, Summary: summary, Degraded: degraded}})
	}
	snmp(true, "Gi1/0/5 admin up, oper down")
	r.result("printer", "tcp", crit, "connection refused")
	s := r.sync()
	if a := s.Asset("acc-sw2"); a.Down || a.Status != crit {
		t.Fatalf("acc-sw2 with a port down: down=%v status %s, want CRITICAL and not down", a.Down, a.Status)
	}
	if a := s.Asset("printer"); a.Status != crit || a.RootCause != "" {
		t.Fatalf("printer = %s (root cause %q), want its own CRITICAL", a.Status, a.RootCause)
	}
	snmp(false, "no response after 3 tries")
	s = r.sync()
	if a := s.Asset("printer"); !s.Asset("acc-sw2").Down || a.Status != unr || a.RootCause != "acc-sw2" {
		t.Fatalf("silent acc-sw2: printer = %s (root cause %q), want UNREACHABLE via acc-sw2", a.Status, a.RootCause)
	}
}
