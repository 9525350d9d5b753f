package lab

import (
	"fmt"
	"os"
	"path/filepath"
)

// APProfileFileName is the custom profile file Start writes beside the CA
// file: the lab access point vendor's table (snmpagent's AccessPoint,
// enterprise 99999, fictitious), which the lab config names in [defaults]
// profiles, so an AP's `profile = "wireless"` check reads its clients.
const APProfileFileName = "noctop-lab-ap.toml"

// APProfile is that file's text: dist/profiles/noctop-lab-ap.toml, which
// a test holds it to.
const APProfile = `# A custom device profile: the noctop lab's access point controller.
#
# The vendor and its enterprise number 99999 (.1.3.6.1.4.1.99999) are
# fictitious: the lab's simulated controller (lab/snmpagent, AccessPoint)
# serves these tables so that this file can show how a site adds its own
# vendor's OIDs without code. Name the file in the config:
#
#   [defaults]
#   profiles = ["profiles/noctop-lab-ap.toml"]
#
# and use it with ` + "`profile = \"labap\"`" + `, or with ` + "`profile = \"wireless\"`" + ` (it
# extends wireless) or ` + "`profile = \"auto\"`" + ` (its sys_object_id) on an snmp
# check. README "Custom profiles" describes every key.

name          = "labap"
description   = "noctop lab AP controller (fictitious vendor 99999): APs up or down, clients per AP and per SSID"
extends       = "wireless"               # checks with profile = "wireless" read it too, on devices of sys_object_id
sys_object_id = [".1.3.6.1.4.1.99999"]   # sysObjectID prefixes of the devices it is for

# Each [[metric]] walks one object: every row of a column (or a scalar's
# .0), named by the label column's value in the same row.
[[metric]]
name   = "ap_status"
oid    = "1.3.6.1.4.1.99999.1.1.1.3"     # the AP table's status column
label  = "1.3.6.1.4.1.99999.1.1.1.2"     # the AP table's name column
ok     = [1]                             # an enumeration: 1 is fine, anything else CRITICAL
states = { "1" = "up", "2" = "down" }    # words for the values

[[metric]]
name  = "ap_clients"
oid   = "1.3.6.1.4.1.99999.1.1.1.4"
label = "1.3.6.1.4.1.99999.1.1.1.2"
warn  = 30                               # clients on one AP; a check overrides: thresholds = { ap_clients = { warn = 40 } }
crit  = 50
total = true                             # also ap_clients_total, the sum over the APs

[[metric]]
name  = "ssid_clients"
oid   = "1.3.6.1.4.1.99999.1.2.1.3"
label = "1.3.6.1.4.1.99999.1.2.1.2"
`

// writeAPProfile writes APProfile into dir and returns its absolute path.
func writeAPProfile(dir string) (string, error) {
	p, err := filepath.Abs(filepath.Join(dir, APProfileFileName))
	if err != nil {
		return "", fmt.Errorf("lab: %w", err)
	}
	if err := os.WriteFile(p, []byte(APProfile), 0o644); err != nil {
		return "", fmt.Errorf("lab: write AP profile: %w", err)
	}
	return p, nil
}
