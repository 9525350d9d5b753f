package snmpagent_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gosnmp/gosnmp"

	"noctop/lab/snmpagent"
)

// newFakeClock is the clock of tests that move time by hand.
func newFakeClock() *snmpagent.ManualClock {
	return snmpagent.NewManualClock(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC))
}

var testUsers = []snmpagent.User{
	{Name: "ops", AuthProtocol: gosnmp.SHA, AuthPassword: "authpass1", PrivProtocol: gosnmp.AES, PrivPassword: "privpass1"},
	{Name: "legacy", AuthProtocol: gosnmp.MD5, AuthPassword: "authpass2", PrivProtocol: gosnmp.DES, PrivPassword: "privpass2"},
	{Name: "signer", AuthProtocol: gosnmp.SHA256, AuthPassword: "authpass3"},
	{Name: "public-user"},
	{Name: "strong", AuthProtocol: gosnmp.SHA512, AuthPassword: "authpass4", PrivProtocol: gosnmp.AES256, PrivPassword: "privpass4"},
	{Name: "cisco", AuthProtocol: gosnmp.SHA, AuthPassword: "authpass5", PrivProtocol: gosnmp.AES256C, PrivPassword: "privpass5"},
}

func startSNMP(t testing.TB, opts snmpagent.Options) *snmpagent.Agent {
	t.Helper()
	a, err := snmpagent.Start(t.Context(), opts)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

// v2c is a gosnmp client for d; one per goroutine.
func v2c(t testing.TB, d *snmpagent.Device, mod ...func(*gosnmp.GoSNMP)) *gosnmp.GoSNMP {
	t.Helper()
	g := &gosnmp.GoSNMP{
		Target: d.Host(), Port: uint16(d.Port()), Community: "public", Version: gosnmp.Version2c,
		Timeout: 2 * time.Second, Retries: 1, MaxOids: 60,
	}
	for _, m := range mod {
		m(g)
	}
	if err := g.Connect(); err != nil {
		t.Fatalf("connect %s: %v", d.Addr(), err)
	}
	t.Cleanup(func() { g.Conn.Close() })
	return g
}

// quick makes a client give up after one short try, for tests that expect
// no answer.
func quick(g *gosnmp.GoSNMP) { g.Timeout, g.Retries = 300*time.Millisecond, 0 }

func v3(t testing.TB, d *snmpagent.Device, level gosnmp.SnmpV3MsgFlags, sp *gosnmp.UsmSecurityParameters, mod ...func(*gosnmp.GoSNMP)) *gosnmp.GoSNMP {
	t.Helper()
	return v2c(t, d, append([]func(*gosnmp.GoSNMP){func(g *gosnmp.GoSNMP) {
		g.Version, g.SecurityModel, g.MsgFlags, g.SecurityParameters = gosnmp.Version3, gosnmp.UserSecurityModel, level, sp
	}}, mod...)...)
}

func snmpGet(t testing.TB, g *gosnmp.GoSNMP, oids ...string) []gosnmp.SnmpPDU {
	t.Helper()
	r, err := g.Get(oids)
	if err != nil {
		t.Fatalf("GET %v from %s: %v", oids, g.Target, err)
	}
	if r.Error != gosnmp.NoError || len(r.Variables) != len(oids) {
		t.Fatalf("GET %v: error %v, %d varbinds", oids, r.Error, len(r.Variables))
	}
	return r.Variables
}

func getOne(t testing.TB, g *gosnmp.GoSNMP, oid string) gosnmp.SnmpPDU {
	t.Helper()
	return snmpGet(t, g, oid)[0]
}

func str(p gosnmp.SnmpPDU) string {
	if b, ok := p.Value.([]byte); ok {
		return string(b)
	}
	return fmt.Sprintf("<%v %v>", p.Type, p.Value)
}

func num(t testing.TB, p gosnmp.SnmpPDU) uint64 {
	t.Helper()
	switch p.Type {
	case gosnmp.Counter32, gosnmp.Gauge32, gosnmp.TimeTicks, gosnmp.Counter64, gosnmp.Integer:
		return gosnmp.ToBigInt(p.Value).Uint64()
	}
	t.Fatalf("%s is %v %v, not a number", p.Name, p.Type, p.Value)
	return 0
}

func col(entry string, c, row int) string { return fmt.Sprintf("%s.%d.%d", entry, c, row) }

func ifCol(c, row int) string  { return col(snmpagent.OIDIfEntry, c, row) }
func ifXCol(c, row int) string { return col(snmpagent.OIDIfXEntry, c, row) }

func TestSNMPSystemGroup(t *testing.T) {
	clk := newFakeClock()
	a := startSNMP(t, snmpagent.Options{Devices: 2, Clock: clk.Now, Spec: snmpagent.DeviceSpec{BootedAgo: 90 * time.Minute}})
	d := a.Devices()[1]
	if d.Name() != "lab-sw-002" || d.Host() != "127.0.1.2" {
		t.Fatalf("device 2 is %s on %s, want lab-sw-002 on 127.0.1.2", d.Name(), d.Host())
	}
	vs := snmpGet(t, v2c(t, d), snmpagent.OIDSysDescr, snmpagent.OIDSysObjectID, snmpagent.OIDSysUpTime, snmpagent.OIDSysContact,
		snmpagent.OIDSysName, snmpagent.OIDSysLocation, snmpagent.OIDIfNumber)
	want := []struct {
		typ gosnmp.Asn1BER
		val any
	}{
		{gosnmp.OctetString, "noctop lab switch LS-48 lab-sw-002, firmware 1.0.0"},
		{gosnmp.ObjectIdentifier, ".1.3.6.1.4.1.8072.3.2.10"},
		{gosnmp.TimeTicks, uint32(90 * 60 * 100)},
		{gosnmp.OctetString, "netops@lab.invalid"},
		{gosnmp.OctetString, "lab-sw-002"},
		{gosnmp.OctetString, "lab rack 1"},
		{gosnmp.Integer, 8},
	}
	for i, w := range want {
		got := vs[i].Value
		if b, ok := got.([]byte); ok {
			got = string(b)
		}
		if vs[i].Type != w.typ || got != w.val {
			t.Errorf("%s = %v %#v, want %v %#v", vs[i].Name, vs[i].Type, got, w.typ, w.val)
		}
	}
	// Missing instances and objects, as net-snmp answers them.
	vs = snmpGet(t, v2c(t, d), ".1.3.6.1.2.1.1.5", ifCol(snmpagent.IfDescr, 99), ".1.3.6.1.9.9.9.0")
	for i, w := range []gosnmp.Asn1BER{gosnmp.NoSuchInstance, gosnmp.NoSuchInstance, gosnmp.NoSuchObject} {
		if vs[i].Type != w {
			t.Errorf("%s = %v, want %v", vs[i].Name, vs[i].Type, w)
		}
	}
}

// ifColumns are the ifTable and ifXTable columns a probe walks.
var ifColumns = []string{
	snmpagent.OIDIfEntry + ".2", snmpagent.OIDIfEntry + ".5", snmpagent.OIDIfEntry + ".7", snmpagent.OIDIfEntry + ".8",
	snmpagent.OIDIfEntry + ".10", snmpagent.OIDIfEntry + ".13", snmpagent.OIDIfEntry + ".14", snmpagent.OIDIfEntry + ".16",
	snmpagent.OIDIfEntry + ".19", snmpagent.OIDIfEntry + ".20",
	snmpagent.OIDIfXEntry + ".1", snmpagent.OIDIfXEntry + ".6", snmpagent.OIDIfXEntry + ".10", snmpagent.OIDIfXEntry + ".15",
	snmpagent.OIDIfXEntry + ".18",
}

func TestSNMPGetBulkInterfaceColumns(t *testing.T) {
	clk := newFakeClock()
	a := startSNMP(t, snmpagent.Options{Clock: clk.Now, Spec: snmpagent.DeviceSpec{Interfaces: 48, BootedAgo: time.Hour}})
	d := a.Devices()[0]
	g := v2c(t, d)
	// sysUpTime as a non-repeater, then every column for 48 rows at once.
	oids := append([]string{".1.3.6.1.2.1.1.3"}, ifColumns...)
	r, err := g.GetBulk(oids, 1, 48)
	if err != nil {
		t.Fatalf("GETBULK: %v", err)
	}
	if want := 1 + 48*len(ifColumns); len(r.Variables) != want {
		t.Fatalf("GETBULK returned %d varbinds, want %d", len(r.Variables), want)
	}
	if v := r.Variables[0]; v.Name != snmpagent.OIDSysUpTime || num(t, v) != 360000 {
		t.Errorf("non-repeater = %s %v, want sysUpTime.0 360000", v.Name, v.Value)
	}
	for rep := range 48 {
		for c, column := range ifColumns {
			v := r.Variables[1+rep*len(ifColumns)+c]
			if want := fmt.Sprintf("%s.%d", column, rep+1); v.Name != want {
				t.Fatalf("repetition %d column %d is %s, want %s", rep, c, v.Name, want)
			}
		}
	}
	byName := map[string]gosnmp.SnmpPDU{}
	for _, v := range r.Variables {
		byName[v.Name] = v
	}
	if s := str(byName[ifCol(snmpagent.IfDescr, 5)]); s != "GigabitEthernet1/0/5" {
		t.Errorf("ifDescr.5 = %q", s)
	}
	if s := str(byName[ifXCol(snmpagent.IfName, 48)]); s != "Gi1/0/48" {
		t.Errorf("ifName.48 = %q", s)
	}
	if s := str(byName[ifXCol(snmpagent.IfAlias, 2)]); !strings.Contains(s, "CRC errors") {
		t.Errorf("ifAlias.2 = %q", s)
	}
	for _, c := range []struct {
		oid  string
		want uint64
	}{
		{ifCol(snmpagent.IfSpeed, 1), 1_000_000_000}, {ifXCol(snmpagent.IfHighSpeed, 1), 1000},
		{ifCol(snmpagent.IfAdminStatus, 1), 1}, {ifCol(snmpagent.IfOperStatus, 1), 1},
		{ifCol(snmpagent.IfAdminStatus, 47), 1}, {ifCol(snmpagent.IfOperStatus, 47), 2},
		{ifCol(snmpagent.IfAdminStatus, 48), 2}, {ifCol(snmpagent.IfOperStatus, 48), 2},
		{ifXCol(snmpagent.IfHCInOctets, 1), d.InRate(1) * 3600}, {ifXCol(snmpagent.IfHCOutOctets, 3), d.OutRate(3) * 3600},
		{ifCol(snmpagent.IfInOctets, 1), d.InRate(1) * 3600 % (1 << 32)},
		{ifCol(snmpagent.IfInErrors, 2), 3600}, {ifCol(snmpagent.IfInErrors, 1), 0},
		{ifXCol(snmpagent.IfHCInOctets, 47), 0}, {ifCol(snmpagent.IfInOctets, 48), 0},
	} {
		if got := num(t, byName[c.oid]); got != c.want {
			t.Errorf("%s = %d, want %d", c.oid, got, c.want)
		}
	}

	// A GETNEXT walk and a GETBULK walk of the interface tables agree.
	for _, root := range []string{".1.3.6.1.2.1.2", ".1.3.6.1.2.1.31"} {
		walked, err := g.WalkAll(root)
		if err != nil {
			t.Fatalf("walk %s: %v", root, err)
		}
		bulk, err := g.BulkWalkAll(root)
		if err != nil {
			t.Fatalf("bulk walk %s: %v", root, err)
		}
		if len(walked) != len(bulk) || len(walked) == 0 {
			t.Fatalf("walk %s: %d varbinds by GETNEXT, %d by GETBULK", root, len(walked), len(bulk))
		}
		for i := range walked {
			if walked[i].Name != bulk[i].Name || fmt.Sprint(walked[i].Value) != fmt.Sprint(bulk[i].Value) {
				t.Fatalf("walk %s differs at %d: %s=%v vs %s=%v", root, i, walked[i].Name, walked[i].Value, bulk[i].Name, bulk[i].Value)
			}
		}
	}
}

func TestSNMPGetBulkFitsOneDatagram(t *testing.T) {
	a := startSNMP(t, snmpagent.Options{Spec: snmpagent.DeviceSpec{Interfaces: 400}})
	g := v2c(t, a.Devices()[0])
	r, err := g.GetBulk(ifColumns, 0, 400)
	if err != nil {
		t.Fatalf("GETBULK of %d columns x 400: %v", len(ifColumns), err)
	}
	// 6,000 varbinds do not fit in 65,507 bytes: the agent sends as many
	// whole repetitions' varbinds as fit, in order.
	n := len(r.Variables)
	if n < 1000 || n >= 400*len(ifColumns) {
		t.Fatalf("GETBULK returned %d varbinds, want a cut between 1000 and %d", n, 400*len(ifColumns))
	}
	for i, v := range r.Variables {
		if want := fmt.Sprintf("%s.%d", ifColumns[i%len(ifColumns)], i/len(ifColumns)+1); v.Name != want {
			t.Fatalf("varbind %d is %s, want %s", i, v.Name, want)
		}
	}
}

func TestSNMPCountersGrowAndWrap(t *testing.T) {
	clk := newFakeClock()
	// ifIndex 1 receives 2^30 octets/s: ifInOctets wraps every 4 s.
	a := startSNMP(t, snmpagent.Options{Clock: clk.Now, Spec: snmpagent.DeviceSpec{Rate: 1 << 30}})
	d := a.Devices()[0]
	g := v2c(t, d)
	oids := []string{ifCol(snmpagent.IfInOctets, 1), ifXCol(snmpagent.IfHCInOctets, 1), ifCol(snmpagent.IfOutOctets, 1),
		ifXCol(snmpagent.IfHCOutOctets, 1), ifCol(snmpagent.IfInErrors, 2), ifCol(snmpagent.IfInUcastPkts, 1), snmpagent.OIDSysUpTime}
	poll := func() []uint64 {
		vs := snmpGet(t, g, oids...)
		out := make([]uint64, len(vs))
		for i, v := range vs {
			out[i] = num(t, v)
		}
		return out
	}
	if d.InRate(1) != 1<<30 || d.OutRate(1) != 1<<29 {
		t.Fatalf("rates %d/%d, want 2^30/2^29", d.InRate(1), d.OutRate(1))
	}
	if got := poll(); !slices.Equal(got, []uint64{0, 0, 0, 0, 0, 0, 0}) {
		t.Fatalf("at boot: %v, want all 0", got)
	}
	clk.Add(3 * time.Second)
	p1 := poll()
	clk.Add(2 * time.Second)
	p2 := poll()
	if p1[1] != 3<<30 || p2[1] != 5<<30 {
		t.Errorf("ifHCInOctets.1 = %d then %d, want %d then %d", p1[1], p2[1], uint64(3<<30), uint64(5<<30))
	}
	if p1[0] != 3<<30 || p2[0] != 1<<30 {
		t.Errorf("ifInOctets.1 = %d then %d: want %d then %d (wrapped at 2^32)", p1[0], p2[0], uint64(3<<30), uint64(1<<30))
	}
	if p2[3] != 5<<29 || p2[2] != 5<<29%(1<<32) {
		t.Errorf("out octets at 5 s: HC %d, 32-bit %d", p2[3], p2[2])
	}
	if p2[4] != 5 { // 60 errors per minute
		t.Errorf("ifInErrors.2 at 5 s = %d, want 5", p2[4])
	}
	if p2[5] != 5<<30/800 {
		t.Errorf("ifInUcastPkts.1 = %d, want %d", p2[5], 5<<30/800)
	}
	if p2[6] != 500 {
		t.Errorf("sysUpTime = %d, want 500", p2[6])
	}
	// HC counters keep counting past 2^32 for days; the 32-bit one is the
	// HC value modulo 2^32 at any time.
	clk.Add(48 * time.Hour)
	p3 := poll()
	if want := uint64(5+48*3600) << 30; p3[1] != want || p3[0] != want%(1<<32) {
		t.Errorf("after 2 days: HC %d (want %d), 32-bit %d", p3[1], want, p3[0])
	}
}

func TestSNMPWrongCommunityGetsNoAnswer(t *testing.T) {
	a := startSNMP(t, snmpagent.Options{Community: "s3cret"})
	d := a.Devices()[0]
	if d.Community() != "s3cret" {
		t.Fatalf("Community() = %q", d.Community())
	}
	before := d.Dropped()
	_, err := v2c(t, d, quick).Get([]string{snmpagent.OIDSysName})
	if err == nil || !strings.Contains(err.Error(), "timeout") {
		t.Fatalf("GET with community public: err %v, want a timeout", err)
	}
	if d.Dropped() != before+1 {
		t.Errorf("Dropped went from %d to %d, want +1", before, d.Dropped())
	}
	g := v2c(t, d, func(g *gosnmp.GoSNMP) { g.Community = "s3cret" })
	if s := str(getOne(t, g, snmpagent.OIDSysName)); s != "lab-sw-001" {
		t.Errorf("sysName = %q", s)
	}
}

func TestSNMPv1(t *testing.T) {
	a := startSNMP(t, snmpagent.Options{})
	d := a.Devices()[0]
	g := v2c(t, d, func(g *gosnmp.GoSNMP) { g.Version = gosnmp.Version1 })
	if s := str(getOne(t, g, snmpagent.OIDSysName)); s != "lab-sw-001" {
		t.Errorf("v1 sysName = %q", s)
	}
	// SNMPv1 has no Counter64 and no exceptions: noSuchName, with the index.
	r, err := g.Get([]string{snmpagent.OIDSysName, ifXCol(snmpagent.IfHCInOctets, 1)})
	if err != nil {
		t.Fatalf("v1 GET: %v", err)
	}
	if r.Error != gosnmp.NoSuchName || r.ErrorIndex != 2 {
		t.Errorf("v1 GET of a Counter64: error %v index %d, want noSuchName 2", r.Error, r.ErrorIndex)
	}
	walked, err := g.WalkAll(".1.3.6.1.2.1.31")
	if err != nil {
		t.Fatalf("v1 walk: %v", err)
	}
	for _, v := range walked {
		if v.Type == gosnmp.Counter64 {
			t.Fatalf("v1 walk returned Counter64 %s", v.Name)
		}
	}
	if want := 8 * 3; len(walked) != want { // ifName, ifHighSpeed, ifAlias
		t.Errorf("v1 walk of ifXTable: %d varbinds, want %d", len(walked), want)
	}
}

func TestSNMPSetIsRefused(t *testing.T) {
	a := startSNMP(t, snmpagent.Options{})
	g := v2c(t, a.Devices()[0])
	r, err := g.Set([]gosnmp.SnmpPDU{{Name: snmpagent.OIDSysName, Type: gosnmp.OctetString, Value: "x"}})
	if err != nil {
		t.Fatalf("SET: %v", err)
	}
	if r.Error != gosnmp.NoAccess || r.ErrorIndex != 1 {
		t.Errorf("SET: error %v index %d, want noAccess 1", r.Error, r.ErrorIndex)
	}
	if s := str(getOne(t, g, snmpagent.OIDSysName)); s != "lab-sw-001" {
		t.Errorf("sysName after SET = %q", s)
	}
}

func TestSNMPKnobs(t *testing.T) {
	clk := newFakeClock()
	a := startSNMP(t, snmpagent.Options{Devices: 3, Clock: clk.Now, Spec: snmpagent.DeviceSpec{BootedAgo: 24 * time.Hour}})
	d := a.Devices()[2]
	g := v2c(t, d)

	t.Run("silent", func(t *testing.T) {
		d.SetSilent(true)
		if _, err := v2c(t, d, quick).Get([]string{snmpagent.OIDSysName}); err == nil {
			t.Fatal("a silent device answered")
		}
		// Its neighbours still answer.
		if s := str(getOne(t, v2c(t, a.Devices()[1]), snmpagent.OIDSysName)); s != "lab-sw-002" {
			t.Errorf("neighbour sysName = %q", s)
		}
		d.SetSilent(false)
		if s := str(getOne(t, g, snmpagent.OIDSysName)); s != "lab-sw-003" {
			t.Errorf("sysName after silence = %q", s)
		}
	})

	t.Run("reboot", func(t *testing.T) {
		before := snmpGet(t, g, snmpagent.OIDSysUpTime, ifXCol(snmpagent.IfHCInOctets, 1), ifCol(snmpagent.IfLastChange, 1))
		if num(t, before[0]) != 24*360000 || num(t, before[1]) != d.InRate(1)*86400 {
			t.Fatalf("before reboot: uptime %v, HC %v", before[0].Value, before[1].Value)
		}
		d.Reboot()
		clk.Add(30 * time.Second)
		after := snmpGet(t, g, snmpagent.OIDSysUpTime, ifXCol(snmpagent.IfHCInOctets, 1), ifCol(snmpagent.IfLastChange, 1))
		if num(t, after[0]) != 3000 || num(t, after[1]) != d.InRate(1)*30 || num(t, after[2]) != 0 {
			t.Errorf("30 s after reboot: uptime %v (want 3000), HC %v (want %d), ifLastChange %v (want 0)",
				after[0].Value, after[1].Value, d.InRate(1)*30, after[2].Value)
		}
	})

	t.Run("firmware", func(t *testing.T) {
		d.SetFirmware("noctop lab switch LS-48, firmware 2.1.0")
		if err := d.SetObjectID("1.3.6.1.4.1.9.1.2571"); err != nil {
			t.Fatal(err)
		}
		vs := snmpGet(t, g, snmpagent.OIDSysDescr, snmpagent.OIDSysObjectID)
		if str(vs[0]) != "noctop lab switch LS-48, firmware 2.1.0" || vs[1].Value != ".1.3.6.1.4.1.9.1.2571" {
			t.Errorf("after upgrade: %q %v", str(vs[0]), vs[1].Value)
		}
		if err := d.SetObjectID("not.an.oid"); err == nil {
			t.Error("SetObjectID accepted not.an.oid")
		}
	})

	t.Run("alias", func(t *testing.T) {
		long := strings.Repeat("α", 10000) // beyond the MIB's 64 bytes
		if err := d.SetAlias(3, long); err != nil {
			t.Fatal(err)
		}
		vs := snmpGet(t, g, ifXCol(snmpagent.IfAlias, 3), ifXCol(snmpagent.IfAlias, 4))
		if str(vs[0]) != long || str(vs[1]) != "lab-sw-003 port 4" {
			t.Errorf("after SetAlias(3): %d bytes, ifAlias.4 %q", len(str(vs[0])), str(vs[1]))
		}
		if err := d.SetAlias(9, "x"); err == nil {
			t.Error("SetAlias(9) on an 8-interface device succeeded")
		}
		if err := d.SetAlias(3, "lab-sw-003 port 3"); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("oper", func(t *testing.T) {
		if err := d.SetOper(1, false); err != nil {
			t.Fatal(err)
		}
		down := snmpGet(t, g, ifCol(snmpagent.IfOperStatus, 1), ifCol(snmpagent.IfLastChange, 1), ifXCol(snmpagent.IfHCInOctets, 1), snmpagent.OIDSysUpTime)
		clk.Add(time.Minute)
		later := snmpGet(t, g, ifCol(snmpagent.IfOperStatus, 1), ifXCol(snmpagent.IfHCInOctets, 1))
		if num(t, down[0]) != 2 || num(t, down[1]) != num(t, down[3]) {
			t.Errorf("after SetOper(1, false): ifOperStatus %v, ifLastChange %v (uptime %v)", down[0].Value, down[1].Value, down[3].Value)
		}
		if num(t, later[1]) != num(t, down[2]) {
			t.Errorf("a down interface's counter moved: %v -> %v", down[2].Value, later[1].Value)
		}
		if err := d.SetOper(1, true); err != nil {
			t.Fatal(err)
		}
		clk.Add(10 * time.Second)
		up := snmpGet(t, g, ifCol(snmpagent.IfOperStatus, 1), ifXCol(snmpagent.IfHCInOctets, 1))
		if num(t, up[0]) != 1 || num(t, up[1]) != num(t, down[2])+10*d.InRate(1) {
			t.Errorf("10 s after SetOper(1, true): status %v, HC %v (want %d)", up[0].Value, up[1].Value, num(t, down[2])+10*d.InRate(1))
		}
		// The admin-down interface comes up admin and oper.
		if err := d.SetOper(8, true); err != nil {
			t.Fatal(err)
		}
		vs := snmpGet(t, g, ifCol(snmpagent.IfAdminStatus, 8), ifCol(snmpagent.IfOperStatus, 8))
		if num(t, vs[0]) != 1 || num(t, vs[1]) != 1 {
			t.Errorf("ifIndex 8 after SetOper(8, true): admin %v oper %v", vs[0].Value, vs[1].Value)
		}
		if err := d.SetAdmin(8, false); err != nil {
			t.Fatal(err)
		}
		vs = snmpGet(t, g, ifCol(snmpagent.IfAdminStatus, 8), ifCol(snmpagent.IfOperStatus, 8))
		if num(t, vs[0]) != 2 || num(t, vs[1]) != 2 {
			t.Errorf("ifIndex 8 after SetAdmin(8, false): admin %v oper %v", vs[0].Value, vs[1].Value)
		}
		if err := d.SetOper(9, true); err == nil {
			t.Error("SetOper(9) on an 8-interface device succeeded")
		}
	})

	t.Run("cpu and battery", func(t *testing.T) {
		d.SetCPULoad(97)
		d.SetBatteryCharge(12)
		vs := snmpGet(t, g, snmpagent.OIDHrProcessorLoad+".196608", snmpagent.OIDHrProcessorLoad+".196609", snmpagent.OIDUPSBatteryCharge, snmpagent.OIDUPSRuntime)
		if num(t, vs[0]) != 97 || num(t, vs[1]) != 97 || num(t, vs[2]) != 12 || num(t, vs[3]) != 12*2700 {
			t.Errorf("cpu %v %v, charge %v, runtime %v", vs[0].Value, vs[1].Value, vs[2].Value, vs[3].Value)
		}
		d.SetCPULoad(-1)
		if l := num(t, getOne(t, g, snmpagent.OIDHrProcessorLoad+".196608")); l < 10 || l > 45 {
			t.Errorf("simulated load %d outside 10..45", l)
		}
	})
}

func TestSNMPDeviceShapes(t *testing.T) {
	clk := newFakeClock()
	a := startSNMP(t, snmpagent.Options{Devices: 4, Clock: clk.Now, PerDevice: func(i int, s *snmpagent.DeviceSpec) {
		switch i {
		case 0:
			s.NoIfXTable = true
			s.Interfaces = 2
		case 1:
			s.NoHostResources = true
		case 2:
			s.NoProcessorLoad = true
		case 3:
			s.ProcessorLoadAfter = time.Minute
			s.CPUs = 4
		}
	}})
	ds := a.Devices()
	walk := func(d *snmpagent.Device, root string) []gosnmp.SnmpPDU {
		t.Helper()
		vs, err := v2c(t, d).BulkWalkAll(root)
		if err != nil {
			t.Fatalf("%s: walk %s: %v", d.Name(), root, err)
		}
		return vs
	}
	if n := len(walk(ds[0], ".1.3.6.1.2.1.31")); n != 0 {
		t.Errorf("32-bit-only device: ifXTable walk has %d varbinds", n)
	}
	if v := getOne(t, v2c(t, ds[0]), ifXCol(snmpagent.IfHCInOctets, 1)); v.Type != gosnmp.NoSuchObject {
		t.Errorf("32-bit-only device: ifHCInOctets.1 is %v", v.Type)
	}
	if n := len(walk(ds[0], snmpagent.OIDIfEntry+".1")); n != 2 {
		t.Errorf("2-interface device: %d ifIndex rows", n)
	}
	if n := len(walk(ds[1], ".1.3.6.1.2.1.25")); n != 0 {
		t.Errorf("device without HOST-RESOURCES: %d varbinds under hrMIB", n)
	}
	if n := len(walk(ds[2], snmpagent.OIDHrProcessorLoad)); n != 0 {
		t.Errorf("NoProcessorLoad: %d hrProcessorLoad rows", n)
	}
	if n := len(walk(ds[2], snmpagent.OIDHrStorageEntry+".3")); n != 4 {
		t.Errorf("NoProcessorLoad: %d hrStorageDescr rows, want 4", n)
	}
	if n := len(walk(ds[3], snmpagent.OIDHrProcessorLoad)); n != 0 {
		t.Errorf("ProcessorLoadAfter, just booted: %d hrProcessorLoad rows", n)
	}
	clk.Add(time.Minute)
	if n := len(walk(ds[3], snmpagent.OIDHrProcessorLoad)); n != 4 {
		t.Errorf("ProcessorLoadAfter, after a minute: %d hrProcessorLoad rows, want 4", n)
	}
	ds[3].Reboot()
	if n := len(walk(ds[3], snmpagent.OIDHrProcessorLoad)); n != 0 {
		t.Errorf("ProcessorLoadAfter, after a reboot: %d hrProcessorLoad rows", n)
	}
}

func TestSNMPManyDevices(t *testing.T) {
	a := startSNMP(t, snmpagent.Options{Devices: 200})
	ds := a.Devices()
	if len(ds) != 200 || ds[199].Host() != "127.0.1.200" {
		t.Fatalf("%d devices, last on %s", len(ds), ds[len(ds)-1].Host())
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(ds))
	sem := make(chan struct{}, 32)
	for i, d := range ds {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			g := &gosnmp.GoSNMP{Target: d.Host(), Port: uint16(d.Port()), Community: "public", Version: gosnmp.Version2c, Timeout: 2 * time.Second, Retries: 1}
			if err := g.Connect(); err != nil {
				errs <- err
				return
			}
			defer g.Conn.Close()
			r, err := g.Get([]string{snmpagent.OIDSysName})
			if err != nil {
				errs <- fmt.Errorf("%s: %w", d.Addr(), err)
				return
			}
			if want := fmt.Sprintf("lab-sw-%03d", i+1); str(r.Variables[0]) != want {
				errs <- fmt.Errorf("%s: sysName %q, want %q", d.Addr(), str(r.Variables[0]), want)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if a.Device(ds[41].Addr()) != ds[41] || a.Device("127.0.1.42") != ds[41] || a.Device("127.0.0.1") != nil {
		t.Error("Device lookup by host:port or host is wrong")
	}
}

func TestSNMPAddressRange(t *testing.T) {
	// 254 devices from 127.0.3.1 end on 127.0.3.254; the next is 127.0.4.1.
	a := startSNMP(t, snmpagent.Options{Devices: 256, FirstAddr: "127.0.3.1"})
	ds := a.Devices()
	if ds[253].Host() != "127.0.3.254" || ds[254].Host() != "127.0.4.1" || ds[255].Host() != "127.0.4.2" {
		t.Errorf("addresses around .254: %s %s %s", ds[253].Host(), ds[254].Host(), ds[255].Host())
	}
	if s := str(getOne(t, v2c(t, ds[254]), snmpagent.OIDSysName)); s != "lab-sw-255" {
		t.Errorf("device 255 sysName %q", s)
	}
}

func TestSNMPStartErrors(t *testing.T) {
	for _, first := range []string{"10.0.0.1", "192.168.1.1", "::1"} {
		_, err := snmpagent.Start(t.Context(), snmpagent.Options{FirstAddr: first})
		if err == nil {
			t.Errorf("FirstAddr %s: no error", first)
		}
		if first != "::1" && !errors.Is(err, snmpagent.ErrNotLoopback) {
			t.Errorf("FirstAddr %s: %v, want ErrNotLoopback", first, err)
		}
	}
	// Running off the end of 127.0.0.0/8.
	_, err := snmpagent.Start(t.Context(), snmpagent.Options{FirstAddr: "127.255.255.253", Devices: 3})
	if !errors.Is(err, snmpagent.ErrNotLoopback) {
		t.Errorf("range past 127.255.255.254: %v, want ErrNotLoopback", err)
	}
	// A taken port is an error that names the address.
	a := startSNMP(t, snmpagent.Options{FirstAddr: "127.0.5.1"})
	port := a.Devices()[0].Port()
	_, err = snmpagent.Start(t.Context(), snmpagent.Options{FirstAddr: "127.0.5.1", Port: port})
	if err == nil || !strings.Contains(err.Error(), "127.0.5.1") {
		t.Errorf("port in use: %v", err)
	}
	var addrErr *net.OpError
	if !errors.As(err, &addrErr) {
		t.Errorf("port in use: %T is not a *net.OpError", err)
	}
	if _, err := snmpagent.Start(t.Context(), snmpagent.Options{Users: []snmpagent.User{{Name: "x", AuthProtocol: gosnmp.SHA, AuthPassword: "short"}}}); err == nil {
		t.Error("a 5-character password was accepted")
	}
	if _, err := snmpagent.Start(t.Context(), snmpagent.Options{Spec: snmpagent.DeviceSpec{ObjectID: "x.y"}}); err == nil {
		t.Error("sysObjectID x.y was accepted")
	}
}

func TestSNMPCloseLeavesNoGoroutines(t *testing.T) {
	settle := func(want int) int {
		n := runtime.NumGoroutine()
		for deadline := time.Now().Add(2 * time.Second); n > want && time.Now().Before(deadline); n = runtime.NumGoroutine() {
			time.Sleep(10 * time.Millisecond)
		}
		return n
	}
	// Goroutines of earlier tests (their contexts' AfterFuncs) may still be
	// ending: wait until the count holds still.
	base := runtime.NumGoroutine()
	for i := 0; i < 100; i++ {
		time.Sleep(20 * time.Millisecond)
		n := runtime.NumGoroutine()
		if n == base {
			break
		}
		base = n
	}
	for _, how := range []string{"Close", "cancel"} {
		ctx, cancel := context.WithCancel(t.Context())
		a, err := snmpagent.Start(ctx, snmpagent.Options{Devices: 50, FirstAddr: "127.0.6.1"})
		if err != nil {
			t.Fatal(err)
		}
		if n := runtime.NumGoroutine(); n < base+50 {
			t.Fatalf("%d goroutines with 50 devices running, base %d", n, base)
		}
		port := a.Devices()[7].Port()
		if s := str(getOne(t, v2c(t, a.Devices()[7]), snmpagent.OIDSysName)); s != "lab-sw-008" {
			t.Fatalf("sysName %q", s)
		}
		if how == "Close" {
			if err := a.Close(); err != nil {
				t.Fatal(err)
			}
		} else {
			cancel()
		}
		if n := settle(base); n > base {
			t.Errorf("after %s: %d goroutines, %d before start", how, n, base)
		}
		a.Close() // a second Close is harmless
		cancel()
		// The socket is gone: the port can be bound again.
		c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.ParseIP("127.0.6.8"), Port: port})
		if err != nil {
			t.Errorf("after %s: rebinding 127.0.6.8:%d: %v", how, port, err)
		} else {
			c.Close()
		}
	}
}

func TestSNMPGivenPort(t *testing.T) {
	// Borrow a port the kernel says is free, then put 3 devices on it.
	c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.ParseIP("127.0.7.1")})
	if err != nil {
		t.Fatal(err)
	}
	port := c.LocalAddr().(*net.UDPAddr).Port
	c.Close()
	a := startSNMP(t, snmpagent.Options{Devices: 3, FirstAddr: "127.0.7.1", Port: port})
	for i, d := range a.Devices() {
		if want := fmt.Sprintf("127.0.7.%d:%d", i+1, port); d.Addr() != want || d.Port() != port {
			t.Errorf("device %d on %s, want %s", i+1, d.Addr(), want)
		}
		if s := str(getOne(t, v2c(t, d), snmpagent.OIDSysName)); s != fmt.Sprintf("lab-sw-%03d", i+1) {
			t.Errorf("device %d sysName %q", i+1, s)
		}
	}
}

func TestSNMPHostResources(t *testing.T) {
	a := startSNMP(t, snmpagent.Options{})
	g := v2c(t, a.Devices()[0])
	rows, err := g.BulkWalkAll(snmpagent.OIDHrStorageEntry)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4*6 {
		t.Fatalf("hrStorageTable has %d cells, want 4 rows x 6 columns", len(rows))
	}
	cell := map[string]gosnmp.SnmpPDU{}
	for _, v := range rows {
		cell[strings.TrimPrefix(v.Name, snmpagent.OIDHrStorageEntry+".")] = v
	}
	for _, c := range []struct {
		index, typ, descr string
		units             uint64
		usedMin, usedMax  uint64 // percent
	}{
		{"1", ".1.3.6.1.2.1.25.2.1.2", "Physical memory", 1024, 50, 75},
		{"3", ".1.3.6.1.2.1.25.2.1.3", "Virtual memory", 1024, 40, 65},
		{"31", ".1.3.6.1.2.1.25.2.1.4", "/", 4096, 45, 45},
		{"32", ".1.3.6.1.2.1.25.2.1.4", "/var", 4096, 81, 82},
	} {
		if v := cell["2."+c.index]; v.Value != c.typ {
			t.Errorf("hrStorageType.%s = %v, want %s", c.index, v.Value, c.typ)
		}
		if s := str(cell["3."+c.index]); s != c.descr {
			t.Errorf("hrStorageDescr.%s = %q, want %q", c.index, s, c.descr)
		}
		size, used := num(t, cell["5."+c.index]), num(t, cell["6."+c.index])
		if num(t, cell["4."+c.index]) != c.units || size == 0 || used*100/size < c.usedMin || used*100/size > c.usedMax {
			t.Errorf("%s: units %v, used %d of %d", c.descr, cell["4."+c.index].Value, used, size)
		}
	}
}
