package snmpagent

import (
	"fmt"
	"net"
)

// BRIDGE-MIB dot1dTpFdbTable: the MAC addresses a bridge learned, indexed
// by the address (6 arcs), one row per DeviceSpec.FDB entry. A device
// without FDB entries does not serve it.
const (
	// OIDDot1dTpFdbEntry is dot1dTpFdbEntry; a column is + ".N": 1
	// address, 2 port, 3 status.
	OIDDot1dTpFdbEntry = ".1.3.6.1.2.1.17.4.3.1"
)

const (
	kFdbAddress kind = 210 + iota
	kFdbPort
	kFdbStatus
)

func (k kind) isFDB() bool { return k >= kFdbAddress && k <= kFdbStatus }

const fdbLearned = 3 // dot1dTpFdbStatus learned(3)

// fdbKey is the part of a device's shape its FDB rows make: the MAC
// addresses, 6 bytes each, in spec order. validateFDB has run.
func (s DeviceSpec) fdbKey() string {
	b := make([]byte, 0, 6*len(s.FDB))
	for _, f := range s.FDB {
		mac, _ := net.ParseMAC(f.MAC)
		b = append(b, mac...)
	}
	return string(b)
}

// validateFDB refuses entries the table could not index.
func (s DeviceSpec) validateFDB() error {
	seen := map[string]bool{}
	for i, f := range s.FDB {
		mac, err := net.ParseMAC(f.MAC)
		if err != nil || len(mac) != 6 {
			return fmt.Errorf("fdb %d: MAC %q: want 6 bytes like 02:00:00:00:01:05", i+1, f.MAC)
		}
		if seen[string(mac)] {
			return fmt.Errorf("fdb %d: MAC %s twice", i+1, mac)
		}
		seen[string(mac)] = true
		if f.Port < 1 {
			return fmt.Errorf("fdb %d: port %d: want 1 or more", i+1, f.Port)
		}
	}
	return nil
}

// addBridge adds the dot1dTpFdbTable instances of shape s.
func addBridge(s shape, add func(o oid, base int, k kind, row int)) {
	for col, k := range []kind{kFdbAddress, kFdbPort, kFdbStatus} {
		c := mustOID(OIDDot1dTpFdbEntry).child(uint32(col + 1))
		for row := 0; (row+1)*6 <= len(s.fdb); row++ {
			mac := s.fdb[row*6 : row*6+6]
			o := c.child()
			for i := range 6 {
				o = append(o, uint32(mac[i]))
			}
			add(o, len(c), k, row)
		}
	}
}

// fdbValue computes a dot1dTpFdbTable instance of the device.
func (d *Device) fdbValue(v *vb, e *mibEntry) {
	switch e.kind {
	case kFdbAddress:
		mac, _ := net.ParseMAC(d.spec.FDB[e.row].MAC)
		v.octets(mac)
	case kFdbPort:
		v.integer(int64(d.spec.FDB[e.row].Port))
	case kFdbStatus:
		v.integer(fdbLearned)
	}
}
