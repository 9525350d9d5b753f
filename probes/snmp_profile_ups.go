package probes

import (
	"fmt"
	"math"

	"github.com/gosnmp/gosnmp"

	"noctop/model"
)

// UPS-MIB (RFC 1628) objects the ups profile reads with one GET: line 1
// of the input and output tables.
const (
	oidUPSModel         = ".1.3.6.1.2.1.33.1.1.2.0"
	oidUPSBatteryStatus = ".1.3.6.1.2.1.33.1.2.1.0"
	oidUPSSecondsOnBatt = ".1.3.6.1.2.1.33.1.2.2.0"
	oidUPSMinutesLeft   = ".1.3.6.1.2.1.33.1.2.3.0"
	oidUPSChargeLeft    = ".1.3.6.1.2.1.33.1.2.4.0"
	oidUPSInputVoltage  = ".1.3.6.1.2.1.33.1.3.3.1.3.1"
	oidUPSOutputSource  = ".1.3.6.1.2.1.33.1.4.1.0"
	oidUPSOutputLoadPct = ".1.3.6.1.2.1.33.1.4.4.1.5.1"
)

// upsOIDs are the objects of one UPS read.
func upsOIDs() []string {
	return []string{oidUPSModel, oidUPSBatteryStatus, oidUPSSecondsOnBatt, oidUPSMinutesLeft, oidUPSChargeLeft,
		oidUPSInputVoltage, oidUPSOutputSource, oidUPSOutputLoadPct}
}

// upsOutputSource words upsOutputSource.
func upsOutputSource(n int) string {
	switch n {
	case 2:
		return "output off"
	case 3:
		return "on mains"
	case 4:
		return "on bypass"
	case 5:
		return "on battery"
	case 6:
		return "boosting low input"
	case 7:
		return "reducing high input"
	}
	return "source unknown"
}

// readUPS reads and judges a UPS: on battery is CRITICAL with the runtime
// left ("on battery, 12 min left"); charge, minutes left and load against
// their thresholds; input voltage on mains against input_low/input_high;
// a battery the UPS calls low or depleted is CRITICAL.
func (p *profileProbe) readUPS(cl *snmpClient, pr *profileRead, v *model.Verdict, out *model.Outcome) error {
	vals, err := cl.get(upsOIDs())
	if err != nil {
		return err
	}
	p.judgeUPS(vals, pr, v, out)
	return nil
}

// judgeUPS judges a UPS from its GET answer.
func (p *profileProbe) judgeUPS(vals map[string]gosnmp.SnmpPDU, pr *profileRead, v *model.Verdict, out *model.Outcome) {
	// Numbers: NaN when absent, a problem when of the wrong type.
	num := func(oid string) float64 {
		pdu, ok := vals[oid]
		if !ok || missing(pdu) {
			return math.NaN()
		}
		if pdu.Type != gosnmp.Integer && pdu.Type != gosnmp.Gauge32 && pdu.Type != gosnmp.Uinteger32 {
			pr.probs = append(pr.probs, wrongType(pdu, "INTEGER").Error())
			return math.NaN()
		}
		n, err := pduNumber(pdu)
		if err != nil {
			pr.probs = append(pr.probs, err.Error())
			return math.NaN()
		}
		return n
	}
	source, charge, minutes := num(oidUPSOutputSource), num(oidUPSChargeLeft), num(oidUPSMinutesLeft)
	battery, onBatt, volts, load := num(oidUPSBatteryStatus), num(oidUPSSecondsOnBatt), num(oidUPSInputVoltage), num(oidUPSOutputLoadPct)
	if math.IsNaN(source) && math.IsNaN(charge) && len(pr.probs) == 0 {
		pr.probs = append(pr.probs, "no UPS-MIB: upsOutputSource and upsEstimatedChargeRemaining are missing")
		return
	}
	if !math.IsNaN(charge) && (charge < 0 || charge > 100) {
		pr.probs = append(pr.probs, fmt.Sprintf("upsEstimatedChargeRemaining is %v, not a percentage", charge))
		charge = math.NaN()
	}
	if pdu, ok := vals[oidUPSModel]; ok && !missing(pdu) {
		out.Attrs["ups_model"] = pduText(pdu)
	}
	put := func(name string, x float64) {
		if !math.IsNaN(x) {
			out.Metrics[name] = x
		}
	}
	put(model.MetricUPSCharge, charge)
	put(model.MetricUPSMinutes, minutes)
	put(model.MetricUPSLoad, load)
	put(model.MetricUPSInputV, volts)
	put(model.MetricUPSOnBattery, onBatt)
	pr.primary = model.MetricUPSCharge

	src := upsOutputSource(int(source))
	left := "runtime unknown"
	if !math.IsNaN(minutes) {
		left = model.FormatValue(minutes, "min") + " left"
	}
	row := model.ProfileRow{Group: "output", Label: "source", Text: src, Value: math.NaN()}
	switch int(source) {
	case 5:
		row.Status, row.Reason = model.StatusCritical, "on battery, "+left
	case 2:
		row.Status, row.Reason = model.StatusCritical, "output off"
	case 4:
		row.Status, row.Reason = model.StatusWarning, "on bypass: the load is not protected"
	}
	pr.flag(v, row)
	switch int(battery) {
	case 3:
		pr.flag(v, model.ProfileRow{Group: "battery", Label: "status", Text: "low", Value: math.NaN(), Status: model.StatusCritical, Reason: "battery low"})
	case 4:
		pr.flag(v, model.ProfileRow{Group: "battery", Label: "status", Text: "depleted", Value: math.NaN(), Status: model.StatusCritical, Reason: "battery depleted"})
	}
	pr.row(v, model.ProfileRow{Group: "battery", Label: "charge", Value: charge, Unit: "%"}, p.limit("charge"), "charge")
	// On battery the minutes are already the reason's figure.
	mt := p.limit("minutes")
	if int(source) == 5 {
		mt = model.Threshold{}
	}
	pr.row(v, model.ProfileRow{Group: "battery", Label: "runtime", Value: minutes, Unit: "min"}, mt, "runtime")
	pr.row(v, model.ProfileRow{Group: "output", Label: "load", Value: load, Unit: "%"}, p.limit("load"), "load")
	in := model.ProfileRow{Group: "input", Label: "voltage", Value: volts, Unit: "V"}
	if int(source) != 5 && !math.IsNaN(volts) {
		in.Status, in.Reason = p.limit("input_low").Judge("input", volts)
		if in.Status == model.StatusOK {
			in.Status, in.Reason = p.limit("input_high").Judge("input", volts)
		}
	}
	pr.flag(v, in)

	fact := src
	if !math.IsNaN(charge) {
		fact += ", charge " + model.FormatValue(charge, "%")
	}
	fact += ", " + left
	if !math.IsNaN(load) {
		fact += ", load " + model.FormatValue(load, "%")
	}
	if int(source) != 5 && !math.IsNaN(volts) {
		fact += ", input " + model.FormatValue(volts, "V")
	}
	pr.facts = append(pr.facts, fact)
}
