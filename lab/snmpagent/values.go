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
	up := now.Sub(st.boot)
	integer := func(n int64) { v.tag, v.num = tagInteger, uint64(n) }
	unsigned := func(tag byte, n uint64) { v.tag, v.num = tag, n }
	str := func(b []byte) { v.tag, v.str = tagOctetStr, b }
	var ifs *ifStatic
	var is *ifState
	var traffic time.Duration
	if e.kind.isIfRow() {
		ifs, is = &d.ifs[e.row], &st.ifs[e.row]
		traffic = st.traffic(e.row, now)
	}
	switch e.kind {
	case kSysDescr:
		str(st.descr)
	case kSysObjectID:
		v.tag, v.oidv = tagOID, &st.objectID
	case kSysUpTime:
		unsigned(tagTicks, ticks(up))
	case kSysContact:
		str([]byte(d.spec.Contact))
	case kSysName:
		str([]byte(d.spec.Name))
	case kSysLocation:
		str([]byte(d.spec.Location))
	case kSysServices:
		integer(6) // datalink and internet layers: a layer-3 switch
	case kIfNumber:
		integer(int64(len(d.ifs)))
	case kIfIndex:
		integer(int64(e.row + 1))
	case kIfDescr:
		str(ifs.descr)
	case kIfType:
		integer(ifTypeEthernet)
	case kIfMtu:
		integer(1500)
	case kIfSpeed:
		unsigned(tagGauge, min(ifs.speed, 0xffffffff))
	case kIfPhysAddress:
		str(ifs.mac)
	case kIfAdminStatus:
		integer(status(is.admin))
	case kIfOperStatus:
		integer(status(is.oper))
	case kIfLastChange:
		unsigned(tagTicks, ticks(is.lastChange.Sub(st.boot)))
	case kIfInOctets:
		unsigned(tagCounter, grown(ifs.inRate, traffic)&0xffffffff)
	case kIfInUcastPkts:
		unsigned(tagCounter, grown(ifs.inRate, traffic)/avgInPacket&0xffffffff)
	case kIfInDiscards:
		unsigned(tagCounter, grown(ifs.inRate, traffic)/avgInPacket/50_000&0xffffffff)
	case kIfInErrors:
		unsigned(tagCounter, grown(ifs.errPerMin, traffic)/60&0xffffffff)
	case kIfOutOctets:
		unsigned(tagCounter, grown(ifs.outRate, traffic)&0xffffffff)
	case kIfOutUcastPkts:
		unsigned(tagCounter, grown(ifs.outRate, traffic)/avgOutPacket&0xffffffff)
	case kIfOutDiscards:
		unsigned(tagCounter, grown(ifs.outRate, traffic)/avgOutPacket/100_000&0xffffffff)
	case kIfOutErrors:
		unsigned(tagCounter, 0)
	case kIfName:
		str(ifs.name)
	case kIfHCInOctets:
		unsigned(tagCounter6, grown(ifs.inRate, traffic))
	case kIfHCOutOctets:
		unsigned(tagCounter6, grown(ifs.outRate, traffic))
	case kIfHighSpeed:
		unsigned(tagGauge, ifs.speed/1_000_000)
	case kIfAlias:
		if is.alias != nil {
			str(is.alias)
		} else {
			str(ifs.alias)
		}
	case kHrStorageIndex:
		integer(int64(hrStorageIndex(e.row)))
	case kHrStorageType:
		v.tag, v.oidv = tagOID, &d.layout.storageTypes[e.row]
	case kHrStorageDescr:
		_, descr, _, _, _ := storage(e.row, up)
		str([]byte(descr))
	case kHrStorageUnits:
		_, _, units, _, _ := storage(e.row, up)
		integer(int64(units))
	case kHrStorageSize:
		_, _, _, size, _ := storage(e.row, up)
		integer(int64(size))
	case kHrStorageUsed:
		_, _, _, _, used := storage(e.row, up)
		integer(int64(used))
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
		integer(load)
	case kUPSModel:
		str([]byte("Smart-UPS 1500 (noctop lab)"))
	case kUPSCharge:
		unsigned(tagGauge, uint64(st.charge))
	case kUPSTemp:
		unsigned(tagGauge, 31)
	case kUPSRuntime:
		unsigned(tagTicks, uint64(st.charge)*27*100) // 45 min at 100%
	}
	if m == MisbehaveWrongTypes {
		switch v.tag {
		case tagCounter, tagCounter6, tagGauge, tagTicks:
			v.tag, v.str = tagOctetStr, strconv.AppendUint(nil, v.num, 10)
		}
	}
	return v
}

func status(up bool) int64 {
	if up {
		return statusUp
	}
	return statusDown
}
