package discover_test

import (
	"bytes"
	"net/netip"
	"strings"
	"testing"

	"noctop/discover"
	"noctop/model"
)

// FuzzParseRanges: any argument list parses or fails with an error, never
// a panic; what parses enumerates exactly Count addresses, each inside the
// ranges.
func FuzzParseRanges(f *testing.F) {
	for _, s := range []string{"127.0.1.0/24", "10.0.0.1", "10.0.0.0/31,10.0.0.0/30", "::1", "2001:db8::/120",
		"10.0.0.1/24", "0.0.0.0/0", "::ffff:10.0.0.0/120", "fe80::1%eth0", "127.0.0.0/16,127.0.1.0/24", ""} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, list string, yes bool) {
		r, err := discover.ParseRanges(strings.Split(list, ","), yes)
		if err != nil {
			return
		}
		if r.Count() > discover.MaxRange || (!yes && r.Count() > discover.LargeRange) {
			t.Fatalf("%q: %d addresses accepted", list, r.Count())
		}
		if r.Count() > 4096 {
			return
		}
		n := 0
		seen := map[netip.Addr]bool{}
		r.All(func(a netip.Addr) bool {
			n++
			if seen[a] || !r.Contains(a) {
				t.Fatalf("%q: %s enumerated twice or outside the ranges", list, a)
			}
			seen[a] = true
			return true
		})
		if n != r.Count() {
			t.Fatalf("%q: enumerated %d, Count %d", list, n, r.Count())
		}
	})
}

// FuzzMerge: merging into any file either refuses it with an error or
// keeps its bytes as the prefix of a config that loads.
func FuzzMerge(f *testing.F) {
	f.Add([]byte("[[asset]]\nname = \"core\"\nlayer = \"technical\"\naddress = \"127.0.1.1\"\n"))
	f.Add([]byte("# empty\n"))
	f.Add([]byte("[[asset]]\nname = \"acc-sw1\"\nlayer = \"technical\"\naddress = \"127.0.0.9\""))
	f.Add([]byte("[[service]]\nname = \"core-sw1\"\nrule = \"all\"\nneeds = [\"x\"]\n[[asset]]\nname = \"x\"\nlayer = \"technical\"\n"))
	f.Add([]byte("[[asset]]\nname = 3\n"))
	res := fuzzResult()
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := model.Parse("f.toml", data); err != nil {
			if _, merr := discover.Merge("f.toml", data, res, discover.Credentials{}, "# added\n"); merr == nil {
				t.Fatalf("merged into a config that does not load")
			}
			return
		}
		m, err := discover.Merge("f.toml", data, res, discover.Credentials{}, "# added\n")
		if err != nil {
			t.Fatalf("merge into a config that loads: %v", err)
		}
		if !bytes.HasPrefix(m.Config, data) {
			t.Fatal("the old bytes are not kept")
		}
	})
}

// fuzzResult is a small discovery: a switch with an AP below it (LLDP).
func fuzzResult() *discover.Result {
	core := &discover.Host{Addr: netip.MustParseAddr("127.0.1.1"), SysName: "core-sw1", Name: "core-sw1", Kind: discover.KindSwitch, ChassisID: "c1",
		Neighbors: []discover.Neighbor{{LocalPort: 3, ChassisID: "c2", SysName: "acc-sw1"}}}
	acc := &discover.Host{Addr: netip.MustParseAddr("127.0.1.2"), SysName: "acc-sw1", Name: "acc-sw1", Kind: discover.KindAP, Profile: "wireless", ChassisID: "c2"}
	res := &discover.Result{Hosts: []*discover.Host{core, acc}}
	discover.Parents(res.Hosts)
	return res
}
