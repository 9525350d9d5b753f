package main

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
)

// Reports as GNU time 1.9 wrote them (-f timeFormat -o FILE).
func TestParseTime(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		want usage
	}{
		{"plain", "noctop-bench: 3.27 0.10 0.04 2496 0\n", usage{wall: 3.27, user: 0.10, sys: 0.04, maxRSSKiB: 2496}},
		{"non-zero exit: the line before is skipped", "Command exited with non-zero status 3\nnoctop-bench: 0.00 0.00 0.00 1396 3\n",
			usage{maxRSSKiB: 1396, exit: 3}},
		{"no final newline (exec failed)", "Command exited with non-zero status 127\nnoctop-bench: 0.00 0.00 0.00 1184 127",
			usage{maxRSSKiB: 1184, exit: 127}},
		{"large figures", "noctop-bench: 612.40 35.17 12.03 154112 0\n", usage{wall: 612.40, user: 35.17, sys: 12.03, maxRSSKiB: 154112}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseTime(tc.in)
			if err != nil || got != tc.want {
				t.Errorf("parseTime(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestParseTimeRejects(t *testing.T) {
	for _, tc := range []struct{ name, in, says string }{
		{"killed: time reports exit 0", "Command terminated by signal 9\nnoctop-bench: 0.00 0.00 0.00 1548 0\n", "signal 9"},
		{"empty", "", "no \"noctop-bench:\" line"},
		{"another format", "0:03.27elapsed 2496maxresident\n", "no \"noctop-bench:\" line"},
		{"field missing", "noctop-bench: 3.27 0.10 0.04 2496\n", "want 5 fields"},
		{"not a number", "noctop-bench: 3.27 x 0.04 2496 0\n", "field 2"},
		{"negative", "noctop-bench: -1 0.10 0.04 2496 0\n", "field 1"},
		{"rss not a count", "noctop-bench: 3.27 0.10 0.04 2.5 0\n", "peak RSS"},
		{"exit not a number", "noctop-bench: 3.27 0.10 0.04 2496 ?\n", "exit status"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseTime(tc.in)
			if !errors.Is(err, errTimeOutput) || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("parseTime(%q): err = %v; want errTimeOutput saying %q", tc.in, err, tc.says)
			}
		})
	}
}

// needTime skips without GNU time, unless CI requires the benchmark.
func needTime(t *testing.T) {
	t.Helper()
	out, err := exec.Command(timeBin, "--version").CombinedOutput()
	if err == nil && strings.Contains(string(out), "GNU") {
		return
	}
	if os.Getenv("NOCTOP_REQUIRE_BENCH") != "" {
		t.Fatalf("NOCTOP_REQUIRE_BENCH is set but %s is not GNU time: %v %s", timeBin, err, out)
	}
	t.Skipf("%s is not GNU time (apt-get install time)", timeBin)
}

// The point of item 7: a child measured by the runner reports its own peak
// RSS even when this process is large. The same child waited for directly
// (os/exec, CLONE_VM) is logged for comparison: on Linux it carries this
// process's peak.
func TestRunnerMeasuresTheChildAlone(t *testing.T) {
	needTime(t)
	const big = 256 << 20
	ballast := make([]byte, big)
	for i := 0; i < len(ballast); i += 4096 {
		ballast[i] = 1 // resident, not just reserved
	}
	r := &runner{dir: t.TempDir()}
	u, out, _, err := r.run(context.Background(), "", "sh", "-c", "echo hello")
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(out); string(b) != "hello\n" {
		t.Errorf("stdout = %q", b)
	}
	if u.maxRSSKiB <= 0 || u.maxRSSKiB > 32<<10 {
		t.Errorf("sh's peak RSS = %d KiB with a %d MiB parent; want its own few MiB", u.maxRSSKiB, big>>20)
	}
	if u.wall <= 0 || u.cpu() <= 0 {
		t.Errorf("usage %+v: want wall and CPU above 0 (microsecond rusage)", u)
	}
	direct := exec.Command("sh", "-c", "true")
	if err := direct.Run(); err != nil {
		t.Fatal(err)
	}
	t.Logf("sh under GNU time: %d KiB; the same child straight from this %d MiB process: %d KiB",
		u.maxRSSKiB, big>>20, direct.ProcessState.SysUsage().(*syscall.Rusage).Maxrss)
	ballast[0] = 2
}

func TestRunnerReportsFailures(t *testing.T) {
	needTime(t)
	r := &runner{dir: t.TempDir()}
	u, _, _, err := r.run(context.Background(), "", "sh", "-c", "echo broken >&2; exit 3")
	if !errors.Is(err, errExit) || u.exit != 3 || !strings.Contains(err.Error(), "broken") {
		t.Errorf("exit 3: usage %+v, err %v; want errExit with exit 3 and the stderr tail", u, err)
	}
	if _, _, _, err := r.run(context.Background(), "", "sh", "-c", "kill -9 $$"); !errors.Is(err, errTimeOutput) || !strings.Contains(err.Error(), "signal 9") {
		t.Errorf("killed child: err %v; want errTimeOutput naming signal 9", err)
	}
	in := r.dir + "/in"
	if err := os.WriteFile(in, []byte("a\nb\nc\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, out, _, err := r.run(context.Background(), in, "wc", "-l")
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(out); strings.TrimSpace(string(b)) != "3" {
		t.Errorf("stdin not fed: wc -l printed %q", b)
	}
}
