package probes

import (
	"fmt"
	"math"

	"noctop/model"
)

// ENTITY-MIB and ENTITY-SENSOR-MIB (RFC 3433) columns the sensors profile
// walks.
const (
	oidEntPhysicalDescr = ".1.3.6.1.2.1.47.1.1.1.1.2"
	oidEntPhysicalName  = ".1.3.6.1.2.1.47.1.1.1.1.7"
	oidEntSensorType    = ".1.3.6.1.2.1.99.1.1.1.1"
	oidEntSensorScale   = ".1.3.6.1.2.1.99.1.1.1.2"
	oidEntSensorPrec    = ".1.3.6.1.2.1.99.1.1.1.3"
	oidEntSensorValue   = ".1.3.6.1.2.1.99.1.1.1.4"
	oidEntSensorStatus  = ".1.3.6.1.2.1.99.1.1.1.5"
)

func sensorColumns() []string {
	return []string{oidEntPhysicalDescr, oidEntPhysicalName, oidEntSensorType, oidEntSensorScale,
		oidEntSensorPrec, oidEntSensorValue, oidEntSensorStatus}
}

// sensorUnit names an entPhySensorType's unit, and the row group.
func sensorUnit(typ int) (unit, group string) {
	switch typ {
	case 3:
		return "V", "voltage" // voltsAC
	case 4:
		return "V", "voltage" // voltsDC
	case 5:
		return "A", "current"
	case 6:
		return "W", "power"
	case 7:
		return "Hz", "frequency"
	case 8:
		return "°C", "temperature"
	case 9:
		return "%RH", "humidity"
	case 10:
		return "rpm", "fan"
	case 11:
		return "cmm", "airflow"
	case 12:
		return "", "status" // truthvalue
	}
	return "", "other"
}

// sensorValue scales a raw entPhySensorValue: scale is a power of 1000
// (9 is units), precision the decimal places.
func sensorValue(raw, scale, precision int) float64 {
	v := float64(raw) * math.Pow(1000, float64(scale-9))
	if precision > 0 && precision <= 9 {
		v /= math.Pow(10, float64(precision))
	}
	return v
}

// judgeSensors judges entity sensors from their walked columns:
// temperatures against temperature, fans against fan (bad when low), a
// truth-value sensor (a power supply's) false is CRITICAL, and an
// operational status other than ok is CRITICAL (nonoperational) or WARNING
// (unavailable), its value then not judged.
func (p *profileProbe) judgeSensors(cols map[string][]tableRow, pr *profileRead, v *model.Verdict, out *model.Outcome) {
	values, order := rowsOf(cols, oidEntSensorValue)
	if len(order) == 0 {
		pr.probs = append(pr.probs, "no ENTITY-SENSOR-MIB sensors (entPhySensorValue is empty)")
		return
	}
	types, _ := rowsOf(cols, oidEntSensorType)
	scales, _ := rowsOf(cols, oidEntSensorScale)
	precs, _ := rowsOf(cols, oidEntSensorPrec)
	states, _ := rowsOf(cols, oidEntSensorStatus)
	names, _ := rowsOf(cols, oidEntPhysicalName)
	descrs, _ := rowsOf(cols, oidEntPhysicalDescr)
	hottest := math.NaN()
	failed := 0
	for _, idx := range order {
		name := label(textCell(names, idx, &pr.probs))
		if name == "" {
			name = label(textCell(descrs, idx, &pr.probs))
		}
		if name == "" {
			name = "sensor " + idx
		}
		raw, ok := intCell(values, idx, &pr.probs)
		if !ok {
			continue
		}
		typ, _ := intCell(types, idx, &pr.probs)
		scale, hasScale := intCell(scales, idx, &pr.probs)
		if !hasScale {
			scale = 9
		}
		prec, _ := intCell(precs, idx, &pr.probs)
		st, hasStatus := intCell(states, idx, &pr.probs)
		unit, group := sensorUnit(typ)
		r := model.ProfileRow{Group: group, Label: name, Value: sensorValue(raw, scale, prec), Unit: unit}
		if hasStatus && st != 1 {
			r.Value, r.Text = math.NaN(), "unavailable"
			r.Status, r.Reason = model.StatusWarning, name+" unavailable"
			if st == 3 {
				r.Text, r.Status, r.Reason = "nonoperational", model.StatusCritical, name+" nonoperational"
			}
			failed++
			pr.flag(v, r)
			continue
		}
		switch typ {
		case 8:
			pr.row(v, r, p.limit("temperature"), name)
			out.Metrics[model.Metric{Name: model.MetricSensorTemp, Label: name}.FullName()] = r.Value
			if math.IsNaN(hottest) || r.Value > hottest {
				hottest = r.Value
			}
		case 10:
			pr.row(v, r, p.limit("fan"), name)
			out.Metrics[model.Metric{Name: model.MetricSensorFan, Label: name}.FullName()] = r.Value
		case 12:
			r.Value = math.NaN()
			switch raw {
			case 1:
				r.Text = "ok"
			case 2:
				r.Text, r.Status, r.Reason = "failed", model.StatusCritical, name+" failed"
				failed++
			default:
				pr.probs = append(pr.probs, fmt.Sprintf("%s: truth value %d is neither true (1) nor false (2)", name, raw))
				continue
			}
			pr.flag(v, r)
		default:
			pr.row(v, r, model.Threshold{}, "")
		}
	}
	if !math.IsNaN(hottest) {
		out.Metrics[model.MetricSensorTempMax] = hottest
		pr.primary = model.MetricSensorTempMax
	}
	fact := fmt.Sprintf("%d sensors", len(order))
	if !math.IsNaN(hottest) {
		fact += ", hottest " + model.FormatValue(hottest, "°C")
	}
	if failed > 0 {
		fact += fmt.Sprintf(", %d failed", failed)
	}
	pr.facts = append(pr.facts, fact)
}
