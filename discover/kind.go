package discover

import (
	"regexp"
	"strings"

	"noctop/model"
	"noctop/probes"
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
// what it is (and which tables to read). The profile roots are the snmp
// check's own (probes.ProfileRoots): one rule, DetectProfile, says which
// profile a device gets in both places.
const (
	rootUPS     = probes.RootUPSMIB
	rootPrinter = probes.RootPrinterMIB
	rootHost    = probes.RootHostStorage
	rootDot11   = probes.RootDot11MIB
	rootBridge  = ".1.3.6.1.2.1.17" // BRIDGE-MIB
	rootLLDP    = ".1.0.8802.1.1.2" // LLDP-MIB
)

func mibRoots() []string { return append(probes.ProfileRoots(), rootBridge, rootLLDP) }

// routerVendors are sysObjectID prefixes of product arcs that hold only
// routers or firewalls; other vendors' arcs (Cisco's, Juniper's) hold
// switches and routers alike and are told apart by sysDescr and the MIBs.
func routerVendors() []string {
	return []string{".1.3.6.1.4.1.12356.101.1"} // Fortinet FortiGate
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

// kindOf says what a device is and which snmp check profile it gets: the
// profile from probes.DetectProfile (sysObjectID, then the MIB roots it
// answers), whose UPS, printer and wireless profiles name the kind too;
// otherwise sysDescr's words, then a bridge is a switch and a host
// (HOST-RESOURCES) a server.
func kindOf(objectID, descr string, answers func(root string) bool) (kind, profile string) {
	profile = probes.DetectProfile(objectID, answers)
	switch profile {
	case model.ProfileUPS:
		return KindUPS, profile
	case model.ProfilePrinter:
		return KindPrinter, profile
	case model.ProfileWireless:
		return KindAP, profile
	}
	o := "." + strings.TrimPrefix(objectID, ".")
	for _, p := range routerVendors() {
		if o == p || strings.HasPrefix(o, p+".") {
			return KindRouter, ""
		}
	}
	d := strings.ToLower(descr)
	for _, k := range descrKinds() {
		if k.re.MatchString(d) {
			return k.kind, profileOf(k.kind, profile)
		}
	}
	switch {
	case answers(rootBridge):
		return KindSwitch, ""
	case profile == model.ProfileHost:
		return KindServer, profile
	}
	return KindDevice, ""
}

// profileOf is the profile of a kind sysDescr named. Switches, routers and
// other devices get none: their snmp check reads interfaces (and the
// host resources many switches also answer, under a profile of "host",
// would describe them as servers).
func profileOf(kind, detected string) string {
	switch kind {
	case KindUPS:
		return model.ProfileUPS
	case KindPrinter:
		return model.ProfilePrinter
	case KindAP:
		return model.ProfileWireless
	case KindServer:
		return model.ProfileHost
	}
	return ""
}
