package main

import (
	"encoding/json"
	"strings"
	"syscall"
	"testing"
	"time"
)

// noctop ack from a second process reaches the running monitor through the
// database: the monitor logs it and stores it as an event, the status line
// counts it as acked instead of a root cause, and a restart keeps it. With
// no monitor running it is queued and applied when one starts.
func TestAckFromAnotherProcess(t *testing.T) {
	cfg := writeConfig(t, "[defaults]\nretries = 1\ninterval = \"1s\"\ntimeout = \"500ms\"\n"+tcpAsset("web", closedPort(t)))
	if _, stderr, code := runBin(t, nil, "ack", "web/tcp", "-m", "x", "-c", cfg); code != 3 || !strings.Contains(stderr, "no database at") {
		t.Fatalf("ack before any monitor ran: exit %d\n%s", code, stderr)
	}
	first := startHeadless(t, cfg)
	first.waitLine(t, "web's root cause", func(l logLine) bool { return l.Kind == "status" && l.RootCauses == 1 })

	stdout, stderr, code := runBin(t, nil, "ack", "web/tcp", "-m", "vendor ticket 4711", "--by", "alice", "-c", cfg)
	if code != 0 || strings.TrimSpace(stdout) != "acknowledged web/tcp by alice" {
		t.Fatalf("ack: exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	first.waitLine(t, "the ack event", func(l logLine) bool {
		return l.Kind == "ack" && l.Asset == "web" && l.Check == "tcp" && l.Msg == "acknowledged alice: vendor ticket 4711"
	})
	first.waitLine(t, "the status line counting it acked", func(l logLine) bool {
		return l.Kind == "status" && l.RootCauses == 0 && strings.Contains(l.Text, `"acked":1`)
	})
	if _, stderr, code := runBin(t, nil, "ack", "db", "-m", "x", "-c", cfg); code != 1 || !strings.Contains(stderr, `unknown asset "db"`) {
		t.Errorf("ack of an unknown asset: exit %d\n%s", code, stderr)
	}
	// The store writes within a second; events reads it beside the monitor.
	waitEvent(t, cfg, func(ev eventJSON) bool {
		return ev.Kind == "ack" && ev.Summary == "acknowledged alice: vendor ticket 4711"
	})
	first.signal(t, syscall.SIGTERM)
	if code, _ := first.wait(t); code != 0 {
		t.Fatalf("first monitor exit %d:\n%s", code, first.log())
	}

	// With no monitor: queued, and applied when the next one starts.
	_, stderr, code = runBin(t, []string{"USER=bob"}, "ack", "web", "-m", "whole box", "--sticky", "-c", cfg)
	if code != 4 || !strings.Contains(stderr, "no monitor is running on "+stateDB(cfg)+": the ack applies when one starts") {
		t.Fatalf("ack without a monitor: exit %d\n%s", code, stderr)
	}
	second := startHeadless(t, cfg)
	// The first status line already counts the resumed ack.
	if l := second.waitLine(t, "the first status line", func(l logLine) bool { return l.Kind == "status" }); l.RootCauses != 0 || !strings.Contains(l.Text, `"acked":1`) {
		t.Errorf("first status line after restart: %s", l.Text)
	}
	second.waitLine(t, "the queued ack applied", func(l logLine) bool {
		return l.Kind == "ack" && l.Asset == "web" && l.Check == "" && l.Msg == "acknowledged bob (sticky): whole box"
	})
	// The check's ack survived the restart: unack finds it.
	stdout, stderr, code = runBin(t, nil, "unack", "web/tcp", "--by", "carol", "-c", cfg)
	if code != 0 || strings.TrimSpace(stdout) != "acknowledgement of web/tcp removed by carol" {
		t.Fatalf("unack after restart: exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	second.waitLine(t, "the unack event", func(l logLine) bool {
		return l.Kind == "ack" && l.Check == "tcp" && strings.HasPrefix(l.Msg, "acknowledgement removed by carol")
	})
	if _, stderr, code := runBin(t, nil, "unack", "web/tcp", "-c", cfg); code != 1 || !strings.Contains(stderr, "nothing acknowledged") {
		t.Errorf("second unack: exit %d\n%s", code, stderr)
	}
	second.signal(t, syscall.SIGTERM)
	if code, _ := second.wait(t); code != 0 {
		t.Fatalf("second monitor exit %d", code)
	}
}

// waitEvent polls `noctop events --json` until an event matches (a minute
// at most).
func waitEvent(t *testing.T, cfg string, match func(eventJSON) bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		stdout, stderr, code := runBin(t, nil, "events", "-c", cfg, "--json")
		if code != 0 {
			t.Fatalf("events: exit %d\n%s", code, stderr)
		}
		for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
			var ev eventJSON
			if json.Unmarshal([]byte(line), &ev) == nil && match(ev) {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no matching event:\n%s", stdout)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
