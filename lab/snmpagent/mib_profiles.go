package snmpagent

import "time"

// The standard MIBs of issue 15's device profiles (UPS-MIB, Printer-MIB,
// ENTITY-MIB with ENTITY-SENSOR-MIB, and an access point's wireless
// tables), served when DeviceSpec.UPS, Printer, Sensors or AccessPoint is
// set. Their kinds are one block from 100, apart from mib.go's iota block
// and the LLDP/bridge kinds (200 on), so the blocks never collide.
const (
	kUPSManufacturer kind = 100 + iota
	kUPSIdentModel
	kUPSBatteryStatus
	kUPSSecondsOnBattery
	kUPSMinutesRemaining
	kUPSChargeRemaining
	kUPSBatteryVoltage
	kUPSBatteryTemperature
	kUPSInputNumLines
	kUPSInputLineIndex
	kUPSInputFrequency
	kUPSInputVoltage
	kUPSOutputSource
	kUPSOutputNumLines
	kUPSOutputVoltage
	kUPSOutputPercentLoad

	kHrDeviceStatus
	kHrPrinterStatus
	kHrPrinterErrorState
	kPrtSupplyClass
	kPrtSupplyType
	kPrtSupplyDescr
	kPrtSupplyUnit
	kPrtSupplyMax
	kPrtSupplyLevel
	kPrtInputMax
	kPrtInputLevel
	kPrtInputStatus
	kPrtInputName
	kPrtAlertSeverity
	kPrtAlertGroup
	kPrtAlertCode
	kPrtAlertDescr

	kEntPhysDescr
	kEntPhysClass
	kEntPhysName
	kEntSensorType
	kEntSensorScale
	kEntSensorPrecision
	kEntSensorValue
	kEntSensorStatus

	kDot11StationID
	kDot11DesiredSSID
	kLabAPIndex
	kLabAPName
	kLabAPStatus
	kLabAPClients
	kLabSSIDIndex
	kLabSSIDName
	kLabSSIDClients

	kProfileEnd // not a kind: the end of the block
)

// isProfile reports whether entries of k belong to the profile MIBs.
func (k kind) isProfile() bool { return k >= kUPSManufacturer && k < kProfileEnd }

// profileShape is which profile MIBs a layout has.
type profileShape struct {
	ups, printer, sensors, ap bool
}

// profileState is what the profile knobs change; it lives in devState.
type profileState struct {
	onBattery    bool
	batterySince time.Time
	upsLoad      int   // output percent load
	inputVolts   int   // on mains
	supplies     []int // level in percent per supply
	trays        []int // sheets per tray; 0 is empty
	sensors      []int // raw entPhySensorValue per sensor
	sensorStatus []int // entPhySensorOperStatus per sensor
	apUp         []bool
	apClients    []int
}

// newProfileState is a fresh device's: on mains, toner partly used, trays
// filled, sensors at their normal readings, every AP up with clients.
func newProfileState() profileState {
	st := profileState{upsLoad: 38, inputVolts: 230,
		supplies:  []int{62, 71, 55, 80},
		trays:     []int{250, 500},
		apUp:      []bool{true, true, true},
		apClients: []int{14, 9, 3},
	}
	for _, s := range labSensors() {
		st.sensors = append(st.sensors, s.value)
		st.sensorStatus = append(st.sensorStatus, sensorOK)
	}
	return st
}

// addProfileMIBs adds the instances of the profile MIBs the shape asks for.
func addProfileMIBs(s profileShape, add func(o oid, base int, k kind, row int)) {
	scalar := func(s string, k kind) {
		o := mustOID(s)
		add(o, len(o)-1, k, 0)
	}
	// column adds rows instances of column col of entry, each indexed by
	// prefix arcs then the row's number from 1.
	column := func(entry string, col uint32, k kind, rows int, prefix ...uint32) {
		c := mustOID(entry).child(col)
		for r := range rows {
			o := append(oid{}, c...)
			o = append(o, prefix...)
			add(append(o, uint32(r+1)), len(c), k, r)
		}
	}
	if s.ups {
		addUPS(scalar, column)
	}
	if s.printer {
		addPrinter(scalar, column)
	}
	if s.sensors {
		addSensors(add)
	}
	if s.ap {
		addWireless(column)
	}
}

type scalarAdder func(s string, k kind)
type columnAdder func(entry string, col uint32, k kind, rows int, prefix ...uint32)

// profileValue computes an entry of the profile MIBs; up is the time since
// the device's boot. The caller holds d.mu.
func (d *Device) profileValue(v *vb, e *mibEntry, st *devState, now time.Time) {
	switch {
	case e.kind <= kUPSOutputPercentLoad:
		upsValue(v, e, &st.prof, st.charge, now)
	case e.kind <= kPrtAlertDescr:
		printerValue(v, e, &st.prof)
	case e.kind <= kEntSensorStatus:
		sensorValue(v, e, &st.prof)
	default:
		wirelessValue(v, e, &st.prof)
	}
}
