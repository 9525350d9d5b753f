package snmpagent

// ENTITY-MIB's entPhysicalTable (descr, class, name) and ENTITY-SENSOR-MIB's
// entPhySensorTable (RFC 3433) as the lab serves them: a chassis
// (entPhysicalIndex 1) and six sensors from index 2: two temperatures, two
// fans, two power supplies.
const (
	OIDEntPhysicalEntry = ".1.3.6.1.2.1.47.1.1.1.1"
	OIDEntSensorMIB     = ".1.3.6.1.2.1.99"
	// OIDEntPhySensorEntry is entPhySensorEntry: a column is + ".N".
	OIDEntPhySensorEntry = ".1.3.6.1.2.1.99.1.1.1"
)

// entPhySensorOperStatus values.
const (
	sensorOK          = 1
	sensorUnavailable = 2
	sensorNonOp       = 3
)

// labSensor is one sensor of the lab device.
type labSensor struct {
	name      string
	class     int // entPhysicalClass: 6 powerSupply, 7 fan, 8 sensor
	typ       int // entPhySensorType: 8 celsius, 10 rpm, 12 truthvalue
	precision int
	value     int // normal raw value (in tenths when precision is 1)
}

// labSensors are the sensors, entPhysicalIndex 2 on.
func labSensors() []labSensor {
	return []labSensor{
		{"CPU temperature", 8, 8, 1, 455},
		{"Inlet temperature", 8, 8, 0, 24},
		{"Fan 1", 7, 10, 0, 5200},
		{"Fan 2", 7, 10, 0, 5100},
		{"Power supply 1", 6, 12, 0, 1},
		{"Power supply 2", 6, 12, 0, 1},
	}
}

func addSensors(add func(o oid, base int, k kind, row int)) {
	n := len(labSensors())
	col := func(entry string, c uint32, k kind, rows, first int) {
		co := mustOID(entry).child(c)
		for r := range rows {
			add(co.child(uint32(first+r)), len(co), k, r)
		}
	}
	// Row 0 of the entPhysical columns is the chassis; sensor r is row r+1.
	col(OIDEntPhysicalEntry, 2, kEntPhysDescr, n+1, 1)
	col(OIDEntPhysicalEntry, 5, kEntPhysClass, n+1, 1)
	col(OIDEntPhysicalEntry, 7, kEntPhysName, n+1, 1)
	for c, k := range []kind{kEntSensorType, kEntSensorScale, kEntSensorPrecision, kEntSensorValue, kEntSensorStatus} {
		col(OIDEntPhySensorEntry, uint32(c+1), k, n, 2)
	}
}

// sensorValue computes an ENTITY-MIB or ENTITY-SENSOR-MIB entry.
func sensorValue(v *vb, e *mibEntry, p *profileState) {
	all := labSensors()
	switch e.kind {
	case kEntPhysDescr, kEntPhysName:
		if e.row == 0 {
			v.octets([]byte("noctop lab chassis"))
			return
		}
		v.octets([]byte(all[e.row-1].name))
	case kEntPhysClass:
		if e.row == 0 {
			v.integer(3) // chassis
			return
		}
		v.integer(int64(all[e.row-1].class))
	case kEntSensorType:
		v.integer(int64(all[e.row].typ))
	case kEntSensorScale:
		v.integer(9) // units
	case kEntSensorPrecision:
		v.integer(int64(all[e.row].precision))
	case kEntSensorValue:
		v.integer(int64(p.sensors[e.row]))
	case kEntSensorStatus:
		v.integer(int64(p.sensorStatus[e.row]))
	}
}
