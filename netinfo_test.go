package main

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"noctop/model"
)

// Fixtures in the kernel's formats; init only reads them, never contacts
// the addresses.
const route4 = `Iface	Destination	Gateway 	Flags	RefCnt	Use	Metric	Mask		MTU	Window	IRTT
eth0	00000000	010200C0	0003	0	0	0	00000000	0	0	0
eth0	000200C0	00000000	0001	0	0	0	00FFFFFF	0	0	0
wlan0	00000000	FE01A8C0	0003	0	0	600	00000000	0	0	0
`

const route6 = `fd000000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0
00000000000000000000000000000000 00 00000000000000000000000000000000 00 fe800000000000000000000000000001 00000400 00000002 00000000 00000003     eth0
00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo
`

const resolvConf = `# generated
search example.net
nameserver 192.0.2.53
nameserver fe80::53%eth0
nameserver 192.0.2.53
nameserver not-an-ip
options ndots:2
`

func TestDefaultGateways(t *testing.T) {
	g4, err := defaultGateways4(strings.NewReader(route4))
	if err != nil {
		t.Fatal(err)
	}
	want := []netip.Addr{netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("192.168.1.254")}
	if len(g4) != 2 || g4[0] != want[0] || g4[1] != want[1] {
		t.Errorf("v4 gateways %v, want %v", g4, want)
	}
	g6, err := defaultGateways6(strings.NewReader(route6))
	if err != nil {
		t.Fatal(err)
	}
	if len(g6) != 1 || g6[0] != netip.MustParseAddr("fe80::1") {
		t.Errorf("v6 gateways %v, want [fe80::1]", g6)
	}
	if _, err := defaultGateways4(strings.NewReader("h\neth0 00000000 zz 0003 0 0 0 00000000\n")); err == nil {
		t.Error("bad gateway hex: no error")
	}
}

func TestResolvers(t *testing.T) {
	rs, err := resolvers(strings.NewReader(resolvConf))
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2 || rs[0].String() != "192.0.2.53" || rs[1].String() != "fe80::53" {
		t.Errorf("resolvers %v", rs)
	}
}

func TestStarterConfigNamesWhatItFound(t *testing.T) {
	nf := netFacts{
		gateways:  []netip.Addr{netip.MustParseAddr("192.0.2.1")},
		resolvers: []netip.Addr{netip.MustParseAddr("192.0.2.53"), netip.MustParseAddr("192.0.2.54")},
	}
	text, err := starterConfig("bad\"host", nf, time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`name    = "badhost"`, `address = "192.0.2.1"`, `address = "192.0.2.54"`,
		`name  = "Name resolution"`, `needs = ["gateway-1", "Name resolution"]`, "2026-11-26"} {
		if !strings.Contains(text, want) {
			t.Errorf("starter config lacks %q:\n%s", want, text)
		}
	}
	if _, err := model.Parse("starter.toml", []byte(text)); err != nil {
		t.Errorf("starter config does not load:\n%v\n%s", err, text)
	}
}
