package snmpagent

import "fmt"

// Knobs of the profile MIBs (mib_ups.go, mib_printer.go, mib_sensors.go,
// mib_wireless.go). SetBatteryCharge (knobs.go) drives the UPS-MIB charge
// and runtime too.

// SetOnBattery puts the UPS on battery (upsOutputSource battery, input
// voltage 0, upsSecondsOnBattery counting from now) or back on mains.
func (d *Device) SetOnBattery(on bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	p := &d.st.prof
	if on && !p.onBattery {
		p.batterySince = d.clock()
	}
	p.onBattery = on
}

// SetUPSLoad sets upsOutputPercentLoad (0..200; a UPS can be overloaded).
func (d *Device) SetUPSLoad(percent int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.st.prof.upsLoad = max(0, min(percent, 200))
}

// SetInputVoltage sets upsInputVoltage while on mains (RMS volts).
func (d *Device) SetInputVoltage(volts int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.st.prof.inputVolts = max(0, min(volts, 1000))
}

// SetSupplyLevel sets printer supply index (1: black, 2: cyan, 3: magenta,
// 4: yellow) to percent of its capacity; below 10% the printer raises a
// "toner low" alert, at 0 "toner empty".
func (d *Device) SetSupplyLevel(index, percent int) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	p := &d.st.prof
	if index < 1 || index > len(p.supplies) {
		return fmt.Errorf("snmpagent: %s has no supply %d (1..%d)", d.spec.Name, index, len(p.supplies))
	}
	p.supplies[index-1] = max(0, min(percent, 100))
	return nil
}

// SetTrayLevel sets the sheets in paper tray index (1, 2; at most 500); 0
// is empty and raises an alert.
func (d *Device) SetTrayLevel(index, sheets int) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	p := &d.st.prof
	if index < 1 || index > len(p.trays) {
		return fmt.Errorf("snmpagent: %s has no tray %d (1..%d)", d.spec.Name, index, len(p.trays))
	}
	p.trays[index-1] = max(0, min(sheets, trayMaxSheets))
	return nil
}

// SetSensor sets the raw entPhySensorValue of the sensor at
// entPhysicalIndex index (2..7: CPU temperature in tenths of a degree,
// inlet temperature, fan 1 and 2 in rpm, power supply 1 and 2 as a truth
// value, 1 true and 2 false).
func (d *Device) SetSensor(index, value int) error {
	return d.setSensor(index, func(p *profileState, r int) { p.sensors[r] = value })
}

// SetSensorStatus sets entPhySensorOperStatus of the sensor at index (1
// ok, 2 unavailable, 3 nonoperational).
func (d *Device) SetSensorStatus(index, status int) error {
	return d.setSensor(index, func(p *profileState, r int) { p.sensorStatus[r] = status })
}

func (d *Device) setSensor(index int, f func(*profileState, int)) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	p := &d.st.prof
	if index < 2 || index-2 >= len(p.sensors) {
		return fmt.Errorf("snmpagent: %s has no sensor at entPhysicalIndex %d (2..%d)", d.spec.Name, index, len(p.sensors)+1)
	}
	f(p, index-2)
	return nil
}

// SetClients sets the clients associated with access point index (1..3).
func (d *Device) SetClients(index, clients int) error {
	return d.setAP(index, func(p *profileState, r int) { p.apClients[r] = max(0, clients) })
}

// SetAPUp sets access point index up or down (a down AP has no clients).
func (d *Device) SetAPUp(index int, up bool) error {
	return d.setAP(index, func(p *profileState, r int) { p.apUp[r] = up })
}

func (d *Device) setAP(index int, f func(*profileState, int)) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	p := &d.st.prof
	if index < 1 || index > len(p.apUp) {
		return fmt.Errorf("snmpagent: %s has no access point %d (1..%d)", d.spec.Name, index, len(p.apUp))
	}
	f(p, index-1)
	return nil
}
