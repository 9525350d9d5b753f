package probes

import (
	"strings"

	"github.com/gosnmp/gosnmp"

	"noctop/model"
)

// The MIB roots whose presence says what a device is, in the order they
// decide: a UPS or printer also answers HOST-RESOURCES, an AP may have
// sensors.
const (
	RootUPSMIB       = ".1.3.6.1.2.1.33"
	RootPrinterMIB   = ".1.3.6.1.2.1.43"
	RootDot11MIB     = ".1.2.840.10036"
	RootEntSensorMIB = ".1.3.6.1.2.1.99"
	RootHostStorage  = ".1.3.6.1.2.1.25.2"
)

// ProfileRoots are the roots DetectProfile asks about, in its order: one
// GETNEXT of all of them tells which answer.
func ProfileRoots() []string {
	return []string{RootUPSMIB, RootPrinterMIB, RootDot11MIB, RootEntSensorMIB, RootHostStorage}
}

// DetectProfile is the `auto` rule, shared with discovery: a built-in
// profile by sysObjectID's enterprise prefix, else by the first of
// ProfileRoots that answers (answers reports whether the agent has an
// object under a root), else "" (none fits). It is pure: the caller asks
// the agent.
func DetectProfile(sysObjectID string, answers func(root string) bool) string {
	o := "." + strings.TrimPrefix(sysObjectID, ".")
	for _, v := range []struct{ prefix, profile string }{
		{".1.3.6.1.4.1.318.1.3", model.ProfileUPS},        // APC (American Power Conversion) UPSes
		{".1.3.6.1.4.1.534", model.ProfileUPS},            // Eaton / Powerware
		{".1.3.6.1.4.1.935", model.ProfileUPS},            // PPC / Phoenixtec
		{".1.3.6.1.4.1.11.2.3.9", model.ProfilePrinter},   // HP JetDirect printers
		{".1.3.6.1.4.1.641", model.ProfilePrinter},        // Lexmark
		{".1.3.6.1.4.1.253", model.ProfilePrinter},        // Xerox
		{".1.3.6.1.4.1.1602", model.ProfilePrinter},       // Canon
		{".1.3.6.1.4.1.1347", model.ProfilePrinter},       // Kyocera
		{".1.3.6.1.4.1.2435", model.ProfilePrinter},       // Brother
		{".1.3.6.1.4.1.367", model.ProfilePrinter},        // Ricoh
		{".1.3.6.1.4.1.14179", model.ProfileWireless},     // Cisco Airespace WLAN controllers
		{".1.3.6.1.4.1.14823.1.2", model.ProfileWireless}, // Aruba access points
		{".1.3.6.1.4.1.41112", model.ProfileWireless},     // Ubiquiti
		{".1.3.6.1.4.1.25053", model.ProfileWireless},     // Ruckus
		{".1.3.6.1.4.1.8072.3.2", model.ProfileHost},      // net-snmp on a Unix host
		{".1.3.6.1.4.1.311.1.1.3", model.ProfileHost},     // Windows SNMP service
	} {
		if o == v.prefix || strings.HasPrefix(o, v.prefix+".") {
			return v.profile
		}
	}
	if answers == nil {
		return ""
	}
	for i, root := range ProfileRoots() {
		if answers(root) {
			return []string{model.ProfileUPS, model.ProfilePrinter, model.ProfileWireless, model.ProfileSensors, model.ProfileHost}[i]
		}
	}
	return ""
}

// rootsAnswering asks the agent, in one GETNEXT, which of roots have an
// object under them.
func (cl *snmpClient) rootsAnswering(roots []string) (map[string]bool, error) {
	pkt, err := cl.request("GETNEXT of the profile MIB roots", func() (*gosnmp.SnmpPacket, error) { return cl.g.GetNext(roots) })
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	if pkt.Error != gosnmp.NoError {
		if pkt.Error == gosnmp.NoSuchName && cl.g.Version == gosnmp.Version1 {
			// SNMPv1 ends the view with noSuchName: ask one by one.
			for _, r := range roots {
				if one, err := cl.rootsAnswering([]string{r}); err == nil && one[r] {
					out[r] = true
				}
			}
			return out, nil
		}
		return nil, agentError("GETNEXT", pkt)
	}
	for i, v := range pkt.Variables {
		if i >= len(roots) {
			break
		}
		if _, in := indexOf(dotted(v.Name), roots[i]); in && !missing(v) && v.Type != gosnmp.EndOfMibView {
			out[roots[i]] = true
		}
	}
	return out, nil
}
