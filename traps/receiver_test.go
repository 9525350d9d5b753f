package traps_test

import (
	"testing"

	"noctop/model"
	"noctop/traps"
)

// OIDs the tests send (numeric: the tools run without MIBs).
const (
	linkDown    = "1.3.6.1.6.3.1.1.5.3"
	linkUp      = "1.3.6.1.6.3.1.1.5.4"
	coldStart   = "1.3.6.1.6.3.1.1.5.1"
	ifIndex     = "1.3.6.1.2.1.2.2.1.1."
	ifDescr     = "1.3.6.1.2.1.2.2.1.2."
	ifOperState = "1.3.6.1.2.1.2.2.1.8."
	ifName      = "1.3.6.1.2.1.31.1.1.1.1."
)

var v2c = []string{"-v", "2c", "-c", "public"}

func v3(user, auth, authPass, priv, privPass string) []string {
	return []string{"-v", "3", "-u", user, "-l", "authPriv", "-a", auth, "-A", authPass, "-x", priv, "-X", privPass}
}

func trapConfig() *model.Config {
	icmp := model.Check{Type: model.CheckICMP}
	tcp := model.Check{Type: model.CheckTCP, Port: 22}
	return &model.Config{
		Assets: []model.Asset{
			// An application on the switch's address: the trap goes to
			// the technical asset.
			{Name: "mgmt-app", Layer: model.LayerApplication, Address: "127.0.0.5", Checks: []model.Check{tcp}},
			{Name: "core-sw1", Address: "127.0.0.5", Checks: []model.Check{icmp, tcp}},
			{Name: "gw1", Address: "127.0.0.6", Checks: []model.Check{icmp}},
			{Name: "srv1", Address: "127.0.0.7", Checks: []model.Check{icmp}},
			{Name: "fw1", Address: "127.0.0.11", Checks: []model.Check{icmp}},
			{Name: "named", Address: "fw1.example.test", Checks: []model.Check{icmp}},
		},
		Traps: model.Traps{
			Communities: []model.Secret{model.NewSecret("public"), model.NewSecret("second")},
			Users: []model.TrapUser{
				{User: "ops", AuthProtocol: "SHA", AuthPassword: model.NewSecret("authpass1"),
					PrivProtocol: "AES", PrivPassword: model.NewSecret("privpass1")},
				// SHA-224's 28-byte digest is extended to AES-256's 32-byte
				// key, the way net-snmp does (Blumenthal).
				{User: "ops224", AuthProtocol: "SHA-224", AuthPassword: model.NewSecret("authpass2"),
					PrivProtocol: "AES-256", PrivPassword: model.NewSecret("privpass2")},
				{User: "audit", AuthProtocol: "MD5", AuthPassword: model.NewSecret("authpass3")},
			},
		},
	}
}

// Real traps from net-snmp's snmptrap and snmpinform, each from its own
// loopback source address.
func TestNetSNMPTraps(t *testing.T) {
	netSNMP(t, "snmptrap")
	rg := startRig(t, trapConfig(), traps.Options{})

	t.Run("v2c linkDown from a known asset rechecks it", func(t *testing.T) {
		rg.mustSend("snmptrap", "127.0.0.5", v2c, "", linkDown,
			ifIndex+"3", "i", "3", ifOperState+"3", "i", "2", ifName+"3", "s", "Gi0/3")
		ev := rg.waitEvent("linkDown")
		if ev.Asset != "core-sw1" || ev.Summary != "linkDown ifIndex 3 (Gi0/3)" {
			t.Errorf("event asset %q summary %q", ev.Asset, ev.Summary)
		}
		for _, c := range []string{"icmp", "tcp"} {
			if n := rg.rechecked("core-sw1", c); n != 1 {
				t.Errorf("core-sw1/%s rechecked %d times, want 1", c, n)
			}
		}
		if n := rg.rechecked("mgmt-app", "tcp"); n != 0 {
			t.Errorf("mgmt-app rechecked %d times", n)
		}
	})

	t.Run("v2c coldStart", func(t *testing.T) {
		rg.mustSend("snmptrap", "127.0.0.7", []string{"-v", "2c", "-c", "second"}, "", coldStart)
		if ev := rg.waitEvent("coldStart"); ev.Asset != "srv1" || ev.Summary != "coldStart" {
			t.Errorf("event asset %q summary %q", ev.Asset, ev.Summary)
		}
	})

	t.Run("v2c inform is answered", func(t *testing.T) {
		before := rg.r.Stats().Informs
		// snmpinform exits 0 only when the response came back.
		rg.mustSend("snmpinform", "127.0.0.7", v2c, "", linkUp, ifIndex+"2", "i", "2", ifDescr+"2", "s", "eth1")
		if ev := rg.waitEvent("linkUp"); ev.Asset != "srv1" || ev.Summary != "linkUp ifIndex 2 (eth1)" {
			t.Errorf("event asset %q summary %q", ev.Asset, ev.Summary)
		}
		if got := rg.r.Stats().Informs; got != before+1 {
			t.Errorf("informs answered %d, want %d", got, before+1)
		}
	})

	t.Run("v3 authPriv SHA/AES", func(t *testing.T) {
		rg.mustSend("snmptrap", "127.0.0.6", v3("ops", "SHA", "authpass1", "AES", "privpass1"), "", linkDown, ifIndex+"7", "i", "7")
		if ev := rg.waitEvent("linkDown ifIndex 7"); ev.Asset != "gw1" {
			t.Errorf("event asset %q", ev.Asset)
		}
		if n := rg.rechecked("gw1", "icmp"); n != 1 {
			t.Errorf("gw1 rechecked %d times", n)
		}
	})

	t.Run("v3 authPriv SHA-224/AES-256", func(t *testing.T) {
		rg.mustSend("snmptrap", "127.0.0.6", v3("ops224", "SHA-224", "authpass2", "AES-256", "privpass2"), "", linkUp, ifIndex+"7", "i", "7")
		rg.waitEvent("linkUp ifIndex 7")
	})

	t.Run("v3 authNoPriv MD5", func(t *testing.T) {
		rg.mustSend("snmptrap", "127.0.0.6", []string{"-v", "3", "-u", "audit", "-l", "authNoPriv", "-a", "MD5", "-A", "authpass3"}, "", coldStart)
		rg.waitEvent("coldStart")
	})

	t.Run("unknown source", func(t *testing.T) {
		before := rg.r.Stats().Unknown
		rg.mustSend("snmptrap", "127.0.0.9", v2c, "", linkDown, ifIndex+"3", "i", "3")
		ev := rg.waitEvent("unknown source")
		if ev.Asset != "" || ev.Summary != "trap from unknown source 127.0.0.9: linkDown ifIndex 3" {
			t.Errorf("event asset %q summary %q", ev.Asset, ev.Summary)
		}
		if got := rg.r.Stats().Unknown; got != before+1 {
			t.Errorf("unknown %d, want %d", got, before+1)
		}
	})

	t.Run("v1 trap matched by agent-addr", func(t *testing.T) {
		// A relay on 127.0.0.12 forwards gw1's trap: agent-addr names gw1.
		rg.mustSend("snmptrap", "127.0.0.12", []string{"-v", "1", "-c", "public"},
			"1.3.6.1.4.1.8072.3.2.10", "127.0.0.6", "2", "0", "", ifIndex+"4", "i", "4")
		ev := rg.waitEvent("linkDown ifIndex 4")
		if ev.Asset != "gw1" || ev.Summary != "linkDown ifIndex 4 (agent-addr 127.0.0.6, sent by 127.0.0.12)" {
			t.Errorf("event asset %q summary %q", ev.Asset, ev.Summary)
		}
	})

	t.Run("enterprise trap: OID and three varbinds", func(t *testing.T) {
		rg.mustSend("snmptrap", "127.0.0.7", v2c, "", "1.3.6.1.4.1.8072.2.3.0.1",
			"1.3.6.1.4.1.8072.2.3.2.1", "i", "42", "1.3.6.1.4.1.8072.2.3.2.2", "s", "disk full",
			"1.3.6.1.4.1.8072.2.3.2.3", "o", "1.3.6.1.4.1.8072", "1.3.6.1.4.1.8072.2.3.2.4", "x", "00ff")
		ev := rg.waitEvent("trap 1.3.6.1.4.1.8072.2.3.0.1")
		want := `trap 1.3.6.1.4.1.8072.2.3.0.1: 1.3.6.1.4.1.8072.2.3.2.1=42, 1.3.6.1.4.1.8072.2.3.2.2="disk full", 1.3.6.1.4.1.8072.2.3.2.3=1.3.6.1.4.1.8072 (+1 more)`
		if ev.Asset != "srv1" || ev.Summary != want {
			t.Errorf("event asset %q summary\n%q, want\n%q", ev.Asset, ev.Summary, want)
		}
	})

	// Rejected traps: counted at once, reported within SummaryEvery, at
	// most once per source per ReportEvery.
	rejected := []struct {
		name, from string
		opts       []string
		want       string
	}{
		{"wrong community", "127.0.0.10", []string{"-v", "2c", "-c", "private"}, "dropped a trap from 127.0.0.10: wrong community"},
		{"v3 wrong auth password", "127.0.0.11", v3("ops", "SHA", "wrongpass1", "AES", "privpass1"),
			`dropped a trap from 127.0.0.11: wrong auth password or protocol for v3 user "ops"`},
		{"v3 wrong priv password", "127.0.0.13", v3("ops", "SHA", "authpass1", "AES", "wrongpriv1"),
			`dropped a trap from 127.0.0.13: cannot decrypt v3 trap for user "ops"`},
		{"v3 unknown user", "127.0.0.14", v3("mallory", "SHA", "authpass1", "AES", "privpass1"),
			`dropped a trap from 127.0.0.14: unknown v3 user "mallory"`},
		{"v3 without priv for a priv user", "127.0.0.15", []string{"-v", "3", "-u", "ops", "-l", "authNoPriv", "-a", "SHA", "-A", "authpass1"},
			`dropped a trap from 127.0.0.15: unencrypted v3 trap for user "ops", which requires priv_protocol`},
	}
	for _, tt := range rejected {
		t.Run(tt.name, func(t *testing.T) {
			before := rg.r.Stats()
			rg.mustSend("snmptrap", tt.from, tt.opts, "", linkDown, ifIndex+"1", "i", "1")
			ev := rg.waitEvent(tt.want)
			if tt.from == "127.0.0.11" && ev.Asset != "fw1" {
				t.Errorf("report asset %q, want fw1", ev.Asset)
			}
			after := rg.r.Stats()
			if after.AuthFailed != before.AuthFailed+1 || after.Accepted != before.Accepted {
				t.Errorf("auth failures %d -> %d, accepted %d -> %d", before.AuthFailed, after.AuthFailed, before.Accepted, after.Accepted)
			}
		})
	}

	t.Run("rejections from one source are reported once per period", func(t *testing.T) {
		for range 3 {
			rg.mustSend("snmptrap", "127.0.0.10", []string{"-v", "2c", "-c", "private"}, "", coldStart)
		}
		// The first report went out less than ReportEvery (1s) ago: these
		// three are summed into the next one.
		ev := rg.waitEvent("from 127.0.0.10")
		if ev.Summary[:len("dropped 3 traps from 127.0.0.10 in the last")] != "dropped 3 traps from 127.0.0.10 in the last" ||
			ev.Summary[len(ev.Summary)-len(": wrong community (3)"):] != ": wrong community (3)" {
			t.Errorf("summary %q", ev.Summary)
		}
	})

	s := rg.r.Stats()
	if s.Received != s.Accepted+s.AuthFailed+s.Malformed+s.RateLimited || s.EngineBusy != 0 || s.RateLimited != 0 {
		t.Errorf("stats do not add up: %+v", s)
	}
}
