package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// hugeConfig writes a valid config of n assets, each with an icmp and a tcp
// check: loading 30,000 of them takes seconds of CPU.
func hugeConfig(t *testing.T, n int) string {
	t.Helper()
	var b bytes.Buffer
	b.WriteString("[defaults]\ninterval = \"1m\"\n\n")
	for i := range n {
		fmt.Fprintf(&b, "[[asset]]\nname = \"host-%d\"\naddress = \"127.0.%d.%d\"\n", i, i/250%250, i%250+1)
		if i > 0 {
			fmt.Fprintf(&b, "parents = [\"host-%d\"]\n", i/2)
		}
		b.WriteString("  [[asset.check]]\n  type = \"icmp\"\n  rtt = { warn = \"50ms\", crit = \"200ms\" }\n")
		b.WriteString("  [[asset.check]]\n  type = \"tcp\"\n  port = 5432\n\n")
	}
	path := filepath.Join(t.TempDir(), "huge.toml")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// cpuTime is the CPU a running process has used so far (/proc/PID/stat:
// utime and stime, in clock ticks of 10 ms).
func cpuTime(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// Fields after the command name, which is in parentheses.
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(f) < 13 {
		return 0, fmt.Errorf("short /proc/%d/stat", pid)
	}
	utime, err1 := strconv.Atoi(f[11])
	stime, err2 := strconv.Atoi(f[12])
	if err := errors.Join(err1, err2); err != nil {
		return 0, err
	}
	return time.Duration(utime+stime) * 10 * time.Millisecond, nil
}

// waitBusy waits until the process has used cpu of CPU: past its start-up
// (a few milliseconds), inside the work the test wants to interrupt.
func waitBusy(t *testing.T, cmd *exec.Cmd, cpu time.Duration) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		used, err := cpuTime(cmd.Process.Pid)
		if err != nil {
			t.Fatalf("the process ended before it was busy: %v", err)
		}
		if used >= cpu {
			return
		}
	}
	t.Fatal("the process never got busy")
}

func processCPU(cmd *exec.Cmd) time.Duration {
	return cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
}

// A signal while validate or check loads a huge config stops the load (it
// was ignored for seconds): one line saying so, the exit code of a failed
// validate (1) or an interrupted check (3), and less work than a full load.
func TestSignalStopsConfigLoad(t *testing.T) {
	path := hugeConfig(t, 30000)
	full := exec.Command(binPath, "validate", "-c", path)
	if out, err := full.CombinedOutput(); err != nil {
		t.Fatalf("full validate: %v\n%s", err, out)
	}
	fullCPU := processCPU(full)
	t.Logf("a full validate of %s: %v CPU", path, fullCPU)
	if fullCPU < 300*time.Millisecond {
		t.Skipf("the load takes only %v here: too short to interrupt reliably", fullCPU)
	}
	for _, tc := range []struct {
		args []string
		sig  syscall.Signal
		code int
	}{
		{[]string{"validate", "-c", path}, syscall.SIGINT, 1},
		{[]string{"check", "-c", path}, syscall.SIGTERM, 3},
	} {
		t.Run(tc.args[0], func(t *testing.T) {
			cmd := exec.Command(binPath, tc.args...)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			waitBusy(t, cmd, fullCPU/10)
			if err := cmd.Process.Signal(tc.sig); err != nil {
				t.Fatal(err)
			}
			_ = cmd.Wait()
			if code := cmd.ProcessState.ExitCode(); code != tc.code {
				t.Fatalf("exit %d (%v), want %d\nstderr:\n%s", code, cmd.ProcessState, tc.code, stderr.String())
			}
			want := fmt.Sprintf("noctop: stopped loading %s: received %s\n", path, signalName(tc.sig))
			if stderr.String() != want || stdout.Len() != 0 {
				t.Errorf("stderr %q, stdout %q; want stderr %q", stderr.String(), stdout.String(), want)
			}
			if used := processCPU(cmd); used >= fullCPU {
				t.Errorf("interrupted at %v it used %v CPU, a full load %v: it did not stop", fullCPU/10, used, fullCPU)
			}
		})
	}
}

func signalName(s syscall.Signal) string {
	return map[syscall.Signal]string{syscall.SIGINT: "SIGINT", syscall.SIGTERM: "SIGTERM", syscall.SIGQUIT: "SIGQUIT"}[s]
}

// SIGHUP killed the headless monitor (exit 129), so `systemctl reload`
// stopped monitoring. It now reloads the config and goes on
// monitoring: a target that fails after the SIGHUP is still reported.
func TestHeadlessSIGHUPKeepsMonitoring(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go acceptAndClose(ln)
	path := writeConfig(t, `
[defaults]
interval = "200ms"
timeout = "100ms"
retries = 1
`+tcpAsset("db", ln.Addr().(*net.TCPAddr).Port))
	h := startHeadless(t, path)
	h.waitLine(t, "noctop started", msgIs("noctop started"))
	h.signal(t, syscall.SIGHUP)
	h.waitLine(t, "the SIGHUP notice", msgIs("SIGHUP: reloading "+path))
	ln.Close()
	h.waitLine(t, "db turning CRITICAL after the SIGHUP", func(l logLine) bool {
		return l.Asset == "db" && l.To == "CRITICAL"
	})
	h.signal(t, syscall.SIGTERM)
	code, last := h.wait(t)
	if code != 0 || last.Msg != "noctop stopped" || last.Reason != "received SIGTERM" {
		t.Errorf("after SIGTERM: exit %d, last line %v; want 0 and noctop stopped (received SIGTERM)\n%s", code, last, h.log())
	}
}

// Whatever ends a headless run, its last log line is "noctop stopped",
// saying why.
func TestHeadlessLogsStoppedEveryWay(t *testing.T) {
	config := writeConfig(t, "[defaults]\ninterval = \"200ms\"\ntimeout = \"100ms\"\n"+tcpAsset("db", listening(t)))
	for _, tc := range []struct {
		sig    syscall.Signal
		code   int
		reason string
	}{
		{syscall.SIGINT, 0, "received SIGINT"},
		{syscall.SIGTERM, 0, "received SIGTERM"},
		{syscall.SIGQUIT, 2, "received SIGQUIT"}, // and the goroutines, as Go prints them
	} {
		t.Run(signalName(tc.sig), func(t *testing.T) {
			h := startHeadless(t, config)
			h.waitLine(t, "noctop started", msgIs("noctop started"))
			h.signal(t, tc.sig)
			code, last := h.wait(t)
			if code != tc.code || last.Msg != "noctop stopped" || last.Reason != tc.reason {
				t.Errorf("exit %d, last line %v; want %d and noctop stopped (%s)\n%s", code, last, tc.code, tc.reason, h.log())
			}
			if tc.sig == syscall.SIGQUIT && !strings.Contains(h.log(), "SIGQUIT: goroutines when it arrived:\n\ngoroutine ") {
				t.Errorf("no goroutine dump after SIGQUIT:\n%s", h.log())
			}
		})
	}
	t.Run("error", func(t *testing.T) {
		taken, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer taken.Close()
		config := writeConfig(t, fmt.Sprintf("[traps]\nlisten = %q\ncommunities = [\"public\"]\n", taken.LocalAddr())+tcpAsset("db", listening(t)))
		h := startHeadless(t, config)
		code, last := h.wait(t)
		if code != 1 || last.Msg != "noctop stopped" || last.Level != "ERROR" || !strings.Contains(last.Error, "address already in use") {
			t.Errorf("exit %d, last line %v; want 1 and noctop stopped with the bind error\n%s", code, last, h.log())
		}
	})
}

// The one line for each way a run ends, including those a test cannot
// cause from outside (the engine stopping on its own).
func TestLogStoppedSaysWhy(t *testing.T) {
	runFailed := errors.New("listen udp 127.0.0.1:162: bind: address already in use")
	for _, tc := range []struct {
		name  string
		cause error
		run   error
		want  string
		fails bool
	}{
		{"signal", stopSignal{syscall.SIGTERM}, nil, `level=INFO msg="noctop stopped" reason="received SIGTERM"`, false},
		{"hang-up", errHungUp, nil, `level=INFO msg="noctop stopped" reason="the terminal hung up"`, false},
		{"run error", stopSignal{syscall.SIGTERM}, runFailed, `level=ERROR msg="noctop stopped" error="listen udp`, true},
		{"engine stopped", errEngineStopped, nil, `level=ERROR msg="noctop stopped" error="the engine stopped"`, true},
		{"cancelled", context.Canceled, nil, `level=INFO msg="noctop stopped"`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
				if a.Key == slog.TimeKey {
					return slog.Attr{}
				}
				return a
			}}))
			ctx, cancel := context.WithCancelCause(context.Background())
			cancel(tc.cause)
			err := logStopped(ctx, log, tc.run)
			if !strings.HasPrefix(buf.String(), tc.want) || strings.Count(buf.String(), "\n") != 1 {
				t.Errorf("logged %q, want one line starting %q", buf.String(), tc.want)
			}
			if (err != nil) != tc.fails {
				t.Errorf("returned %v; want an error: %v", err, tc.fails)
			}
		})
	}
}
