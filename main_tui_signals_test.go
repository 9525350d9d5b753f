package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// tmuxTerm is a shell in a tmux pane on a tmux server of its own (its
// socket in the test's temporary folder), a real terminal to run the
// dashboard in.
type tmuxTerm struct {
	t      *testing.T
	socket string
	dir    string
}

func newTmuxTerm(t *testing.T) *tmuxTerm {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed")
	}
	dir := t.TempDir()
	tm := &tmuxTerm{t: t, socket: filepath.Join(dir, "tmux.sock"), dir: dir} // gone with dir
	tm.tmux("new-session", "-d", "-s", "t", "-x", "120", "-y", "30",
		"env -u NO_COLOR TERM=xterm-256color PS1='prompt$ ' bash --norc --noprofile")
	t.Cleanup(func() { _ = exec.Command("tmux", "-S", tm.socket, "kill-server").Run() })
	tm.waitScreen("prompt$", "the shell's prompt")
	return tm
}

func (tm *tmuxTerm) tmux(args ...string) string {
	tm.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-S", tm.socket}, args...)...).CombinedOutput()
	if err != nil {
		tm.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

func (tm *tmuxTerm) screen() string { return tm.tmux("capture-pane", "-p", "-t", "t") }

// modes are the terminal modes a program can leave behind: the alternate
// screen, the cursor's visibility, mouse reporting, keypad modes.
func (tm *tmuxTerm) modes() string {
	return strings.TrimSpace(tm.tmux("display", "-p", "-t", "t",
		"alt=#{alternate_on} cursor=#{cursor_flag} mouse=#{mouse_any_flag}#{mouse_all_flag}#{mouse_button_flag}#{mouse_standard_flag}#{mouse_sgr_flag}#{mouse_utf8_flag} keypad=#{keypad_cursor_flag}#{keypad_flag} insert=#{insert_flag} wrap=#{wrap_flag} origin=#{origin_flag}"))
}

func (tm *tmuxTerm) waitScreen(want, what string) {
	tm.t.Helper()
	tm.waitFor(what, func() bool { return strings.Contains(tm.screen(), want) })
}

func (tm *tmuxTerm) waitFor(what string, ok func() bool) {
	tm.t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if ok() {
			return
		}
	}
	tm.t.Fatalf("waited for %s; modes %s, screen:\n%s", what, tm.modes(), tm.screen())
}

// startDashboard runs noctop on config in the pane and returns its pid
// once the dashboard is up, with args (plain words) after the config.
// After it ends the shell prints its exit code.
func (tm *tmuxTerm) startDashboard(config string, args ...string) int {
	tm.t.Helper()
	pidFile := filepath.Join(tm.dir, "pid")
	tm.tmux("send-keys", "-t", "t", fmt.Sprintf("sh -c 'echo $$ > %s; exec %s -c %s %s'; echo \"exit=$?\"",
		pidFile, binPath, config, strings.Join(args, " ")), "Enter")
	tm.waitFor("the dashboard on the alternate screen", func() bool {
		return strings.HasPrefix(tm.modes(), "alt=1") && strings.Contains(tm.screen(), "db")
	})
	b, err := os.ReadFile(pidFile)
	if err != nil {
		tm.t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		tm.t.Fatal(err)
	}
	tm.t.Cleanup(func() {
		if running(pid) {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	})
	return pid
}

// running reports whether pid is alive (a zombie has ended).
func running(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	return len(f) > 0 && f[0] != "Z"
}

func dashboardConfig(t *testing.T) string {
	return writeConfig(t, "[defaults]\ninterval = \"1s\"\ntimeout = \"500ms\"\n"+tcpAsset("db", listening(t)))
}

// Every signal that ends the dashboard restores the terminal: the shell's
// prompt on the normal screen, cursor shown, mouse reporting off, every
// mode as it was before. SIGHUP used to leave all of them on.
func TestDashboardSignalsRestoreTerminal(t *testing.T) {
	config := dashboardConfig(t)
	for _, tc := range []struct {
		sig  syscall.Signal
		exit int
	}{
		{syscall.SIGTERM, 0},
		{syscall.SIGINT, 0},
		{syscall.SIGQUIT, 2}, // then the goroutines, as Go prints them
	} {
		t.Run(signalName(tc.sig), func(t *testing.T) {
			tm := newTmuxTerm(t)
			before := tm.modes()
			pid := tm.startDashboard(config)
			if err := syscall.Kill(pid, tc.sig); err != nil {
				t.Fatal(err)
			}
			tm.waitScreen(fmt.Sprintf("exit=%d", tc.exit), "the shell to print the exit code")
			if after := tm.modes(); after != before {
				t.Errorf("terminal modes after %s: %s, before the dashboard: %s\n%s", signalName(tc.sig), after, before, tm.screen())
			}
			if tc.sig == syscall.SIGQUIT && !strings.Contains(tm.screen(), "goroutine") {
				t.Errorf("no goroutine dump on the normal screen after SIGQUIT:\n%s", tm.screen())
			}
		})
	}
}

// A SIGHUP with the terminal still there asks for a reload: the dashboard
// says in its status line that it reloads the config, and goes on.
func TestDashboardSIGHUPIsNotAStop(t *testing.T) {
	tm := newTmuxTerm(t)
	before := tm.modes()
	pid := tm.startDashboard(dashboardConfig(t))
	if err := syscall.Kill(pid, syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	tm.waitScreen("SIGHUP: reloading", "the SIGHUP notice in the status line")
	if !running(pid) || !strings.HasPrefix(tm.modes(), "alt=1") {
		t.Fatalf("the dashboard did not go on after SIGHUP (running %v, %s)", running(pid), tm.modes())
	}
	tm.tmux("send-keys", "-t", "t", "q")
	tm.waitScreen("exit=0", "the dashboard to quit on q")
	if after := tm.modes(); after != before {
		t.Errorf("terminal modes after q: %s, before: %s", after, before)
	}
}

// A hang-up (the terminal window or SSH session closed) ends the
// dashboard: it must not linger with nothing to draw on.
func TestDashboardEndsWhenTerminalHangsUp(t *testing.T) {
	tm := newTmuxTerm(t)
	pid := tm.startDashboard(dashboardConfig(t))
	tm.tmux("kill-session", "-t", "t")
	deadline := time.Now().Add(20 * time.Second)
	for running(pid) && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if running(pid) {
		t.Fatal("noctop still runs after its terminal hung up")
	}
}
