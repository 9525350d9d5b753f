package main

import (
	"bufio"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// `demo --lab-only --outage` replays the script on the lab alone (for
// pollers started elsewhere, dist/scaleout/run.sh) and prints each step;
// without --lab-only the flag is refused.
func TestDemoLabOnlyOutage(t *testing.T) {
	if _, stderr, code := runBin(t, nil, "demo", "--outage", "--headless"); code == 0 || !strings.Contains(stderr, "--outage goes with --lab-only") {
		t.Errorf("demo --outage without --lab-only: exit %d, %q", code, stderr)
	}
	path := filepath.Join(t.TempDir(), "lab.toml")
	lab := exec.Command(binPath, "demo", "--lab-only", "--outage", "--write-config", path)
	out, err := lab.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := lab.Start(); err != nil {
		t.Fatal(err)
	}
	// The first step comes 15 s in; a lab that never prints it is killed,
	// which ends the scan below.
	watchdog := time.AfterFunc(time.Minute, func() { _ = lab.Process.Kill() })
	defer watchdog.Stop()
	var seen []string
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		seen = append(seen, sc.Text())
		if sc.Text() == "demo: acc-sw2 port 5 loses its link" {
			break
		}
	}
	if len(seen) < 3 || !strings.Contains(seen[0], path) || seen[len(seen)-1] != "demo: acc-sw2 port 5 loses its link" {
		t.Fatalf("lab output %q, want the config's path, then the script's first step", seen)
	}
	if err := lab.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := lab.Wait(); err != nil {
		t.Errorf("lab after SIGTERM: %v, want exit 0", err)
	}
}
