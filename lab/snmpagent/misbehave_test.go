package snmpagent_test

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gosnmp/gosnmp"

	"noctop/lab/snmpagent"
)

// encode builds a raw request as gosnmp would send it.
func encode(t testing.TB, version gosnmp.SnmpVersion, pdu gosnmp.PDUType, nonRep uint8, maxRep uint32, oids ...string) []byte {
	t.Helper()
	g := &gosnmp.GoSNMP{Version: version, Community: "public"}
	vbs := make([]gosnmp.SnmpPDU, len(oids))
	for i, o := range oids {
		vbs[i] = gosnmp.SnmpPDU{Name: o, Type: gosnmp.Null}
	}
	b, err := g.SnmpEncodePacket(pdu, vbs, nonRep, maxRep)
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	return b
}

// exchange sends one datagram to d and returns the answer, or nil when none
// comes within wait.
func exchange(t testing.TB, d *snmpagent.Device, req []byte, wait time.Duration) []byte {
	t.Helper()
	c, err := net.Dial("udp4", d.Addr())
	if err != nil {
		t.Fatalf("dial %s: %v", d.Addr(), err)
	}
	defer c.Close()
	if _, err := c.Write(req); err != nil {
		t.Fatalf("send: %v", err)
	}
	if err := c.SetReadDeadline(time.Now().Add(wait)); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 70000)
	n, err := c.Read(buf)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return nil
	}
	if err != nil {
		t.Fatalf("receive from %s: %v", d.Addr(), err)
	}
	return buf[:n]
}

func decode(resp []byte) (*gosnmp.SnmpPacket, error) {
	g := &gosnmp.GoSNMP{Version: gosnmp.Version2c}
	return g.SnmpDecodePacket(resp)
}

func TestSNMPv1GetBulkGetsNoAnswer(t *testing.T) {
	a := startSNMP(t, snmpagent.Options{})
	d := a.Devices()[0]
	if resp := exchange(t, d, encode(t, gosnmp.Version1, gosnmp.GetBulkRequest, 0, 5, snmpagent.OIDIfEntry), 300*time.Millisecond); resp != nil {
		t.Errorf("v1 GETBULK answered with %d bytes", len(resp))
	}
	// The same as v2c is answered.
	resp := exchange(t, d, encode(t, gosnmp.Version2c, gosnmp.GetBulkRequest, 0, 5, snmpagent.OIDIfEntry), 2*time.Second)
	if p, err := decode(resp); err != nil || len(p.Variables) != 5 {
		t.Errorf("v2c GETBULK: %v, %d bytes", err, len(resp))
	}
}

func TestSNMPMisbehave(t *testing.T) {
	a := startSNMP(t, snmpagent.Options{})
	d := a.Devices()[0]
	g := v2c(t, d)
	sysName := encode(t, gosnmp.Version2c, gosnmp.GetRequest, 0, 0, snmpagent.OIDSysName)
	good := exchange(t, d, sysName, 2*time.Second)
	if _, err := decode(good); err != nil {
		t.Fatalf("well-behaved answer does not decode: %v", err)
	}
	walk := func(root string) ([]gosnmp.SnmpPDU, error) { return g.BulkWalkAll(root) }

	t.Run("wrong-types", func(t *testing.T) {
		d.SetMisbehave(snmpagent.MisbehaveWrongTypes)
		defer d.SetMisbehave(snmpagent.MisbehaveNone)
		vs := snmpGet(t, g, ifXCol(snmpagent.IfHCInOctets, 1), ifCol(snmpagent.IfInOctets, 1), snmpagent.OIDSysUpTime, ifCol(snmpagent.IfSpeed, 1), snmpagent.OIDSysName)
		for _, v := range vs[:4] {
			if v.Type != gosnmp.OctetString {
				t.Errorf("%s is %v, want OctetString", v.Name, v.Type)
			} else if _, err := strconv.ParseUint(str(v), 10, 64); err != nil {
				t.Errorf("%s = %q, want decimal digits", v.Name, str(v))
			}
		}
		if str(vs[4]) != "lab-sw-001" {
			t.Errorf("sysName = %q", str(vs[4]))
		}
	})

	t.Run("truncated", func(t *testing.T) {
		d.SetMisbehave(snmpagent.MisbehaveTruncated)
		defer d.SetMisbehave(snmpagent.MisbehaveNone)
		resp := exchange(t, d, sysName, 2*time.Second)
		if len(resp) != len(good)/2 || !bytes.HasPrefix(good, resp) {
			t.Fatalf("truncated answer: %d bytes, want the first %d of %d", len(resp), len(good)/2, len(good))
		}
		if _, err := decode(resp); err == nil {
			t.Error("a truncated answer decoded")
		}
		if _, err := quickGet(t, d, snmpagent.OIDSysName); err == nil {
			t.Error("gosnmp accepted a truncated answer")
		}
	})

	t.Run("garbage", func(t *testing.T) {
		d.SetMisbehave(snmpagent.MisbehaveGarbage)
		defer d.SetMisbehave(snmpagent.MisbehaveNone)
		r1 := exchange(t, d, sysName, 2*time.Second)
		r2 := exchange(t, d, sysName, 2*time.Second)
		if len(r1) != 64 || r1[0] == 0x30 || bytes.Equal(r1, r2) {
			t.Fatalf("garbage answers: % x / % x", r1, r2)
		}
		if _, err := decode(r1); err == nil {
			t.Error("garbage decoded")
		}
	})

	t.Run("nosuch", func(t *testing.T) {
		d.SetMisbehave(snmpagent.MisbehaveNoSuch)
		defer d.SetMisbehave(snmpagent.MisbehaveNone)
		vs := snmpGet(t, g, ifXCol(snmpagent.IfHCInOctets, 1), snmpagent.OIDSysUpTime, ifCol(snmpagent.IfInOctets, 1))
		if vs[0].Type != gosnmp.NoSuchObject || vs[1].Type != gosnmp.NoSuchInstance || vs[2].Type != gosnmp.Counter32 {
			t.Errorf("GET under nosuch: %v %v %v, want NoSuchObject NoSuchInstance Counter32", vs[0].Type, vs[1].Type, vs[2].Type)
		}
		if vs, err := walk(".1.3.6.1.2.1.31"); err != nil || len(vs) != 0 {
			t.Errorf("walk of ifXTable under nosuch: %d varbinds, %v", len(vs), err)
		}
		if vs, err := walk(".1.3.6.1.2.1.1"); err != nil || len(vs) != 6 {
			t.Errorf("walk of system under nosuch: %d varbinds (want 6, no sysUpTime), %v", len(vs), err)
		}
	})

	t.Run("end-of-mib", func(t *testing.T) {
		d.SetMisbehave(snmpagent.MisbehaveEndOfMIB)
		defer d.SetMisbehave(snmpagent.MisbehaveNone)
		r, err := g.GetBulk([]string{snmpagent.OIDIfEntry + ".2", snmpagent.OIDIfXEntry + ".6"}, 0, 6)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, v := range r.Variables {
			got = append(got, fmt.Sprintf("%s=%v", strings.TrimPrefix(v.Name, ".1.3.6.1.2.1."), v.Type))
		}
		// Rows 1..4 of 8, then endOfMibView for both columns, which ends
		// the GETBULK after that repetition.
		want := "2.2.1.2.1=OctetString 31.1.1.1.6.1=Counter64 2.2.1.2.2=OctetString 31.1.1.1.6.2=Counter64 " +
			"2.2.1.2.3=OctetString 31.1.1.1.6.3=Counter64 2.2.1.2.4=OctetString 31.1.1.1.6.4=Counter64 " +
			"2.2.1.2.4=EndOfMibView 31.1.1.1.6.4=EndOfMibView"
		if strings.Join(got, " ") != want {
			t.Errorf("GETBULK under end-of-mib:\n got %s\nwant %s", strings.Join(got, " "), want)
		}
		if vs, err := walk(".1.3.6.1.2.1.2.2"); err != nil || len(vs) != 4 {
			t.Errorf("walk of ifTable under end-of-mib: %d varbinds (want ifIndex 1..4), %v", len(vs), err)
		}
		if v := getOne(t, g, ifCol(snmpagent.IfDescr, 8)); str(v) != "GigabitEthernet1/0/8" {
			t.Errorf("GET ifDescr.8 under end-of-mib = %s", str(v))
		}
	})

	t.Run("loop", func(t *testing.T) {
		d.SetMisbehave(snmpagent.MisbehaveLoop)
		defer d.SetMisbehave(snmpagent.MisbehaveNone)
		r, err := g.GetNext([]string{ifCol(snmpagent.IfDescr, 2)})
		if err != nil {
			t.Fatal(err)
		}
		if r.Variables[0].Name != ifCol(snmpagent.IfDescr, 1) {
			t.Errorf("GETNEXT ifDescr.2 under loop = %s, want ifDescr.1", r.Variables[0].Name)
		}
		if _, err := walk(snmpagent.OIDIfEntry + ".2"); err == nil || !strings.Contains(err.Error(), "increasing") {
			t.Errorf("bulk walk under loop: %v, want gosnmp's OID not increasing error", err)
		}
	})

	// names lists a GETBULK answer's names after mib-2, comma separated.
	names := func(oids []string, reps uint32) string {
		t.Helper()
		r, err := g.GetBulk(oids, 0, reps)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, v := range r.Variables {
			got = append(got, strings.TrimPrefix(v.Name, ".1.3.6.1.2.1."))
		}
		return strings.Join(got, ",")
	}

	t.Run("echo", func(t *testing.T) {
		d.SetMisbehave(snmpagent.MisbehaveEcho)
		defer d.SetMisbehave(snmpagent.MisbehaveNone)
		descr := snmpagent.OIDIfEntry + ".2"
		// Every repetition names the column asked for, with a row's value.
		if got, want := names([]string{descr, ifCol(snmpagent.IfDescr, 3)}, 3), "2.2.1.2,2.2.1.2.3,2.2.1.2,2.2.1.2.3,2.2.1.2,2.2.1.2.3"; got != want {
			t.Errorf("GETBULK under echo: %s, want %s", got, want)
		}
		r, err := g.GetNext([]string{descr})
		if err != nil {
			t.Fatal(err)
		}
		if v := r.Variables[0]; v.Name != descr || str(v) != "GigabitEthernet1/0/1" {
			t.Errorf("GETNEXT %s under echo = %s %s, want the same OID with ifDescr.1's value", descr, v.Name, str(v))
		}
		// Outside the interface tables the agent is right.
		if v := getOne(t, g, snmpagent.OIDSysName); str(v) != "lab-sw-001" {
			t.Errorf("GET sysName under echo = %s", str(v))
		}
		// gosnmp's own walk takes the echo for the end of an empty column,
		// which is why the probe checks that every answer advances.
		if vs, err := walk(descr); err != nil || len(vs) != 0 {
			t.Errorf("gosnmp bulk walk under echo: %d varbinds, %v; want 0, nil", len(vs), err)
		}
	})

	t.Run("repeat", func(t *testing.T) {
		d.SetMisbehave(snmpagent.MisbehaveRepeat)
		defer d.SetMisbehave(snmpagent.MisbehaveNone)
		if got, want := names([]string{snmpagent.OIDIfEntry + ".2"}, 4), "2.2.1.2.1,2.2.1.2.2,2.2.1.2.2,2.2.1.2.2"; got != want {
			t.Errorf("GETBULK under repeat: %s, want %s", got, want)
		}
		if _, err := walk(snmpagent.OIDIfEntry + ".2"); err == nil || !strings.Contains(err.Error(), "increasing") {
			t.Errorf("bulk walk under repeat: %v, want gosnmp's OID not increasing error", err)
		}
	})

	if resp := exchange(t, d, sysName, 2*time.Second); !bytes.Equal(resp, good) {
		t.Error("MisbehaveNone did not restore the good answer")
	}
}

func quickGet(t testing.TB, d *snmpagent.Device, oid string) (*gosnmp.SnmpPacket, error) {
	t.Helper()
	return v2c(t, d, quick).Get([]string{oid})
}

func TestSNMPMisbehaveNames(t *testing.T) {
	for m, want := range map[snmpagent.Misbehave]string{
		snmpagent.MisbehaveNone: "none", snmpagent.MisbehaveWrongTypes: "wrong-types", snmpagent.MisbehaveTruncated: "truncated",
		snmpagent.MisbehaveGarbage: "garbage", snmpagent.MisbehaveNoSuch: "nosuch", snmpagent.MisbehaveEndOfMIB: "end-of-mib",
		snmpagent.MisbehaveLoop: "loop", snmpagent.MisbehaveEcho: "echo", snmpagent.MisbehaveRepeat: "repeat", snmpagent.Misbehave(99): "misbehave(99)",
	} {
		if m.String() != want {
			t.Errorf("%d.String() = %q, want %q", int(m), m.String(), want)
		}
	}
}
