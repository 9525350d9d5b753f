package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// The zone database is inside the binary: with /usr/share/zoneinfo and
// Go's own zoneinfo.zip hidden (a mount namespace of the test's own, as
// root), a window in Europe/Amsterdam still loads.
func TestMaintenanceZonesWithoutZoneinfo(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root for a mount namespace")
	}
	unshare, err := exec.LookPath("unshare")
	if err != nil {
		t.Skip("no unshare")
	}
	path := writeConfig(t, tcpAsset("db", 1)+`
[[maintenance]]
assets = ["db"]
every = "sun 02:00"
duration = "2h"
timezone = "Europe/Amsterdam"
`)
	hide := "mount -t tmpfs none /usr/share/zoneinfo"
	if zip := filepath.Join(runtime.GOROOT(), "lib", "time"); dirExists(zip) {
		hide += " && mount -t tmpfs none " + zip
	}
	// Without the files, a bad name must still be refused: the check
	// below is not passing only because nothing is looked up.
	bad := writeConfig(t, tcpAsset("db", 1)+`
[[maintenance]]
assets = ["db"]
every = "sun 02:00"
duration = "2h"
timezone = "Europe/Amsterdm"
`)
	script := hide + ` && ls /usr/share/zoneinfo | wc -l && "$0" validate -c "$1"; echo "exit $?"; "$0" validate -c "$2"; echo "exit $?"`
	out, err := exec.Command(unshare, "-m", "sh", "-c", script, binPath, path, bad).CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) < 4 || lines[0] != "0" || lines[2] != "exit 0" || !strings.Contains(string(out), "Europe/Amsterdm") || lines[len(lines)-1] != "exit 1" {
		t.Errorf("without zoneinfo:\n%s", out)
	}
}

func dirExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}
