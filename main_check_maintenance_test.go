package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

// A window over a dead port: `check` still runs the check (CRITICAL,
// refused), shows the asset MAINTENANCE with the window, and exits 0 as
// DESIGN says; the live port beside it and the exit code of the same
// config without the window show that the port really is dead.
func TestCheckMaintenanceWindow(t *testing.T) {
	dead, live := closedPort(t), listening(t)
	now := time.Now().UTC()
	base := tcpAsset("db", dead) + tcpAsset("web", live)
	window := fmt.Sprintf(`
[[maintenance]]
name = "disk swap"
assets = ["db"]
from = %s
to = %s
reason = "replacing a disk"
`, now.Add(-time.Hour).Format(time.RFC3339), now.Add(time.Hour).Format(time.RFC3339))

	if _, _, code := runBin(t, nil, "check", "-c", writeConfig(t, base)); code != 2 {
		t.Fatalf("without the window: exit %d, want 2 (the dead port)", code)
	}

	path := writeConfig(t, base+window)
	stdout, stderr, code := runBin(t, nil, "check", "-c", path, "--json")
	if code != 0 {
		t.Fatalf("exit %d, want 0\n%s\n%s", code, stdout, stderr)
	}
	var rep struct {
		Status string
		Assets []struct {
			Name        string
			Status      string
			Reason      string
			Maintenance *struct {
				Window, Reason string
				Until          time.Time
			}
			Checks []struct{ Status, Summary string }
		}
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	if rep.Status != "OK" || len(rep.Assets) != 2 {
		t.Fatalf("report %+v", rep)
	}
	for _, a := range rep.Assets {
		if a.Name != "db" {
			continue
		}
		if a.Status != "MAINTENANCE" || a.Maintenance == nil || a.Maintenance.Window != "disk swap" || a.Maintenance.Reason != "replacing a disk" {
			t.Errorf("db: %s %+v", a.Status, a.Maintenance)
		}
		if len(a.Checks) != 1 || a.Checks[0].Status != "CRITICAL" {
			t.Errorf("db's check: %+v (still checked, its own status)", a.Checks)
		}
	}

	stdout, _, code = runBin(t, nil, "check", "-c", path)
	if code != 0 || !strings.Contains(stdout, "⚒ MAINTENANCE") || !strings.Contains(stdout, "in maintenance until") {
		t.Errorf("table: exit %d\n%s", code, stdout)
	}
}
