package main

import (
	"fmt"
	"net"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// With `ulimit -n 64` and 500 checks every check used to log its own "too
// many open files" (2,247 lines in 30 s). Now the log says it once, with a
// count a minute later, and the checks stay UNKNOWN.
func TestHeadlessLocalProblemLoggedOnce(t *testing.T) {
	port := silent(t)
	var cfg strings.Builder
	cfg.WriteString("[defaults]\ninterval = \"1s\"\ntimeout = \"500ms\"\nretries = 1\n")
	for i := range 500 {
		cfg.WriteString(tcpAsset(fmt.Sprint("web", i), port) + "  expect = \"220\"\n")
	}
	path := writeConfig(t, cfg.String())
	h := startLogging(t, exec.Command("sh", "-c", `ulimit -n 64 && exec "$0" --headless -c "$1"`, binPath, path))
	// Three seconds is three rounds of 500 checks.
	timer := time.AfterFunc(3*time.Second, func() { _ = h.cmd.Process.Signal(syscall.SIGTERM) })
	defer timer.Stop()
	code, _ := h.wait(t)
	if code != 0 {
		t.Fatalf("headless run: exit %d, want 0 on SIGTERM", code)
	}
	var local, reports int
	for _, l := range h.seen {
		if strings.Contains(l.Text, "too many open files") {
			local++
		}
		if strings.Contains(l.Text, "local problem on this machine") {
			reports++
		}
	}
	var head []string
	for _, l := range h.seen[:min(5, len(h.seen))] {
		head = append(head, l.Text)
	}
	if reports != 1 {
		t.Errorf("%d reports of the local problem, want 1 (%d lines in all, first:\n%s)", reports, len(h.seen), strings.Join(head, "\n"))
	}
	if local > 2 {
		t.Errorf("%d log lines name the local problem in 3 s of 500 checks, want at most 2 (one report, one status)", local)
	}
}

// silent returns the port of a TCP listener that accepts and never writes:
// a check expecting a banner holds its socket until its timeout.
func silent(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	var held []net.Conn // owned by the accept loop until done
	t.Cleanup(func() {
		ln.Close()
		<-done
		for _, c := range held {
			c.Close()
		}
	})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			held = append(held, c)
		}
	}()
	return ln.Addr().(*net.TCPAddr).Port
}
