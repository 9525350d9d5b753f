package snmpagent

import (
	"fmt"
	"net"
)

// The Device methods tests and the demo call: readers, then knobs.
// Knobs take effect on the next request.

// Addr is the device's UDP address, host:port.
func (d *Device) Addr() string { return d.addr }

// Host is the device's loopback IP address.
func (d *Device) Host() string { h, _, _ := net.SplitHostPort(d.addr); return h }

// Port is the device's UDP port.
func (d *Device) Port() int { return d.conn.LocalAddr().(*net.UDPAddr).Port }

// Name is the device's sysName.
func (d *Device) Name() string { return d.spec.Name }

// Community is the v1/v2c community the device answers.
func (d *Device) Community() string { return string(d.community) }

// Spec is the device's spec with every default filled in.
func (d *Device) Spec() DeviceSpec { return d.spec }

// EngineID is the device's SNMPv3 snmpEngineID.
func (d *Device) EngineID() []byte { return []byte(d.usm.engineID) }

// InRate is the octets per second interface ifIndex receives while up (0
// for an unknown index).
func (d *Device) InRate(ifIndex int) uint64 {
	if ifIndex < 1 || ifIndex > len(d.ifs) {
		return 0
	}
	return d.ifs[ifIndex-1].inRate
}

// OutRate is the octets per second interface ifIndex sends while up.
func (d *Device) OutRate(ifIndex int) uint64 {
	if ifIndex < 1 || ifIndex > len(d.ifs) {
		return 0
	}
	return d.ifs[ifIndex-1].outRate
}

// Answered is the number of requests the device has answered (including
// v3 Reports); Dropped those it read and did not answer.
func (d *Device) Answered() uint64 { return d.answered.Load() }

// Dropped is the number of datagrams the device read and did not answer:
// silent, wrong community, undecodable, or refused by USM without a Report.
func (d *Device) Dropped() uint64 { return d.dropped.Load() }

// SetSilent makes the device drop every request (true) or answer again.
func (d *Device) SetSilent(silent bool) { d.silent.Store(silent) }

// SetMisbehave puts the device in a fault mode (MisbehaveNone to end it).
func (d *Device) SetMisbehave(m Misbehave) { d.misbehave.Store(int32(m)) }

// Reboot restarts the device: sysUpTime and every counter start again from
// 0, ifLastChange is 0, hrProcessorLoad is empty again for
// ProcessorLoadAfter, and snmpEngineBoots goes up by one (SNMPv3 clients
// resynchronise through a notInTimeWindow Report). Interface states stay.
func (d *Device) Reboot() {
	d.mu.Lock()
	defer d.mu.Unlock()
	now := d.clock()
	d.st.boot = now
	d.st.boots++
	for i := range d.st.ifs {
		s := &d.st.ifs[i]
		s.active, s.upSince, s.lastChange = 0, now, now
	}
}

// SetFirmware changes sysDescr, as a firmware upgrade does. Any length
// goes (DeviceSpec.Descr is held to the MIB's 255 bytes), so tests can
// play a hostile agent.
func (d *Device) SetFirmware(descr string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.st.descr = []byte(descr)
}

// SetAlias sets ifAlias of interface ifIndex, of any length (a device's
// own limit is 64 bytes; tests of hostile agents go beyond it).
func (d *Device) SetAlias(ifIndex int, alias string) error {
	if ifIndex < 1 || ifIndex > len(d.ifs) {
		return fmt.Errorf("snmpagent: %s has no ifIndex %d (1..%d)", d.spec.Name, ifIndex, len(d.ifs))
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	// A new slice, never the old one changed: an answer being encoded
	// outside the lock may still hold the old one.
	d.st.ifs[ifIndex-1].alias = []byte(alias)
	return nil
}

// SetObjectID changes sysObjectID (a firmware upgrade that changes the
// platform ID).
func (d *Device) SetObjectID(oid string) error {
	v, err := newObjectID(oid)
	if err != nil {
		return fmt.Errorf("snmpagent: SetObjectID: %w", err)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.st.objectID = v
	return nil
}

// SetOper sets interface ifIndex operationally up or down (a cable pulled
// or plugged in). Bringing up an admin-down interface sets it admin up too.
// Counters stand still while an interface is down; ifLastChange records
// the change.
func (d *Device) SetOper(ifIndex int, up bool) error {
	return d.setIf(ifIndex, func(s *ifState) (admin, oper bool) {
		return s.admin || up, up
	})
}

// SetAdmin sets interface ifIndex administratively up (and then oper up)
// or down (and then oper down).
func (d *Device) SetAdmin(ifIndex int, up bool) error {
	return d.setIf(ifIndex, func(*ifState) (admin, oper bool) { return up, up })
}

func (d *Device) setIf(ifIndex int, f func(*ifState) (admin, oper bool)) error {
	if ifIndex < 1 || ifIndex > len(d.ifs) {
		return fmt.Errorf("snmpagent: %s has no ifIndex %d (1..%d)", d.spec.Name, ifIndex, len(d.ifs))
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	now := d.clock()
	s := &d.st.ifs[ifIndex-1]
	admin, oper := f(s)
	if admin != s.admin || oper != s.oper {
		s.lastChange = now
	}
	if oper != s.oper {
		if oper {
			s.upSince = now
		} else {
			s.active += now.Sub(s.upSince)
		}
	}
	s.admin, s.oper = admin, oper
	return nil
}

// SetCPULoad pins every hrProcessorLoad row to percent; -1 goes back to
// the simulated load (between 10 and 45%, moving with time).
func (d *Device) SetCPULoad(percent int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.st.cpuLoad = max(-1, min(percent, 100))
}

// SetBatteryCharge sets the UPS battery charge in percent: the APC scalar
// (OIDUPSBatteryCharge) and UPS-MIB's upsEstimatedChargeRemaining; the
// runtimes left (APC's and upsEstimatedMinutesRemaining) follow it.
func (d *Device) SetBatteryCharge(percent int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.st.charge = max(0, min(percent, 100))
}
