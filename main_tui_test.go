package main

import (
	"bufio"
	"os/exec"
	"strings"
	"syscall"
	"testing"
)

// TestNotATerminalFallsBackToHeadless runs the monitor with stdout on a
// pipe: it must say so on stderr and log instead of drawing.
func TestNotATerminalFallsBackToHeadless(t *testing.T) {
	path := writeConfig(t, `
[defaults]
interval = "200ms"
timeout = "100ms"
retries = 1
`+tcpAsset("db", listening(t)))
	cmd := exec.Command(binPath, "-c", path)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stdout strings.Builder
	cmd.Stdout = &stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stderr)
	var said, logged bool
	for !(said && logged) && sc.Scan() {
		said = said || strings.Contains(sc.Text(), "stdout is not a terminal: running headless")
		logged = logged || strings.Contains(sc.Text(), "noctop started")
	}
	if !said || !logged {
		t.Fatalf("no fallback note (%v) or no log (%v) on stderr", said, logged)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	for sc.Scan() {
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("after SIGTERM: %v (want exit 0)", err)
	}
	if strings.Contains(stdout.String(), "\x1b[") {
		t.Errorf("escape sequences written to a pipe: %q", stdout.String())
	}
}
