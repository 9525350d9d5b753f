package main

import (
	"strings"
	"syscall"
	"testing"
)

// noctop maintenance from a second process opens an ad hoc window on the
// running monitor through the database: the failing asset leaves the root
// causes (MAINTENANCE), the window is an event and survives a restart,
// --end closes it and the asset is a root cause again. Bad requests are refused before queueing.
func TestMaintenanceFromAnotherProcess(t *testing.T) {
	cfg := writeConfig(t, "[defaults]\nretries = 1\ninterval = \"1s\"\ntimeout = \"500ms\"\n"+tcpAsset("web", closedPort(t)))
	for _, args := range [][]string{
		{"maintenance", "web", "-c", cfg},                    // no --for
		{"maintenance", "web", "--for", "9d", "-c", cfg},     // too long
		{"maintenance", "web/tcp", "--for", "1h", "-c", cfg}, // a check, not an asset
	} {
		if _, stderr, code := runBin(t, nil, args...); code != 1 || stderr == "" {
			t.Errorf("%q: exit %d\n%s", args, code, stderr)
		}
	}
	mon := startHeadless(t, cfg)
	mon.waitLine(t, "web's root cause", func(l logLine) bool { return l.Kind == "status" && l.RootCauses == 1 })

	stdout, stderr, code := runBin(t, nil, "maintenance", "web", "--for", "2h", "-m", "disk swap", "--by", "alice", "-c", cfg)
	if code != 0 || !strings.HasPrefix(stdout, "maintenance window on web until ") || !strings.HasSuffix(strings.TrimSpace(stdout), " by alice") {
		t.Fatalf("maintenance: exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	mon.waitLine(t, "the window's event", func(l logLine) bool {
		return l.Kind == "maintenance" && l.Asset == "web" && strings.HasPrefix(l.Msg, "maintenance (ad hoc) until ") && strings.HasSuffix(l.Msg, " by alice: disk swap")
	})
	mon.waitLine(t, "the status line without the root cause", func(l logLine) bool { return l.Kind == "status" && l.RootCauses == 0 })
	// The store writes within a second; a restart resumes the window.
	waitEvent(t, cfg, func(ev eventJSON) bool {
		return ev.Kind == "maintenance" && strings.HasSuffix(ev.Summary, " by alice: disk swap")
	})
	mon.signal(t, syscall.SIGTERM)
	if code, _ := mon.wait(t); code != 0 {
		t.Fatalf("monitor exit %d:\n%s", code, mon.log())
	}
	// Resumed quietly (no status line: nothing changed); --end finding
	// the window is the proof.
	mon = startHeadless(t, cfg)

	stdout, stderr, code = runBin(t, nil, "maintenance", "web", "--end", "--by", "bob", "-c", cfg)
	if code != 0 || strings.TrimSpace(stdout) != "maintenance window on web ended by bob" {
		t.Fatalf("maintenance --end: exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	mon.waitLine(t, "web a root cause again", func(l logLine) bool { return l.Kind == "status" && l.RootCauses == 1 })
	if _, stderr, code := runBin(t, nil, "maintenance", "web", "--end", "-c", cfg); code != 1 || !strings.Contains(stderr, "no ad hoc maintenance window") {
		t.Errorf("second --end: exit %d\n%s", code, stderr)
	}
	mon.signal(t, syscall.SIGTERM)
	if code, _ := mon.wait(t); code != 0 {
		t.Fatalf("monitor exit %d:\n%s", code, mon.log())
	}
}
