package snmpagent

import "time"

// UPS-MIB (RFC 1628) as the lab UPS serves it: upsIdent, the battery
// group, one input line and one output line.
const (
	OIDUPSMIB = ".1.3.6.1.2.1.33"
	// OIDUPSBatteryStatus is upsBatteryStatus.0: 2 normal, 3 low, 4 depleted.
	OIDUPSBatteryStatus = ".1.3.6.1.2.1.33.1.2.1.0"
	// OIDUPSSecondsOnBattery is upsSecondsOnBattery.0 (0 on mains).
	OIDUPSSecondsOnBattery = ".1.3.6.1.2.1.33.1.2.2.0"
	// OIDUPSMinutesRemaining is upsEstimatedMinutesRemaining.0.
	OIDUPSMinutesRemaining = ".1.3.6.1.2.1.33.1.2.3.0"
	// OIDUPSChargeRemaining is upsEstimatedChargeRemaining.0 (percent).
	OIDUPSChargeRemaining = ".1.3.6.1.2.1.33.1.2.4.0"
	// OIDUPSInputVoltage is upsInputVoltage of input line 1 (RMS volts).
	OIDUPSInputVoltage = ".1.3.6.1.2.1.33.1.3.3.1.3.1"
	// OIDUPSOutputSource is upsOutputSource.0: 3 normal, 5 battery.
	OIDUPSOutputSource = ".1.3.6.1.2.1.33.1.4.1.0"
	// OIDUPSOutputLoad is upsOutputPercentLoad of output line 1.
	OIDUPSOutputLoad = ".1.3.6.1.2.1.33.1.4.4.1.5.1"
)

// upsMinutesAtFull is the runtime at 100% charge; the runtime left is
// proportional to the charge (27% is 12 minutes).
const upsMinutesAtFull = 45

func addUPS(scalar scalarAdder, column columnAdder) {
	scalar(".1.3.6.1.2.1.33.1.1.1.0", kUPSManufacturer)
	scalar(".1.3.6.1.2.1.33.1.1.2.0", kUPSIdentModel)
	scalar(OIDUPSBatteryStatus, kUPSBatteryStatus)
	scalar(OIDUPSSecondsOnBattery, kUPSSecondsOnBattery)
	scalar(OIDUPSMinutesRemaining, kUPSMinutesRemaining)
	scalar(OIDUPSChargeRemaining, kUPSChargeRemaining)
	scalar(".1.3.6.1.2.1.33.1.2.5.0", kUPSBatteryVoltage)
	scalar(".1.3.6.1.2.1.33.1.2.7.0", kUPSBatteryTemperature)
	scalar(".1.3.6.1.2.1.33.1.3.2.0", kUPSInputNumLines)
	column(".1.3.6.1.2.1.33.1.3.3.1", 1, kUPSInputLineIndex, 1)
	column(".1.3.6.1.2.1.33.1.3.3.1", 2, kUPSInputFrequency, 1)
	column(".1.3.6.1.2.1.33.1.3.3.1", 3, kUPSInputVoltage, 1)
	scalar(OIDUPSOutputSource, kUPSOutputSource)
	scalar(".1.3.6.1.2.1.33.1.4.3.0", kUPSOutputNumLines)
	column(".1.3.6.1.2.1.33.1.4.4.1", 2, kUPSOutputVoltage, 1)
	column(".1.3.6.1.2.1.33.1.4.4.1", 5, kUPSOutputPercentLoad, 1)
}

// upsValue computes a UPS-MIB entry; charge is the battery charge in
// percent (SetBatteryCharge, which drives the APC scalars too).
func upsValue(v *vb, e *mibEntry, p *profileState, charge int, now time.Time) {
	switch e.kind {
	case kUPSManufacturer:
		v.octets([]byte("noctop lab"))
	case kUPSIdentModel:
		v.octets([]byte("Smart-UPS 3000 (noctop lab)"))
	case kUPSBatteryStatus:
		switch {
		case charge == 0:
			v.integer(4) // batteryDepleted
		case charge < 20:
			v.integer(3) // batteryLow
		default:
			v.integer(2) // batteryNormal
		}
	case kUPSSecondsOnBattery:
		s := int64(0)
		if p.onBattery {
			s = int64(max(now.Sub(p.batterySince), 0) / time.Second)
		}
		v.integer(s)
	case kUPSMinutesRemaining:
		v.integer(int64(charge * upsMinutesAtFull / 100))
	case kUPSChargeRemaining:
		v.integer(int64(charge))
	case kUPSBatteryVoltage:
		v.integer(int64(480 + charge*66/100)) // 0.1 V: 48.0 to 54.6 V
	case kUPSBatteryTemperature:
		v.integer(29)
	case kUPSInputNumLines, kUPSOutputNumLines, kUPSInputLineIndex:
		v.integer(1)
	case kUPSInputFrequency:
		if p.onBattery {
			v.integer(0)
		} else {
			v.integer(500) // 0.1 Hz
		}
	case kUPSInputVoltage:
		if p.onBattery {
			v.integer(0)
		} else {
			v.integer(int64(p.inputVolts))
		}
	case kUPSOutputSource:
		if p.onBattery {
			v.integer(5) // battery
		} else {
			v.integer(3) // normal
		}
	case kUPSOutputVoltage:
		v.integer(230)
	case kUPSOutputPercentLoad:
		v.integer(int64(p.upsLoad))
	}
}
