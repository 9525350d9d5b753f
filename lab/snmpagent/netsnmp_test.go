package snmpagent_test

import (
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"noctop/lab/snmpagent"
)

// netSNMP skips the test when net-snmp's command-line tools are missing,
// unless NOCTOP_REQUIRE_SNMPD=1 says they must be there.
func netSNMP(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"snmpget", "snmpbulkwalk", "snmpwalk"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("NOCTOP_REQUIRE_SNMPD") == "1" {
				t.Fatalf("%s not found and NOCTOP_REQUIRE_SNMPD=1: %v", tool, err)
			}
			t.Skipf("%s not installed (apt-get install snmp): %v", tool, err)
		}
	}
}

// runTool runs a net-snmp tool against d with -m "" (no MIBs) and -On.
func runTool(t *testing.T, d *snmpagent.Device, tool string, args ...string) (string, error) {
	t.Helper()
	target := "udp:" + d.Host() + ":" + strconv.Itoa(d.Port())
	full := append([]string{"-m", "", "-On", "-t", "1", "-r", "0"}, args...)
	full = append(full[:len(full)-1], target, full[len(full)-1])
	out, err := exec.CommandContext(t.Context(), tool, full...).CombinedOutput()
	return string(out), err
}

func TestSNMPNetSNMPTools(t *testing.T) {
	netSNMP(t)
	a := startSNMP(t, snmpagent.Options{Users: testUsers, Spec: snmpagent.DeviceSpec{Interfaces: 48}})
	d := a.Devices()[0]
	v3ops := []string{"-v3", "-l", "authPriv", "-u", "ops", "-a", "SHA", "-A", "authpass1", "-x", "AES", "-X", "privpass1"}
	v3legacy := []string{"-v3", "-l", "authPriv", "-u", "legacy", "-a", "MD5", "-A", "authpass2", "-x", "DES", "-X", "privpass2"}
	for _, c := range []struct {
		name, tool string
		args       []string
		ok         bool
		want       string // in the output
		lines      int    // output lines, when not 0
	}{
		{"v2c get", "snmpget", []string{"-v2c", "-c", "public", snmpagent.OIDSysName}, true, `.1.3.6.1.2.1.1.5.0 = STRING: "lab-sw-001"`, 1},
		{"v1 walk system", "snmpwalk", []string{"-v1", "-c", "public", ".1.3.6.1.2.1.1"}, true, "Timeticks", 7},
		{"v2c bulkwalk ifHCInOctets", "snmpbulkwalk", []string{"-v2c", "-c", "public", "-Cr25", snmpagent.OIDIfXEntry + ".6"}, true, "Counter64", 48},
		// snmpbulkwalk checks that every OID increases: a whole-tree walk
		// proves the layout's order. It ends with net-snmp's "No more
		// variables left in this MIB View" line, as against snmpd.
		{"v2c bulkwalk everything", "snmpbulkwalk", []string{"-v2c", "-c", "public", "-Cr50", ".1"}, true, "No more variables left", 8 + 48*22 + 4*6 + 2 + 4 + 1},
		{"v3 SHA AES", "snmpget", append(v3ops, snmpagent.OIDSysName), true, `"lab-sw-001"`, 1},
		{"v3 MD5 DES bulkwalk", "snmpbulkwalk", append(v3legacy, "-Cr48", snmpagent.OIDIfEntry+".2"), true, "GigabitEthernet1/0/48", 48},
		{"v3 SHA-512 AES-256", "snmpget", []string{"-v3", "-l", "authPriv", "-u", "strong", "-a", "SHA-512", "-A", "authpass4", "-x", "AES-256", "-X", "privpass4", snmpagent.OIDSysName}, true, `"lab-sw-001"`, 1},
		{"v3 SHA AES-256-C", "snmpget", []string{"-v3", "-l", "authPriv", "-u", "cisco", "-a", "SHA", "-A", "authpass5", "-x", "AES-256-C", "-X", "privpass5", snmpagent.OIDSysName}, true, `"lab-sw-001"`, 1},
		{"v3 SHA-256 authNoPriv", "snmpget", []string{"-v3", "-l", "authNoPriv", "-u", "signer", "-a", "SHA-256", "-A", "authpass3", snmpagent.OIDSysName}, true, `"lab-sw-001"`, 1},
		{"v3 noAuthNoPriv", "snmpget", []string{"-v3", "-l", "noAuthNoPriv", "-u", "public-user", snmpagent.OIDSysName}, true, `"lab-sw-001"`, 1},
		{"v3 below the user's level", "snmpget", []string{"-v3", "-l", "authNoPriv", "-u", "ops", "-a", "SHA", "-A", "authpass1", snmpagent.OIDSysName}, false, "authorizationError", 0},
		{"v3 wrong auth password", "snmpget", []string{"-v3", "-l", "authNoPriv", "-u", "ops", "-a", "SHA", "-A", "wrongpass", snmpagent.OIDSysName}, false, "Authentication failure", 0},
		{"v3 unknown user", "snmpget", []string{"-v3", "-l", "authNoPriv", "-u", "nobody", "-a", "SHA", "-A", "authpass1", snmpagent.OIDSysName}, false, "Unknown user name", 0},
		{"v3 wrong privacy password", "snmpget", append(v3ops[:len(v3ops)-1], "wrongpriv", snmpagent.OIDSysName), false, "Timeout", 0},
		{"v2c wrong community", "snmpget", []string{"-v2c", "-c", "private", snmpagent.OIDSysName}, false, "Timeout", 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, err := runTool(t, d, c.tool, c.args...)
			if (err == nil) != c.ok || !strings.Contains(out, c.want) {
				t.Fatalf("%s %v: %v\n%s", c.tool, c.args, err, out)
			}
			if n := strings.Count(strings.TrimSpace(out), "\n") + 1; c.lines != 0 && n != c.lines {
				t.Errorf("%d lines, want %d:\n%s", n, c.lines, out)
			}
		})
	}
}
