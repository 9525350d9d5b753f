package snmpagent

import (
	"encoding/binary"
	"fmt"
	"net"
)

// LLDP-MIB (IEEE 802.1AB): the local system's chassis ID and name, and
// lldpRemTable, one row per Neighbor, indexed by lldpRemTimeMark (always 0
// here), lldpRemLocalPortNum (Neighbor.LocalPort) and lldpRemIndex (1, 2,
// ... per local port, in DeviceSpec.Neighbors order). A device without
// neighbours does not serve LLDP-MIB at all.
const (
	OIDLLDPLocChassisIDSubtype = ".1.0.8802.1.1.2.1.3.1.0"
	OIDLLDPLocChassisID        = ".1.0.8802.1.1.2.1.3.2.0"
	OIDLLDPLocSysName          = ".1.0.8802.1.1.2.1.3.3.0"
	// OIDLLDPRemEntry is lldpRemEntry; a column is OIDLLDPRemEntry + ".N".
	OIDLLDPRemEntry = ".1.0.8802.1.1.2.1.4.1.1"
)

// lldpRemTable columns.
const (
	LLDPRemChassisIDSubtype = 4
	LLDPRemChassisID        = 5
	LLDPRemPortIDSubtype    = 6
	LLDPRemPortID           = 7
	LLDPRemPortDesc         = 8
	LLDPRemSysName          = 9
)

// LLDP ID subtypes the agent answers (LLDP-MIB LldpChassisIdSubtype and
// LldpPortIdSubtype).
const (
	lldpChassisMAC   = 4
	lldpChassisLocal = 7
	lldpPortIfName   = 5
)

const (
	kLLDPLocChassisIDSubtype kind = 200 + iota
	kLLDPLocChassisID
	kLLDPLocSysName
	kLLDPRemChassisIDSubtype
	kLLDPRemChassisID
	kLLDPRemPortIDSubtype
	kLLDPRemPortID
	kLLDPRemPortDesc
	kLLDPRemSysName
)

func (k kind) isLLDP() bool { return k >= kLLDPLocChassisIDSubtype && k <= kLLDPRemSysName }

// ChassisMAC is the LLDP chassis ID (a MAC address, as lldpLocChassisId
// holds it) of device number index (from 0) of an agent: a roster names its
// devices' neighbours with it.
func ChassisMAC(index int) string { return net.HardwareAddr(chassisMAC(index)).String() }

// InterfaceMAC is the ifPhysAddress of interface ifIndex of device number
// index: a roster fills a bridge's FDB with it.
func InterfaceMAC(index, ifIndex int) string {
	return net.HardwareAddr(interfaceMAC(index, ifIndex)).String()
}

func interfaceMAC(index, ifIndex int) []byte {
	return []byte{0x02, 0x00, byte(index >> 16), byte(index >> 8), byte(index), byte(ifIndex)}
}

func chassisMAC(index int) []byte {
	return []byte{0x02, 0x00, byte(index >> 16), byte(index >> 8), byte(index), 0}
}

// lldpKey is the part of a device's shape its lldpRemTable rows make: the
// local port of each neighbour, 4 bytes each, in spec order.
func (s DeviceSpec) lldpKey() string {
	b := make([]byte, 0, 4*len(s.Neighbors))
	for _, n := range s.Neighbors {
		b = binary.BigEndian.AppendUint32(b, uint32(n.LocalPort))
	}
	return string(b)
}

// validateNeighbors refuses what the table could not index.
func (s DeviceSpec) validateNeighbors() error {
	for i, n := range s.Neighbors {
		if n.LocalPort < 1 {
			return fmt.Errorf("neighbor %d: local port %d: want 1 or more", i+1, n.LocalPort)
		}
		if len(n.ChassisID) > 255 || len(n.PortID) > 255 || len(n.SysName) > 255 {
			return fmt.Errorf("neighbor %d: an ID or name longer than 255 bytes", i+1)
		}
	}
	return nil
}

// addLLDP adds the LLDP-MIB instances of shape s to a layout being built.
func addLLDP(s shape, add func(o oid, base int, k kind, row int)) {
	if s.lldp == "" {
		return
	}
	for _, sc := range []struct {
		o string
		k kind
	}{{OIDLLDPLocChassisIDSubtype, kLLDPLocChassisIDSubtype}, {OIDLLDPLocChassisID, kLLDPLocChassisID}, {OIDLLDPLocSysName, kLLDPLocSysName}} {
		o := mustOID(sc.o)
		add(o, len(o)-1, sc.k, 0)
	}
	ports := make([]uint32, 0, len(s.lldp)/4)
	for i := 0; i+4 <= len(s.lldp); i += 4 {
		ports = append(ports, binary.BigEndian.Uint32([]byte(s.lldp[i:i+4])))
	}
	for col, k := range map[uint32]kind{
		LLDPRemChassisIDSubtype: kLLDPRemChassisIDSubtype, LLDPRemChassisID: kLLDPRemChassisID,
		LLDPRemPortIDSubtype: kLLDPRemPortIDSubtype, LLDPRemPortID: kLLDPRemPortID,
		LLDPRemPortDesc: kLLDPRemPortDesc, LLDPRemSysName: kLLDPRemSysName,
	} {
		c := mustOID(OIDLLDPRemEntry).child(col)
		seen := map[uint32]uint32{}
		for row, port := range ports {
			seen[port]++
			add(c.child(0, port, seen[port]), len(c), k, row)
		}
	}
}

// lldpValue computes an LLDP-MIB instance of the device.
func (d *Device) lldpValue(v *vb, e *mibEntry) {
	if e.kind <= kLLDPLocSysName {
		switch e.kind {
		case kLLDPLocChassisIDSubtype:
			v.integer(lldpChassisMAC)
		case kLLDPLocChassisID:
			v.octets(chassisMAC(d.index))
		case kLLDPLocSysName:
			v.octets([]byte(d.spec.Name))
		}
		return
	}
	n := &d.spec.Neighbors[e.row]
	mac, macErr := net.ParseMAC(n.ChassisID)
	switch e.kind {
	case kLLDPRemChassisIDSubtype:
		if macErr == nil {
			v.integer(lldpChassisMAC)
		} else {
			v.integer(lldpChassisLocal)
		}
	case kLLDPRemChassisID:
		if macErr == nil {
			v.octets(mac)
		} else {
			v.octets([]byte(n.ChassisID))
		}
	case kLLDPRemPortIDSubtype:
		v.integer(lldpPortIfName)
	case kLLDPRemPortID:
		v.octets([]byte(n.PortID))
	case kLLDPRemPortDesc:
		v.octets([]byte(n.SysName + " port " + n.PortID))
	case kLLDPRemSysName:
		v.octets([]byte(n.SysName))
	}
}
