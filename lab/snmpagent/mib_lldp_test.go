package snmpagent_test

import (
	"errors"
	"strings"
	"testing"

	"noctop/lab/snmpagent"
)

// TestSNMPLLDPAndBridgeNetSNMP walks LLDP-MIB and BRIDGE-MIB with net-snmp's
// snmpwalk (which checks that OIDs increase) and reads the values back.
func TestSNMPLLDPAndBridgeNetSNMP(t *testing.T) {
	netSNMP(t)
	a := startSNMP(t, snmpagent.Options{Devices: 2, PerDevice: func(i int, s *snmpagent.DeviceSpec) {
		if i == 1 {
			return
		}
		s.Neighbors = []snmpagent.Neighbor{
			{LocalPort: 24, ChassisID: snmpagent.ChassisMAC(1), PortID: "Gi1/0/1", SysName: "core-sw1"},
			{LocalPort: 3, ChassisID: "ap-chassis-7", PortID: "eth0", SysName: "ap1"},
			{LocalPort: 24, ChassisID: "02:00:00:00:09:00", PortID: "Gi1/0/2", SysName: "core-sw2"},
		}
		s.FDB = []snmpagent.FDBEntry{{MAC: "02:00:00:00:05:01", Port: 7}, {MAC: "0a:0b:0c:0d:0e:0f", Port: 24}}
	}})
	d, plain := a.Devices()[0], a.Devices()[1]
	out, err := runTool(t, d, "snmpwalk", "-v2c", "-c", "public", ".1.0.8802.1.1.2")
	if err != nil {
		t.Fatalf("snmpwalk LLDP-MIB: %v\n%s", err, out)
	}
	for _, want := range []string{
		snmpagent.OIDLLDPLocChassisID + ` = Hex-STRING: 02 00 00 00 00 00 `,
		snmpagent.OIDLLDPLocSysName + ` = STRING: "lab-sw-001"`,
		snmpagent.OIDLLDPRemEntry + `.4.0.24.1 = INTEGER: 4`,
		snmpagent.OIDLLDPRemEntry + `.5.0.24.1 = Hex-STRING: 02 00 00 00 01 00 `,
		snmpagent.OIDLLDPRemEntry + `.4.0.3.1 = INTEGER: 7`,
		snmpagent.OIDLLDPRemEntry + `.5.0.3.1 = STRING: "ap-chassis-7"`,
		snmpagent.OIDLLDPRemEntry + `.7.0.24.1 = STRING: "Gi1/0/1"`,
		snmpagent.OIDLLDPRemEntry + `.9.0.24.1 = STRING: "core-sw1"`,
		snmpagent.OIDLLDPRemEntry + `.9.0.24.2 = STRING: "core-sw2"`,
		snmpagent.OIDLLDPRemEntry + `.9.0.3.1 = STRING: "ap1"`,
	} {
		if !strings.Contains(out, want+"\n") {
			t.Errorf("LLDP walk lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "\n"); n != 3+6*3 {
		t.Errorf("LLDP walk: %d lines, want 21:\n%s", n, out)
	}
	out, err = runTool(t, d, "snmpwalk", "-v2c", "-c", "public", ".1.3.6.1.2.1.17")
	if err != nil {
		t.Fatalf("snmpwalk BRIDGE-MIB: %v\n%s", err, out)
	}
	for _, want := range []string{
		snmpagent.OIDDot1dTpFdbEntry + `.1.2.0.0.0.5.1 = Hex-STRING: 02 00 00 00 05 01 `,
		snmpagent.OIDDot1dTpFdbEntry + `.2.2.0.0.0.5.1 = INTEGER: 7`,
		snmpagent.OIDDot1dTpFdbEntry + `.2.10.11.12.13.14.15 = INTEGER: 24`,
		snmpagent.OIDDot1dTpFdbEntry + `.3.10.11.12.13.14.15 = INTEGER: 3`,
	} {
		if !strings.Contains(out, want+"\n") {
			t.Errorf("bridge walk lacks %q:\n%s", want, out)
		}
	}
	// A device without neighbours or FDB serves neither MIB.
	for _, root := range []string{".1.0.8802.1.1.2", ".1.3.6.1.2.1.17"} {
		out, _ := runTool(t, plain, "snmpwalk", "-v2c", "-c", "public", root)
		if strings.Contains(out, root+".") {
			t.Errorf("device without LLDP/FDB answers under %s:\n%s", root, out)
		}
	}
}

func TestSNMPLLDPAndBridgeRefuseBadSpecs(t *testing.T) {
	for name, s := range map[string]snmpagent.DeviceSpec{
		"port 0":    {Neighbors: []snmpagent.Neighbor{{LocalPort: 0, ChassisID: "x"}}},
		"bad MAC":   {FDB: []snmpagent.FDBEntry{{MAC: "02:00", Port: 1}}},
		"MAC twice": {FDB: []snmpagent.FDBEntry{{MAC: "02:00:00:00:00:01", Port: 1}, {MAC: "02:00:00:00:00:01", Port: 2}}},
		"fdb port":  {FDB: []snmpagent.FDBEntry{{MAC: "02:00:00:00:00:01", Port: 0}}},
	} {
		_, err := snmpagent.Start(t.Context(), snmpagent.Options{Spec: s})
		if err == nil || errors.Is(err, snmpagent.ErrNotLoopback) {
			t.Errorf("%s: Start = %v, want a spec error", name, err)
		}
	}
}
