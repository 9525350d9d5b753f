package main

import (
	"encoding/binary"
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

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
	want := []gateway{{netip.MustParseAddr("192.0.2.1"), "eth0"}, {netip.MustParseAddr("192.168.1.254"), "wlan0"}}
	if len(g4) != 2 || g4[0] != want[0] || g4[1] != want[1] {
		t.Errorf("v4 gateways %v, want %v", g4, want)
	}
	g6, err := defaultGateways6(strings.NewReader(route6))
	if err != nil {
		t.Fatal(err)
	}
	// A link-local next hop is useless without its interface.
	if len(g6) != 1 || g6[0].addr != netip.MustParseAddr("fe80::1%eth0") {
		t.Errorf("v6 gateways %v, want [fe80::1%%eth0]", g6)
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
		gateways:  []gateway{{netip.MustParseAddr("192.0.2.1"), "eth0"}},
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
	if strings.Contains(text, "Default route") {
		t.Errorf("one gateway needs no \"Default route\" service:\n%s", text)
	}
	if _, err := model.Parse("starter.toml", []byte(text)); err != nil {
		t.Errorf("starter config does not load:\n%v\n%s", err, text)
	}
}

// With an IPv4 and an IPv6 gateway, either path gives network access: a
// "Default route" service (rule any) stands for both, so one dead path is
// not a network outage.
func TestStarterConfigTwoGatewaysAny(t *testing.T) {
	nf := netFacts{
		gateways:  []gateway{{netip.MustParseAddr("192.0.2.1"), "eth0"}, {netip.MustParseAddr("fe80::1%eth0"), "eth0"}},
		resolvers: []netip.Addr{netip.MustParseAddr("192.0.2.53")},
	}
	text, err := starterConfig("h", nf, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := model.Parse("starter.toml", []byte(text))
	if err != nil {
		t.Fatalf("starter config does not load:\n%v\n%s", err, text)
	}
	services := map[string]model.Service{}
	for _, s := range cfg.Services {
		services[s.Name] = s
	}
	route, access := services["Default route"], services["Network access"]
	if route.Rule != "any" || strings.Join(route.Needs, ",") != "gateway-1,gateway-2" {
		t.Errorf("Default route = %+v, want any of gateway-1, gateway-2", route)
	}
	if access.Rule != "all" || strings.Join(access.Needs, ",") != "Default route,resolver-1" {
		t.Errorf("Network access = %+v, want all of Default route, resolver-1", access)
	}
	for _, want := range []string{`address = "fe80::1%eth0"`, "# default route (IPv6 via eth0)"} {
		if !strings.Contains(text, want) {
			t.Errorf("starter config lacks %q:\n%s", want, text)
		}
	}
}

const arpTable = `IP address       HW type     Flags       HW address            Mask     Device
192.0.2.1        0x1         0x2         02:fc:00:00:00:05     *        eth0
192.168.1.254    0x1         0x0         00:00:00:00:00:00     *        wlan0
`

func TestSilentNeighbours4(t *testing.T) {
	got, err := silentNeighbours4(strings.NewReader(arpTable))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || !got[netip.MustParseAddr("192.168.1.254")] {
		t.Errorf("silent %v, want only 192.168.1.254 (incomplete)", got)
	}
}

// neighMsg builds one RTM_NEWNEIGH message as the kernel sends it.
func neighMsg(state uint16, dst netip.Addr) []byte {
	attr := make([]byte, 4+16)
	binary.NativeEndian.PutUint16(attr[0:2], uint16(len(attr)))
	binary.NativeEndian.PutUint16(attr[2:4], unix.NDA_DST)
	copy(attr[4:], dst.AsSlice())
	nd := make([]byte, unix.SizeofNdMsg)
	nd[0] = unix.AF_INET6
	binary.NativeEndian.PutUint32(nd[4:8], 2) // ifindex
	binary.NativeEndian.PutUint16(nd[8:10], state)
	body := append(nd, attr...)
	msg := make([]byte, unix.SizeofNlMsghdr, unix.SizeofNlMsghdr+len(body))
	binary.NativeEndian.PutUint32(msg[0:4], uint32(unix.SizeofNlMsghdr+len(body)))
	binary.NativeEndian.PutUint16(msg[4:6], unix.RTM_NEWNEIGH)
	return append(msg, body...)
}

func TestSilentNeighbours6(t *testing.T) {
	dump := append(neighMsg(unix.NUD_FAILED, netip.MustParseAddr("fd00::1")),
		neighMsg(unix.NUD_REACHABLE, netip.MustParseAddr("fe80::1"))...)
	dump = append(dump, neighMsg(unix.NUD_INCOMPLETE, netip.MustParseAddr("fd00::2"))...)
	got, err := silentNeighbours6(dump)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !got[netip.MustParseAddr("fd00::1")] || !got[netip.MustParseAddr("fd00::2")] {
		t.Errorf("silent %v, want fd00::1 (failed) and fd00::2 (incomplete)", got)
	}
	if _, err := silentNeighbours6(dump[:24]); err == nil {
		t.Error("a cut message: no error")
	}
	// This kernel's own table parses (its content depends on the machine).
	real, err := dumpNeighbours6()
	if err != nil {
		t.Skipf("no netlink here: %v", err)
	}
	if _, err := silentNeighbours6(real); err != nil {
		t.Errorf("this kernel's neighbour table: %v", err)
	}
}

// A host with an IPv6 default route but no IPv6 router (neighbour
// discovery FAILED) started with a root cause for a path that does not
// exist: init leaves such a gateway out and says why.
func TestReadNetFactsLeavesOutSilentGateways(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	route6Global := strings.Replace(route6, "fe800000000000000000000000000001", "fd000000000000000000000000000001", 1)
	src := netSources{
		route4: write("route", route4), route6: write("ipv6_route", route6Global),
		arp: write("arp", arpTable), resolvConf: write("resolv.conf", resolvConf),
		neigh6: func() ([]byte, error) { return neighMsg(unix.NUD_FAILED, netip.MustParseAddr("fd00::1")), nil },
	}
	nf := readNetFacts(src)
	if len(nf.gateways) != 1 || nf.gateways[0].addr.String() != "192.0.2.1" {
		t.Errorf("gateways %v, want only 192.0.2.1 (192.168.1.254 and fd00::1 never answered)", nf.gateways)
	}
	notes := strings.Join(nf.warnings, "\n")
	for _, want := range []string{"left out the IPv6 gateway fd00::1 (eth0)", "left out the IPv4 gateway 192.168.1.254 (wlan0)"} {
		if !strings.Contains(notes, want) {
			t.Errorf("warnings lack %q:\n%s", want, notes)
		}
	}
	src.neigh6 = func() ([]byte, error) { return nil, errors.New("netlink: permission denied") }
	if nf := readNetFacts(src); len(nf.gateways) != 2 || !strings.Contains(strings.Join(nf.warnings, "\n"), "IPv6 gateways written unchecked") {
		t.Errorf("without the neighbour table: gateways %v, warnings %q", nf.gateways, nf.warnings)
	}
}
