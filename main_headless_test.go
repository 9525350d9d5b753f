package main

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
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
	Metrics     string   `json:"metrics"`
}

// headlessRun is a running noctop whose log (stderr) arrives line by line
// on lines, which the test goroutine alone reads (waitLine, wait): seen
// keeps every line read, for failure messages.
type headlessRun struct {
	cmd   *exec.Cmd
	lines chan logLine
	seen  []logLine
	done  chan struct{} // closed when the log has been read to its end
}

// log is the log read so far.
func (h *headlessRun) log() string {
	var b strings.Builder
	for _, l := range h.seen {
		b.WriteString(l.Text + "\n")
	}
	return b.String()
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
	h := &headlessRun{cmd: cmd, lines: make(chan logLine, 1000), done: make(chan struct{})}
	go func() {
		defer close(h.done)
		defer close(h.lines)
		sc := bufio.NewScanner(stderr)
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
				t.Fatalf("the log ended without %s:\n%s", what, h.log())
			}
			h.seen = append(h.seen, l)
			if match(l) {
				return l
			}
		case <-deadline:
			t.Fatalf("waited a minute for %s; the log:\n%s", what, h.log())
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
		h.seen = append(h.seen, l)
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
