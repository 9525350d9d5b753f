package lab

import (
	"context"
	"fmt"
	"time"

	"noctop/lab/snmpagent"
)

// The lab's SNMP devices, on consecutive addresses from AddrCoreSwitch:
// core-sw1 (48 ports, all in use), two access switches and a UPS.
const (
	AccSw1 = "acc-sw1"
	AccSw2 = "acc-sw2"
	UPS1   = "ups1"
)

// labDevices names the devices in address order (127.0.0.2 ...).
func labDevices() []string { return []string{CoreSwitch, AccSw1, AccSw2, UPS1} }

// startSNMP runs the lab's SNMP devices. Defaults of the simulator that
// would keep the demo red forever (a port admin up and oper down from boot)
// are turned off; the access switches keep a port with rising input errors
// so the errors threshold has something to show.
func (l *Lab) startSNMP(ctx context.Context) error {
	names := labDevices()
	a, err := snmpagent.Start(ctx, snmpagent.Options{
		Devices:   len(names),
		FirstAddr: AddrCoreSwitch,
		PerDevice: func(i int, s *snmpagent.DeviceSpec) {
			s.Name = names[i]
			s.OperDownIf = -1
			s.Location = "lab rack 1"
			s.BootedAgo = time.Duration(41-9*i) * 24 * time.Hour // long-running, each its own uptime
			switch names[i] {
			case CoreSwitch:
				s.Interfaces, s.ErrorIf = 48, -1
				s.Descr = "noctop lab core switch CS-48, firmware 4.2.1"
			case AccSw1, AccSw2:
				s.Interfaces, s.ErrorsPerMinute = 24, 30
				s.Rate = 2_500_000
				s.Descr = "noctop lab access switch AS-24, firmware 1.0.0"
			case UPS1:
				s.Interfaces, s.ErrorIf, s.AdminDownIf = 1, -1, -1
				s.NoHostResources = true
				s.UPS = true // UPS-MIB, read by the check's profile = "ups"
				s.Rate = 1_000
				s.Descr = "noctop lab UPS 3000VA, firmware 7.1"
			}
		},
	})
	if err != nil {
		return fmt.Errorf("lab: %w", err)
	}
	l.snmp = a
	l.servers = append(l.servers, func() { _ = a.Close() })
	return nil
}

// SNMPDevice returns the lab's SNMP device of an asset (core-sw1, acc-sw1,
// acc-sw2, ups1), or nil.
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
// check (its asset was just written) and the access switches and UPS.
func (l *Lab) snmpConfig(w func(string, ...any), date func(int) string) {
	check := func(d *snmpagent.Device, extra string) {
		w("  [[asset.check]]\n  type = \"snmp\"\n  community = %s\n  port = %d\n%s\n", q(d.Community()), d.Port(), extra)
	}
	check(l.SNMPDevice(CoreSwitch), "  utilization = { warn = 70, crit = 90 }\n  errors = { warn = 60, crit = 600 }   # per port: its normal discards stay below\n  cpu = { warn = 80, crit = 95 }\n")
	for _, name := range []string{AccSw1, AccSw2} {
		d := l.SNMPDevice(name)
		w("[[asset]]\nname = %s\nlayer = \"technical\"\nkind = \"access switch\"\naddress = %s\nparents = [%s]\n", q(name), q(d.Host()), q(CoreSwitch))
		w("tags = [\"site:lab\", \"role:access\"]\n")
		w("lifecycle = { commissioned = %s, warranty_end = %s, owner = \"netops\" }\n\n", date(-900), date(300))
		check(d, "  errors = { warn = 20, crit = 200 }   # one port has rising input errors: WARNING\n")
	}
	d := l.SNMPDevice(UPS1)
	w("[[asset]]\nname = %s\nlayer = \"technical\"\nkind = \"UPS\"\naddress = %s\nparents = [%s]\n", q(UPS1), q(d.Host()), q(CoreSwitch))
	w("tags = [\"site:lab\", \"role:power\"]\n")
	w("lifecycle = { commissioned = %s, warranty_end = %s, eol = %s, owner = \"facilities\" }\n\n", date(-1800), date(-10), date(25))
	check(d, "  profile = \"ups\"   # UPS-MIB: on battery, charge, runtime, load, input voltage\n")
}
