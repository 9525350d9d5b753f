package probes

import (
	"errors"
	"math"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gosnmp/gosnmp"

	"noctop/model"
)

func TestCounterDelta(t *testing.T) {
	for _, tc := range []struct {
		prev, cur uint64
		bits64    bool
		want      uint64
		ok        bool
	}{
		{100, 250, false, 150, true},
		{100, 100, true, 0, true},
		{math.MaxUint32 - 99, 50, false, 150, true},     // one 32-bit wrap
		{1_000_000_000, 10, false, 0, false},            // "wrap" of 3.3e9 > 2^31: a reset, not traffic
		{3_000_000_000, 10, false, 1_294_967_306, true}, // a wrap of 1.3e9 < 2^31
		{1 << 40, 5, true, 0, false},                    // 64-bit back: discontinuity
		{math.MaxUint32 + 10, 5, false, 0, false},       // not a 32-bit value
		{math.MaxUint64 - 5, math.MaxUint64, true, 5, true},
	} {
		got, ok := counterDelta(tc.prev, tc.cur, tc.bits64)
		if got != tc.want || ok != tc.ok {
			t.Errorf("counterDelta(%d, %d, %v) = %d, %v; want %d, %v", tc.prev, tc.cur, tc.bits64, got, ok, tc.want, tc.ok)
		}
	}
	if r := perSecond(0, 600, false, time.Minute); r != 10 {
		t.Errorf("perSecond = %v, want 10", r)
	}
	if r := perSecond(0, 600, false, 0); !math.IsNaN(r) {
		t.Errorf("perSecond over no time = %v, want NaN", r)
	}
}

func TestUptimeWrapped(t *testing.T) {
	const top = 1<<32 - 1
	for _, tc := range []struct {
		prev, cur uint32
		elapsed   time.Duration
		want      bool
	}{
		{top - 3000, 3000, time.Minute, true},     // 30 s before the wrap, 30 s after
		{top - 100, 5900, time.Minute, true},      // lands a little late: within the slack
		{354_000_000, 12_000, time.Minute, false}, // 41 days, then 2 minutes: a reboot
		{top - 3000, 200_000, time.Minute, false}, // far past where a wrap lands
		{1000, 500, 10 * time.Second, false},      // back by 5 s
		{top - 10, 2, 500 * 24 * time.Hour, true}, // long gap: still a wrap
	} {
		if got := uptimeWrapped(tc.prev, tc.cur, tc.elapsed); got != tc.want {
			t.Errorf("uptimeWrapped(%d, %d, %v) = %v, want %v", tc.prev, tc.cur, tc.elapsed, got, tc.want)
		}
	}
	// A wrap is neither a note nor a reason to skip rates.
	prev := &snmpSample{sys: sysInfo{uptime: top - 3000, hasUptime: true}}
	if notes, rebooted := systemNotes(prev, sysInfo{uptime: 3000, hasUptime: true}, time.Minute); len(notes) != 0 || rebooted {
		t.Errorf("wrap: notes %v rebooted %v", notes, rebooted)
	}
	if d := agentElapsed(prev.sys, sysInfo{uptime: 3000, hasUptime: true}, time.Hour); d != time.Minute+10*time.Millisecond {
		t.Errorf("agentElapsed across the wrap = %v, want 1m0.01s", d)
	}
}

func TestFmtUptime(t *testing.T) {
	for d, want := range map[time.Duration]string{
		41*24*time.Hour + 3*time.Hour + 59*time.Minute: "41d 3h",
		5*time.Hour + 12*time.Minute:                   "5h 12m",
		2*time.Minute + 30*time.Second:                 "2m",
		40 * time.Second:                               "40s",
	} {
		if got := fmtUptime(d); got != want {
			t.Errorf("fmtUptime(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestOIDCompare(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{".1.3.6.1.2", ".1.3.6.1.10", -1}, // numeric, not lexical
		{"1.3.6", ".1.3.6", 0},
		{".1.3.6", ".1.3.6.1", -1},
		{".1.3.7", ".1.3.6.1", 1},
		{"1.3.61", "1.3.6.1", 1}, // the common prefix ends inside an arc
		{"1.3.6.1.2.1.2.2.1.8.9", "1.3.6.1.2.1.2.2.1.8.10", -1},
		{"1.3.6.1.2.1.2.2.1.8.10", "1.3.6.1.2.1.2.2.1.8.10", 0},
	} {
		if got := oidCompare(tc.a, tc.b); got != tc.want {
			t.Errorf("oidCompare(%s, %s) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
	if got := oidName(".1.3.6.1.2.1.31.1.1.1.6.12"); got != "ifHCInOctets.12" {
		t.Errorf("oidName = %q", got)
	}
	if got := oidName(".1.3.6.1.4.1.9.1"); got != "1.3.6.1.4.1.9.1" {
		t.Errorf("oidName of an unknown OID = %q", got)
	}
}

func TestDisplayText(t *testing.T) {
	for in, want := range map[string]string{
		"Cisco IOS\r\nVersion 15.2\x00": "Cisco IOS Version 15.2",
		"\xff\xfeabc":                   "\uFFFDabc",
		"  Gi0/1  ":                     "Gi0/1",
	} {
		if got := displayText([]byte(in)); got != want {
			t.Errorf("displayText(%q) = %q, want %q", in, got, want)
		}
	}
}

// pdu builds a varbind.
func pdu(name string, typ gosnmp.Asn1BER, v any) gosnmp.SnmpPDU {
	return gosnmp.SnmpPDU{Name: name, Type: typ, Value: v}
}

// A GETBULK answer interleaves the columns; the walker files each varbind
// under its column, ends a column outside it, and stops a loop.
func TestWalkTake(t *testing.T) {
	active := []*walkColumn{{root: oidIfDescr, last: oidIfDescr}, {root: oidIfOperStatus, last: oidIfOperStatus}}
	res := &walkResult{cols: map[string][]tableRow{}}
	vbs := []gosnmp.SnmpPDU{
		pdu(oidIfDescr+".1", gosnmp.OctetString, []byte("eth0")), pdu(oidIfOperStatus+".1", gosnmp.Integer, 1),
		pdu(oidIfDescr+".2", gosnmp.OctetString, []byte("eth1")), pdu(oidIfOperStatus+".2", gosnmp.Integer, 2),
		pdu(".1.3.6.1.2.1.2.2.1.3.1", gosnmp.Integer, 6), pdu(oidIfOperStatus+".3", gosnmp.Integer, 1),
		pdu(".1.3.6.1.2.1.2.2.1.3.2", gosnmp.Integer, 6), pdu(".1.3.6.1.2.1.2.2.1.9.1", gosnmp.TimeTicks, uint32(0)),
	}
	n, err := res.take(active, vbs)
	if err != nil || n != 5 || !active[0].done || !active[1].done {
		t.Fatalf("take = %d, %v; done %v %v", n, err, active[0].done, active[1].done)
	}
	if got := res.cols[oidIfOperStatus]; len(got) != 3 || got[2].index != "3" {
		t.Errorf("ifOperStatus rows %+v", got)
	}

	loop := []*walkColumn{{root: oidIfDescr, last: oidIfDescr + ".5"}}
	_, err = (&walkResult{cols: map[string][]tableRow{}}).take(loop, []gosnmp.SnmpPDU{pdu(oidIfDescr+".1", gosnmp.OctetString, []byte("x"))})
	if !errors.Is(err, ErrSNMPWalkLoop) || !strings.Contains(err.Error(), "ifDescr.1 after ifDescr.5") {
		t.Errorf("loop: %v", err)
	}

	// Every answer that does not advance is a loop, inside the column or
	// not: the column echoed, a row echoed, an OID before the column.
	for _, tc := range []struct{ last, got, want string }{
		{oidIfDescr, oidIfDescr, "ifDescr after ifDescr"},
		{oidIfDescr + ".3", oidIfDescr + ".3", "ifDescr.3 after ifDescr.3"},
		{oidIfDescr + ".3", oidIfDescr + ".2", "ifDescr.2 after ifDescr.3"},
		{oidIfDescr, ".1.3.6.1.2.1.1.5.0", "sysName.0 after ifDescr"},
		{oidIfDescr + ".3", ".1.3.6.1.2.1.2.2.1", "2.2.1 after ifDescr.3"},
	} {
		col := []*walkColumn{{root: oidIfDescr, last: tc.last}}
		n, err := (&walkResult{cols: map[string][]tableRow{}}).take(col, []gosnmp.SnmpPDU{pdu(tc.got, gosnmp.OctetString, []byte("x"))})
		if n != 0 || !errors.Is(err, ErrSNMPWalkLoop) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s after %s: %d rows, %v; want %s", tc.got, tc.last, n, err, tc.want)
		}
	}

	odd := &walkResult{cols: map[string][]tableRow{}}
	cols := []*walkColumn{{root: oidIfDescr, last: oidIfDescr}, {root: oidIfName, last: oidIfName}}
	if _, err := odd.take(cols, []gosnmp.SnmpPDU{pdu(oidIfDescr+".1", gosnmp.NoSuchObject, nil),
		pdu(oidIfName+".1", gosnmp.OctetString, []byte("Gi0/1"))}); err != nil {
		t.Fatal(err)
	}
	cols2 := []*walkColumn{{root: oidIfAlias, last: oidIfAlias}}
	if _, err := odd.take(cols2, []gosnmp.SnmpPDU{pdu(oidIfAlias, gosnmp.EndOfMibView, nil)}); err != nil {
		t.Fatal(err)
	}
	probs := odd.problems()
	if len(probs) != 1 || !strings.Contains(probs[0], "noSuchObject inside the walk of ifDescr") {
		t.Errorf("problems %q", probs)
	}
	// endOfMibView after ifDescr.0 while ifName.1 (a later OID) came back.
	cut := &walkResult{cols: map[string][]tableRow{}}
	cutCols := []*walkColumn{{root: oidIfDescr, last: oidIfDescr}, {root: oidIfName, last: oidIfName}}
	if _, err := cut.take(cutCols, []gosnmp.SnmpPDU{pdu(oidIfDescr, gosnmp.EndOfMibView, nil),
		pdu(oidIfName+".1", gosnmp.OctetString, []byte("Gi0/1"))}); err != nil {
		t.Fatal(err)
	}
	if p := cut.problems(); len(p) != 1 || !strings.Contains(p[0], "endOfMibView after ifDescr, but has ifName.1") {
		t.Errorf("cut walk problems %q", p)
	}
}

// A 32-bit counter that "wraps" faster than the line can carry is a reset.
func TestRatesResetIsNotASpike(t *testing.T) {
	it := model.Interface{SpeedBps: 1e9, InBps: math.NaN(), OutBps: math.NaN(), UtilPct: math.NaN()}
	prev := ifCounters{in: 4_000_000_000, out: 1000, hasOctets: true}
	cur := ifCounters{in: 1_000_000_000, out: 2000, hasOctets: true} // 1.29e9 octets in 2 s: 5 Gb/s on 1 Gb/s
	rates(&it, prev, cur, 2*time.Second)
	if !math.IsNaN(it.InBps) || it.OutBps != 4000 {
		t.Errorf("in %v out %v, want NaN and 4000", it.InBps, it.OutBps)
	}
}

func TestParseInterfacesProblems(t *testing.T) {
	rows, probs := parseInterfaces(map[string][]tableRow{
		oidIfDescr:       {{index: "1", pdu: pdu(oidIfDescr+".1", gosnmp.OctetString, []byte("eth0"))}, {index: "1.5", pdu: pdu(oidIfDescr+".1.5", gosnmp.OctetString, []byte("x"))}},
		oidIfAdminStatus: {{index: "1", pdu: pdu(oidIfAdminStatus+".1", gosnmp.Integer, 1)}},
		oidIfOperStatus:  {{index: "1", pdu: pdu(oidIfOperStatus+".1", gosnmp.OctetString, []byte("up"))}},
	})
	if len(rows) != 1 || rows[0].descr != "eth0" {
		t.Errorf("rows %+v", rows)
	}
	got := listSome(probs, maxReasons, "; ")
	for _, want := range []string{`interface index "1.5" is not a positive integer`, "ifOperStatus.1 is OctetString, want INTEGER",
		"1 of 1 interfaces have no ifAdminStatus or ifOperStatus"} {
		if !strings.Contains(got, want) {
			t.Errorf("problems %q lack %q", got, want)
		}
	}
}

func TestPDUValues(t *testing.T) {
	if n, err := pduNumber(pdu(".1.3.6.1.4.1.2021.10.1.3.1", gosnmp.OctetString, []byte("0.15"))); err != nil || n != 0.15 {
		t.Errorf("laLoad string: %v, %v", n, err)
	}
	if _, err := pduNumber(pdu(".1.3.6.1.4.1.1.0", gosnmp.OctetString, []byte("NaN"))); err == nil {
		t.Error("NaN string accepted as a number")
	}
	if _, err := pduUint(pdu(".1.3.6.1.4.1.1.0", gosnmp.Integer, -5)); err == nil {
		t.Error("negative integer accepted as unsigned")
	}
	if _, err := pduCounter32(pdu(oidIfInOctets+".1", gosnmp.Counter32, uint(1<<33))); err == nil {
		t.Error("Counter32 above 32 bits accepted")
	}
	if got := pduText(pdu(".1.3.6.1.2.1.1.2.0", gosnmp.ObjectIdentifier, ".1.3.6.1.4.1.9")); got != "1.3.6.1.4.1.9" {
		t.Errorf("pduText of an OID = %q", got)
	}
	if got := pduText(pdu(".1.3.6.1.2.1.1.2.0", gosnmp.NoSuchInstance, nil)); got != "noSuchInstance" {
		t.Errorf("pduText of noSuchInstance = %q", got)
	}
}

// The probe's own metric names are reserved in the model, so that the
// loader refuses a custom OID that would overwrite one.
func TestSNMPMetricNamesReserved(t *testing.T) {
	clk := newLabClock()
	a := startSNMPLab(t, clk, startOpts(4))
	d := a.Devices()[0]
	p := newSNMPChecks()
	defer p.Close()
	tg := labTarget(d, func(c *model.Check) { c.HostResources = true })
	runSNMP(t, p, tg)
	clk.Add(time.Minute)
	out := runSNMP(t, p, tg)
	reserved := model.SNMPReservedMetrics()
	for k := range out.Metrics {
		if !slices.Contains(reserved, k) && !strings.HasPrefix(k, "disk_pct:") {
			t.Errorf("metric %q is not in model.SNMPReservedMetrics", k)
		}
	}
	for _, k := range reserved {
		if _, ok := out.Metrics[k]; !ok {
			t.Errorf("reserved metric %q was not produced", k)
		}
	}
}

// Each client gets its own USM parameters and the check's context name.
func TestSNMPClientParams(t *testing.T) {
	c := &model.Check{Type: "snmp", Version: "3", User: "ops", AuthProtocol: model.SNMPAuthSHA384, AuthPassword: model.NewSecret("authpass1"),
		PrivProtocol: model.SNMPPrivAES192C, PrivPassword: model.NewSecret("privpass1"), SNMPContext: "vlan-20", Port: 161, MaxRepetitions: 25}
	s, err := newSNMPSession(c)
	if err != nil {
		t.Fatal(err)
	}
	addr := netip.MustParseAddr("127.0.0.1")
	a, err := newSNMPClient(&s, addr)
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	b, err := newSNMPClient(&s, addr)
	if err != nil {
		t.Fatal(err)
	}
	defer b.close()
	ua, ub := a.g.SecurityParameters.(*gosnmp.UsmSecurityParameters), b.g.SecurityParameters.(*gosnmp.UsmSecurityParameters)
	if ua == ub || ua.AuthenticationProtocol != gosnmp.SHA384 || ua.PrivacyProtocol != gosnmp.AES192C ||
		a.g.MsgFlags&gosnmp.AuthPriv != gosnmp.AuthPriv || a.g.ContextName != "vlan-20" || a.g.MaxRepetitions != 25 || a.g.Community != "" {
		t.Errorf("clients share USM parameters or lost settings: %+v %+v", ua, a.g)
	}
}
