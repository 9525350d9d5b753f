package traps

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gosnmp/gosnmp"
)

func v2(oid string, vars ...gosnmp.SnmpPDU) *gosnmp.SnmpPacket {
	head := []gosnmp.SnmpPDU{
		{Name: ".1.3.6.1.2.1.1.3.0", Type: gosnmp.TimeTicks, Value: uint32(42)},
		{Name: ".1.3.6.1.6.3.1.1.4.1.0", Type: gosnmp.ObjectIdentifier, Value: oid},
	}
	return &gosnmp.SnmpPacket{Version: gosnmp.Version2c, PDUType: gosnmp.SNMPv2Trap, Variables: append(head, vars...)}
}

func pdu(name string, typ gosnmp.Asn1BER, v any) gosnmp.SnmpPDU {
	return gosnmp.SnmpPDU{Name: name, Type: typ, Value: v}
}

func TestSummary(t *testing.T) {
	long := strings.Repeat("x", 100)
	tests := []struct {
		name string
		p    *gosnmp.SnmpPacket
		want string
	}{
		{"linkDown with ifIndex and ifName", v2(".1.3.6.1.6.3.1.1.5.3",
			pdu(".1.3.6.1.2.1.2.2.1.1.3", gosnmp.Integer, 3), pdu(".1.3.6.1.2.1.31.1.1.1.1.3", gosnmp.OctetString, []byte("Gi0/3"))),
			"linkDown ifIndex 3 (Gi0/3)"},
		{"ifName is preferred to ifDescr", v2(".1.3.6.1.6.3.1.1.5.4",
			pdu(".1.3.6.1.2.1.2.2.1.2.9", gosnmp.OctetString, []byte("GigabitEthernet0/9")), pdu(".1.3.6.1.2.1.31.1.1.1.1.9", gosnmp.OctetString, []byte("Gi0/9"))),
			"linkUp ifIndex 9 (Gi0/9)"},
		{"ifIndex from the index of ifOperStatus", v2(".1.3.6.1.6.3.1.1.5.3",
			pdu(".1.3.6.1.2.1.2.2.1.7.12", gosnmp.Integer, 1), pdu(".1.3.6.1.2.1.2.2.1.8.12", gosnmp.Integer, 2)),
			"linkDown ifIndex 12"},
		{"linkDown without interface varbinds", v2(".1.3.6.1.6.3.1.1.5.3"), "linkDown (no ifIndex in the trap)"},
		{"coldStart", v2(".1.3.6.1.6.3.1.1.5.1"), "coldStart"},
		{"warmStart", v2("1.3.6.1.6.3.1.1.5.2"), "warmStart"},
		{"authenticationFailure", v2(".1.3.6.1.6.3.1.1.5.5"), "authenticationFailure"},
		{"enterprise trap, no varbinds", v2(".1.3.6.1.4.1.9.9.43.2.0.1"), "trap 1.3.6.1.4.1.9.9.43.2.0.1"},
		{"enterprise trap, values formatted", v2(".1.3.6.1.4.1.9.0.1",
			pdu(".1.3.6.1.4.1.9.1", gosnmp.OctetString, []byte{0x00, 0x1b, 0x2c}),
			pdu(".1.3.6.1.4.1.9.2", gosnmp.OctetString, []byte(long)),
			pdu(".1.3.6.1.4.1.9.3", gosnmp.IPAddress, "127.0.0.8"),
			pdu(".1.3.6.1.4.1.9.4", gosnmp.Counter64, uint64(1)),
			pdu(".1.3.6.1.4.1.9.5", gosnmp.Null, nil)),
			`trap 1.3.6.1.4.1.9.0.1: 1.3.6.1.4.1.9.1=0x001b2c, 1.3.6.1.4.1.9.2="` + strings.Repeat("x", maxValue) + `… (100 bytes)", 1.3.6.1.4.1.9.3=127.0.0.8 (+2 more)`},
		{"snmpTrapEnterprise is not a varbind to show", v2(".1.3.6.1.4.1.9.0.2",
			pdu(".1.3.6.1.6.3.1.1.4.3.0", gosnmp.ObjectIdentifier, ".1.3.6.1.4.1.9"), pdu(".1.3.6.1.4.1.9.7", gosnmp.NoSuchObject, nil)),
			"trap 1.3.6.1.4.1.9.0.2: 1.3.6.1.4.1.9.7=NoSuchObject"},
		{"v1 generic linkUp", &gosnmp.SnmpPacket{Version: gosnmp.Version1, PDUType: gosnmp.Trap, SnmpTrap: gosnmp.SnmpTrap{
			Enterprise: ".1.3.6.1.4.1.8072.3.2.10", AgentAddress: "127.0.0.6", GenericTrap: 3}, Variables: []gosnmp.SnmpPDU{
			pdu(".1.3.6.1.2.1.2.2.1.1.4", gosnmp.Integer, 4)}}, "linkUp ifIndex 4"},
		{"v1 enterprise-specific (RFC 3584)", &gosnmp.SnmpPacket{Version: gosnmp.Version1, PDUType: gosnmp.Trap, SnmpTrap: gosnmp.SnmpTrap{
			Enterprise: ".1.3.6.1.4.1.8072.3.2.10", GenericTrap: 6, SpecificTrap: 17}}, "trap 1.3.6.1.4.1.8072.3.2.10.0.17"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, ok := toTrap(tt.p)
			if !ok {
				t.Fatal("toTrap: not a trap")
			}
			if got := tr.summary(); got != tt.want {
				t.Errorf("summary\n got %q\nwant %q", got, tt.want)
			}
		})
	}
	// A proxy names the agent behind it in snmpTrapAddress.0; it is for
	// matching, not for the summary.
	tr, _ := toTrap(v2(".1.3.6.1.6.3.1.1.5.1", pdu(".1.3.6.1.6.3.18.1.3.0", gosnmp.IPAddress, "127.0.0.6")))
	if tr.agentAddr != "127.0.0.6" || len(tr.vars) != 0 || tr.summary() != "coldStart" {
		t.Errorf("snmpTrapAddress: %+v", tr)
	}
	// A v2 trap must name itself.
	p := v2("")
	p.Variables = p.Variables[:1]
	if _, ok := toTrap(p); ok {
		t.Error("a v2 trap without snmpTrapOID.0 was taken")
	}
}

func TestBucket(t *testing.T) {
	var b bucket
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	allowed := func(at time.Time, n int) int {
		k := 0
		for range n {
			if b.allow(at, 20, 100) {
				k++
			}
		}
		return k
	}
	if got := allowed(t0, 500); got != 100 {
		t.Errorf("burst: %d allowed, want 100", got)
	}
	if got := allowed(t0.Add(time.Second), 500); got != 20 {
		t.Errorf("after 1s: %d allowed, want 20", got)
	}
	if got := allowed(t0.Add(1050*time.Millisecond), 5); got != 1 {
		t.Errorf("after 50ms more: %d allowed, want 1", got)
	}
	if got := allowed(t0.Add(time.Hour), 500); got != 100 {
		t.Errorf("after an hour: %d allowed, want the burst, 100", got)
	}
	if got := allowed(t0, 5); got != 0 { // the clock went back: no refill
		t.Errorf("clock back: %d allowed", got)
	}
}

func TestWording(t *testing.T) {
	for n, want := range map[uint64]string{0: "0", 999: "999", 1000: "1,000", 4812: "4,812", 1234567: "1,234,567"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
	if got := limitSummary("127.0.0.5", 4812, 0, 10*time.Second, 20); got != "dropped 4,812 traps from 127.0.0.5 in the last 10s (rate limit 20/s)" {
		t.Errorf("limitSummary = %q", got)
	}
	if got := limitSummary("127.0.0.5", 1, 3, 10*time.Second, 0.5); got != "dropped 1 trap from 127.0.0.5 in the last 10s (rate limit 0.5/s); 3 traps from 127.0.0.5 not recorded: the engine was busy" {
		t.Errorf("limitSummary = %q", got)
	}
	var tl tally
	for range 3 {
		tl.add(`unknown v3 user "bob"`, 1, maxReasons)
	}
	tl.add("wrong community", 9, maxReasons)
	got := failureSummary("127.0.0.7", &tl, 41*time.Second+300*time.Millisecond)
	if got != `dropped 12 traps from 127.0.0.7 in the last 41s: wrong community (9), unknown v3 user "bob" (3)` {
		t.Errorf("failureSummary = %q", got)
	}
	var one tally
	one.add("wrong community", 1, maxReasons)
	if got := failureSummary("127.0.0.7", &one, 0); got != "dropped a trap from 127.0.0.7: wrong community" {
		t.Errorf("failureSummary = %q", got)
	}
}

// A source counts maxReasons reasons one by one and the rest together; a
// report names the maxShownReasons most frequent and sums the others.
func TestTallyIsBounded(t *testing.T) {
	var tl tally
	for i := range 1000 {
		tl.add(fmt.Sprintf("unknown SNMP version %d", i%100), uint64(100-i%100), maxReasons)
	}
	if len(tl.counts) != maxReasons {
		t.Fatalf("%d reasons counted one by one, want %d", len(tl.counts), maxReasons)
	}
	if tl.total() != 50500 {
		t.Errorf("total %d, want 50500", tl.total())
	}
	got := failureSummary("127.0.0.7", &tl, time.Minute)
	want := "dropped 50,500 traps from 127.0.0.7 in the last 1m0s: unknown SNMP version 0 (1,000), unknown SNMP version 1 (990), " +
		"unknown SNMP version 2 (980), unknown SNMP version 3 (970), unknown SNMP version 4 (960), other reasons (45,600)"
	if got != want {
		t.Errorf("failureSummary\n got %q\nwant %q", got, want)
	}
	// Many sources fold into one report of bounded reasons.
	var merged tally
	for range 100 {
		merged.merge(&tl, maxMergedReasons)
	}
	if len(merged.counts) != maxReasons || merged.total() != 100*tl.total() {
		t.Errorf("merged %d reasons, total %d", len(merged.counts), merged.total())
	}
	tl.reset()
	if !tl.empty() || tl.counts != nil {
		t.Errorf("reset left %+v", tl)
	}
}

func TestReadHeader(t *testing.T) {
	// A v3 message header as net-snmp's snmptrap writes it (long-form
	// lengths), user "ops", authPriv, then a truncated encrypted PDU.
	usm := []byte{0x30, 0x82, 0x00, 0x17,
		0x04, 0x05, 0x80, 0x00, 0x1f, 0x88, 0x80, // engine ID
		0x02, 0x01, 0x01, 0x02, 0x02, 0x01, 0x00, // boots, time
		0x04, 0x03, 'o', 'p', 's', 0x04, 0x00, 0x04, 0x00}
	body := []byte{0x02, 0x01, 0x03,
		0x30, 0x0e, 0x02, 0x02, 0x12, 0x34, 0x02, 0x02, 0x05, 0xdc, 0x04, 0x01, 0x03, 0x02, 0x01, 0x03,
		0x04, byte(len(usm))}
	body = append(append(body, usm...), 0x04, 0x00)
	msg := append([]byte{0x30, 0x81, byte(len(body))}, body...)
	h, err := readHeader(msg)
	if err != nil || h.version != 3 || h.user != "ops" || h.flags != flagAuth|flagPriv || h.secModel != usmModel || h.engineID != "\x80\x00\x1f\x88\x80" {
		t.Errorf("header %+v, err %v", h, err)
	}
	for _, bad := range [][]byte{nil, {0x30}, {0x30, 0x05, 0x02, 0x01}, []byte("hello, world"), append(msg[:len(msg):len(msg)], 0)} {
		if _, err := readHeader(bad); err == nil {
			t.Errorf("readHeader(%x) took garbage", bad)
		}
	}
}
