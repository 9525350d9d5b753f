package estate

import (
	"errors"
	"strings"
	"testing"
	"time"

	"noctop/model"
)

var at = time.Date(2026, 12, 7, 16, 0, 0, 0, time.UTC)

// estateRaw is a 2-site estate as the queries would decode it: site a
// with two shards (core-sw1 the root cause behind which srv1 and srv2
// are unreachable, web1 with a warning), site b with one shard whose
// core-sw1 collides with a's by name.
func estateRaw() *Raw {
	a0, a1, b0 := Shard{"a", "0"}, Shard{"a", "1"}, Shard{"b", "0"}
	info := func(sh Shard, name, parents string) AssetRow {
		return AssetRow{Shard: sh, Name: name, Info: true, Layer: "network", Kind: "switch", Address: "10.0.0.1", Parents: splitParents(parents)}
	}
	status := func(sh Shard, name string, code float64) AssetRow {
		return AssetRow{Shard: sh, Name: name, HasStatus: true, Code: code, Layer: "network"}
	}
	return &Raw{
		At:       at,
		Up:       []ShardValue{{a0, 1}, {a1, 1}, {b0, 1}},
		Reported: []ShardValue{{a0, float64(at.Unix() - 2)}, {a1, float64(at.Unix() - 3)}, {b0, float64(at.Unix() - 1)}},
		Assets: []AssetRow{
			info(a0, "core-sw1", ""), info(a0, "srv1", "core-sw1"), info(a0, "srv2", "core-sw1"), info(a1, "web1", ""),
			info(b0, "core-sw1", ""), info(b0, "db1", "core-sw1"),
			status(a0, "core-sw1", 2), status(a0, "srv1", 4), status(a0, "srv2", 4), status(a1, "web1", 1),
			status(b0, "core-sw1", 0), status(b0, "db1", 0),
			{Shard: a0, Name: "core-sw1", Role: "root_cause"},
			{Shard: a0, Name: "srv1", Role: "unreachable"}, {Shard: a0, Name: "srv1", RootCause: "core-sw1"},
			{Shard: a0, Name: "srv2", Role: "unreachable"}, {Shard: a0, Name: "srv2", RootCause: "core-sw1"},
			{Shard: a1, Name: "web1", Role: "warning"},
		},
		Checks: []CheckRow{
			{Shard: a0, Asset: "core-sw1", Check: "ping", Type: "icmp", Code: 2},
			{Shard: a0, Asset: "core-sw1", Check: "snmp", Type: "snmp", Code: 3},
			{Shard: a1, Asset: "web1", Check: "https", Type: "https", Code: 1},
		},
		Services: []ServiceRow{
			{Shard: a0, Name: "shop", HasStatus: true, Code: 2},
			{Shard: a0, Name: "shop", Window: "30d", Ratio: 0.999},
			{Shard: a0, Name: "shop", Window: "24h", Ratio: 0.5},
			{Shard: a0, Name: "shop", Window: "sla", Ratio: 0.995},
			{Shard: b0, Name: "payroll", HasStatus: true, Code: 0},
		},
		Alerts: []Alert{
			alert(map[string]string{"alertname": "noctop", "site": "a", "asset": "core-sw1", "check": "ping", "shard": "0"},
				map[string]string{"summary": "core-sw1 CRITICAL (root cause): icmp: 3/3 lost", "reason": "icmp: 3/3 lost"}, "active"),
			alert(map[string]string{"alertname": "noctop", "site": "a", "asset": "web1", "check": "https"},
				map[string]string{"summary": "web1 WARNING: https: 1.8 s"}, "suppressed"),
		},
		Silences: []Silence{
			silence("s1", "active", "alice", "on it", "asset", "web1", "check", "https", "site", "a"),
			silence("s2", "expired", "bob", "old", "asset", "core-sw1", "site", "a"),
		},
	}
}

func alert(labels, ann map[string]string, state string) Alert {
	al := Alert{Labels: labels, Annotations: ann, StartsAt: at.Add(-5 * time.Minute)}
	al.Status.State = state
	return al
}

func silence(id, state, by, comment string, kv ...string) Silence {
	s := Silence{ID: id, CreatedBy: by, Comment: comment, StartsAt: at.Add(-time.Minute), EndsAt: at.Add(AckFor)}
	s.Status.State = state
	for i := 0; i+1 < len(kv); i += 2 {
		s.Matchers = append(s.Matchers, Matcher{Name: kv[i], Value: kv[i+1]})
	}
	return s
}

func mustAsset(t *testing.T, s *model.Snapshot, name string) *model.AssetState {
	t.Helper()
	a := s.Asset(name)
	if a == nil {
		var names []string
		for _, a := range s.Assets {
			names = append(names, a.Name)
		}
		t.Fatalf("no asset %q in the view; it has %v", name, names)
	}
	return a
}

// Names are the pollers' unless two sites share one; roles, root causes,
// parents and the tally are the pollers' judgement, unchanged.
func TestBuildEstate(t *testing.T) {
	s := Build(estateRaw(), 0)
	if len(s.Assets) != 6 {
		t.Fatalf("%d assets, want 6", len(s.Assets))
	}
	rc := mustAsset(t, s, "a/core-sw1")
	if rc.Role != model.RoleRootCause || !rc.Down || rc.Status != model.StatusCritical || rc.Reason != "icmp: 3/3 lost" {
		t.Errorf("a/core-sw1: role %v down %v status %v reason %q", rc.Role, rc.Down, rc.Status, rc.Reason)
	}
	if got := strings.Join(rc.Tags, " "); got != "site:a shard:0 asset:core-sw1" {
		t.Errorf("a/core-sw1 tags %q", got)
	}
	if site, name := Origin(rc); site != "a" || name != "core-sw1" {
		t.Errorf("Origin(a/core-sw1) = %q %q", site, name)
	}
	if got := strings.Join(rc.Children, ","); got != "srv1,srv2" {
		t.Errorf("a/core-sw1 children %q", got)
	}
	srv := mustAsset(t, s, "srv1")
	if srv.Role != model.RoleUnreachable || srv.RootCause != "a/core-sw1" || strings.Join(srv.Parents, ",") != "a/core-sw1" {
		t.Errorf("srv1: role %v root cause %q parents %v", srv.Role, srv.RootCause, srv.Parents)
	}
	if got := strings.Join(mustAsset(t, s, "srv1").Tags, " "); got != "site:a shard:0" {
		t.Errorf("srv1 tags %q", got)
	}
	if b := mustAsset(t, s, "b/core-sw1"); b.Status != model.StatusOK || b.Role != model.RoleNone {
		t.Errorf("b/core-sw1: %v %v", b.Status, b.Role)
	}
	ping := rc.Check("ping")
	if ping == nil || ping.Status != model.StatusCritical || !strings.Contains(ping.Summary, "3/3 lost") {
		t.Fatalf("a/core-sw1 ping: %+v", ping)
	}
	if c := rc.Check("snmp"); c == nil || c.Status != model.StatusUnknown || c.Summary != "" {
		t.Errorf("a/core-sw1 snmp (no alert about it): %+v", c)
	}
	web := mustAsset(t, s, "web1")
	if https := web.Check("https"); https == nil || https.Ack == nil || https.Ack.By != "alice" || !web.Acked {
		t.Errorf("web1: the silence on its only problem check should ack it: %+v acked %v", https, web.Acked)
	}
	if rc.Ack != nil {
		t.Errorf("an expired silence acks a/core-sw1: %+v", rc.Ack)
	}
	want := model.Tally{RootCauses: 1, Unreachable: 2, Acked: 1, ServicesDown: 1}
	if s.Tally != want {
		t.Errorf("tally %+v, want %+v", s.Tally, want)
	}
	if s.Checks != 3 || s.Done != 3 {
		t.Errorf("checks %d done %d", s.Checks, s.Done)
	}
	if s.Count(model.StatusUnreachable) != 2 || s.Count(model.StatusOK) != 2 {
		t.Errorf("counts %v", s.Counts)
	}
	siteA, siteB, shop := s.Service("site a"), s.Service("site b"), s.Service("shop")
	if siteA == nil || siteA.Status != model.StatusCritical || siteA.Reason != "1 root cause, 2 unreachable, 1 acked" || siteA.Total != 4 {
		t.Errorf("site a row: %+v", siteA)
	}
	if siteB == nil || siteB.Status != model.StatusOK || siteB.Up != 2 || siteB.Description != "1 shard, 1 reporting" {
		t.Errorf("site b row: %+v", siteB)
	}
	if shop == nil || shop.Status != model.StatusCritical || shop.Availability[2].Percent != 99.9 || shop.Availability[0].Percent != 50 || shop.Availability[1].Known() || shop.SLA != 99.5 {
		t.Errorf("shop: %+v", shop)
	}
	if s.Services[0].Name != "site a" || s.Services[1].Name != "site b" {
		t.Errorf("the site rows come first: %s, %s", s.Services[0].Name, s.Services[1].Name)
	}
}

// A site whose every target is down shows its assets UNKNOWN with the
// time of its last report, never OK, and so does its row.
func TestBuildStaleSite(t *testing.T) {
	raw := estateRaw()
	raw.Up[2].Value = 0 // b/0
	raw.Reported[2].Value = float64(at.Add(-90 * time.Second).Unix())
	// The staleness markers took the b series out of the instant queries;
	// the info (last_over_time) still names them.
	raw.Assets = dropRows(raw.Assets, "b")
	s := Build(raw, 0)
	for _, name := range []string{"b/core-sw1", "db1"} {
		a := mustAsset(t, s, name)
		if a.Status != model.StatusUnknown || a.Role != model.RoleUnknown || a.Reason != "site b stale: no poller reported since 15:58:30" {
			t.Errorf("%s: %v %v %q", name, a.Status, a.Role, a.Reason)
		}
	}
	if s.Tally.Unknown != 2 {
		t.Errorf("tally %+v: the stale site's 2 assets count as unknown", s.Tally)
	}
	if r := s.Service("site b"); r == nil || r.Status != model.StatusUnknown || r.Reason != "stale: no poller reported since 15:58:30" || r.Description != "1 shard, 0 reporting" {
		t.Errorf("site b row: %+v", r)
	}
}

// dropRows removes the status, role and root cause rows of site.
func dropRows(rows []AssetRow, site string) []AssetRow {
	var out []AssetRow
	for _, r := range rows {
		if r.Site != site || r.Info {
			out = append(out, r)
		}
	}
	return out
}

// One shard down of a site whose other shard reports: that shard's
// assets are UNKNOWN (naming the shard), the site is not stale.
func TestBuildStaleShard(t *testing.T) {
	raw := estateRaw()
	raw.Up[1].Value = 0 // a/1
	s := Build(raw, 0)
	if a := mustAsset(t, s, "web1"); a.Status != model.StatusUnknown || !strings.HasPrefix(a.Reason, "site a shard 1 stale: ") || len(a.Checks) != 0 {
		t.Errorf("web1: %v %q %d checks", a.Status, a.Reason, len(a.Checks))
	}
	if a := mustAsset(t, s, "srv1"); a.Status != model.StatusUnreachable {
		t.Errorf("srv1 of the reporting shard: %v", a.Status)
	}
	if r := s.Service("site a"); r.Status == model.StatusUnknown || r.Description != "2 shards, 1 reporting" {
		t.Errorf("site a row: %+v", r)
	}
}

// Without up series (Prometheus no longer scrapes the shard), its last
// report decides: older than StaleAfter is stale.
func TestBuildStaleByReport(t *testing.T) {
	for _, c := range []struct {
		age   time.Duration
		stale bool
	}{{10 * time.Second, false}, {31 * time.Second, true}} {
		raw := estateRaw()
		raw.Up = raw.Up[:2]
		raw.Reported[2].Value = float64(at.Add(-c.age).Unix())
		s := Build(raw, 30*time.Second)
		if got := mustAsset(t, s, "db1").Status == model.StatusUnknown; got != c.stale {
			t.Errorf("report %s old: stale %v, want %v", c.age, got, c.stale)
		}
	}
}

// An HA pair's rows disagreeing a moment: the worse status and the most
// urgent role win; an asset its fresh shard no longer exports is gone;
// a status code this build does not know is UNKNOWN with a reason.
func TestBuildMerge(t *testing.T) {
	raw := estateRaw()
	b0 := Shard{"b", "0"}
	raw.Assets = append(raw.Assets,
		AssetRow{Shard: b0, Name: "db1", HasStatus: true, Code: 2},
		AssetRow{Shard: b0, Name: "db1", Role: "critical"},
		AssetRow{Shard: b0, Name: "db1", Role: "soft"},
		AssetRow{Shard: b0, Name: "gone", Info: true, Layer: "network"},
		AssetRow{Shard: b0, Name: "odd", HasStatus: true, Code: 42},
	)
	s := Build(raw, 0)
	if db := mustAsset(t, s, "db1"); db.Status != model.StatusCritical || db.Role != model.RoleCritical || !db.Hard {
		t.Errorf("db1: %v %v hard %v", db.Status, db.Role, db.Hard)
	}
	if s.Asset("gone") != nil {
		t.Error("an asset without status on a reporting shard stays")
	}
	if odd := mustAsset(t, s, "odd"); odd.Status != model.StatusUnknown || odd.Role != model.RoleUnknown || !strings.Contains(odd.Reason, "status code") {
		t.Errorf("odd: %v %v %q", odd.Status, odd.Role, odd.Reason)
	}
}

// An asset acked as a whole leaves its role's counter for Acked; a
// silence with other matchers (a regex, another label) is no ack.
func TestBuildAcks(t *testing.T) {
	raw := estateRaw()
	raw.Silences = append(raw.Silences,
		silence("s3", "active", "carol", "ticket 42", "asset", "core-sw1", "site", "a"),
		silence("s4", "active", "dave", "", "asset", "srv1", "site", "a", "team", "x"),
	)
	re := silence("s5", "active", "eve", "", "asset", "srv2", "site", "a")
	re.Matchers[0].IsRegex = true
	raw.Silences = append(raw.Silences, re)
	s := Build(raw, 0)
	rc := mustAsset(t, s, "a/core-sw1")
	if rc.Ack == nil || rc.Ack.By != "carol" || rc.Ack.Comment != "ticket 42" || !rc.Acked {
		t.Errorf("a/core-sw1 ack %+v acked %v", rc.Ack, rc.Acked)
	}
	if mustAsset(t, s, "srv1").Ack != nil || mustAsset(t, s, "srv2").Ack != nil {
		t.Error("a silence with other matchers acks")
	}
	if s.Tally.RootCauses != 0 || s.Tally.Acked != 2 {
		t.Errorf("tally %+v", s.Tally)
	}
}

func TestMatchers(t *testing.T) {
	for in, want := range map[string]string{"": "", ` {site="a"} `: `site="a"`, `{site="a",shard=~"1|2",}`: `site="a",shard=~"1|2"`} {
		got, err := matchers(in)
		if err != nil || got != want {
			t.Errorf("matchers(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{`site="a"`, `{a="b"}{c="d"}`, `{`} {
		if _, err := matchers(in); err == nil {
			t.Errorf("matchers(%q) accepted", in)
		}
	}
	if got := selector("up", `site="a"`, `x!=""`); got != `up{site="a",x!=""}` {
		t.Errorf("selector: %s", got)
	}
}

// While Prometheus does not answer, the last good view stays, each
// reason says as of when, and a first row and the tally say the view is
// stale: never all OK.
func TestMarkStale(t *testing.T) {
	raw := estateRaw()
	raw.Assets = raw.Assets[:0]
	raw.Services = nil
	raw.Assets = append(raw.Assets, AssetRow{Shard: Shard{"b", "0"}, Name: "db1", HasStatus: true, Code: 0})
	good := Build(raw, 0)
	if !good.Tally.Quiet() {
		t.Fatalf("the fixture should be all OK: %+v", good.Tally)
	}
	services := len(good.Services)
	s := MarkStale(good, at.Add(time.Minute), errors.New("dial tcp: connection refused"))
	if s.Tally.Quiet() || s.Tally.Unknown != 1 {
		t.Errorf("tally %+v: a stale view is not quiet", s.Tally)
	}
	if row := s.Services[0]; row.Name != ViewRow || row.Status != model.StatusUnknown || row.Reason != "Prometheus unreachable since 16:01:00: dial tcp: connection refused" {
		t.Errorf("first row %+v", row)
	}
	if a := mustAsset(t, s, "db1"); a.Status != model.StatusOK || a.Reason != "as of 16:00:00" {
		t.Errorf("db1: %v %q", a.Status, a.Reason)
	}
	if good.Asset("db1").Reason != "" || len(good.Services) != services || len(s.Services) != services+1 {
		t.Error("MarkStale modified the snapshot it was given")
	}
}

// Between two views the assets and services whose status moved become
// state events, numbered on, bounded; the first view is no change.
func TestChanges(t *testing.T) {
	first := Build(estateRaw(), 0)
	events, seq := Changes(nil, first, nil, 0)
	if len(events) != 0 || seq != 0 {
		t.Fatalf("the first view made events: %v", events)
	}
	raw := estateRaw()
	raw.At = at.Add(15 * time.Second)
	raw.Up[2].Value = 0 // site b down
	next := Build(raw, 0)
	events, seq = Changes(first, next, events, seq)
	var got []string
	for _, e := range events {
		got = append(got, e.Asset+e.Service+" "+e.Transition())
	}
	want := "b/core-sw1 OK -> UNKNOWN hard|db1 OK -> UNKNOWN hard|site b OK -> UNKNOWN hard"
	if strings.Join(got, "|") != want || seq != 3 || events[2].Seq != 3 || !events[0].At.Equal(raw.At) {
		t.Errorf("events %q (seq %d), want %q", got, seq, want)
	}
	for range MaxEvents {
		events, seq = Changes(first, next, events, seq)
	}
	if len(events) != MaxEvents || events[len(events)-1].Seq != seq {
		t.Errorf("%d events kept, the last %d of %d", len(events), events[len(events)-1].Seq, seq)
	}
}

// Names from the network that collide even with the site prefix are
// told apart, so each name in the view is one asset.
func TestViewNamesUnique(t *testing.T) {
	got := viewNames([]key{{"", "a/b"}, {"a", "b"}, {"b", "b"}, {"a", "x"}})
	want := map[key]string{{"", "a/b"}: "a/b", {"a", "b"}: "a/b #2", {"b", "b"}: "b/b", {"a", "x"}: "x"}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%v: %q, want %q", k, got[k], w)
		}
	}
}
