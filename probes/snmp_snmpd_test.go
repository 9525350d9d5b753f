package probes

import (
	"fmt"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"noctop/model"
	"noctop/snmpdtest"
)

// snmpdTarget is an snmp check against a net-snmp agent on 127.0.0.1,
// watching only lo (the host's other interfaces are not the test's).
func snmpdTarget(d *snmpdtest.Agent, edit func(c *model.Check)) Target {
	cfg := &model.Config{Assets: []model.Asset{{Name: "snmpd", Address: "127.0.0.1",
		Checks: []model.Check{{Type: model.CheckSNMP, Port: d.Port, Interfaces: &model.InterfaceFilter{Include: "^lo$"}}}}}}
	if edit != nil {
		edit(&cfg.Assets[0].Checks[0])
	}
	cfg.ApplyDefaults()
	return Target{Asset: &cfg.Assets[0], Check: &cfg.Assets[0].Checks[0]}
}

func TestSNMPSnmpdV2c(t *testing.T) {
	d := snmpdtest.Start(t, snmpdConf)
	p := newSNMPChecks()
	defer p.Close()
	tg := snmpdTarget(d, func(c *model.Check) { c.HostResources = true })
	out := runSNMP(t, p, tg)
	wantStatus(t, out, model.StatusOK, "1 interface, 1 up", "rates from the next run", "mem ")
	if out.Attrs["sys_name"] != "noctop-snmpd" || out.Attrs["sys_location"] != "lab rack 1" ||
		out.Attrs["sys_contact"] != "noc@example.invalid" || out.Attrs["sys_object_id"] == "" || out.Attrs["snmp_version"] != "2c" {
		t.Errorf("attrs %v", out.Attrs)
	}
	if v, ok := out.Metrics["mem_pct"]; !ok || v <= 0 || v > 100 {
		t.Errorf("mem_pct %v (%v)", v, ok)
	}
	if it := iface(t, out, 1); it.Name != "lo" || it.OperStatus != "up" || !it.AdminUp {
		t.Errorf("lo: %+v", it)
	}
	time.Sleep(200 * time.Millisecond)
	out = runSNMP(t, p, tg)
	if it := iface(t, out, 1); it.InBps < 0 || it.InBps != it.InBps { // NaN fails
		t.Errorf("second run: lo in %v bit/s", it.InBps)
	}
	if _, ok := out.Metrics["in_bps_total"]; !ok {
		t.Errorf("second run has no in_bps_total: %v", out.Metrics)
	}
}

// Every SNMPv3 security level and every protocol name a check may have
// (model.SNMPAuthProtocols, SNMPPrivProtocols), including the AES key
// extensions of both kinds, against users net-snmp created with the same
// names.
func TestSNMPSnmpdV3(t *testing.T) {
	d := snmpdtest.Start(t, snmpdConf)
	p := newSNMPChecks()
	defer p.Close()
	users := []struct{ user, auth, priv string }{
		{"ops", model.SNMPAuthSHA, model.SNMPPrivAES},
		{"ops256", model.SNMPAuthSHA256, model.SNMPPrivAES256},
		{"ops256c", model.SNMPAuthSHA512, model.SNMPPrivAES256C},
		{"opsmd5", model.SNMPAuthMD5, model.SNMPPrivDES},
		{"ops224", model.SNMPAuthSHA224, model.SNMPPrivAES192},
		{"ops384", model.SNMPAuthSHA384, model.SNMPPrivAES192C},
		{"auth", model.SNMPAuthSHA, ""},
	}
	used := map[string]bool{}
	for _, u := range users {
		used[u.auth], used[u.priv] = true, true
		if !strings.Contains(snmpdConf, fmt.Sprintf("createUser %s %s ", u.user, u.auth)) {
			t.Errorf("snmpd has no user %s with %s", u.user, u.auth)
		}
	}
	for _, name := range append(model.SNMPAuthProtocols(), model.SNMPPrivProtocols()...) {
		if !used[name] {
			t.Errorf("no snmpd user has protocol %s", name)
		}
	}
	for _, u := range users {
		t.Run(u.user, func(t *testing.T) {
			tg := snmpdTarget(d, func(c *model.Check) {
				c.Version, c.User = "3", u.user
				c.AuthProtocol, c.AuthPassword = u.auth, model.NewSecret("authpass1")
				if u.priv != "" {
					c.PrivProtocol, c.PrivPassword = u.priv, model.NewSecret("privpass1")
				}
			})
			for range 2 { // the second run reuses the client, engine and keys
				out := runSNMP(t, p, tg)
				wantStatus(t, out, model.StatusOK, "1 interface, 1 up")
				if out.Attrs["sys_name"] != "noctop-snmpd" {
					t.Errorf("attrs %v", out.Attrs)
				}
			}
		})
	}
}

// What goes wrong with real agents: the reasons must say which it was.
func TestSNMPSnmpdFailures(t *testing.T) {
	d := snmpdtest.Start(t, snmpdConf)
	p := newSNMPChecks()
	t.Cleanup(func() { _ = p.Close() }) // after the parallel subtests
	v3 := func(user, auth, priv string) func(c *model.Check) {
		return func(c *model.Check) {
			c.Version, c.User = "3", user
			c.AuthProtocol, c.AuthPassword = "SHA", model.NewSecret(auth)
			c.PrivProtocol, c.PrivPassword = "AES", model.NewSecret(priv)
		}
	}
	for _, tc := range []struct {
		name  string
		edit  func(c *model.Check)
		s     model.Status
		parts []string
	}{
		{"wrong-community", func(c *model.Check) { c.Community = model.NewSecret("private") },
			model.StatusCritical, []string{"no response from " + d.Addr + " after 3 tries"}},
		{"wrong-auth-password", v3("ops", "wrongpass1", "privpass1"),
			model.StatusUnknown, []string{`authentication failure (wrong digest): check auth_password and auth_protocol of user "ops"`}},
		{"unknown-user", v3("nobody", "authpass1", "privpass1"),
			model.StatusUnknown, []string{`unknown user "nobody"`}},
		{"below-the-user-level", func(c *model.Check) {
			v3("ops", "authpass1", "x")(c)
			c.PrivProtocol, c.PrivPassword = "", model.Secret{}
		},
			model.StatusUnknown, []string{"access denied by the agent (AuthorizationError to GET)"}},
		{"wrong-priv-password", v3("ops", "authpass1", "wrongpriv1"),
			model.StatusUnknown, []string{d.Addr + " answered engine discovery but not the GET request after 3 tries: wrong priv_password or priv_protocol?"}},
		{"unknown-context", func(c *model.Check) { v3("ops", "authpass1", "privpass1")(c); c.SNMPContext = "vlan-20" },
			model.StatusUnknown, []string{`wrong priv_password or priv_protocol, or unknown context "vlan-20"?`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out := runWithin(t, p, snmpdTarget(d, func(c *model.Check) { c.Name = tc.name; tc.edit(c) }), time.Second)
			wantStatus(t, out, tc.s, tc.parts...)
		})
	}
}

// Nothing listening: the kernel's port unreachable ends every try at once.
func TestSNMPPortUnreachable(t *testing.T) {
	c, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := c.LocalAddr().(*net.UDPAddr).Port
	c.Close()
	p := newSNMPChecks()
	defer p.Close()
	cfg := &model.Config{Assets: []model.Asset{{Name: "none", Address: "127.0.0.1",
		Checks: []model.Check{{Type: model.CheckSNMP, Port: port}}}}}
	cfg.ApplyDefaults()
	out := runWithin(t, p, Target{Asset: &cfg.Assets[0], Check: &cfg.Assets[0].Checks[0]}, time.Second)
	wantStatus(t, out, model.StatusCritical, "no SNMP agent at 127.0.0.1:"+strconv.Itoa(port)+" (port unreachable) after 3 tries")
}

// A socket that reads and never answers holds no run past its deadline.
func TestSNMPSilentSocket(t *testing.T) {
	c, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	got := make(chan int, 1)
	go func() { // counts requests until the socket is closed
		n := 0
		buf := make([]byte, 2048)
		for {
			if _, _, err := c.ReadFrom(buf); err != nil {
				break
			}
			n++
		}
		got <- n
	}()
	p := newSNMPChecks()
	defer p.Close()
	two := 2
	cfg := &model.Config{Assets: []model.Asset{{Name: "silent", Address: "127.0.0.1",
		Checks: []model.Check{{Type: model.CheckSNMP, Port: c.LocalAddr().(*net.UDPAddr).Port, SNMPRetries: &two}}}}}
	cfg.ApplyDefaults()
	out := runWithin(t, p, Target{Asset: &cfg.Assets[0], Check: &cfg.Assets[0].Checks[0]}, 600*time.Millisecond)
	wantStatus(t, out, model.StatusCritical, "no response from "+c.LocalAddr().String()+" after 3 tries")
	c.Close()
	if n := <-got; n != 3 {
		t.Errorf("the silent agent got %d requests, want 3 (1 + snmp_retries)", n)
	}
}
