package probes

import (
	"slices"
	"testing"

	"noctop/model"
)

// DetectProfile is pure: sysObjectID's enterprise prefix first, then the
// first MIB root that answers, in ProfileRoots' order.
func TestDetectProfile(t *testing.T) {
	roots := func(rs ...string) func(string) bool {
		return func(r string) bool { return slices.Contains(rs, r) }
	}
	for _, c := range []struct {
		name, oid string
		answers   func(string) bool
		want      string
	}{
		{"APC UPS by its sysObjectID", ".1.3.6.1.4.1.318.1.3.27", roots(), model.ProfileUPS},
		{"APC, no leading dot", "1.3.6.1.4.1.318.1.3.27", nil, model.ProfileUPS},
		{"HP printer", ".1.3.6.1.4.1.11.2.3.9.1", roots(RootHostStorage), model.ProfilePrinter},
		{"net-snmp host", ".1.3.6.1.4.1.8072.3.2.10", roots(RootUPSMIB), model.ProfileHost},
		{"a prefix must end at an arc", ".1.3.6.1.4.1.3180.1", roots(), ""},
		{"unknown vendor, UPS-MIB answers", ".1.3.6.1.4.1.99998.1", roots(RootUPSMIB, RootHostStorage), model.ProfileUPS},
		{"printer before host resources", ".1.3.6.1.4.1.99998.1", roots(RootHostStorage, RootPrinterMIB), model.ProfilePrinter},
		{"802.11 before sensors", ".1.3.6.1.4.1.99998.1", roots(RootEntSensorMIB, RootDot11MIB), model.ProfileWireless},
		{"sensors before host", ".1.3.6.1.4.1.99998.1", roots(RootHostStorage, RootEntSensorMIB), model.ProfileSensors},
		{"host resources alone", "", roots(RootHostStorage), model.ProfileHost},
		{"nothing answers", ".1.3.6.1.4.1.99998.1", roots(), ""},
		{"no way to ask", ".1.3.6.1.4.1.99998.1", nil, ""},
	} {
		if got := DetectProfile(c.oid, c.answers); got != c.want {
			t.Errorf("%s: DetectProfile(%q) = %q, want %q", c.name, c.oid, got, c.want)
		}
	}
}
