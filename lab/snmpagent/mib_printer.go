package snmpagent

import "fmt"

// Printer-MIB (RFC 3805) as the lab printer serves it: four toner
// cartridges (prtMarkerSuppliesTable), two paper trays (prtInputTable),
// alerts for what is low or empty (prtAlertTable), and the printer's
// HOST-RESOURCES device rows (hrDeviceStatus, hrPrinterStatus). Every
// table is indexed by hrDeviceIndex 1, then its own row.
const (
	OIDPrinterMIB = ".1.3.6.1.2.1.43"
	// OIDPrtSuppliesEntry is prtMarkerSuppliesEntry: a column is + ".N".
	OIDPrtSuppliesEntry = ".1.3.6.1.2.1.43.11.1.1"
	// OIDPrtInputEntry is prtInputEntry.
	OIDPrtInputEntry = ".1.3.6.1.2.1.43.8.2.1"
	// OIDPrtAlertEntry is prtAlertEntry.
	OIDPrtAlertEntry = ".1.3.6.1.2.1.43.18.1.1"
	// OIDHrDeviceStatus is hrDeviceStatus of the printer device (index 1).
	OIDHrDeviceStatus = ".1.3.6.1.2.1.25.3.2.1.5.1"
	// OIDHrPrinterStatus is hrPrinterStatus of the printer device.
	OIDHrPrinterStatus = ".1.3.6.1.2.1.25.3.5.1.1.1"
)

// Supply and tray figures of the lab printer.
const (
	supplyMaxImpressions = 11000 // prtMarkerSuppliesMaxCapacity, in impressions
	trayMaxSheets        = 500
	supplyLowPct         = 10 // the printer raises an alert below this
	prtAlertRows         = 6  // prtAlertTable's rows: one per supply and tray at most
)

// supplyNames are the cartridges, in supply index order.
func supplyNames() []string { return []string{"Black", "Cyan", "Magenta", "Yellow"} }

func addPrinter(scalar scalarAdder, column columnAdder) {
	scalar(OIDHrDeviceStatus, kHrDeviceStatus)
	scalar(OIDHrPrinterStatus, kHrPrinterStatus)
	scalar(".1.3.6.1.2.1.25.3.5.1.2.1", kHrPrinterErrorState)
	n := len(supplyNames())
	for _, c := range []struct {
		col uint32
		k   kind
	}{{4, kPrtSupplyClass}, {5, kPrtSupplyType}, {6, kPrtSupplyDescr}, {7, kPrtSupplyUnit}, {8, kPrtSupplyMax}, {9, kPrtSupplyLevel}} {
		column(OIDPrtSuppliesEntry, c.col, c.k, n, 1)
	}
	for _, c := range []struct {
		col uint32
		k   kind
	}{{9, kPrtInputMax}, {10, kPrtInputLevel}, {11, kPrtInputStatus}, {13, kPrtInputName}} {
		column(OIDPrtInputEntry, c.col, c.k, 2, 1)
	}
	for _, c := range []struct {
		col uint32
		k   kind
	}{{2, kPrtAlertSeverity}, {4, kPrtAlertGroup}, {7, kPrtAlertCode}, {8, kPrtAlertDescr}} {
		column(OIDPrtAlertEntry, c.col, c.k, prtAlertRows, 1)
	}
}

// printerAlert is one active alert.
type printerAlert struct {
	severity, group, code int
	descr                 string
}

// alerts are the printer's active alerts: a supply below supplyLowPct
// (warning, tonerLow) or empty (critical, tonerEmpty), a tray empty
// (warning, inputMediaSupplyEmpty).
func (p *profileState) alerts() []printerAlert {
	var out []printerAlert
	for i, pct := range p.supplies {
		switch {
		case pct == 0:
			out = append(out, printerAlert{3, 11, 1101, supplyNames()[i] + " toner empty"})
		case pct < supplyLowPct:
			out = append(out, printerAlert{4, 11, 1104, supplyNames()[i] + " toner low"})
		}
	}
	for i, n := range p.trays {
		if n == 0 {
			out = append(out, printerAlert{4, 8, 808, fmt.Sprintf("Tray %d empty", i+1)})
		}
	}
	return out
}

// alertHidden reports whether e is a prtAlertTable row past the active
// alerts: the layout has room for prtAlertRows, a walk shows the active.
func (p *profileState) alertHidden(e *mibEntry) bool {
	return e.kind >= kPrtAlertSeverity && e.kind <= kPrtAlertDescr && e.row >= len(p.alerts())
}

// printerValue computes a Printer-MIB or printer hrDevice entry.
func printerValue(v *vb, e *mibEntry, p *profileState) {
	alerts := p.alerts()
	var al printerAlert
	if e.row < len(alerts) {
		al = alerts[e.row]
	}
	switch e.kind {
	case kHrDeviceStatus:
		switch {
		case len(alerts) > 0:
			v.integer(3) // warning
		default:
			v.integer(2) // running
		}
	case kHrPrinterStatus:
		v.integer(3) // idle
	case kHrPrinterErrorState:
		var b byte
		for _, a := range alerts {
			switch a.code {
			case 1101:
				b |= 0x10 // noToner (bit 3; bit 0 is the octet's high bit)
			case 1104:
				b |= 0x20 // lowToner
			case 808:
				b |= 0x40 // noPaper
			}
		}
		v.octets([]byte{b})
	case kPrtSupplyClass:
		v.integer(3) // supplyThatIsConsumed
	case kPrtSupplyType:
		v.integer(3) // toner
	case kPrtSupplyDescr:
		v.octets([]byte(supplyNames()[e.row] + " Toner Cartridge (noctop lab)"))
	case kPrtSupplyUnit:
		v.integer(7) // impressions
	case kPrtSupplyMax:
		v.integer(supplyMaxImpressions)
	case kPrtSupplyLevel:
		v.integer(int64(p.supplies[e.row] * supplyMaxImpressions / 100))
	case kPrtInputMax:
		v.integer(trayMaxSheets)
	case kPrtInputLevel:
		v.integer(int64(p.trays[e.row]))
	case kPrtInputStatus:
		v.integer(0) // available and idle
	case kPrtInputName:
		v.octets(fmt.Appendf(nil, "Tray %d", e.row+1))
	case kPrtAlertSeverity:
		v.integer(int64(max(al.severity, 1)))
	case kPrtAlertGroup:
		v.integer(int64(max(al.group, 1)))
	case kPrtAlertCode:
		v.integer(int64(max(al.code, 1)))
	case kPrtAlertDescr:
		v.octets([]byte(al.descr))
	}
}
