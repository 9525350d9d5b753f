package discover

import (
	"net/netip"
	"testing"

	"noctop/model"
)

// FuzzWriteFromNetwork: whatever an agent answers (system group, LLDP
// rows, FDB, MACs) becomes names, comments and parents of a config that
// loads; nothing panics.
func FuzzWriteFromNetwork(f *testing.F) {
	f.Add([]byte("core-sw1"), []byte("Cisco IOS\nrouter"), []byte{2, 0, 0, 0, 1, 0}, []byte("acc sw\"1"), []byte("2.0.0.0.5.1"), 24)
	f.Add([]byte("\x00\xff"), []byte("\u2028\x85 printer"), []byte("x"), []byte(""), []byte("1.2.3"), 0)
	f.Add([]byte("ünï"), []byte("# [[asset]]"), []byte{}, []byte("ünï"), []byte("256.0.0.0.0.1"), -3)
	f.Fuzz(func(t *testing.T, sysName, descr, chassis, remName, fdbIndex []byte, port int) {
		a := &Host{Addr: netip.MustParseAddr("10.0.0.1"), SysName: text(sysName), SysDescr: text(descr), ChassisID: chassisText(chassis),
			Kind: KindSwitch}
		b := &Host{Addr: netip.MustParseAddr("10.0.0.2"), SysName: text(remName), SysDescr: text(descr), Kind: KindPrinter, Profile: "printer",
			MACs: []string{"02:00:00:00:05:01"}}
		c := &Host{Addr: netip.MustParseAddr("10.0.0.3"), SysName: text(sysName), Kind: KindAP}
		a.Neighbors = []Neighbor{{LocalPort: port, ChassisID: chassisText(chassis), SysName: text(remName)}}
		b.Neighbors = []Neighbor{{LocalPort: 1, ChassisID: chassisText(chassis), PortID: text(descr)}}
		if mac, ok := macFromIndex(string(fdbIndex)); ok {
			a.FDB = append(a.FDB, FDBEntry{MAC: mac, Port: port})
			c.MACs = []string{mac}
		}
		hosts := []*Host{a, b, c}
		name(hosts)
		Parents(hosts)
		cfg := Header("noctop discover 10.0.0.0/29", "now") + Write(hosts, Credentials{Community: string(remName)})
		if _, err := model.Parse("fuzz.toml", []byte(cfg)); err != nil && len(remName) > 0 {
			// An empty community is refused by the loader, rightly.
			t.Fatalf("written config does not load: %v\n%s", err, cfg)
		}
	})
}
