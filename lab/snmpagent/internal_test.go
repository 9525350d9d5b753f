package snmpagent

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gosnmp/gosnmp"
)

// testDevice builds device i of opts without a socket, at a fixed time.
func testDevice(t testing.TB, opts Options) *Device {
	t.Helper()
	if opts.Community == "" {
		opts.Community = "public"
	}
	if opts.Clock == nil {
		at := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
		opts.Clock = func() time.Time { return at }
	}
	d, err := buildDevice(0, &opts, map[shape]*mibLayout{})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestOIDOrderAndEncoding(t *testing.T) {
	in := []string{".1.3.6.1.2.1.2.2.1.10.10", "1.3.6.1.2.1.2.2.1.10.9", ".1.3.6.1.2.1.2.2.1.10", ".1.3.6.1.2.1.2.2.1.9.100", ".1.3"}
	var oids []oid
	for _, s := range in {
		oids = append(oids, mustOID(s))
	}
	slices.SortFunc(oids, compareOID)
	var got []string
	for _, o := range oids {
		got = append(got, o.String())
	}
	want := ".1.3 .1.3.6.1.2.1.2.2.1.9.100 .1.3.6.1.2.1.2.2.1.10 .1.3.6.1.2.1.2.2.1.10.9 .1.3.6.1.2.1.2.2.1.10.10"
	if strings.Join(got, " ") != want {
		t.Errorf("sorted: %s", strings.Join(got, " "))
	}
	for _, bad := range []string{"", ".", "1", "1.x", "1.3.99999999999", "1..3"} {
		if _, err := parseOID(bad); err == nil {
			t.Errorf("parseOID(%q) accepted", bad)
		}
	}
	// BER: first two arcs in one subidentifier, base 128 with continuation
	// bits (X.690 8.19).
	for s, want := range map[string][]byte{
		"1.3.6.1":                       {0x06, 0x03, 0x2b, 0x06, 0x01},
		"1.3.6.1.4.1.318":               {0x06, 0x07, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x3e},
		"2.999.4294967295":              {0x06, 0x07, 0x88, 0x37, 0x8f, 0xff, 0xff, 0xff, 0x7f},
		"1.3.6.1.2.1.25.3.3.1.2.196608": {0x06, 0x0d, 0x2b, 6, 1, 2, 1, 25, 3, 3, 1, 2, 0x8c, 0x80, 0x00},
	} {
		o := mustOID(s)
		if got := encodeOIDTLV(o); !bytes.Equal(got, want) || oidTLVSize(o) != len(want) {
			t.Errorf("%s: % x (size %d), want % x", s, got, oidTLVSize(o), want)
		}
	}
}

// TestEncodeV2AgreesWithGosnmp checks the agent's own encoder against
// gosnmp: the same bytes as MarshalMsg, and a decode that gives back every
// value, for every type and for lengths in short and long form.
func TestEncodeV2AgreesWithGosnmp(t *testing.T) {
	d := testDevice(t, Options{})
	sysDescr := &d.layout.entries[0]
	long := bytes.Repeat([]byte("x"), 300)
	mid := bytes.Repeat([]byte("y"), 200)
	obj, _ := newObjectID("1.3.6.1.4.1.9.1.2571")
	neg := int64(-129)
	req := []oid{mustOID("1.3.6.1.9.9.9"), mustOID("1.3.6.1.2.1.1.5")}
	names := []string{req[0].String(), req[1].String()}
	vbs := []vb{
		{e: sysDescr, tag: tagOctetStr, str: []byte("short")},
		{e: sysDescr, tag: tagOctetStr, str: long},
		{e: sysDescr, tag: tagOctetStr, str: mid},
		{e: sysDescr, tag: tagOctetStr, str: nil},
		{e: sysDescr, tag: tagOID, oidv: &obj},
		{e: sysDescr, tag: tagInteger, num: uint64(neg)},
		{e: sysDescr, tag: tagInteger, num: 0},
		{e: sysDescr, tag: tagInteger, num: math.MaxInt32},
		{e: sysDescr, tag: tagCounter, num: 0x80},
		{e: sysDescr, tag: tagCounter, num: math.MaxUint32},
		{e: sysDescr, tag: tagGauge, num: 1000},
		{e: sysDescr, tag: tagTicks, num: 360000},
		{e: sysDescr, tag: tagCounter6, num: math.MaxUint64},
		{e: sysDescr, tag: tagCounter6, num: 1 << 63},
		{e: sysDescr, tag: tagCounter6, num: 0},
		{req: 0, tag: tagNoSuchOb},
		{req: 1, tag: tagNoSuchIn},
		{req: 1, tag: tagEndOfMib},
		{req: 0, tag: tagNull},
	}
	for _, c := range []struct {
		version   gosnmp.SnmpVersion
		community string
		reqID     uint32
		errStatus int
		errIndex  int
		vbs       []vb
	}{
		{gosnmp.Version2c, "public", 1, 0, 0, vbs},
		{gosnmp.Version2c, strings.Repeat("c", 200), 0x7fffffff, 0, 0, vbs},
		{gosnmp.Version1, "public", 0x80, errNoSuchName, 2, vbs[:3]},
		{gosnmp.Version2c, "", 0, errTooBig, 0, nil},
	} {
		out, _ := encodeV2(nil, c.version, []byte(c.community), c.reqID, c.errStatus, c.errIndex, c.vbs, req)
		ref := &gosnmp.SnmpPacket{Version: c.version, Community: c.community, PDUType: gosnmp.GetResponse,
			RequestID: c.reqID, Error: gosnmp.SNMPError(c.errStatus), ErrorIndex: uint8(c.errIndex), Variables: pdus(c.vbs, names)}
		want, err := ref.MarshalMsg()
		if err != nil {
			t.Fatalf("MarshalMsg: %v", err)
		}
		// gosnmp writes a community of 128 bytes or more with a one-byte
		// length (not BER); the agent writes the long form.
		if len(c.community) < 128 && !bytes.Equal(out, want) {
			t.Errorf("v%v community %d bytes: agent and gosnmp encodings differ:\n% x\n% x", c.version, len(c.community), out, want)
		}
		g := &gosnmp.GoSNMP{Version: c.version}
		p, err := g.SnmpDecodePacket(out)
		if err != nil {
			t.Fatalf("decode: %v", err)
		}
		if p.Community != c.community || p.RequestID != c.reqID || int(p.Error) != c.errStatus || int(p.ErrorIndex) != c.errIndex || len(p.Variables) != len(c.vbs) {
			t.Fatalf("decoded header %q %d %v %d, %d varbinds", p.Community, p.RequestID, p.Error, p.ErrorIndex, len(p.Variables))
		}
		for i, v := range p.Variables {
			w := ref.Variables[i]
			if v.Name != w.Name || v.Type != w.Type || fmt.Sprint(v.Value) != fmt.Sprint(w.Value) {
				if !(w.Type == gosnmp.Integer && fmt.Sprint(v.Value) == fmt.Sprint(w.Value)) {
					t.Errorf("varbind %d: %s %v %v, want %s %v %v", i, v.Name, v.Type, v.Value, w.Name, w.Type, w.Value)
				}
			}
		}
	}
}

func TestGrownIsExact(t *testing.T) {
	for _, c := range []struct {
		rate uint64
		d    time.Duration
		want uint64
	}{
		{1, time.Second, 1},
		{1, 999 * time.Millisecond, 0},
		{12_500_000, time.Hour, 45_000_000_000},
		{50_000_000_000, 365 * 24 * time.Hour, 50_000_000_000 * 365 * 24 * 3600},
		{math.MaxUint64, time.Second, math.MaxUint64},
		{math.MaxUint64, 2 * time.Second, math.MaxUint64 - 1}, // wraps like a Counter64
	} {
		if got := grown(c.rate, c.d); got != c.want {
			t.Errorf("grown(%d, %v) = %d, want %d", c.rate, c.d, got, c.want)
		}
	}
}

// TestLayoutIsShared checks that devices of one shape share one layout.
func TestLayoutIsShared(t *testing.T) {
	layouts := map[shape]*mibLayout{}
	opts := &Options{Community: "public", Clock: time.Now, PerDevice: func(i int, s *DeviceSpec) {
		s.NoIfXTable = i%2 == 1
	}}
	var ds []*Device
	for i := range 6 {
		d, err := buildDevice(i, opts, layouts)
		if err != nil {
			t.Fatal(err)
		}
		ds = append(ds, d)
	}
	if len(layouts) != 2 || ds[0].layout != ds[4].layout || ds[1].layout != ds[5].layout || ds[0].layout == ds[1].layout {
		t.Errorf("%d layouts for 6 devices of 2 shapes", len(layouts))
	}
	for i := 1; i < len(ds[0].layout.entries); i++ {
		if compareOID(ds[0].layout.entries[i-1].oid, ds[0].layout.entries[i].oid) >= 0 {
			t.Fatalf("layout not strictly increasing at %d", i)
		}
	}
}
