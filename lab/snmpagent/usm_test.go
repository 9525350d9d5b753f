package snmpagent_test

import (
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gosnmp/gosnmp"

	"noctop/lab/snmpagent"
)

// recorder keeps every datagram a gosnmp client reads, so that a test can
// look at the Reports gosnmp drops (DESIGN.md: wrap the conn after Connect).
type recorder struct {
	net.Conn
	mu  sync.Mutex
	got [][]byte
}

func (r *recorder) Read(b []byte) (int, error) {
	n, err := r.Conn.Read(b)
	if n > 0 {
		r.mu.Lock()
		r.got = append(r.got, append([]byte(nil), b[:n]...))
		r.mu.Unlock()
	}
	return n, err
}

func record(g *gosnmp.GoSNMP) *recorder {
	r := &recorder{Conn: g.Conn}
	g.Conn = r
	return r
}

// reports decodes the recorded Reports (unauthenticated ones, or
// authenticated with sp) and returns their OIDs and engine IDs.
func (r *recorder) reports(sp *gosnmp.UsmSecurityParameters) (oids, engines []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, b := range r.got {
		for _, dec := range []*gosnmp.GoSNMP{
			{Version: gosnmp.Version3, SecurityModel: gosnmp.UserSecurityModel, MsgFlags: gosnmp.NoAuthNoPriv,
				SecurityParameters: &gosnmp.UsmSecurityParameters{UserName: "any"}},
			{Version: gosnmp.Version3, SecurityModel: gosnmp.UserSecurityModel, MsgFlags: gosnmp.AuthNoPriv, SecurityParameters: sp},
		} {
			if dec.SecurityParameters == (*gosnmp.UsmSecurityParameters)(nil) {
				continue
			}
			p, err := dec.SnmpDecodePacket(append([]byte(nil), b...))
			if err == nil && p.PDUType == gosnmp.Report && len(p.Variables) == 1 {
				oids = append(oids, p.Variables[0].Name)
				engines = append(engines, p.SecurityParameters.(*gosnmp.UsmSecurityParameters).AuthoritativeEngineID)
				break
			}
		}
	}
	return oids, engines
}

func usm(user string, auth gosnmp.SnmpV3AuthProtocol, authPass string, priv gosnmp.SnmpV3PrivProtocol, privPass string) *gosnmp.UsmSecurityParameters {
	return &gosnmp.UsmSecurityParameters{
		UserName: user, AuthenticationProtocol: auth, AuthenticationPassphrase: authPass,
		PrivacyProtocol: priv, PrivacyPassphrase: privPass,
	}
}

func TestSNMPv3Levels(t *testing.T) {
	a := startSNMP(t, snmpagent.Options{Devices: 2, Users: testUsers, Spec: snmpagent.DeviceSpec{Interfaces: 48}})
	d := a.Devices()[1]
	for _, c := range []struct {
		name  string
		level gosnmp.SnmpV3MsgFlags
		sp    *gosnmp.UsmSecurityParameters
	}{
		{"authPriv SHA AES", gosnmp.AuthPriv, usm("ops", gosnmp.SHA, "authpass1", gosnmp.AES, "privpass1")},
		{"authPriv MD5 DES", gosnmp.AuthPriv, usm("legacy", gosnmp.MD5, "authpass2", gosnmp.DES, "privpass2")},
		{"authPriv SHA-512 AES-256 (Blumenthal)", gosnmp.AuthPriv, usm("strong", gosnmp.SHA512, "authpass4", gosnmp.AES256, "privpass4")},
		{"authPriv SHA AES-256-C (Reeder)", gosnmp.AuthPriv, usm("cisco", gosnmp.SHA, "authpass5", gosnmp.AES256C, "privpass5")},
		{"authNoPriv SHA-256", gosnmp.AuthNoPriv, usm("signer", gosnmp.SHA256, "authpass3", gosnmp.NoPriv, "")},
		{"noAuthNoPriv", gosnmp.NoAuthNoPriv, usm("public-user", gosnmp.NoAuth, "", gosnmp.NoPriv, "")},
	} {
		t.Run(c.name, func(t *testing.T) {
			g := v3(t, d, c.level, c.sp)
			rec := record(g)
			if s := str(getOne(t, g, snmpagent.OIDSysName)); s != "lab-sw-002" {
				t.Errorf("sysName = %q", s)
			}
			// Discovery went through a usmStatsUnknownEngineIDs Report
			// carrying the device's engine ID.
			oids, engines := rec.reports(nil)
			if len(oids) != 1 || oids[0] != snmpagent.OIDUsmStatsUnknownEngineIDs || engines[0] != string(d.EngineID()) {
				t.Errorf("discovery Reports %v engines %q, want one %s with %q", oids, engines, snmpagent.OIDUsmStatsUnknownEngineIDs, d.EngineID())
			}
			r, err := g.GetBulk(ifColumns, 0, 48)
			if err != nil {
				t.Fatalf("GETBULK: %v", err)
			}
			if len(r.Variables) != 48*len(ifColumns) {
				t.Errorf("GETBULK: %d varbinds, want %d", len(r.Variables), 48*len(ifColumns))
			}
		})
	}
	if a.Devices()[0].EngineID() == nil || string(a.Devices()[0].EngineID()) == string(d.EngineID()) {
		t.Error("two devices share an engine ID")
	}
}

func TestSNMPv3Refusals(t *testing.T) {
	a := startSNMP(t, snmpagent.Options{Users: testUsers})
	d := a.Devices()[0]
	for _, c := range []struct {
		name   string
		level  gosnmp.SnmpV3MsgFlags
		sp     *gosnmp.UsmSecurityParameters
		report string // the Report the device sends after discovery
		errIs  error  // what gosnmp returns, when it says more than "not authentic"
	}{
		{"wrong auth password", gosnmp.AuthPriv, usm("ops", gosnmp.SHA, "wrongpass", gosnmp.AES, "privpass1"), snmpagent.OIDUsmStatsWrongDigests, nil},
		{"wrong auth protocol", gosnmp.AuthNoPriv, usm("ops", gosnmp.MD5, "authpass1", gosnmp.NoPriv, ""), snmpagent.OIDUsmStatsWrongDigests, nil},
		{"unknown user, authPriv", gosnmp.AuthPriv, usm("nobody", gosnmp.SHA, "authpass1", gosnmp.AES, "privpass1"), snmpagent.OIDUsmStatsUnknownUserNames, nil},
		{"unknown user, noAuthNoPriv", gosnmp.NoAuthNoPriv, usm("nobody", gosnmp.NoAuth, "", gosnmp.NoPriv, ""), snmpagent.OIDUsmStatsUnknownUserNames, gosnmp.ErrUnknownUsername},
		{"level above the user's", gosnmp.AuthPriv, usm("signer", gosnmp.SHA256, "authpass3", gosnmp.AES, "privpass3"), snmpagent.OIDUsmStatsUnsupportedSecLevels, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			g := v3(t, d, c.level, c.sp, quick)
			rec := record(g)
			_, err := g.Get([]string{snmpagent.OIDSysName})
			if err == nil {
				t.Fatal("GET succeeded")
			}
			if c.errIs != nil && !errors.Is(err, c.errIs) {
				t.Errorf("GET: %v, want %v", err, c.errIs)
			}
			oids, _ := rec.reports(nil)
			if len(oids) < 2 || oids[0] != snmpagent.OIDUsmStatsUnknownEngineIDs || oids[len(oids)-1] != c.report {
				t.Errorf("Reports %v, want discovery then %s", oids, c.report)
			}
		})
	}
	// Below the user's level: a Response with authorizationError, as
	// net-snmp answers for "rouser ops priv".
	for _, c := range []struct {
		level gosnmp.SnmpV3MsgFlags
		sp    *gosnmp.UsmSecurityParameters
	}{
		{gosnmp.AuthNoPriv, usm("ops", gosnmp.SHA, "authpass1", gosnmp.NoPriv, "")},
		{gosnmp.NoAuthNoPriv, usm("ops", gosnmp.NoAuth, "", gosnmp.NoPriv, "")},
		{gosnmp.NoAuthNoPriv, usm("signer", gosnmp.NoAuth, "", gosnmp.NoPriv, "")},
	} {
		r, err := v3(t, d, c.level, c.sp).Get([]string{snmpagent.OIDSysName, snmpagent.OIDSysUpTime})
		if err != nil {
			t.Fatalf("%s at %v: %v", c.sp.UserName, c.level, err)
		}
		if r.Error != gosnmp.AuthorizationError || r.ErrorIndex != 0 || len(r.Variables) != 2 || r.Variables[0].Type != gosnmp.Null {
			t.Errorf("%s at %v: error %v index %d, %d varbinds, want authorizationError with the request echoed",
				c.sp.UserName, c.level, r.Error, r.ErrorIndex, len(r.Variables))
		}
	}
	// A wrong privacy password decrypts to garbage: no answer, as net-snmp.
	before := d.Dropped()
	_, err := v3(t, d, gosnmp.AuthPriv, usm("ops", gosnmp.SHA, "authpass1", gosnmp.AES, "wrongpriv"), quick).Get([]string{snmpagent.OIDSysName})
	if err == nil || !strings.Contains(err.Error(), "timeout") {
		t.Errorf("wrong privacy password: %v, want a timeout", err)
	}
	if d.Dropped() == before {
		t.Error("wrong privacy password: nothing counted as dropped")
	}
}

func TestSNMPv3TimeWindowAndReboot(t *testing.T) {
	clk := newFakeClock()
	a := startSNMP(t, snmpagent.Options{Users: testUsers, Clock: clk.Now, Spec: snmpagent.DeviceSpec{BootedAgo: time.Hour}})
	d := a.Devices()[0]
	sp := usm("ops", gosnmp.SHA, "authpass1", gosnmp.AES, "privpass1")
	g := v3(t, d, gosnmp.AuthPriv, sp)
	rec := record(g)
	if up := num(t, getOne(t, g, snmpagent.OIDSysUpTime)); up != 360000 {
		t.Fatalf("sysUpTime = %d", up)
	}
	// Ten minutes later the client's engine time is out of the 150 s
	// window: the device says so in an authenticated Report, the client
	// resynchronises and the request goes through.
	clk.Add(10 * time.Minute)
	if up := num(t, getOne(t, g, snmpagent.OIDSysUpTime)); up != 420000 {
		t.Errorf("sysUpTime after 10 min = %d", up)
	}
	// A reboot raises snmpEngineBoots: the same again.
	d.Reboot()
	clk.Add(5 * time.Second)
	if up := num(t, getOne(t, g, snmpagent.OIDSysUpTime)); up != 500 {
		t.Errorf("sysUpTime 5 s after reboot = %d", up)
	}
	authSP := usm("ops", gosnmp.SHA, "authpass1", gosnmp.NoPriv, "")
	authSP.AuthoritativeEngineID = string(d.EngineID())
	if err := authSP.InitSecurityKeys(); err != nil {
		t.Fatal(err)
	}
	oids, _ := rec.reports(authSP)
	want := []string{snmpagent.OIDUsmStatsUnknownEngineIDs, snmpagent.OIDUsmStatsNotInTimeWindows, snmpagent.OIDUsmStatsNotInTimeWindows}
	if strings.Join(oids, " ") != strings.Join(want, " ") {
		t.Errorf("Reports %v, want %v", oids, want)
	}
}
