package snmpagent

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gosnmp/gosnmp"
)

// fuzzUsers are the SNMPv3 users of the fuzzed device.
var fuzzUsers = []User{
	{Name: "ops", AuthProtocol: gosnmp.SHA, AuthPassword: "authpass1", PrivProtocol: gosnmp.AES, PrivPassword: "privpass1"},
	{Name: "legacy", AuthProtocol: gosnmp.MD5, AuthPassword: "authpass2", PrivProtocol: gosnmp.DES, PrivPassword: "privpass2"},
	{Name: "signer", AuthProtocol: gosnmp.SHA256, AuthPassword: "authpass3"},
}

// fuzzDevice is the device requests are fuzzed against: 4 interfaces and
// every profile MIB (UPS, printer with an alert, sensors, access point),
// up for an hour at a fixed time, so that the v3 seeds are in its time
// window.
func fuzzDevice(t testing.TB) *Device {
	d := testDevice(t, Options{Users: fuzzUsers, Spec: DeviceSpec{Interfaces: 4, BootedAgo: time.Hour,
		UPS: true, Printer: true, Sensors: true, AccessPoint: true}})
	if err := d.SetSupplyLevel(2, 3); err != nil { // one alert row of the layout's six
		t.Fatal(err)
	}
	return d
}

// FuzzSNMPAgentRequest feeds arbitrary datagrams to a device's request
// handler: it must not panic, and it either does not answer or answers
// with a message gosnmp decodes, of the request's version, to its request
// ID (v1/v2c) or with a Report or a Response a client could authenticate
// (v3). The misbehave modes that still answer validly rotate with the
// input's length.
func FuzzSNMPAgentRequest(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0x30, 0x03, 0x02, 0x01, 0x01})
	d := fuzzDevice(f)
	modes := []Misbehave{MisbehaveNone, MisbehaveWrongTypes, MisbehaveNoSuch, MisbehaveEndOfMIB, MisbehaveLoop,
		MisbehaveEcho, MisbehaveRepeat}
	sc := &scratch{}
	f.Fuzz(func(t *testing.T, data []byte) {
		d.SetMisbehave(modes[len(data)%len(modes)])
		resp := d.handle(append([]byte(nil), data...), sc)
		if resp != nil {
			checkAnswer(t, data, resp)
		}
	})
}

// checkAnswer fails t unless resp is a valid answer to req, and returns
// its PDU type.
func checkAnswer(t *testing.T, req, resp []byte) gosnmp.PDUType {
	t.Helper()
	r := berReader{b: resp}
	outer, err := r.enter(tagSequence)
	if err != nil || !r.done() {
		t.Fatalf("answer is not one BER SEQUENCE: % x", resp)
	}
	version, err := outer.readInt()
	if err != nil {
		t.Fatalf("answer has no version: % x", resp)
	}
	switch gosnmp.SnmpVersion(version) {
	case gosnmp.Version1, gosnmp.Version2c:
		g := &gosnmp.GoSNMP{Version: gosnmp.SnmpVersion(version)}
		p, err := g.SnmpDecodePacket(resp)
		if err != nil {
			t.Fatalf("answer does not decode: %v\n% x", err, resp)
		}
		q, err := g.SnmpDecodePacket(req)
		if err != nil {
			t.Fatalf("answered a request gosnmp cannot decode (%v): % x", err, req)
		}
		if p.PDUType != gosnmp.GetResponse || p.Community != "public" || p.Community != q.Community || p.RequestID != q.RequestID {
			t.Fatalf("answer %v community %q id %d to request %v community %q id %d",
				p.PDUType, p.Community, p.RequestID, q.PDUType, q.Community, q.RequestID)
		}
		if p.Error == gosnmp.NoError && q.PDUType != gosnmp.GetBulkRequest && len(p.Variables) != len(q.Variables) {
			t.Fatalf("%v of %d varbinds answered with %d", q.PDUType, len(q.Variables), len(p.Variables))
		}
		return p.PDUType
	case gosnmp.Version3:
		m, err := parseV3(append([]byte(nil), resp...))
		if err != nil {
			t.Fatalf("v3 answer does not parse: %v", err)
		}
		sp := &gosnmp.UsmSecurityParameters{UserName: "any"}
		if m.flags&gosnmp.AuthNoPriv != 0 {
			var u *User
			for i := range fuzzUsers {
				if fuzzUsers[i].Name == m.user {
					u = &fuzzUsers[i]
				}
			}
			if u == nil {
				t.Fatalf("authenticated answer for unknown user %q", m.user)
			}
			sp = &gosnmp.UsmSecurityParameters{UserName: u.Name, AuthenticationProtocol: u.AuthProtocol, AuthenticationPassphrase: u.AuthPassword,
				PrivacyProtocol: max(u.PrivProtocol, gosnmp.NoPriv), PrivacyPassphrase: u.PrivPassword, AuthoritativeEngineID: m.engineID}
			if err := sp.InitSecurityKeys(); err != nil {
				t.Fatal(err)
			}
		}
		g := &gosnmp.GoSNMP{Version: gosnmp.Version3, SecurityModel: gosnmp.UserSecurityModel, MsgFlags: m.flags & gosnmp.AuthPriv, SecurityParameters: sp}
		p, err := g.SnmpDecodePacket(append([]byte(nil), resp...))
		if err != nil {
			t.Fatalf("v3 answer does not decode: %v", err)
		}
		if p.PDUType != gosnmp.GetResponse && p.PDUType != gosnmp.Report {
			t.Fatalf("v3 answer is a %v", p.PDUType)
		}
		return p.PDUType
	}
	t.Fatalf("answer has version %d", version)
	return 0
}

// fuzzSeeds are the seed requests, by name; the name's first word says
// whether the device answers ("answer") or not ("drop").
func fuzzSeeds(t testing.TB, d *Device) map[string][]byte {
	t.Helper()
	v2 := func(version gosnmp.SnmpVersion, community string, pdu gosnmp.PDUType, nonRep uint8, maxRep uint32, oids ...string) []byte {
		g := &gosnmp.GoSNMP{Version: version, Community: community}
		var vbs []gosnmp.SnmpPDU
		for _, o := range oids {
			vbs = append(vbs, gosnmp.SnmpPDU{Name: o, Type: gosnmp.Null})
		}
		if pdu == gosnmp.SetRequest {
			vbs[0] = gosnmp.SnmpPDU{Name: oids[0], Type: gosnmp.OctetString, Value: "x"}
		}
		b, err := g.SnmpEncodePacket(pdu, vbs, nonRep, maxRep)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	boots, etime := d.engineClock()
	v3 := func(level gosnmp.SnmpV3MsgFlags, u User, engineID string, pdu gosnmp.PDUType, oids ...string) []byte {
		sp := &gosnmp.UsmSecurityParameters{UserName: u.Name, AuthenticationProtocol: max(u.AuthProtocol, gosnmp.NoAuth), AuthenticationPassphrase: u.AuthPassword,
			PrivacyProtocol: max(u.PrivProtocol, gosnmp.NoPriv), PrivacyPassphrase: u.PrivPassword,
			AuthoritativeEngineID: engineID, AuthoritativeEngineBoots: boots, AuthoritativeEngineTime: etime}
		if err := sp.InitSecurityKeys(); err != nil {
			t.Fatal(err)
		}
		g := &gosnmp.GoSNMP{Version: gosnmp.Version3, SecurityModel: gosnmp.UserSecurityModel, MsgFlags: level, SecurityParameters: sp, ContextEngineID: engineID}
		var vbs []gosnmp.SnmpPDU
		for _, o := range oids {
			vbs = append(vbs, gosnmp.SnmpPDU{Name: o, Type: gosnmp.Null})
		}
		b, err := g.SnmpEncodePacket(pdu, vbs, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	discovery, err := (&gosnmp.SnmpPacket{Version: gosnmp.Version3, MsgFlags: gosnmp.Reportable, SecurityModel: gosnmp.UserSecurityModel,
		SecurityParameters: &gosnmp.UsmSecurityParameters{}, PDUType: gosnmp.GetRequest, MsgID: 7, RequestID: 8}).MarshalMsg()
	if err != nil {
		t.Fatal(err)
	}
	eng := d.usm.engineID
	ifCols := []string{OIDIfEntry + ".2", OIDIfEntry + ".10", OIDIfXEntry + ".6", OIDIfXEntry + ".18"}
	return map[string][]byte{
		"answer-v2c-get":              v2(gosnmp.Version2c, "public", gosnmp.GetRequest, 0, 0, OIDSysName, OIDSysUpTime, ".1.3.6.1.9.9"),
		"answer-v2c-getnext":          v2(gosnmp.Version2c, "public", gosnmp.GetNextRequest, 0, 0, OIDIfEntry, OIDHrProcessorLoad),
		"answer-v2c-getbulk":          v2(gosnmp.Version2c, "public", gosnmp.GetBulkRequest, 1, 5, append([]string{".1.3.6.1.2.1.1.3"}, ifCols...)...),
		"answer-v2c-getbulk-huge":     v2(gosnmp.Version2c, "public", gosnmp.GetBulkRequest, 0, 1<<30, ".1.3"),
		"answer-v2c-set":              v2(gosnmp.Version2c, "public", gosnmp.SetRequest, 0, 0, OIDSysName),
		"answer-v1-get":               v2(gosnmp.Version1, "public", gosnmp.GetRequest, 0, 0, OIDSysName, OIDIfXEntry+".6.1"),
		"answer-v1-getnext":           v2(gosnmp.Version1, "public", gosnmp.GetNextRequest, 0, 0, OIDIfXEntry+".1.4"),
		"answer-v2c-getbulk-profiles": v2(gosnmp.Version2c, "public", gosnmp.GetBulkRequest, 1, 20, OIDUPSOutputSource, OIDUPSMIB, OIDPrtAlertEntry, OIDEntPhySensorEntry, OIDLabAPEntry, OIDDot11StationConfigEntry),
		"answer-v1-get-profiles":      v2(gosnmp.Version1, "public", gosnmp.GetRequest, 0, 0, OIDUPSChargeRemaining, OIDPrtAlertEntry+".8.1.1", OIDHrPrinterStatus),
		"drop-v1-getbulk":             v2(gosnmp.Version1, "public", gosnmp.GetBulkRequest, 0, 5, OIDIfEntry),
		"drop-v2c-wrong-community":    v2(gosnmp.Version2c, "private", gosnmp.GetRequest, 0, 0, OIDSysName),
		"drop-v2c-response":           v2(gosnmp.Version2c, "public", gosnmp.GetResponse, 0, 0, OIDSysName),
		"answer-v3-discovery":         discovery,
		"answer-v3-authpriv-sha-aes":  v3(gosnmp.AuthPriv, fuzzUsers[0], eng, gosnmp.GetRequest, OIDSysName, OIDIfXEntry+".6.1"),
		"answer-v3-authpriv-md5-des":  v3(gosnmp.AuthPriv, fuzzUsers[1], eng, gosnmp.GetBulkRequest, ifCols...),
		"answer-v3-authnopriv-sha256": v3(gosnmp.AuthNoPriv, fuzzUsers[2], eng, gosnmp.GetNextRequest, OIDIfEntry),
		"answer-v3-wrong-password":    v3(gosnmp.AuthNoPriv, User{Name: "ops", AuthProtocol: gosnmp.SHA, AuthPassword: "wrongpass"}, eng, gosnmp.GetRequest, OIDSysName),
		"answer-v3-unknown-user":      v3(gosnmp.AuthNoPriv, User{Name: "nobody", AuthProtocol: gosnmp.SHA, AuthPassword: "authpass1"}, eng, gosnmp.GetRequest, OIDSysName),
		"answer-v3-unknown-engine":    v3(gosnmp.AuthNoPriv, fuzzUsers[0], "\x80\x00\x1f\x88\x04other", gosnmp.GetRequest, OIDSysName),
		"answer-v3-unsupported-level": v3(gosnmp.AuthPriv, User{Name: "signer", AuthProtocol: gosnmp.SHA256, AuthPassword: "authpass3", PrivProtocol: gosnmp.AES, PrivPassword: "privpass3"}, eng, gosnmp.GetRequest, OIDSysName),
		"drop-v3-wrong-privacy":       v3(gosnmp.AuthPriv, User{Name: "ops", AuthProtocol: gosnmp.SHA, AuthPassword: "authpass1", PrivProtocol: gosnmp.AES, PrivPassword: "wrongpriv"}, eng, gosnmp.GetRequest, OIDSysName),
		"drop-garbage":                []byte("\xa5GET / HTTP/1.0\r\n\r\n"),
		"drop-truncated":              v2(gosnmp.Version2c, "public", gosnmp.GetRequest, 0, 0, OIDSysName)[:20],
		"drop-version-9":              {0x30, 0x03, 0x02, 0x01, 0x09},
	}
}

// TestFuzzSeeds checks the seed corpus in testdata/fuzz against fresh
// seeds and the device: each is answered (validly) or dropped as its name
// says. NOCTOP_WRITE_FUZZ_SEEDS=1 rewrites the corpus.
func TestFuzzSeeds(t *testing.T) {
	d := fuzzDevice(t)
	seeds := fuzzSeeds(t, d)
	dir := filepath.Join("testdata", "fuzz", "FuzzSNMPAgentRequest")
	if os.Getenv("NOCTOP_WRITE_FUZZ_SEEDS") == "1" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, b := range seeds {
			if err := os.WriteFile(filepath.Join(dir, name), fmt.Appendf(nil, "go test fuzz v1\n[]byte(%s)\n", strconv.Quote(string(b))), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	files, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("seed corpus: %v (NOCTOP_WRITE_FUZZ_SEEDS=1 writes it)", err)
	}
	if len(files) != len(seeds) {
		t.Errorf("%d corpus files, %d seeds: NOCTOP_WRITE_FUZZ_SEEDS=1 rewrites the corpus", len(files), len(seeds))
	}
	sc := &scratch{}
	for _, f := range files {
		raw, err := os.ReadFile(filepath.Join(dir, f.Name()))
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.SplitN(string(raw), "\n", 3)
		if len(lines) < 2 || lines[0] != "go test fuzz v1" || !strings.HasPrefix(lines[1], "[]byte(") {
			t.Fatalf("%s: not a fuzz corpus file", f.Name())
		}
		s, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(lines[1], "[]byte("), ")"))
		if err != nil {
			t.Fatalf("%s: %v", f.Name(), err)
		}
		req := []byte(s)
		resp := d.handle(append([]byte(nil), req...), sc)
		switch {
		case strings.HasPrefix(f.Name(), "answer-") && resp == nil:
			t.Errorf("%s: no answer", f.Name())
		case strings.HasPrefix(f.Name(), "drop-") && resp != nil:
			t.Errorf("%s: answered % x", f.Name(), resp)
		case resp != nil:
			// v3 seeds with the right credentials get a Response, the others
			// a Report.
			want := gosnmp.GetResponse
			for _, r := range []string{"discovery", "wrong", "unknown", "unsupported"} {
				if strings.Contains(f.Name(), "-v3-"+r) {
					want = gosnmp.Report
				}
			}
			if got := checkAnswer(t, req, resp); got != want {
				t.Errorf("%s: answered with a %v, want %v", f.Name(), got, want)
			}
		}
	}
}
