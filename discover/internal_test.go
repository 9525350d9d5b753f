package discover

import (
	"context"
	"net/netip"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"noctop/model"
	"noctop/probes"
)

// countingPinger is the real ICMP prober, with the addresses it was asked
// for and the most pings in flight recorded.
type countingPinger struct {
	p        *probes.ICMP
	mu       sync.Mutex
	asked    []netip.Addr
	inFlight atomic.Int32
	most     atomic.Int32
}

type countedProbe struct {
	probes.Prepared
	c *countingPinger
}

func (c *countingPinger) Prepare(t probes.Target) (probes.Prepared, error) {
	c.mu.Lock()
	c.asked = append(c.asked, netip.MustParseAddr(t.Asset.Address))
	c.mu.Unlock()
	pr, err := c.p.Prepare(t)
	return countedProbe{pr, c}, err
}

func (cp countedProbe) Run(ctx context.Context) model.Outcome {
	n := cp.c.inFlight.Add(1)
	defer cp.c.inFlight.Add(-1)
	for m := cp.c.most.Load(); n > m && !cp.c.most.CompareAndSwap(m, n); m = cp.c.most.Load() {
	}
	return cp.Prepared.Run(ctx)
}

// TestSweepStaysInRangesAndBound: the sweep asks exactly the addresses of
// the ranges (no network or broadcast address, nothing outside), each
// once, never more than workers at a time.
func TestSweepStaysInRangesAndBound(t *testing.T) {
	p := probes.NewICMP(probes.WithICMPRate(500))
	if p.Mode() == probes.ICMPUnavailable {
		t.Skipf("ICMP unavailable: %v", p.ModeErr())
	}
	defer p.Close()
	r, err := ParseRanges([]string{"127.0.3.0/26", "127.0.3.200", "127.0.3.0/28"}, false)
	if err != nil {
		t.Fatal(err)
	}
	c := &countingPinger{p: p}
	alive := 0
	var mu sync.Mutex
	sweep(t.Context(), c, r, 4, time.Second, func(a netip.Addr, ok bool) {
		mu.Lock()
		defer mu.Unlock()
		if ok {
			alive++
		}
	})
	seen := map[netip.Addr]bool{}
	for _, a := range c.asked {
		if seen[a] || !r.Contains(a) || a == netip.MustParseAddr("127.0.3.0") || a == netip.MustParseAddr("127.0.3.63") {
			t.Errorf("asked %s (twice, or outside the ranges)", a)
		}
		seen[a] = true
	}
	if len(c.asked) != 62+1 || alive != 63 {
		t.Errorf("asked %d addresses, %d alive; want 63 each (loopback answers)", len(c.asked), alive)
	}
	if m := c.most.Load(); m > 4 || m < 1 {
		t.Errorf("%d pings in flight at most, want 1..4", m)
	}
}

func TestKindOf(t *testing.T) {
	none := func(string) bool { return false }
	roots := func(rs ...string) func(string) bool {
		return func(r string) bool { return slices.Contains(rs, r) }
	}
	for _, c := range []struct {
		oid, descr string
		answers    func(string) bool
		kind, prof string
	}{
		{".1.3.6.1.4.1.318.1.3.27", "", none, KindUPS, "ups"},
		{"1.3.6.1.4.1.318.1.3.27", "", none, KindUPS, "ups"}, // gosnmp may drop the dot
		{".1.3.6.1.4.1.11.2.3.9.1", "", none, KindPrinter, "printer"},
		{".1.3.6.1.4.1.14823.1.2.34", "", none, KindAP, "wireless"},
		{".1.3.6.1.4.1.8072.3.2.10", "Linux web1 6.1", roots(rootHost), KindServer, "host"},
		{".1.3.6.1.4.1.9.1.1208", "Cisco IOS Software, C2960X", roots(rootBridge, rootLLDP), KindSwitch, ""},
		{".1.3.6.1.4.1.9.1.1208", "Cisco IOS Software, ISR4321 router", none, KindRouter, ""},
		{".1.3.6.1.4.1.99999.1", "", roots(rootUPS), KindUPS, "ups"},
		{".1.3.6.1.4.1.99999.1", "", roots(rootPrinter, rootHost), KindPrinter, "printer"},
		{".1.3.6.1.4.1.99999.1", "", roots(rootDot11), KindAP, "wireless"},
		{".1.3.6.1.4.1.99999.1", "Acme Smart UPS 1500", none, KindUPS, "ups"},
		{".1.3.6.1.4.1.99999.1", "Acme wireless access point", none, KindAP, "wireless"},
		{".1.3.6.1.4.1.99999.1", "Acme box", roots(rootHost), KindServer, "host"},
		{".1.3.6.1.4.1.99999.1", "Acme box", none, KindDevice, ""},
		{".1.3.6.1.4.1.3180", "", none, KindDevice, ""}, // not APC's 318 arc
		{"", "", none, KindDevice, ""},
	} {
		if k, p := kindOf(c.oid, c.descr, c.answers); k != c.kind || p != c.prof {
			t.Errorf("kindOf(%q, %q) = %q %q, want %q %q", c.oid, c.descr, k, p, c.kind, c.prof)
		}
	}
}

// TestParentsEdgeCases: two LLDP groups get a root each; a router roots
// its group whatever the degrees; FDB skips uplink ports and picks the
// edge port; a host LLDP does not place and no bridge learned stays a
// root; evidence prefers the child's own LLDP row.
func TestParentsEdgeCases(t *testing.T) {
	h := func(addr, name, kind, chassis string) *Host {
		return &Host{Addr: netip.MustParseAddr(addr), Name: name, SysName: name, Kind: kind, ChassisID: chassis}
	}
	rtr := h("10.0.0.1", "rtr", KindRouter, "c-rtr")
	sw1 := h("10.0.0.2", "sw1", KindSwitch, "c-sw1")
	sw2 := h("10.0.0.3", "sw2", KindSwitch, "c-sw2")
	sw3 := h("10.0.0.4", "sw3", KindSwitch, "c-sw3")
	srv := h("10.0.0.5", "srv", KindServer, "")
	lone := h("10.0.0.6", "lone", KindDevice, "")
	other := h("10.0.1.1", "other", KindSwitch, "c-other")
	peer := h("10.0.1.2", "peer", KindSwitch, "")
	srv.MACs = []string{"02:00:00:00:00:05"}
	// rtr - sw1 (only sw1's table has it), sw1 - sw2, sw1 - sw3: sw1 has
	// the most neighbours, but the router roots the group.
	sw1.Neighbors = []Neighbor{{LocalPort: 1, ChassisID: "c-rtr"}, {LocalPort: 2, ChassisID: "c-sw2"}, {LocalPort: 3, SysName: "SW3"}}
	sw2.Neighbors = []Neighbor{{LocalPort: 48, ChassisID: "c-sw1"}}
	// srv is learned on sw1's uplink to sw2 (port 2) and on sw2's port 7.
	sw1.FDB = []FDBEntry{{MAC: "02:00:00:00:00:05", Port: 2}, {MAC: "02:00:00:00:00:99", Port: 9}}
	sw2.FDB = []FDBEntry{{MAC: "02:00:00:00:00:05", Port: 7}}
	// A second group of two: other sees peer by name.
	other.Neighbors = []Neighbor{{LocalPort: 5, SysName: "peer"}}
	silent := &Host{Addr: netip.MustParseAddr("10.0.0.9"), Problem: ErrSilent}
	hosts := []*Host{rtr, sw1, sw2, sw3, srv, lone, other, peer, silent}
	Parents(hosts)
	for _, c := range []struct {
		h      *Host
		parent *Host
		why    string
	}{
		{rtr, nil, ""},
		{sw1, rtr, "parent from LLDP: sw1 port 1 sees rtr"},
		{sw2, sw1, "parent from LLDP: sw2 port 48 sees sw1"},
		{sw3, sw1, "parent from LLDP: sw1 port 3 sees sw3"},
		{srv, sw2, "parent from FDB: sw2 port 7 learned srv's MAC 02:00:00:00:00:05"},
		{lone, nil, ""},
		{other, nil, ""},
		{peer, other, "parent from LLDP: other port 5 sees peer"},
		{silent, nil, ""},
	} {
		if c.h.Parent != c.parent || c.h.Why() != c.why {
			t.Errorf("%s: parent %v %q, want %v %q", c.h.Name, hostName(c.h.Parent), c.h.Why(), hostName(c.parent), c.why)
		}
	}
}

func hostName(h *Host) string {
	if h == nil {
		return "none"
	}
	return h.Name
}

func TestCleanName(t *testing.T) {
	for in, want := range map[string]string{
		"core-sw1":                "core-sw1",
		"  Core SW 1\t":           "Core-SW-1",
		"a\"b\\c'd\x00e\x1bf":     "abcdef",
		"":                        "",
		"---":                     "",
		string(make([]byte, 300)): "",
		"ünïcödé-" + string(rune(0x7f)) + "x": "ünïcödé-x",
	} {
		if got := cleanName(in); got != want {
			t.Errorf("cleanName(%q) = %q, want %q", in, got, want)
		}
	}
	long := ""
	for range 40 {
		long += "é"
	}
	if got := cleanName(long); len(got) > maxName || got != long[:62] {
		t.Errorf("cleanName of 80 bytes = %q (%d bytes)", got, len(got))
	}
}

func TestNamesFallBack(t *testing.T) {
	hosts := []*Host{
		{Addr: netip.MustParseAddr("10.0.0.1"), SysName: "sw"},
		{Addr: netip.MustParseAddr("10.0.0.2"), ReverseName: "printer.example"},
		{Addr: netip.MustParseAddr("10.0.0.3")},
		{Addr: netip.MustParseAddr("10.0.0.4"), SysName: "sw"},
		{Addr: netip.MustParseAddr("10.0.0.5"), SysName: "\x01\x02", ReverseName: "x y"},
	}
	name(hosts)
	var got []string
	for _, h := range hosts {
		got = append(got, h.Name)
	}
	if want := "sw printer.example 10.0.0.3 sw-2 x-y"; strings.Join(got, " ") != want {
		t.Errorf("names %q, want %q", strings.Join(got, " "), want)
	}
}

// TestHostsOnlySendsNoDNS: the resolver answers from the hosts file and
// fails, without a packet, for anything else.
func TestHostsOnlySendsNoDNS(t *testing.T) {
	r := HostsOnly()
	_, err := r.LookupAddr(t.Context(), "192.0.2.77")
	if err == nil || !strings.Contains(err.Error(), "hosts file only") {
		t.Errorf("lookup of an address not in the hosts file: %v", err)
	}
	b, _ := os.ReadFile("/etc/hosts")
	if !strings.Contains(string(b), "127.0.0.1") || !strings.Contains(string(b), "localhost") {
		t.Skip("/etc/hosts has no 127.0.0.1 localhost line")
	}
	names, err := r.LookupAddr(t.Context(), "127.0.0.1")
	if err != nil || len(names) == 0 {
		t.Errorf("127.0.0.1 from /etc/hosts: %v %v", names, err)
	}
}
