package probes

import (
	"context"
	"fmt"
	"math"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gosnmp/gosnmp"

	"noctop/lab/snmpagent"
	"noctop/model"
	"noctop/snmpdtest"
)

// The fuzz targets cover the decode paths the probe owns: a datagram the
// agent sent, decoded, then turned into the system group, the interface
// table with rates, host resources and custom OIDs; and the USM Report
// decoding gosnmp does not do. Seeds under testdata/fuzz are real
// datagrams from the lab agent and net-snmp (TestSNMPWriteFuzzSeeds).
//
//	go test ./probes -run '^$' -fuzz FuzzSNMPResponse -fuzztime 60s
//	go test ./probes -run '^$' -fuzz FuzzSNMPReport -fuzztime 60s

// FuzzSNMPReport: decoding any datagram as a v3 Report never panics, and a
// decoded OID is dotted.
func FuzzSNMPReport(f *testing.F) {
	f.Add([]byte{0x30, 0x03, 0x02, 0x01, 0x03})
	f.Fuzz(func(t *testing.T, b []byte) {
		oid, err := decodeReport(b)
		if err == nil && !strings.HasPrefix(oid, ".") {
			t.Fatalf("decoded OID %q has no leading dot", oid)
		}
		reportReason(oid, "ops")
		if s := lastDatagram(b, true); s == "" {
			t.Fatal("empty description")
		}
	})
}

// FuzzSNMPResponse: any datagram that decodes as a v2c response goes
// through everything the probe does with an answer without panicking, and
// the results keep their invariants (rates NaN or >= 0, a status and
// reason for every interface that is not OK).
func FuzzSNMPResponse(f *testing.F) {
	f.Add([]byte{0x30, 0x03, 0x02, 0x01, 0x01})
	f.Fuzz(func(t *testing.T, b []byte) {
		pkt, err := decodeResponse(b)
		if err != nil {
			return
		}
		checkAnswer(t, pkt.Variables)
	})
}

// decodeResponse decodes b as gosnmp's client would a v2c answer.
func decodeResponse(b []byte) (pkt *gosnmp.SnmpPacket, err error) {
	defer func() {
		if v := recover(); v != nil {
			pkt, err = nil, fmt.Errorf("gosnmp panicked: %v", v)
		}
	}()
	g := &gosnmp.GoSNMP{Version: gosnmp.Version2c, Community: "public"}
	return g.SnmpDecodePacket(b)
}

// checkAnswer feeds varbinds to every consumer: as a GET answer (system
// group, custom OIDs) and as a GETBULK answer to the full column plan
// (interfaces, host resources), twice, so the second pass has rates.
func checkAnswer(t *testing.T, vbs []gosnmp.SnmpPDU) {
	vals := map[string]gosnmp.SnmpPDU{}
	var defs []customOID
	for i, v := range vbs {
		vals[dotted(v.Name)] = v
		if validOIDForTest(v.Name) && len(defs) < 8 {
			w, c := 10.0, 20.0
			defs = append(defs, newCustomOID(model.OIDCheck{Name: fmt.Sprintf("o%d", i), OID: v.Name, Warn: &w, Crit: &c,
				Rate: i%2 == 1, Below: i%3 == 0}))
		}
	}
	sys := parseSystem(vals)
	sysAttrs := map[string]string{}
	sys.attrs(sysAttrs)
	// Whatever the agent sent, its text arrives cut (model.Clip).
	bound := model.MaxNetText + len("… (65535 bytes)")
	for k, v := range sysAttrs {
		if len(v) > bound {
			t.Fatalf("attr %s is %d bytes", k, len(v))
		}
	}
	prevSys := &snmpSample{sys: sysInfo{uptime: 4_000_000_000, hasUptime: true, descr: "x", objectID: "1.3"}}
	systemNotes(prevSys, sys, time.Minute)

	plan := ifPlan{octets32: true, speed32: true}
	roots := append(plan.columns(), hostResColumns()...)
	var prev map[int]ifCounters
	var prevOIDs map[string]counterSample
	for pass := range 2 {
		active := make([]*walkColumn, len(roots))
		for i, r := range roots {
			active[i] = &walkColumn{root: r, last: r}
		}
		res := &walkResult{cols: map[string][]tableRow{}}
		_, _ = res.take(active, vbs)
		rows, probs := parseInterfaces(pick(res.cols, plan.columns()))
		probs = append(res.problems(), probs...)
		u1, u2, e1 := 50.0, 90.0, 5.0
		c := &model.Check{Utilization: &model.Limits{Warn: &u1, Crit: &u2}, Errors: &model.Limits{Warn: &e1},
			CPU: &model.Limits{Crit: &u2}, Memory: &model.Limits{Crit: &u2}, Disk: &model.Limits{Crit: &u2}}
		lim := snmpLimitsOf(c)
		v := model.NewVerdict()
		ifaces, s := judgeInterfaces(rows, prev, time.Minute, &lim, &v)
		for _, it := range ifaces {
			if len(it.Name) > bound || len(it.Alias) > bound || len(it.Descr) > bound {
				t.Fatalf("interface %d text of %d, %d, %d bytes", it.Index, len(it.Name), len(it.Alias), len(it.Descr))
			}
			for _, r := range []float64{it.InBps, it.OutBps, it.UtilPct, it.InErrors, it.OutErrors, it.InDiscards, it.OutDiscards} {
				if r < 0 || math.IsInf(r, 0) {
					t.Fatalf("pass %d: interface %d has rate %v", pass, it.Index, r)
				}
			}
			if it.Status != model.StatusOK && it.Reason == "" {
				t.Fatalf("interface %d is %v without a reason", it.Index, it.Status)
			}
		}
		if s.text() == "" {
			t.Fatal("empty interface summary")
		}
		s.metrics(map[string]float64{})
		h, hrProbs := parseHostRes(res.cols)
		probs = append(probs, hrProbs...)
		h.judge(&lim, &v)
		h.metrics(map[string]float64{}, map[string]string{})
		_ = h.text()
		out := model.Outcome{Metrics: map[string]float64{}, Attrs: map[string]string{}}
		prevOIDs, _ = customOIDs(defs, vals, prevOIDs, time.Minute, &v, &out)
		if reason := listSome(probs, maxReasons, "; "); len(probs) > 0 && reason == "" {
			t.Fatal("problems without a reason")
		}
		checkProfiles(t, vals, vbs)
		// The second pass sees the same counters a minute "later", halved
		// first so that deltas, wraps and resets all occur.
		prev = counters(rows)
		for k, pc := range prev {
			pc.in, pc.out = pc.in/2, pc.out*2
			prev[k] = pc
		}
	}
}

func validOIDForTest(s string) bool { return strings.Count(s, ".") >= 2 }

// TestSNMPWriteFuzzSeeds records real datagrams as seeds for the fuzz
// targets: run with NOCTOP_WRITE_FUZZ_SEEDS=1 (needs snmpd for the
// Reports).
func TestSNMPWriteFuzzSeeds(t *testing.T) {
	if os.Getenv("NOCTOP_WRITE_FUZZ_SEEDS") != "1" {
		t.Skip("writes testdata/fuzz: set NOCTOP_WRITE_FUZZ_SEEDS=1")
	}
	write := func(target, name string, b []byte) {
		dir := filepath.Join("testdata", "fuzz", target)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		body := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", b)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	capture := func(c *model.Check, host string, do func(cl *snmpClient) error) []byte {
		s, err := newSNMPSession(c)
		if err != nil {
			t.Fatal(err)
		}
		cl, err := newSNMPClient(&s, netip.MustParseAddr(host))
		if err != nil {
			t.Fatal(err)
		}
		defer cl.close()
		ctx, cancel := contextWithTimeout(time.Second)
		defer cancel()
		cl.begin(ctx, 1)
		_ = do(cl)
		return append([]byte(nil), cl.conn.last...)
	}
	a := startSNMPLab(t, nil, snmpagent.Options{Devices: 2, Spec: snmpagent.DeviceSpec{Interfaces: 8},
		PerDevice: func(i int, s *snmpagent.DeviceSpec) { s.NoIfXTable = i == 1 }})
	for i, d := range a.Devices() {
		c := &model.Check{Type: "snmp", Version: "2c", Community: model.NewSecret("public"), Port: d.Port(), MaxRepetitions: 25}
		cols := append(ifPlan{true, true}.columns(), hostResColumns()...)
		write("FuzzSNMPResponse", fmt.Sprintf("lab%d-get", i), capture(c, d.Host(), func(cl *snmpClient) error {
			_, err := cl.get(append(systemOIDs(), snmpagent.OIDUPSBatteryCharge, snmpagent.OIDUPSModel))
			return err
		}))
		write("FuzzSNMPResponse", fmt.Sprintf("lab%d-bulk", i), capture(c, d.Host(), func(cl *snmpClient) error {
			_, err := cl.request("GETBULK", func() (*gosnmp.SnmpPacket, error) { return cl.g.GetBulk(cols, 0, 25) })
			return err
		}))
		d.SetMisbehave(snmpagent.MisbehaveWrongTypes)
		write("FuzzSNMPResponse", fmt.Sprintf("lab%d-wrongtypes", i), capture(c, d.Host(), func(cl *snmpClient) error {
			_, err := cl.request("GETBULK", func() (*gosnmp.SnmpPacket, error) { return cl.g.GetBulk(cols, 0, 8) })
			return err
		}))
		d.SetMisbehave(snmpagent.MisbehaveNone)
	}
	writeProfileSeeds(t, write, capture)
	d := snmpdtest.Start(t, snmpdConf)
	v3 := func(user, auth string) *model.Check {
		return &model.Check{Type: "snmp", Version: "3", User: user, AuthProtocol: "SHA", AuthPassword: model.NewSecret(auth),
			PrivProtocol: "AES", PrivPassword: model.NewSecret("privpass1"), Port: d.Port, MaxRepetitions: 25}
	}
	get := func(cl *snmpClient) error { _, err := cl.get(systemOIDs()); return err }
	write("FuzzSNMPReport", "snmpd-wrong-digest", capture(v3("ops", "wrongpass1"), "127.0.0.1", get))
	write("FuzzSNMPReport", "snmpd-unknown-user", capture(v3("nobody", "authpass1"), "127.0.0.1", get))
	write("FuzzSNMPReport", "snmpd-ok-authpriv", capture(v3("ops", "authpass1"), "127.0.0.1", get))
	write("FuzzSNMPResponse", "snmpd-v2c-bulk", capture(&model.Check{Type: "snmp", Version: "2c",
		Community: model.NewSecret("public"), Port: d.Port, MaxRepetitions: 10}, "127.0.0.1", func(cl *snmpClient) error {
		_, err := cl.request("GETBULK", func() (*gosnmp.SnmpPacket, error) {
			return cl.g.GetBulk(append(ifPlan{true, true}.columns(), hostResColumns()...), 0, 10)
		})
		return err
	}))
}

func contextWithTimeout(d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), d)
}

// The recorded net-snmp Reports decode to the USM statistic they carry.
func TestDecodeReportSeeds(t *testing.T) {
	for name, want := range map[string]string{
		"snmpd-wrong-digest": oidUsmStatsWrongDigests,
		"snmpd-unknown-user": oidUsmStatsUnknownUserNames,
	} {
		b, err := os.ReadFile(filepath.Join("testdata", "fuzz", "FuzzSNMPReport", name))
		if err != nil {
			t.Fatal(err)
		}
		_, lit, _ := strings.Cut(strings.TrimSpace(string(b)), "[]byte(")
		raw, err := strconv.Unquote(strings.TrimSuffix(lit, ")"))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if oid, err := decodeReport([]byte(raw)); err != nil || oid != want {
			t.Errorf("%s: decodeReport = %q, %v; want %s", name, oid, err, want)
		}
	}
	if _, err := decodeReport([]byte("garbage")); err == nil {
		t.Error("garbage decoded as a Report")
	}
}

// fuzzProfile is a custom profile over the lab AP's vendor table.
func fuzzProfile() *model.CustomProfile {
	w, c := 30.0, 50.0
	return &model.CustomProfile{Name: "labap", Metrics: []model.ProfileMetric{
		{Name: "ap_status", OID: "1.3.6.1.4.1.99999.1.1.1.3", Label: "1.3.6.1.4.1.99999.1.1.1.2", OK: []int64{1}, States: map[string]string{"1": "up"}},
		{Name: "ap_clients", OID: "1.3.6.1.4.1.99999.1.1.1.4", Label: "1.3.6.1.4.1.99999.1.1.1.2", Warn: &w, Crit: &c, Total: true},
	}}
}

// checkProfiles feeds varbinds to every device profile's judge, as a GET
// answer (UPS) and as walked columns (the others): no panic, every row
// that is not OK says why, every metric is finite and declared, and text
// from the agent arrives cut.
func checkProfiles(t *testing.T, vals map[string]gosnmp.SnmpPDU, vbs []gosnmp.SnmpPDU) {
	custom := fuzzProfile()
	roots := append(append(append(printerColumns(), sensorColumns()...), oidDot11DesiredSSID), customRoots([]*model.CustomProfile{custom})...)
	active := make([]*walkColumn, len(roots))
	for i, r := range roots {
		active[i] = &walkColumn{root: r, last: r}
	}
	res := &walkResult{cols: map[string][]tableRow{}}
	_, _ = res.take(active, vbs)
	for _, name := range []string{model.ProfileUPS, model.ProfilePrinter, model.ProfileSensors, "labap"} {
		c := &model.Check{Type: model.CheckSNMP, Profile: name, CustomProfiles: []*model.CustomProfile{custom}}
		p := newProfileProbe(c)
		pr := &profileRead{table: model.ProfileTable{Profile: name}}
		v := model.NewVerdict()
		out := model.Outcome{Metrics: map[string]float64{}, Attrs: map[string]string{}}
		switch name {
		case model.ProfileUPS:
			p.judgeUPS(vals, pr, &v, &out)
		case model.ProfilePrinter:
			p.judgePrinter(res.cols, pr, &v, &out)
		case model.ProfileSensors:
			p.judgeSensors(res.cols, pr, &v, &out)
		default:
			p.judgeCustom(c.CustomProfiles, res.cols, pr, &v, &out)
		}
		cs := &model.CheckState{Custom: c.CustomMetrics()}
		for k, x := range out.Metrics {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				t.Fatalf("%s: metric %s = %v", name, k, x)
			}
			if _, ok := cs.Metric(k); !ok {
				t.Fatalf("%s: metric %q is not declared", name, k)
			}
		}
		bound := 64 + len("… (65535 bytes)")
		for _, r := range pr.table.Rows {
			if r.Status != model.StatusOK && r.Reason == "" && r.Group != "alert" {
				t.Fatalf("%s: row %+v is %v without a reason", name, r, r.Status)
			}
			if len(r.Label) > bound {
				t.Fatalf("%s: label of %d bytes", name, len(r.Label))
			}
		}
		if v.Status != model.StatusOK && len(v.Reasons) == 0 && len(pr.probs) == 0 {
			t.Fatalf("%s: %v with no reason and no problem", name, v.Status)
		}
	}
}

// writeProfileSeeds records a lab device serving every profile MIB: the
// UPS GET, a GETBULK of the profiles' columns, and the same with wrong
// types.
func writeProfileSeeds(t *testing.T, write func(target, name string, b []byte),
	capture func(c *model.Check, host string, do func(cl *snmpClient) error) []byte) {
	a := startSNMPLab(t, nil, snmpagent.Options{Spec: snmpagent.DeviceSpec{Interfaces: 1, UPS: true, Printer: true, Sensors: true, AccessPoint: true}})
	d := a.Devices()[0]
	_ = d.SetSupplyLevel(1, 4)
	_ = d.SetAPUp(2, false)
	d.SetOnBattery(true)
	c := &model.Check{Type: "snmp", Version: "2c", Community: model.NewSecret("public"), Port: d.Port(), MaxRepetitions: 25}
	cols := append(append(append(printerColumns(), sensorColumns()...), oidDot11DesiredSSID), customRoots([]*model.CustomProfile{fuzzProfile()})...)
	write("FuzzSNMPResponse", "lab-profiles-get", capture(c, d.Host(), func(cl *snmpClient) error {
		_, err := cl.get(upsOIDs())
		return err
	}))
	write("FuzzSNMPResponse", "lab-profiles-bulk", capture(c, d.Host(), func(cl *snmpClient) error {
		_, err := cl.request("GETBULK", func() (*gosnmp.SnmpPacket, error) { return cl.g.GetBulk(cols, 0, 4) })
		return err
	}))
	d.SetMisbehave(snmpagent.MisbehaveWrongTypes)
	write("FuzzSNMPResponse", "lab-profiles-wrongtypes", capture(c, d.Host(), func(cl *snmpClient) error {
		_, err := cl.request("GETBULK", func() (*gosnmp.SnmpPacket, error) { return cl.g.GetBulk(cols, 0, 3) })
		return err
	}))
}
