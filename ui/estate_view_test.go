package ui

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"noctop/estate"
	"noctop/model"
)

// estateSnapshot is the estate view (estate.Build) of two sites: site a
// reporting (core-sw1 the root cause of srv1 and srv2, web1 warning and
// acked by a silence), site b stale since 14:28:30 (its pollers down).
func estateSnapshot() *model.Snapshot {
	a0, a1, b0 := estate.Shard{Site: "a", Shard: "0"}, estate.Shard{Site: "a", Shard: "1"}, estate.Shard{Site: "b", Shard: "0"}
	info := func(sh estate.Shard, name, layer, parents string) estate.AssetRow {
		var ps []string
		if parents != "" {
			ps = []string{parents}
		}
		return estate.AssetRow{Shard: sh, Name: name, Info: true, Layer: layer, Kind: "host", Address: "10.0.0.1", Parents: ps}
	}
	status := func(sh estate.Shard, name string, code float64, role string) []estate.AssetRow {
		return []estate.AssetRow{{Shard: sh, Name: name, HasStatus: true, Code: code}, {Shard: sh, Name: name, Role: role}}
	}
	rows := []estate.AssetRow{
		info(a0, "core-sw1", "network", ""), info(a0, "srv1", "compute", "core-sw1"), info(a0, "srv2", "compute", "core-sw1"),
		info(a1, "web1", "application", ""), info(b0, "core-sw1", "network", ""), info(b0, "db1", "compute", "core-sw1"),
		{Shard: a0, Name: "srv1", RootCause: "core-sw1"}, {Shard: a0, Name: "srv2", RootCause: "core-sw1"},
	}
	rows = append(rows, status(a0, "core-sw1", 2, "root_cause")...)
	rows = append(rows, status(a0, "srv1", 4, "unreachable")...)
	rows = append(rows, status(a0, "srv2", 4, "unreachable")...)
	rows = append(rows, status(a1, "web1", 1, "warning")...)
	alert := func(asset, check, summary, reason string) estate.Alert {
		al := estate.Alert{
			Labels:      map[string]string{"alertname": "noctop", "site": "a", "asset": asset, "check": check},
			Annotations: map[string]string{"summary": summary, "reason": reason},
			StartsAt:    fixedNow.Add(-7 * time.Minute),
		}
		al.Status.State = "active"
		return al
	}
	ack := estate.Silence{ID: "s1", CreatedBy: "alice", Comment: "ticket 42", StartsAt: fixedNow.Add(-2 * time.Minute),
		Matchers: []estate.Matcher{{Name: "asset", Value: "web1"}, {Name: "site", Value: "a"}}}
	ack.Status.State = "active"
	raw := &estate.Raw{
		At:       fixedNow,
		Up:       []estate.ShardValue{{Shard: a0, Value: 1}, {Shard: a1, Value: 1}, {Shard: b0, Value: 0}},
		Reported: []estate.ShardValue{{Shard: a0, Value: float64(fixedNow.Unix() - 2)}, {Shard: a1, Value: float64(fixedNow.Unix() - 2)}, {Shard: b0, Value: float64(fixedNow.Unix() - 90)}},
		Assets:   rows,
		Checks: []estate.CheckRow{
			{Shard: a0, Asset: "core-sw1", Check: "ping", Type: "icmp", Code: 2},
			{Shard: a0, Asset: "core-sw1", Check: "snmp", Type: "snmp", Code: 3},
			{Shard: a0, Asset: "srv1", Check: "ping", Type: "icmp", Code: 4},
			{Shard: a0, Asset: "srv2", Check: "ping", Type: "icmp", Code: 4},
			{Shard: a1, Asset: "web1", Check: "https", Type: "https", Code: 1},
		},
		Services: []estate.ServiceRow{
			{Shard: a0, Name: "shop", HasStatus: true, Code: 2},
			{Shard: a0, Name: "shop", Window: "30d", Ratio: 0.9991},
		},
		Alerts: []estate.Alert{
			alert("core-sw1", "ping", "core-sw1 CRITICAL (root cause): icmp: 3/3 lost", "icmp: 3/3 lost"),
			alert("web1", "https", "web1 WARNING: https: 1.8 s", "https: 1.8 s over 1 s"),
		},
		Silences: []estate.Silence{ack},
	}
	return estate.Build(raw, 0)
}

// withView is the estate view's options: acks through Alertmanager
// (here accepted), rechecks and maintenance not from there.
func withView(o *Options) {
	o.ConfigName = "estate 127.0.0.1:9090"
	o.ICMPMode = ""
	o.Operator = "alice"
	o.Ack = func(context.Context, model.AckRequest) error { return nil }
	o.Unack = func(context.Context, model.CheckKey, string) error { return nil }
	o.Remote = "not from the estate view; the site's own noctop does it"
}

// The estate view's screens: the site rows first in the functional pane,
// the stale site's assets UNKNOWN with the time of its last report, the
// banner and triage counting them, never all OK.
func TestGoldenEstateView(t *testing.T) {
	cases := []struct {
		name string
		keys []string
		text string
		then []string
	}{
		{name: "overview"},
		{name: "functional", keys: []string{"3"}},
		{name: "triage", keys: []string{"t"}},
		{name: "stale_asset", keys: []string{"/"}, text: "db1", then: []string{"enter", "enter"}},
	}
	for _, c := range cases {
		for _, sz := range sizes {
			t.Run(fmt.Sprintf("%s_%dx%d", c.name, sz.w, sz.h), func(t *testing.T) {
				m := newTestRoot(t, estateSnapshot(), sz.w, sz.h, withView)
				press(m, c.keys...)
				typeText(m, c.text)
				press(m, c.then...)
				out := m.Render()
				checkFrame(t, out, sz.w, sz.h)
				golden.RequireEqual(t, out)
			})
		}
	}
}

// In the estate view r, m and M say they belong to the site's noctop and
// do nothing; a still opens the ack prompt (an Alertmanager silence).
func TestRemoteKeys(t *testing.T) {
	for k, want := range map[string]string{"r": "recheck: not from the estate view", "m": "maintenance: not from the estate view", "M": "maintenance: not from the estate view"} {
		m := newTestRoot(t, estateSnapshot(), 120, 40, withView)
		press(m, "1")
		if _, cmd := m.Update(keyMsg(k)); cmd != nil {
			t.Errorf("%s returned a command", k)
		}
		wantIn(t, m, want)
	}
	m := newTestRoot(t, estateSnapshot(), 200, 60, withView)
	press(m, "?")
	wantIn(t, m, "on the site's noctop: recheck now", "ack: an Alertmanager silence, 24 h")
	m = newTestRoot(t, estateSnapshot(), 120, 40, withView)
	press(m, "1", "a")
	wantIn(t, m, "ack")
	if !m.ack.open {
		t.Error("a did not open the ack prompt in the estate view")
	}
}
