package main

import (
	"os"
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
	cmd.Env = os.Environ() // colours allowed: none may reach the pipe anyway
	var stdout strings.Builder
	cmd.Stdout = &stdout
	h := startLogging(t, cmd)
	var said, logged bool
	h.waitLine(t, "the fallback note and the log", func(l logLine) bool {
		said = said || strings.Contains(l.Text, "stdout is not a terminal: running headless")
		logged = logged || strings.Contains(l.Text, "noctop started")
		return said && logged
	})
	h.signal(t, syscall.SIGTERM)
	if code, _ := h.wait(t); code != 0 {
		t.Fatalf("after SIGTERM: exit %d, want 0\n%s", code, h.log())
	}
	if strings.Contains(stdout.String(), "\x1b[") {
		t.Errorf("escape sequences written to a pipe: %q", stdout.String())
	}
}
