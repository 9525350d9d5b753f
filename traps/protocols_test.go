package traps_test

import (
	"strconv"
	"testing"

	"noctop/model"
	"noctop/traps"
)

// Every protocol name a trap user may have (model.SNMPAuthProtocols,
// SNMPPrivProtocols) receives real traps from net-snmp's snmptrap given
// the same name: the canonical names are net-snmp's spelling. A user set to
// AES-192 or AES-256 also takes the Reeder key extension (AES-*-C), and a
// user set to AES-256-C takes only that one.
func TestNetSNMPTrapsEveryProtocol(t *testing.T) {
	netSNMP(t, "snmptrap")
	auths, privs := model.SNMPAuthProtocols(), model.SNMPPrivProtocols()
	type send struct{ user, auth, priv string }
	var sends []send
	cfg := &model.Config{
		Assets: []model.Asset{{Name: "sw", Address: "127.0.0.6", Checks: []model.Check{{Type: model.CheckICMP}}}},
	}
	add := func(user, auth, priv string) {
		u := model.TrapUser{User: user, AuthProtocol: auth, AuthPassword: model.NewSecret("authpass1")}
		if priv != "" {
			u.PrivProtocol, u.PrivPassword = priv, model.NewSecret("privpass1")
		}
		cfg.Traps.Users = append(cfg.Traps.Users, u)
	}
	// Each auth protocol without privacy, and with each privacy protocol
	// in turn, so that every name of both lists is used.
	for i, a := range auths {
		add("n"+strconv.Itoa(i), a, "")
		sends = append(sends, send{"n" + strconv.Itoa(i), a, ""})
	}
	for i := range max(len(auths), len(privs)) {
		a, p := auths[i%len(auths)], privs[i%len(privs)]
		add("p"+strconv.Itoa(i), a, p)
		sends = append(sends, send{"p" + strconv.Itoa(i), a, p})
	}
	// SHA's 20-byte digest is extended to AES-256's key, so the two
	// extensions give different keys.
	add("blumenthal", model.SNMPAuthSHA, model.SNMPPrivAES256)
	sends = append(sends, send{"blumenthal", model.SNMPAuthSHA, model.SNMPPrivAES256C})
	add("reeder", model.SNMPAuthSHA, model.SNMPPrivAES256C)

	rg := startRig(t, cfg, traps.Options{})
	for i, s := range sends {
		t.Run(s.user+" "+s.auth+" "+s.priv, func(t *testing.T) {
			opts := []string{"-v", "3", "-u", s.user, "-l", "authNoPriv", "-a", s.auth, "-A", "authpass1"}
			if s.priv != "" {
				opts = v3(s.user, s.auth, "authpass1", s.priv, "privpass1")
			}
			idx := strconv.Itoa(100 + i)
			rg.mustSend("snmptrap", "127.0.0.6", opts, "", linkDown, ifIndex+idx, "i", idx)
			if ev := rg.waitEvent("linkDown ifIndex " + idx); ev.Asset != "sw" {
				t.Errorf("event asset %q", ev.Asset)
			}
		})
	}
	t.Run("AES-256-C user refuses AES-256", func(t *testing.T) {
		before := rg.r.Stats()
		rg.mustSend("snmptrap", "127.0.0.6", v3("reeder", model.SNMPAuthSHA, "authpass1", model.SNMPPrivAES256, "privpass1"),
			"", linkDown, ifIndex+"99", "i", "99")
		rg.waitEvent(`cannot decrypt v3 trap for user "reeder"`)
		if after := rg.r.Stats(); after.AuthFailed != before.AuthFailed+1 || after.Accepted != before.Accepted {
			t.Errorf("stats %+v -> %+v", before, after)
		}
	})
}
