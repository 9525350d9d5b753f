package snmpagent

import (
	"slices"
)

// OIDs the agent serves, for tests and for configs that name them.
const (
	OIDSysDescr    = ".1.3.6.1.2.1.1.1.0"
	OIDSysObjectID = ".1.3.6.1.2.1.1.2.0"
	OIDSysUpTime   = ".1.3.6.1.2.1.1.3.0"
	OIDSysContact  = ".1.3.6.1.2.1.1.4.0"
	OIDSysName     = ".1.3.6.1.2.1.1.5.0"
	OIDSysLocation = ".1.3.6.1.2.1.1.6.0"
	OIDIfNumber    = ".1.3.6.1.2.1.2.1.0"
	// OIDIfEntry is the ifTable row; a column is OIDIfEntry + ".N".
	OIDIfEntry = ".1.3.6.1.2.1.2.2.1"
	// OIDIfXEntry is the ifXTable row (IF-MIB ifXEntry).
	OIDIfXEntry = ".1.3.6.1.2.1.31.1.1.1"
	// OIDHrStorageEntry is HOST-RESOURCES hrStorageEntry.
	OIDHrStorageEntry = ".1.3.6.1.2.1.25.2.3.1"
	// OIDHrProcessorLoad is the hrProcessorLoad column, one row per CPU.
	OIDHrProcessorLoad = ".1.3.6.1.2.1.25.3.3.1.2"
	// Custom scalars (APC PowerNet MIB, as a UPS would answer them): battery
	// charge in percent (Gauge32), battery temperature in degrees C
	// (Gauge32), runtime left (TimeTicks), model (OctetString).
	OIDUPSBatteryCharge  = ".1.3.6.1.4.1.318.1.1.1.2.2.1.0"
	OIDUPSBatteryTemp    = ".1.3.6.1.4.1.318.1.1.1.2.2.2.0"
	OIDUPSRuntime        = ".1.3.6.1.4.1.318.1.1.1.2.2.3.0"
	OIDUPSModel          = ".1.3.6.1.4.1.318.1.1.1.1.1.1.0"
	oidHrStorageTypes    = ".1.3.6.1.2.1.25.2.1"
	defaultSysObjectID   = ".1.3.6.1.4.1.8072.3.2.10" // net-snmp's Linux agent
	hrProcessorBaseIndex = 196608                     // net-snmp's first hrDeviceIndex for CPUs
)

// ifTable and ifXTable column numbers (IF-MIB).
const (
	IfIndex        = 1
	IfDescr        = 2
	IfType         = 3
	IfMtu          = 4
	IfSpeed        = 5
	IfPhysAddress  = 6
	IfAdminStatus  = 7
	IfOperStatus   = 8
	IfLastChange   = 9
	IfInOctets     = 10
	IfInUcastPkts  = 11
	IfInDiscards   = 13
	IfInErrors     = 14
	IfOutOctets    = 16
	IfOutUcastPkts = 17
	IfOutDiscards  = 19
	IfOutErrors    = 20

	IfName        = 1
	IfHCInOctets  = 6
	IfHCOutOctets = 10
	IfHighSpeed   = 15
	IfAlias       = 18
)

// kind says which value an entry of the layout holds; the value itself is
// computed per device and per request.
type kind uint8

const (
	kSysDescr kind = iota
	kSysObjectID
	kSysUpTime
	kSysContact
	kSysName
	kSysLocation
	kSysServices
	kIfNumber
	kIfIndex
	kIfDescr
	kIfType
	kIfMtu
	kIfSpeed
	kIfPhysAddress
	kIfAdminStatus
	kIfOperStatus
	kIfLastChange
	kIfInOctets
	kIfInUcastPkts
	kIfInDiscards
	kIfInErrors
	kIfOutOctets
	kIfOutUcastPkts
	kIfOutDiscards
	kIfOutErrors
	kIfName
	kIfHCInOctets
	kIfHCOutOctets
	kIfHighSpeed
	kIfAlias
	kHrStorageIndex
	kHrStorageType
	kHrStorageDescr
	kHrStorageUnits
	kHrStorageSize
	kHrStorageUsed
	kHrProcessorLoad
	kUPSModel
	kUPSCharge
	kUPSTemp
	kUPSRuntime
)

// isIfRow reports whether entries of k are rows of ifTable or ifXTable.
func (k kind) isIfRow() bool { return k >= kIfIndex && k <= kIfAlias }

// isIfX reports whether entries of k are ifXTable rows.
func (k kind) isIfX() bool { return k >= kIfName && k <= kIfAlias }

// isHost reports whether entries of k are HOST-RESOURCES columns.
func (k kind) isHost() bool { return k >= kHrStorageIndex && k <= kHrProcessorLoad }

// is64 reports whether k is a Counter64 (not visible to SNMPv1).
func (k kind) is64() bool { return k == kIfHCInOctets || k == kIfHCOutOctets }

// mibEntry is one instance the agent serves. Entries of a layout are sorted
// by oid; rows of one column are contiguous, in ascending index order.
type mibEntry struct {
	oid  oid
	name string // oid as gosnmp writes it
	tlv  []byte // the BER TLV of oid, encoded once
	base int    // arcs of the object (column or scalar) without the instance
	kind kind
	row  int // interface, storage or CPU number, from 0
}

// shape is what makes two devices' OID layouts equal: devices of the same
// shape share one layout.
type shape struct {
	ifaces  int
	ifX, hr bool
	cpus    int
	// lldp and fdb index the LLDP and bridge tables (lldpKey, fdbKey).
	lldp, fdb string
	prof      profileShape
}

// mibLayout is the sorted instance list of one shape.
type mibLayout struct {
	shape   shape
	entries []mibEntry
	// storageTypes are the hrStorageType values of the storage rows.
	storageTypes [hrStorageCount]objectID
}

// hrStorageCount is the number of hrStorageTable rows a device has.
const hrStorageCount = 4

// hrStorageIndex is the index of storage row r, numbered as net-snmp does:
// memory first, then filesystems from 31.
func hrStorageIndex(r int) uint32 { return [hrStorageCount]uint32{1, 3, 31, 32}[r] }

func newLayout(s shape) *mibLayout {
	l := &mibLayout{shape: s}
	add := func(o oid, base int, k kind, row int) {
		l.entries = append(l.entries, mibEntry{oid: o, name: o.String(), tlv: encodeOIDTLV(o), base: base, kind: k, row: row})
	}
	scalar := func(s string, k kind) {
		o := mustOID(s)
		add(o, len(o)-1, k, 0)
	}
	scalar(OIDSysDescr, kSysDescr)
	scalar(OIDSysObjectID, kSysObjectID)
	scalar(OIDSysUpTime, kSysUpTime)
	scalar(OIDSysContact, kSysContact)
	scalar(OIDSysName, kSysName)
	scalar(OIDSysLocation, kSysLocation)
	scalar(".1.3.6.1.2.1.1.7.0", kSysServices)
	scalar(OIDIfNumber, kIfNumber)

	column := func(entry string, col uint32, k kind, rows int, index func(int) uint32) {
		c := mustOID(entry).child(col)
		for r := range rows {
			add(c.child(index(r)), len(c), k, r)
		}
	}
	ifIdx := func(r int) uint32 { return uint32(r + 1) }
	for _, c := range []struct {
		col uint32
		k   kind
	}{
		{IfIndex, kIfIndex}, {IfDescr, kIfDescr}, {IfType, kIfType}, {IfMtu, kIfMtu}, {IfSpeed, kIfSpeed},
		{IfPhysAddress, kIfPhysAddress}, {IfAdminStatus, kIfAdminStatus}, {IfOperStatus, kIfOperStatus},
		{IfLastChange, kIfLastChange}, {IfInOctets, kIfInOctets}, {IfInUcastPkts, kIfInUcastPkts},
		{IfInDiscards, kIfInDiscards}, {IfInErrors, kIfInErrors}, {IfOutOctets, kIfOutOctets},
		{IfOutUcastPkts, kIfOutUcastPkts}, {IfOutDiscards, kIfOutDiscards}, {IfOutErrors, kIfOutErrors},
	} {
		column(OIDIfEntry, c.col, c.k, s.ifaces, ifIdx)
	}
	if s.ifX {
		for _, c := range []struct {
			col uint32
			k   kind
		}{
			{IfName, kIfName}, {IfHCInOctets, kIfHCInOctets}, {IfHCOutOctets, kIfHCOutOctets},
			{IfHighSpeed, kIfHighSpeed}, {IfAlias, kIfAlias},
		} {
			column(OIDIfXEntry, c.col, c.k, s.ifaces, ifIdx)
		}
	}
	if s.hr {
		for col, k := range []kind{kHrStorageIndex, kHrStorageType, kHrStorageDescr, kHrStorageUnits, kHrStorageSize, kHrStorageUsed} {
			column(OIDHrStorageEntry, uint32(col+1), k, hrStorageCount, hrStorageIndex)
		}
		c := mustOID(OIDHrProcessorLoad)
		for r := range s.cpus {
			add(c.child(uint32(hrProcessorBaseIndex+r)), len(c), kHrProcessorLoad, r)
		}
	}
	addLLDP(s, add)
	addBridge(s, add)
	addProfileMIBs(s.prof, add)
	scalar(OIDUPSModel, kUPSModel)
	scalar(OIDUPSBatteryCharge, kUPSCharge)
	scalar(OIDUPSBatteryTemp, kUPSTemp)
	scalar(OIDUPSRuntime, kUPSRuntime)

	for r := range hrStorageCount {
		typ, _, _, _, _ := storage(r, 0)
		l.storageTypes[r], _ = newObjectID(typ)
	}
	slices.SortFunc(l.entries, func(a, b mibEntry) int { return compareOID(a.oid, b.oid) })
	return l
}

// find returns the index of the first entry whose OID is >= o, and whether
// it is equal.
func (l *mibLayout) find(o oid) (int, bool) {
	return slices.BinarySearchFunc(l.entries, o, func(e mibEntry, t oid) int { return compareOID(e.oid, t) })
}

// after returns the index of the first entry whose OID is > o.
func (l *mibLayout) after(o oid) int {
	i, found := l.find(o)
	if found {
		i++
	}
	return i
}

// objectKnown reports whether o names an instance (existing or not) of an
// object the layout implements: GET answers noSuchInstance for those and
// noSuchObject for the rest, as net-snmp does.
func (l *mibLayout) objectKnown(o oid) bool {
	i, _ := l.find(o)
	for _, j := range []int{i - 1, i} {
		if j >= 0 && j < len(l.entries) {
			e := &l.entries[j]
			if o.hasPrefix(e.oid[:e.base]) {
				return true
			}
		}
	}
	return false
}
