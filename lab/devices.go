package lab

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"noctop/lab/snmpagent"
)

// The lab's SNMP devices, on consecutive addresses from AddrCoreSwitch:
// core-sw1 (48 ports, all in use), two access switches, a UPS, a printer
// and an access point.
const (
	AccSw1   = "acc-sw1"
	AccSw2   = "acc-sw2"
	UPS1     = "ups1"
	Printer1 = "printer1"
	AP1      = "ap1"
)

// Realistic sysObjectIDs (vendor enterprise arcs) so that discovery tells
// the kinds apart as it would on a real network.
const (
	ObjectIDCoreSwitch   = ".1.3.6.1.4.1.9.1.2494"   // Cisco Catalyst 9300-48
	ObjectIDAccessSwitch = ".1.3.6.1.4.1.9.1.1208"   // Cisco Catalyst 2960X-24
	ObjectIDUPS          = ".1.3.6.1.4.1.318.1.3.27" // APC Smart-UPS
	ObjectIDPrinter      = ".1.3.6.1.4.1.11.2.3.9.1" // HP JetDirect printer
	ObjectIDAP           = ".1.3.6.1.4.1.99999.1.2"  // the lab vendor's (fictitious) controller AP: dist/profiles/noctop-lab-ap.toml
)

// uplinkPort is the access switches' port to core-sw1 (LLDP); the core's
// ports 1 and 2 go to acc-sw1 and acc-sw2, port 40 to ups1; ap1 is on
// acc-sw1 port 3, printer1 on acc-sw2 port 7.
const uplinkPort = 24

// labDevices names the devices in address order (127.0.1.1 ...).
func labDevices() []string { return []string{CoreSwitch, AccSw1, AccSw2, UPS1, Printer1, AP1} }

// deviceIndex is a device's number in address order, or -1.
func deviceIndex(name string) int {
	for i, n := range labDevices() {
		if n == name {
			return i
		}
	}
	return -1
}

// neighbor is what a device sees of the lab device name on its local port:
// the peer's chassis, port name and sysName, as LLDP carries them.
func neighbor(local int, name, port string) snmpagent.Neighbor {
	return snmpagent.Neighbor{LocalPort: local, ChassisID: snmpagent.ChassisMAC(deviceIndex(name)), PortID: port, SysName: name}
}

// macOf is the MAC address of a lab device's first interface.
func macOf(name string) string { return snmpagent.InterfaceMAC(deviceIndex(name), 1) }

// topology sets a device's LLDP neighbours and bridge forwarding table.
func topology(s *snmpagent.DeviceSpec) {
	up := fmt.Sprintf("Gi1/0/%d", uplinkPort)
	switch s.Name {
	case CoreSwitch:
		s.Neighbors = []snmpagent.Neighbor{neighbor(1, AccSw1, up), neighbor(2, AccSw2, up)}
		// What the core learned: the access switches and what is behind
		// them on ports 1 and 2 (the uplinks), ups1 on port 40.
		s.FDB = []snmpagent.FDBEntry{
			{MAC: macOf(AccSw1), Port: 1}, {MAC: macOf(AP1), Port: 1},
			{MAC: macOf(AccSw2), Port: 2}, {MAC: macOf(Printer1), Port: 2},
			{MAC: macOf(UPS1), Port: 40},
		}
	case AccSw1:
		s.Neighbors = []snmpagent.Neighbor{neighbor(uplinkPort, CoreSwitch, "Gi1/0/1"), neighbor(3, AP1, "eth0")}
		s.FDB = []snmpagent.FDBEntry{{MAC: macOf(CoreSwitch), Port: uplinkPort}, {MAC: macOf(AP1), Port: 3}}
	case AccSw2:
		s.Neighbors = []snmpagent.Neighbor{neighbor(uplinkPort, CoreSwitch, "Gi1/0/2")}
		s.FDB = []snmpagent.FDBEntry{{MAC: macOf(CoreSwitch), Port: uplinkPort}, {MAC: macOf(Printer1), Port: 7}}
	case AP1:
		s.Neighbors = []snmpagent.Neighbor{neighbor(1, AccSw1, "Gi1/0/3")}
	}
}

// startSNMP runs the lab's SNMP devices, every one on the same UDP port.
// Defaults of the simulator that would keep the demo red forever (a port
// admin up and oper down from boot) are turned off; the access switches
// keep a port with rising input errors so the errors threshold has
// something to show.
func (l *Lab) startSNMP(ctx context.Context) error {
	names := labDevices()
	opts := snmpagent.Options{
		Devices:   len(names),
		FirstAddr: AddrCoreSwitch,
		PerDevice: func(i int, s *snmpagent.DeviceSpec) {
			s.Name = names[i]
			s.OperDownIf = -1
			s.Location = "lab rack 1"
			s.BootedAgo = time.Duration(41-7*i) * 24 * time.Hour // long-running, each its own uptime
			switch names[i] {
			case CoreSwitch:
				s.Interfaces, s.ErrorIf = 48, -1
				s.Descr = "noctop lab core switch CS-48, firmware 4.2.1"
				s.ObjectID = ObjectIDCoreSwitch
			case AccSw1, AccSw2:
				s.Interfaces, s.ErrorsPerMinute = 24, 30
				s.AdminDownIf = 23 // not the uplink
				s.Rate = 2_500_000
				s.Descr = "noctop lab access switch AS-24, firmware 1.0.0"
				s.ObjectID = ObjectIDAccessSwitch
			case UPS1:
				s.Interfaces, s.ErrorIf, s.AdminDownIf = 1, -1, -1
				s.NoHostResources = true
				s.UPS = true // UPS-MIB, read by the check's profile = "ups"
				s.Rate = 1_000
				s.Descr = "noctop lab UPS 3000VA, firmware 7.1"
				s.ObjectID = ObjectIDUPS
			case Printer1:
				s.Interfaces, s.ErrorIf, s.AdminDownIf = 1, -1, -1
				s.Rate = 2_000
				s.Descr = "noctop lab printer LaserJet M507, JetDirect firmware 2.4"
				s.ObjectID = ObjectIDPrinter
				s.Printer = true
			case AP1:
				s.Interfaces, s.ErrorIf, s.AdminDownIf = 2, -1, -1
				s.NoHostResources = true
				s.Rate = 500_000
				s.Descr = "noctop lab access point AP-515, firmware 8.10"
				s.ObjectID = ObjectIDAP
				s.AccessPoint = true
			}
			topology(s)
		},
	}
	var a *snmpagent.Agent
	var err error
	// One port on every address, below the kernel's ephemeral range: a
	// port the kernel hands out for ":0" (other tests' agents on 127.0.1.x)
	// can then never be the lab's, and a sweep of 127.0.1.0/24 on the
	// lab's port meets only the lab. Retried when taken on one address.
	for range 20 {
		opts.Port = labPort()
		if a, err = snmpagent.Start(ctx, opts); !errors.Is(err, syscall.EADDRINUSE) {
			break
		}
	}
	if err != nil {
		return fmt.Errorf("lab: %w", err)
	}
	l.snmp = a
	l.servers = append(l.servers, func() { _ = a.Close() })
	// The office printer's yellow toner runs low (under the printer
	// profile's 20% warning): a consumable due, in the renewals list.
	if err := l.SNMPDevice(Printer1).SetSupplyLevel(LowToner, LowTonerPct); err != nil {
		return fmt.Errorf("lab: %w", err)
	}
	return nil
}

// The lab printer's supply that runs low (4: yellow) and its level.
const (
	LowToner    = 4
	LowTonerPct = 12
)

// labPort is a random UDP port below the ephemeral range
// (net.ipv4.ip_local_port_range, 32768 by default), at least 10000.
func labPort() int {
	low := 32768
	if b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range"); err == nil {
		if f := strings.Fields(string(b)); len(f) == 2 {
			if n, err := strconv.Atoi(f[0]); err == nil && n > 10000+1000 {
				low = n
			}
		}
	}
	return 10000 + rand.IntN(low-10000)
}

// SNMPPort is the UDP port every lab SNMP device answers on.
func (l *Lab) SNMPPort() int { return l.snmp.Devices()[0].Port() }

// SNMPDevice returns the lab's SNMP device of an asset (core-sw1, acc-sw1,
// acc-sw2, ups1, printer1, ap1), or nil.
func (l *Lab) SNMPDevice(name string) *snmpagent.Device {
	for _, d := range l.snmp.Devices() {
		if d.Name() == name {
			return d
		}
	}
	return nil
}

// setSwitchSNMP makes every SNMP device silent while core-sw1 is down:
// they all hang off it.
func (l *Lab) setSwitchSNMP(up bool) {
	for _, d := range l.snmp.Devices() {
		d.SetSilent(!up)
	}
}

// snmpConfig writes the SNMP parts of the lab config: core-sw1's snmp
// check (its asset was just written) and the access switches, UPS,
// printer and access point, with the parents LLDP and the FDB show.
func (l *Lab) snmpConfig(w func(string, ...any), date func(int) string) {
	check := func(d *snmpagent.Device, extra string) {
		w("  [[asset.check]]\n  type = \"snmp\"\n  community = %s\n  port = %d\n%s\n", q(d.Community()), d.Port(), extra)
	}
	asset := func(name, kind, parent, tags string) *snmpagent.Device {
		d := l.SNMPDevice(name)
		w("[[asset]]\nname = %s\nlayer = \"technical\"\nkind = %s\naddress = %s\nparents = [%s]\n", q(name), q(kind), q(d.Host()), q(parent))
		w("tags = [%s]\n", tags)
		return d
	}
	check(l.SNMPDevice(CoreSwitch), "  utilization = { warn = 70, crit = 90 }\n  errors = { warn = 60, crit = 600 }   # per port: its normal discards stay below\n  cpu = { warn = 80, crit = 95 }\n")
	for _, name := range []string{AccSw1, AccSw2} {
		d := asset(name, "access switch", CoreSwitch, `"site:lab", "role:access"`)
		w("lifecycle = { commissioned = %s, warranty_end = %s, owner = \"netops\" }\n\n", date(-900), date(300))
		check(d, "  errors = { warn = 20, crit = 200 }   # one port has rising input errors: WARNING\n")
	}
	d := asset(UPS1, "UPS", CoreSwitch, `"site:lab", "role:power"`)
	w("lifecycle = { commissioned = %s, warranty_end = %s, eol = %s, owner = \"facilities\" }\n\n", date(-1800), date(-10), date(25))
	check(d, "  profile = \"ups\"   # UPS-MIB: on battery, charge, runtime, load, input voltage\n")
	d = asset(Printer1, "printer", AccSw2, `"site:lab", "role:office"`)
	w("lifecycle = { commissioned = %s, owner = \"desktop\" }\n\n", date(-600))
	check(d, "  profile = \"printer\"   # Printer-MIB: toner, trays, alerts; low toner joins the renewals\n")
	d = asset(AP1, "access point", AccSw1, `"site:lab", "role:wireless"`)
	w("lifecycle = { commissioned = %s, owner = \"netops\" }\n\n", date(-300))
	check(d, "  profile = \"wireless\"   # 802.11 SSIDs; clients and APs from the vendor's profile file\n")
}
