package main

import (
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Restart with three hard problems: the second run logs no state change
// for them, and its first status line already counts them.
func TestRestartResumesHardProblems(t *testing.T) {
	cfg := writeConfig(t, "[defaults]\nretries = 1\ninterval = \"1s\"\ntimeout = \"500ms\"\n"+
		tcpAsset("a", closedPort(t))+tcpAsset("b", closedPort(t))+tcpAsset("c", closedPort(t)))
	first := startHeadless(t, cfg)
	first.waitLine(t, "three root causes", func(l logLine) bool { return l.Kind == "status" && l.RootCauses == 3 })
	first.signal(t, syscall.SIGTERM)
	if code, _ := first.wait(t); code != 0 {
		t.Fatalf("first run exit %d", code)
	}
	second := startLogging(t, exec.Command(binPath, "--headless", "-c", cfg, "--log-format", "json"))
	second.waitLine(t, "noctop started", msgIs("noctop started"))
	// The first snapshot already counts them (panes full at once).
	if l := second.waitLine(t, "the first status line", func(l logLine) bool { return l.Kind == "status" || l.Kind == "state" }); l.RootCauses != 3 {
		t.Errorf("first line after restart: %s", l.Text)
	}
	time.Sleep(4 * time.Second) // four rounds of checks: no state change among them
	second.signal(t, syscall.SIGTERM)
	second.wait(t)
	for _, l := range second.seen {
		if l.Kind == "state" {
			t.Errorf("state change after restart: %s", l.Text)
		}
	}
	if !strings.Contains(second.log(), "noctop stopped") {
		t.Error("no stop line")
	}
}
