package discover_test

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/gosnmp/gosnmp"

	"noctop/discover"
	"noctop/lab"
	"noctop/lab/snmpagent"
	"noctop/model"
	"noctop/probes"
)

func startLab(t *testing.T) *lab.Lab {
	t.Helper()
	l, err := lab.Start(t.Context(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func icmp(t *testing.T) *probes.ICMP {
	t.Helper()
	p := probes.NewICMP(probes.WithICMPRate(2000))
	if p.Mode() == probes.ICMPUnavailable {
		t.Skipf("ICMP unavailable here: %v", p.ModeErr())
	}
	t.Cleanup(func() { p.Close() })
	return p
}

func run(t *testing.T, o discover.Options, ranges ...string) *discover.Result {
	t.Helper()
	r, err := discover.ParseRanges(ranges, false)
	if err != nil {
		t.Fatal(err)
	}
	o.Ranges = r
	if o.Timeout == 0 {
		o.Timeout = 300 * time.Millisecond
	}
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	res, err := discover.Run(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func byName(res *discover.Result) map[string]*discover.Host {
	m := map[string]*discover.Host{}
	for _, h := range res.Answered() {
		m[h.Name] = h
	}
	return m
}

// TestDiscoverLab sweeps the lab's range as `noctop discover 127.0.1.0/24`
// does: kinds from sysObjectID and the MIB roots, names from sysName,
// parents from LLDP (the access switches and the AP) and the bridges'
// FDB (the UPS and the printer), and a config that loads.
func TestDiscoverLab(t *testing.T) {
	l := startLab(t)
	res := run(t, discover.Options{ICMP: icmp(t), Creds: discover.Credentials{Port: l.SNMPPort()}}, "127.0.1.0/24")
	if res.Swept != 254 {
		t.Errorf("swept %d addresses, want 254", res.Swept)
	}
	hosts := byName(res)
	want := []struct{ name, addr, kind, profile, parent, why string }{
		{lab.CoreSwitch, "127.0.1.1", discover.KindSwitch, "", "", ""},
		{lab.AccSw1, "127.0.1.2", discover.KindSwitch, "", lab.CoreSwitch, "parent from LLDP: acc-sw1 port 24 sees core-sw1"},
		{lab.AccSw2, "127.0.1.3", discover.KindSwitch, "", lab.CoreSwitch, "parent from LLDP: acc-sw2 port 24 sees core-sw1"},
		{lab.UPS1, "127.0.1.4", discover.KindUPS, "ups", lab.CoreSwitch, "parent from FDB: core-sw1 port 40 learned ups1's MAC " + snmpagent.InterfaceMAC(3, 1)},
		{lab.Printer1, "127.0.1.5", discover.KindPrinter, "printer", lab.AccSw2, "parent from FDB: acc-sw2 port 7 learned printer1's MAC " + snmpagent.InterfaceMAC(4, 1)},
		{lab.AP1, "127.0.1.6", discover.KindAP, "wireless", lab.AccSw1, "parent from LLDP: ap1 port 1 sees acc-sw1"},
	}
	if len(hosts) != len(want) {
		t.Errorf("%d hosts answered SNMP, want %d", len(hosts), len(want))
	}
	for _, w := range want {
		h := hosts[w.name]
		if h == nil {
			t.Errorf("%s not found", w.name)
			continue
		}
		parent := ""
		if h.Parent != nil {
			parent = h.Parent.Name
		}
		if h.Addr.String() != w.addr || h.Kind != w.kind || h.Profile != w.profile || parent != w.parent || h.Why() != w.why {
			t.Errorf("%s: %s kind %q profile %q parent %q (%s), want %s %q %q %q (%s)",
				w.name, h.Addr, h.Kind, h.Profile, parent, h.Why(), w.addr, w.kind, w.profile, w.parent, w.why)
		}
	}
	// The rest of the /24 answers ping (loopback) and not SNMP: reported,
	// not written.
	silent := 0
	for _, h := range res.Hosts {
		if !h.SNMP() {
			silent++
			if !errors.Is(h.Problem, discover.ErrSilent) {
				t.Errorf("%s: %v, want ErrSilent", h.Addr, h.Problem)
			}
		}
	}
	if silent != 254-len(want) {
		t.Errorf("%d silent hosts, want %d", silent, 254-len(want))
	}
	// Part of the site: the core stays the root (it learned the most MACs)
	// though acc-sw1 has as many LLDP neighbours in view.
	part := byName(run(t, discover.Options{ICMP: icmp(t), Creds: discover.Credentials{Port: l.SNMPPort()}}, "127.0.1.1", "127.0.1.2", "127.0.1.6"))
	if c, a := part[lab.CoreSwitch], part[lab.AccSw1]; c == nil || a == nil || c.Parent != nil || a.Parent != c {
		t.Errorf("part of the site: core-sw1 %+v, acc-sw1 %+v", c, a)
	}
	cfgText := discover.Header("noctop discover 127.0.1.0/24", "now") + discover.Write(res.Hosts, discover.Credentials{Port: l.SNMPPort()})
	cfg, err := model.Parse("discovered.toml", []byte(cfgText))
	if err != nil {
		t.Fatalf("written config: %v\n%s", err, cfgText)
	}
	if len(cfg.Assets) != len(want) || !strings.Contains(cfgText, "# parent from LLDP: acc-sw1 port 24 sees core-sw1\nparents = [\"core-sw1\"]\n") {
		t.Errorf("written config:\n%s", cfgText)
	}
}

// TestDiscoverMergeKeepsHandWritten merges a discovery into a config with
// hand-written assets: one already at core-sw1's address under another
// name, one holding a name discovery wants. The old bytes stay, new
// assets are appended, the parents name the config's asset.
func TestDiscoverMergeKeepsHandWritten(t *testing.T) {
	l := startLab(t)
	creds := discover.Credentials{Port: l.SNMPPort()}
	res := run(t, discover.Options{ICMP: icmp(t), Creds: creds}, "127.0.1.0/29")
	old := []byte(`# my site, by hand
[defaults]
interval = "30s"   # keep

[[asset]]
name    = "core"          # odd spacing, kept
layer   = "technical"
kind    = "switch"
address = "127.0.1.1"
parents = ["gw"]

[[asset]]
name = "gw"
layer = "technical"
address = "127.0.0.1"
  [[asset.check]]
  type = "icmp"

[[asset]]
name = "acc-sw1"          # a different box that holds the name
layer = "application"
address = "127.0.0.99"`) // no final newline
	m, err := discover.Merge("site.toml", old, res, creds, "# added\n")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(m.Config, old) {
		t.Fatalf("merged config does not start with the old bytes:\n%s", m.Config)
	}
	if len(m.Known) != 1 || m.Known[0].Name != "core" || len(m.Added) != 5 {
		t.Errorf("known %d (%v), added %d", len(m.Known), m.Known, len(m.Added))
	}
	added := string(m.Config[len(old):])
	for _, want := range []string{
		"name = \"acc-sw1-2\"", "# parent from LLDP: acc-sw1-2 port 24 sees core\nparents = [\"core\"]",
		"name = \"ap1\"", "parents = [\"acc-sw1-2\"]", "name = \"printer1\"",
	} {
		if !strings.Contains(added, want) {
			t.Errorf("appended part lacks %q:\n%s", want, added)
		}
	}
	if strings.Contains(added, "name = \"core-sw1\"") {
		t.Errorf("core-sw1 added again though the config has its address:\n%s", added)
	}
	notes := strings.Join(m.Notes, "\n")
	if !strings.Contains(notes, "acc-sw1-2 (127.0.1.2): named acc-sw1-2, as acc-sw1 is taken") {
		t.Errorf("notes:\n%s", notes)
	}
	// Merging the merged config again adds nothing and changes nothing.
	again, err := discover.Merge("site.toml", m.Config, res, creds, "# added\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Added) != 0 || !bytes.Equal(again.Config, m.Config) {
		t.Errorf("second merge added %d assets", len(again.Added))
	}
	// A config with errors is refused, with the loader's positions.
	if _, err := discover.Merge("bad.toml", []byte("[[asset]]\nname = 3\n"), res, creds, ""); err == nil || !strings.Contains(err.Error(), "bad.toml:2:") {
		t.Errorf("merge into a broken config: %v", err)
	}
}

// TestDiscoverProblemHosts meets a silent host, an SNMPv3-only host and
// hosts answering garbage among good ones: each is reported, the sweep
// goes on and finds the rest.
func TestDiscoverProblemHosts(t *testing.T) {
	port := freePort(t, "127.0.9.1")
	a, err := snmpagent.Start(t.Context(), snmpagent.Options{Devices: 6, FirstAddr: "127.0.9.1", Port: port,
		Users: []snmpagent.User{{Name: "ops", AuthProtocol: gosnmp.SHA, AuthPassword: "authpass1", PrivProtocol: gosnmp.AES, PrivPassword: "privpass1"}},
		PerDevice: func(i int, s *snmpagent.DeviceSpec) {
			if i == 2 {
				s.Community = "not-the-one-given" // answers v3 only, as far as discovery knows
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	ds := a.Devices()
	ds[1].SetSilent(true)
	ds[3].SetMisbehave(snmpagent.MisbehaveGarbage)
	ds[4].SetMisbehave(snmpagent.MisbehaveTruncated)
	res := run(t, discover.Options{ICMP: icmp(t), Creds: discover.Credentials{Port: port}}, "127.0.9.0/29")
	got := map[string]error{}
	for _, h := range res.Hosts {
		got[h.Addr.String()] = h.Problem
	}
	for addr, want := range map[string]error{
		"127.0.9.1": nil, "127.0.9.2": discover.ErrSilent, "127.0.9.3": discover.ErrV3Only,
		"127.0.9.4": discover.ErrGarbage, "127.0.9.5": discover.ErrGarbage, "127.0.9.6": nil,
	} {
		p, ok := got[addr]
		if !ok || (want == nil) != (p == nil) || (want != nil && !errors.Is(p, want)) {
			t.Errorf("%s: %v, want %v", addr, p, want)
		}
	}
	if p := got["127.0.9.3"]; p == nil || !strings.Contains(p.Error(), "SNMPv3 only: give --v3-user") {
		t.Errorf("v3-only host: %v", p)
	}
	// With the v3 user, the v3 host answers.
	v3 := discover.Credentials{Version: "3", User: "ops", AuthProtocol: "SHA", AuthPassword: "authpass1", PrivProtocol: "AES", PrivPassword: "privpass1", Port: port}
	res = run(t, discover.Options{ICMP: icmp(t), Creds: v3}, "127.0.9.3")
	if len(res.Answered()) != 1 || res.Answered()[0].SysName != "lab-sw-003" {
		t.Errorf("v3 run: %+v", res.Hosts)
	}
	// A wrong v3 password is a refusal, not garbage.
	v3.AuthPassword = "wrongpass1"
	res = run(t, discover.Options{ICMP: icmp(t), Creds: v3}, "127.0.9.3")
	if len(res.Hosts) != 1 || !errors.Is(res.Hosts[0].Problem, discover.ErrRefused) {
		t.Errorf("wrong v3 password: %+v", res.Hosts[0].Problem)
	}
}

func freePort(t *testing.T, host string) int {
	t.Helper()
	c, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(netip.AddrPortFrom(netip.MustParseAddr(host), 0)))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	return c.LocalAddr().(*net.UDPAddr).Port
}

// TestDiscoverCutsHugeTables: a bridge with more FDB rows than discovery
// reads is read up to the bound and says so; the host is still found.
func TestDiscoverCutsHugeTables(t *testing.T) {
	port := freePort(t, "127.0.9.20")
	fdb := make([]snmpagent.FDBEntry, 10_001)
	for i := range fdb {
		fdb[i] = snmpagent.FDBEntry{MAC: net.HardwareAddr{2, 0x10, 0, byte(i >> 16), byte(i >> 8), byte(i)}.String(), Port: 1 + i%48}
	}
	a, err := snmpagent.Start(t.Context(), snmpagent.Options{FirstAddr: "127.0.9.20", Port: port, Spec: snmpagent.DeviceSpec{FDB: fdb}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	res := run(t, discover.Options{ICMP: icmp(t), Creds: discover.Credentials{Port: port}}, "127.0.9.20")
	if len(res.Answered()) != 1 {
		t.Fatalf("hosts: %+v", res.Hosts)
	}
	h := res.Answered()[0]
	if len(h.FDB) != 10_000 || len(h.Partial) != 1 || h.Partial[0] != "bridge FDB: more than 10000 rows: the rest was not read" {
		t.Errorf("%d FDB rows, partial %q", len(h.FDB), h.Partial)
	}
}

// TestDiscoverNoPing: without a sweep every address of the range is asked
// SNMP; without ICMP and without NoPing, Run refuses to start.
func TestDiscoverNoPing(t *testing.T) {
	port := freePort(t, "127.0.9.30")
	a, err := snmpagent.Start(t.Context(), snmpagent.Options{Devices: 2, FirstAddr: "127.0.9.30", Port: port})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	res := run(t, discover.Options{NoPing: true, Creds: discover.Credentials{Port: port}}, "127.0.9.28/30", "127.0.9.32")
	if res.Swept != 0 || len(res.Hosts) != 3 || len(res.Answered()) != 1 || res.Answered()[0].Addr.String() != "127.0.9.30" {
		t.Errorf("swept %d, %d hosts asked, answered %v", res.Swept, len(res.Hosts), res.Answered())
	}
	r, _ := discover.ParseRanges([]string{"127.0.9.30"}, false)
	if _, err := discover.Run(t.Context(), discover.Options{Ranges: r}); !errors.Is(err, discover.ErrNoICMP) {
		t.Errorf("Run without ICMP: %v, want ErrNoICMP", err)
	}
}
