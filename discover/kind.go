package discover

import (
	"regexp"
	"strings"
)

// Kinds discovery tells apart; they become the asset's kind.
const (
	KindSwitch  = "switch"
	KindRouter  = "router"
	KindUPS     = "UPS"
	KindPrinter = "printer"
	KindAP      = "access point"
	KindServer  = "server"
	KindDevice  = "device" // answered SNMP, nothing says more
)

// MIB roots probed with one GETNEXT: which of them an agent answers tells
// what it is (and which tables to read).
const (
	rootUPS     = ".1.3.6.1.2.1.33" // UPS-MIB
	rootPrinter = ".1.3.6.1.2.1.43" // Printer-MIB
	rootSensors = ".1.3.6.1.2.1.99" // ENTITY-SENSOR-MIB
	rootHost    = ".1.3.6.1.2.1.25" // HOST-RESOURCES-MIB
	rootDot11   = ".1.2.840.10036"  // IEEE802dot11-MIB
	rootBridge  = ".1.3.6.1.2.1.17" // BRIDGE-MIB
	rootLLDP    = ".1.0.8802.1.1.2" // LLDP-MIB
)

func mibRoots() []string {
	return []string{rootUPS, rootPrinter, rootSensors, rootHost, rootDot11, rootBridge, rootLLDP}
}

// vendorKinds maps sysObjectID prefixes (enterprise arcs of products whose
// kind the vendor's arc says) to kinds. Cisco's and Juniper's product arcs
// hold switches and routers alike, so they are left to the MIB roots.
func vendorKinds() []struct{ prefix, kind string } {
	return []struct{ prefix, kind string }{
		{".1.3.6.1.4.1.318.1.3", KindUPS},         // APC UPS
		{".1.3.6.1.4.1.534.", KindUPS},            // Eaton
		{".1.3.6.1.4.1.935.", KindUPS},            // Voltronic / Megatec
		{".1.3.6.1.4.1.11.2.3.9", KindPrinter},    // HP printers (JetDirect)
		{".1.3.6.1.4.1.1602.", KindPrinter},       // Canon
		{".1.3.6.1.4.1.367.", KindPrinter},        // Ricoh
		{".1.3.6.1.4.1.1347.", KindPrinter},       // Kyocera
		{".1.3.6.1.4.1.2435.", KindPrinter},       // Brother
		{".1.3.6.1.4.1.14823.1.2", KindAP},        // Aruba access points
		{".1.3.6.1.4.1.41112.", KindAP},           // Ubiquiti
		{".1.3.6.1.4.1.25053.", KindAP},           // Ruckus
		{".1.3.6.1.4.1.8072.3.2", KindServer},     // net-snmp on a host
		{".1.3.6.1.4.1.311.1.1.3", KindServer},    // Windows
		{".1.3.6.1.4.1.9.1.", ""},                 // Cisco: by MIB roots
		{".1.3.6.1.4.1.2636.1.1.1.2.", ""},        // Juniper: by MIB roots
		{".1.3.6.1.4.1.2011.2.", ""},              // Huawei: by MIB roots
		{".1.3.6.1.4.1.12356.101.1.", KindRouter}, // Fortinet FortiGate
	}
}

// descrKinds are words in sysDescr that say the kind, tried in order.
func descrKinds() []struct {
	re   *regexp.Regexp
	kind string
} {
	return []struct {
		re   *regexp.Regexp
		kind string
	}{
		{regexp.MustCompile(`\bups\b|uninterruptible`), KindUPS},
		{regexp.MustCompile(`printer|laserjet|jetdirect|officejet|multifunction`), KindPrinter},
		{regexp.MustCompile(`access point|\bap\b|wireless`), KindAP},
		{regexp.MustCompile(`\brouter\b|routing`), KindRouter},
		{regexp.MustCompile(`\bswitch\b`), KindSwitch},
	}
}

// kindOf says what a device is from its sysObjectID, the MIB roots it
// answers and its sysDescr, in that order of trust; profile is the snmp
// check profile its kind gets ("" for none). One function, so the lead
// can fold it into probes.DetectProfile.
func kindOf(objectID, descr string, answers func(root string) bool) (kind, profile string) {
	kind = byVendor(objectID)
	if kind == "" {
		switch {
		case answers(rootUPS):
			kind = KindUPS
		case answers(rootPrinter):
			kind = KindPrinter
		case answers(rootDot11):
			kind = KindAP
		}
	}
	if kind == "" {
		d := strings.ToLower(descr)
		for _, k := range descrKinds() {
			if k.re.MatchString(d) {
				kind = k.kind
				break
			}
		}
	}
	if kind == "" {
		switch {
		case answers(rootBridge):
			kind = KindSwitch
		case answers(rootHost):
			kind = KindServer
		default:
			kind = KindDevice
		}
	}
	return kind, profileOf(kind)
}

func byVendor(objectID string) string {
	if objectID != "" && objectID[0] != '.' {
		objectID = "." + objectID
	}
	for _, v := range vendorKinds() {
		p := strings.TrimSuffix(v.prefix, ".")
		if objectID == p || strings.HasPrefix(objectID, p+".") {
			return v.kind
		}
	}
	return ""
}

// profileOf is the snmp check profile of a kind (issue 15's names).
func profileOf(kind string) string {
	switch kind {
	case KindUPS:
		return "ups"
	case KindPrinter:
		return "printer"
	case KindAP:
		return "wireless"
	case KindServer:
		return "host"
	}
	return ""
}
