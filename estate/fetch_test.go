package estate

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"noctop/model"
	"noctop/promtest"
)

// fetchUntil fetches until ok accepts the view (Prometheus scrapes every
// second), failing with the last view's assets when it never does.
func fetchUntil(t *testing.T, src Source, what string, ok func(*model.Snapshot) bool) (*model.Snapshot, Stats) {
	t.Helper()
	var last string
	for range 300 {
		s, st, err := Fetch(context.Background(), src)
		if err == nil && ok(s) {
			return s, st
		}
		last = describe(s, err)
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("never %s; last view: %s", what, last)
	return nil, Stats{}
}

func describe(s *model.Snapshot, err error) string {
	if s == nil {
		return "error " + err.Error()
	}
	var b strings.Builder
	for _, a := range s.Assets {
		b.WriteString(a.Name + "=" + a.Status.String() + "/" + a.Role.String() + " ")
	}
	return b.String()
}

func statusIs(s *model.Snapshot, name string, st model.Status) bool {
	a := s.Asset(name)
	return a != nil && a.Status == st
}

// The view of a real Prometheus scraping four pollers (site a: an HA
// pair of shard 0 and shard 1; site b: shard 0) and a real Alertmanager:
// the estate as the pollers judged it, problem text from the alerts, acks
// as silences, a replica lost without a gap, a site lost shown stale.
func TestFetchRealPrometheus(t *testing.T) {
	r1, r2 := newPoller(t, "a", "0"), newPoller(t, "a", "0")
	a1, b0 := newPoller(t, "a", "1"), newPoller(t, "b", "0")
	for _, p := range []*poller{r1, r2} {
		p.asset("core-sw1", "network", "", 2, "root_cause")
		p.asset("srv1", "compute", "core-sw1", 4, "unreachable")
		p.set("noctop_asset_root_cause", `asset="srv1",root_cause="core-sw1"`, 1)
		p.check("core-sw1", "ping", "icmp", "network", 2)
		p.check("srv1", "ping", "icmp", "compute", 4)
		p.set("noctop_service_status", `service="shop"`, 2)
		p.set("noctop_availability_ratio", `service="shop",window="30d"`, 0.5)
		p.set("noctop_availability_ratio", `service="shop",window="7d"`, 0.25)
		p.set("noctop_service_sla_ratio", `service="shop"`, 0.999)
	}
	r1.asset("new1", "compute", "", 0, "")
	r2.asset("new1", "compute", "", 6, "") // a replica that just started: no verdict yet
	a1.asset("web1", "application", "", 0, "")
	a1.check("web1", "https", "https", "application", 0)
	b0.asset("core-sw1", "network", "", 0, "")
	b0.asset("db1", "compute", "core-sw1", 0, "")
	b0.check("db1", "ping", "icmp", "compute", 0)
	prom := startPrometheus(t, r1, r2, a1, b0)
	am := startAlertmanager(t)
	src := Source{Prom: prom, AM: am}

	// new1 OK needs both replicas scraped: the replica's verdict OK over
	// the other's PENDING (until r1 is scraped, PENDING is the truth).
	s, st := fetchUntil(t, src, "the whole estate", func(s *model.Snapshot) bool {
		shop := s.Service("shop")
		return len(s.Assets) == 6 && statusIs(s, "db1", model.StatusOK) && statusIs(s, "srv1", model.StatusUnreachable) &&
			statusIs(s, "new1", model.StatusOK) &&
			shop != nil && shop.Availability[2].Known() && shop.Availability[2].Percent == 0
	})
	if st.Queries != 9 || st.AMRequests != 2 || st.Bytes == 0 || st.AMBytes == 0 {
		t.Errorf("stats %+v: want 9 queries and 2 Alertmanager requests, bytes counted", st)
	}
	t.Logf("one refresh: %+v", st)
	rc := mustAsset(t, s, "a/core-sw1")
	if rc.Role != model.RoleRootCause || rc.Layer != "network" || strings.Join(rc.Children, ",") != "srv1" || rc.Check("ping") == nil {
		t.Errorf("a/core-sw1: role %v layer %q children %v checks %d", rc.Role, rc.Layer, rc.Children, len(rc.Checks))
	}
	if srv := mustAsset(t, s, "srv1"); srv.RootCause != "a/core-sw1" || srv.Role != model.RoleUnreachable {
		t.Errorf("srv1: %q %v", srv.RootCause, srv.Role)
	}
	if w := mustAsset(t, s, "web1"); len(w.Checks) != 0 {
		t.Errorf("web1 is OK: the estate-wide view reads no checks of it, got %d", len(w.Checks))
	}
	if want := (model.Tally{RootCauses: 1, Unreachable: 1, ServicesDown: 1}); s.Tally != want {
		t.Errorf("tally %+v, want %+v", s.Tally, want)
	}
	// SLA: the recording rules where they have figures (shop always down:
	// 0 over 1 and 30 days, not the poller's 0.5), the poller's own
	// noctop_availability_ratio where they have none (7 days).
	if shop := s.Service("shop"); shop == nil || shop.Status != model.StatusCritical || shop.Availability[0].Percent != 0 ||
		shop.Availability[1].Percent != 25 || shop.Availability[2].Percent != 0 || shop.SLA != 99.9 {
		t.Errorf("shop: %+v", shop)
	}
	if row := s.Service("site a"); row == nil || row.Description != "2 shards, 2 reporting" || row.Status != model.StatusCritical {
		t.Errorf("site a: %+v", row)
	}

	// Problem text comes from the alert's annotations.
	postAlert(t, am, map[string]string{"alertname": "noctop", "asset": "core-sw1", "check": "ping", "site": "a", "shard": "0", "severity": "critical"},
		map[string]string{"summary": "core-sw1 CRITICAL (root cause): icmp: 3/3 lost", "reason": "icmp: 3/3 lost"})
	s, _ = fetchUntil(t, src, "the alert's reason", func(s *model.Snapshot) bool {
		a := s.Asset("a/core-sw1")
		return a != nil && a.Reason == "icmp: 3/3 lost" && a.Check("ping") != nil && strings.Contains(a.Check("ping").Summary, "3/3 lost")
	})

	// Ack: a silence on asset, check and site; A expires it.
	target := Target{Site: "a", Asset: "core-sw1", Check: "ping"}
	if _, err := Ack(context.Background(), am, target, "alice", "on it", time.Now()); err != nil {
		t.Fatal(err)
	}
	s, _ = fetchUntil(t, src, "acked", func(s *model.Snapshot) bool { return s.Asset("a/core-sw1").Acked })
	if c := s.Asset("a/core-sw1").Check("ping"); c.Ack == nil || c.Ack.By != "alice" || c.Ack.Comment != "on it" || s.Tally.Acked != 1 || s.Tally.RootCauses != 0 {
		t.Errorf("ack %+v, tally %+v", c.Ack, s.Tally)
	}
	if err := Unack(context.Background(), am, target); err != nil {
		t.Fatal(err)
	}
	fetchUntil(t, src, "unacked", func(s *model.Snapshot) bool { return !s.Asset("a/core-sw1").Acked })
	if err := Unack(context.Background(), am, target); !errors.Is(err, ErrNoSilence) {
		t.Errorf("a second unack: %v, want ErrNoSilence", err)
	}

	// Drill-down: site a only, every check of it.
	sa, _ := fetchUntil(t, Source{Prom: prom, AM: am, Match: `{site="a"}`}, "site a alone", func(s *model.Snapshot) bool { return len(s.Assets) == 4 })
	if w := sa.Asset("web1"); w == nil || w.Check("https") == nil || sa.Asset("db1") != nil || sa.Asset("core-sw1") == nil {
		t.Errorf("drill-down: %s", describe(sa, nil))
	}

	// One replica of the pair gone: the other carries the view on.
	r1.srv.Close()
	for range 30 {
		s, _, err := Fetch(context.Background(), src)
		if err != nil || !statusIs(s, "a/core-sw1", model.StatusCritical) || !statusIs(s, "srv1", model.StatusUnreachable) || s.Service("site a").Description != "2 shards, 2 reporting" {
			t.Fatalf("a gap after losing a replica: %v %s", err, describe(s, err))
		}
		time.Sleep(100 * time.Millisecond)
	}

	// Site b gone: stale, UNKNOWN, never OK.
	b0.srv.Close()
	s, _ = fetchUntil(t, src, "site b stale", func(s *model.Snapshot) bool { return statusIs(s, "db1", model.StatusUnknown) })
	for _, name := range []string{"b/core-sw1", "db1"} {
		if a := mustAsset(t, s, name); !strings.HasPrefix(a.Reason, "site b stale: no poller reported since ") {
			t.Errorf("%s: %q", name, a.Reason)
		}
	}
	if row := s.Service("site b"); row.Status != model.StatusUnknown {
		t.Errorf("site b row: %+v", row)
	}
}

// Prometheus unreachable is ErrPrometheus naming the query; a bad
// matcher is Prometheus's parse error; Alertmanager unreachable leaves the
// snapshot and says ErrAlertmanager.
func TestFetchErrors(t *testing.T) {
	dead := "http://" + promtest.FreeAddr(t)
	if s, _, err := Fetch(context.Background(), Source{Prom: dead}); s != nil || !errors.Is(err, ErrPrometheus) {
		t.Errorf("dead Prometheus: %v, %v", s, err)
	}
	if _, _, err := Fetch(context.Background(), Source{Prom: dead, Match: `site="a"`}); !errors.Is(err, ErrMatch) {
		t.Errorf("matchers without braces: %v", err)
	}
	p := newPoller(t, "a", "0")
	p.asset("x", "network", "", 0, "")
	prom := startPrometheus(t, p)
	if _, _, err := Fetch(context.Background(), Source{Prom: prom, Match: `{site=="a"}`}); !errors.Is(err, ErrPrometheus) || !strings.Contains(err.Error(), "parse") {
		t.Errorf("a bad matcher: %v", err)
	}
	fetchUntil(t, Source{Prom: prom}, "x", func(s *model.Snapshot) bool { return s.Asset("x") != nil })
	s, _, err := Fetch(context.Background(), Source{Prom: prom, AM: dead})
	if s == nil || s.Asset("x") == nil || !errors.Is(err, ErrAlertmanager) {
		t.Errorf("dead Alertmanager: %v, %v", describe(s, err), err)
	}
}
