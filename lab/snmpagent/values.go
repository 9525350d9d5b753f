package snmpagent

import (
	"strconv"
	"time"
)

// vb is one variable binding of a response, before encoding.
type vb struct {
	e    *mibEntry // the instance; nil: the name is request OID number req
	req  int
	tag  byte   // BER tag of the value
	num  uint64 // numeric values; INTEGER as int64 bits
	str  []byte // OctetString content
	oidv *objectID
}

// Values of the few INTEGER enumerations the agent serves.
const (
	ifTypeEthernet = 6
	statusUp       = 1
	statusDown     = 2
	avgInPacket    = 800 // octets per received packet, for ifInUcastPkts
	avgOutPacket   = 1000
)

// storage describes hrStorageTable row r at uptime up.
func storage(r int, up time.Duration) (typ string, descr string, units, size, used uint64) {
	// A slow wave so that used moves a little between polls.
	wave := uint64(up/time.Second) % 600
	if wave > 300 {
		wave = 600 - wave
	}
	switch r {
	case 0:
		return oidHrStorageTypes + ".2", "Physical memory", 1024, 8 << 20, 8 << 20 * 55 / 100 * (1000 + wave) / 1000
	case 1:
		return oidHrStorageTypes + ".3", "Virtual memory", 1024, 10 << 20, 10 << 20 * 45 / 100 * (1000 + wave) / 1000
	case 2:
		return oidHrStorageTypes + ".4", "/", 4096, 50 << 18, 50 << 18 * 45 / 100
	default:
		return oidHrStorageTypes + ".4", "/var", 4096, 20 << 18, 20 << 18 * 82 / 100
	}
}

// value computes entry e of the device at now. The caller holds d.mu.
func (d *Device) value(e *mibEntry, st *devState, now time.Time, m Misbehave) vb {
	v := vb{e: e}
	switch {
	case e.kind.isIfRow():
		d.ifValue(&v, e, st, now)
	case e.kind.isHost():
		d.hostValue(&v, e, st, now.Sub(st.boot))
	case e.kind.isLLDP():
		d.lldpValue(&v, e)
	case e.kind.isFDB():
		d.fdbValue(&v, e)
	case e.kind.isProfile():
		d.profileValue(&v, e, st, now)
	default:
		d.scalarValue(&v, e, st, now.Sub(st.boot))
	}
	if m == MisbehaveWrongTypes {
		switch {
		case v.tag == tagCounter, v.tag == tagCounter6, v.tag == tagGauge, v.tag == tagTicks:
			v.tag, v.str = tagOctetStr, strconv.AppendUint(nil, v.num, 10)
		case v.tag == tagInteger && e.kind.isProfile():
			// The profile MIBs are INTEGERs: as digits, a profile meets
			// the type confusion too.
			v.tag, v.str = tagOctetStr, strconv.AppendInt(nil, int64(v.num), 10)
		}
	}
	return v
}

func (v *vb) integer(n int64)             { v.tag, v.num = tagInteger, uint64(n) }
func (v *vb) unsigned(tag byte, n uint64) { v.tag, v.num = tag, n }
func (v *vb) octets(b []byte)             { v.tag, v.str = tagOctetStr, b }

// scalarValue computes a scalar: the system group, ifNumber and the UPS
// scalars; up is the time since the device's boot.
func (d *Device) scalarValue(v *vb, e *mibEntry, st *devState, up time.Duration) {
	switch e.kind {
	case kSysDescr:
		v.octets(st.descr)
	case kSysObjectID:
		v.tag, v.oidv = tagOID, &st.objectID
	case kSysUpTime:
		v.unsigned(tagTicks, ticks(up))
	case kSysContact:
		v.octets([]byte(d.spec.Contact))
	case kSysName:
		v.octets([]byte(d.spec.Name))
	case kSysLocation:
		v.octets([]byte(d.spec.Location))
	case kSysServices:
		v.integer(6) // datalink and internet layers: a layer-3 switch
	case kIfNumber:
		v.integer(int64(len(d.ifs)))
	case kUPSModel:
		v.octets([]byte("Smart-UPS 1500 (noctop lab)"))
	case kUPSCharge:
		v.unsigned(tagGauge, uint64(st.charge))
	case kUPSTemp:
		v.unsigned(tagGauge, 31)
	case kUPSRuntime:
		v.unsigned(tagTicks, uint64(st.charge)*27*100) // 45 min at 100%
	}
}

// ifValue computes a column of ifTable or ifXTable at now.
func (d *Device) ifValue(v *vb, e *mibEntry, st *devState, now time.Time) {
	ifs, is := &d.ifs[e.row], &st.ifs[e.row]
	traffic := st.traffic(e.row, now)
	switch e.kind {
	case kIfIndex:
		v.integer(int64(e.row + 1))
	case kIfDescr:
		v.octets(ifs.descr)
	case kIfType:
		v.integer(ifTypeEthernet)
	case kIfMtu:
		v.integer(1500)
	case kIfSpeed:
		v.unsigned(tagGauge, min(ifs.speed, 0xffffffff))
	case kIfPhysAddress:
		v.octets(ifs.mac)
	case kIfAdminStatus:
		v.integer(status(is.admin))
	case kIfOperStatus:
		v.integer(status(is.oper))
	case kIfLastChange:
		v.unsigned(tagTicks, ticks(is.lastChange.Sub(st.boot)))
	case kIfInOctets:
		v.unsigned(tagCounter, grown(ifs.inRate, traffic)&0xffffffff)
	case kIfInUcastPkts:
		v.unsigned(tagCounter, grown(ifs.inRate, traffic)/avgInPacket&0xffffffff)
	case kIfInDiscards:
		v.unsigned(tagCounter, grown(ifs.inRate, traffic)/avgInPacket/50_000&0xffffffff)
	case kIfInErrors:
		v.unsigned(tagCounter, grown(ifs.errPerMin, traffic)/60&0xffffffff)
	case kIfOutOctets:
		v.unsigned(tagCounter, grown(ifs.outRate, traffic)&0xffffffff)
	case kIfOutUcastPkts:
		v.unsigned(tagCounter, grown(ifs.outRate, traffic)/avgOutPacket&0xffffffff)
	case kIfOutDiscards:
		v.unsigned(tagCounter, grown(ifs.outRate, traffic)/avgOutPacket/100_000&0xffffffff)
	case kIfOutErrors:
		v.unsigned(tagCounter, 0)
	case kIfName:
		v.octets(ifs.name)
	case kIfHCInOctets:
		v.unsigned(tagCounter6, grown(ifs.inRate, traffic))
	case kIfHCOutOctets:
		v.unsigned(tagCounter6, grown(ifs.outRate, traffic))
	case kIfHighSpeed:
		v.unsigned(tagGauge, ifs.speed/1_000_000)
	case kIfAlias:
		if is.alias != nil {
			v.octets(is.alias)
		} else {
			v.octets(ifs.alias)
		}
	}
}

// hostValue computes a column of hrStorageTable or hrProcessorLoad; up is
// the time since the device's boot.
func (d *Device) hostValue(v *vb, e *mibEntry, st *devState, up time.Duration) {
	switch e.kind {
	case kHrStorageIndex:
		v.integer(int64(hrStorageIndex(e.row)))
	case kHrStorageType:
		v.tag, v.oidv = tagOID, &d.layout.storageTypes[e.row]
	case kHrStorageDescr:
		_, descr, _, _, _ := storage(e.row, up)
		v.octets([]byte(descr))
	case kHrStorageUnits:
		_, _, units, _, _ := storage(e.row, up)
		v.integer(int64(units))
	case kHrStorageSize:
		_, _, _, size, _ := storage(e.row, up)
		v.integer(int64(size))
	case kHrStorageUsed:
		_, _, _, _, used := storage(e.row, up)
		v.integer(int64(used))
	case kHrProcessorLoad:
		load := int64(st.cpuLoad)
		if load < 0 {
			// A triangle wave between 10 and 45%, shifted per CPU.
			phase := (int64(up/time.Second) + int64(e.row)*37) % 140
			if phase > 70 {
				phase = 140 - phase
			}
			load = 10 + phase/2
		}
		v.integer(load)
	}
}

func status(up bool) int64 {
	if up {
		return statusUp
	}
	return statusDown
}
