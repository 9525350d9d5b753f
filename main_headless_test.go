package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"testing"
	"time"
)

// logLine is one line of a headless log: the line as written, and the
// fields tests read when it is JSON (--log-format json).
type logLine struct {
	Text string `json:"-"`
	JSON bool   `json:"-"` // the line is one JSON object

	Msg         string   `json:"msg"`
	Level       string   `json:"level"`
	Reason      string   `json:"reason"`
	Error       string   `json:"error"`
	Kind        string   `json:"kind"`
	Asset       string   `json:"asset"`
	Check       string   `json:"check"`
	From        string   `json:"from"`
	To          string   `json:"to"`
	Hard        bool     `json:"hard"`
	RootCauses  int      `json:"root_causes"`
	CauseAssets []string `json:"root_cause_assets"`
	Unreachable int      `json:"unreachable"`
	Checking    int      `json:"checking"`
}

// headlessRun is a running noctop whose log (stderr) arrives line by line
// on lines; raw keeps all of it for failure messages.
type headlessRun struct {
	cmd   *exec.Cmd
	lines chan logLine
	raw   *syncBuffer
	done  chan struct{} // closed when the log has been read to its end
}

// syncBuffer is a bytes.Buffer that a failure message may read while the
// log is still being written into it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startHeadless runs `noctop --headless --log-format json -c config`.
func startHeadless(t *testing.T, config string) *headlessRun {
	t.Helper()
	return startLogging(t, exec.Command(binPath, "--headless", "-c", config, "--log-format", "json"))
}

// startLogging starts cmd, a noctop run that logs on stderr, and reads its
// log; without an Env of its own, cmd runs with NO_COLOR=1. A run the test
// did not wait for is killed when the test ends.
func startLogging(t *testing.T, cmd *exec.Cmd) *headlessRun {
	t.Helper()
	if cmd.Env == nil {
		cmd.Env = append(os.Environ(), "NO_COLOR=1")
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	h := &headlessRun{cmd: cmd, lines: make(chan logLine, 1000), raw: &syncBuffer{}, done: make(chan struct{})}
	go func() {
		defer close(h.done)
		defer close(h.lines)
		sc := bufio.NewScanner(io.TeeReader(stderr, h.raw))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var l logLine
			if json.Unmarshal(sc.Bytes(), &l) != nil {
				l = logLine{}
			} else {
				l.JSON = true
			}
			l.Text = sc.Text()
			h.lines <- l
		}
	}()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			h.wait(t)
		}
	})
	return h
}

// waitLine returns the first log line for which match holds (match sees
// every line before it). It fails when the log ends, or after a minute.
func (h *headlessRun) waitLine(t *testing.T, what string, match func(logLine) bool) logLine {
	t.Helper()
	deadline := time.After(time.Minute)
	for {
		select {
		case l, ok := <-h.lines:
			if !ok {
				t.Fatalf("the log ended without %s:\n%s", what, h.raw)
			}
			if match(l) {
				return l
			}
		case <-deadline:
			t.Fatalf("waited a minute for %s; the log:\n%s", what, h.raw)
		}
	}
}

// signal sends sig to the run.
func (h *headlessRun) signal(t *testing.T, sig syscall.Signal) {
	t.Helper()
	if err := h.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
}

// wait reads the log to its end and waits for the run: its exit code and
// its last JSON log line.
func (h *headlessRun) wait(t *testing.T) (int, logLine) {
	t.Helper()
	var last logLine
	for l := range h.lines {
		if l.JSON {
			last = l
		}
	}
	<-h.done
	_ = h.cmd.Wait()
	return h.cmd.ProcessState.ExitCode(), last
}

func msgIs(msg string) func(logLine) bool {
	return func(l logLine) bool { return l.Msg == msg }
}
