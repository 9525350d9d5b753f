package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// timeBin is GNU time. It forks each measured command itself, so the
// command's rusage is its own: a child forked straight from this Go process
// (clone with CLONE_VM) would start on this process's memory, and Linux folds
// that memory's peak into the child's ru_maxrss at exec (BENCHMARKS.md).
const timeBin = "/usr/bin/time"

// timeMark starts the line GNU time writes; the format gives wall, user and
// system seconds, peak RSS in KiB and the command's exit status.
const timeMark = "noctop-bench:"

const timeFormat = timeMark + " %e %U %S %M %x"

// errTimeOutput: GNU time's report could not be read.
var errTimeOutput = errors.New("unreadable /usr/bin/time output")

// errExit: the measured command exited with a status other than 0; its
// usage is returned with the error.
var errExit = errors.New("non-zero exit status")

// usage is what one measured process cost.
type usage struct {
	wall, user, sys float64 // seconds
	maxRSSKiB       int64
	exit            int
}

func (u usage) cpu() float64    { return u.user + u.sys }
func (u usage) rssMiB() float64 { return float64(u.maxRSSKiB) / 1024 }
func (u usage) String() string {
	return fmt.Sprintf("wall %s s, cpu %s s, peak rss %s MiB", sig3(u.wall), sig3(u.cpu()), sig3(u.rssMiB()))
}

// parseTime reads GNU time's report (-f timeFormat). Lines before it, such
// as "Command exited with non-zero status 1", are skipped; "Command
// terminated by signal N" is an error, as is a report without the mark.
func parseTime(out string) (usage, error) {
	var u usage
	for line := range strings.Lines(out) {
		line = strings.TrimSpace(line)
		if sig, ok := strings.CutPrefix(line, "Command terminated by signal "); ok {
			return u, fmt.Errorf("%w: killed by signal %s", errTimeOutput, sig)
		}
		rest, ok := strings.CutPrefix(line, timeMark)
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if len(f) != 5 {
			return u, fmt.Errorf("%w: %q: want 5 fields", errTimeOutput, line)
		}
		var err error
		floats := []*float64{&u.wall, &u.user, &u.sys}
		for i, p := range floats {
			if *p, err = strconv.ParseFloat(f[i], 64); err != nil || *p < 0 {
				return u, fmt.Errorf("%w: %q: field %d is not a duration in seconds", errTimeOutput, line, i+1)
			}
		}
		if u.maxRSSKiB, err = strconv.ParseInt(f[3], 10, 64); err != nil || u.maxRSSKiB < 0 {
			return u, fmt.Errorf("%w: %q: peak RSS %q is not a KiB count", errTimeOutput, line, f[3])
		}
		if u.exit, err = strconv.Atoi(f[4]); err != nil {
			return u, fmt.Errorf("%w: %q: exit status %q is not a number", errTimeOutput, line, f[4])
		}
		return u, nil
	}
	return u, fmt.Errorf("%w: no %q line in %q", errTimeOutput, timeMark, out)
}

// runner runs measured commands. Their output goes to files in dir.
type runner struct {
	dir string
	seq int
}

// run runs argv under GNU time and returns its usage and the paths of
// its stdout and stderr. stdin, if not "", is a file fed to it. A command
// that exits non-zero is an error carrying the tail of its stderr.
func (r *runner) run(ctx context.Context, stdin string, argv ...string) (usage, string, string, error) {
	r.seq++
	base := filepath.Join(r.dir, fmt.Sprintf("run%03d-%s", r.seq, filepath.Base(argv[0])))
	report, stdout, stderr := base+".time", base+".out", base+".err"
	outF, err := os.Create(stdout)
	if err != nil {
		return usage{}, "", "", err
	}
	defer outF.Close()
	errF, err := os.Create(stderr)
	if err != nil {
		return usage{}, "", "", err
	}
	defer errF.Close()
	cmd := exec.CommandContext(ctx, timeBin, append([]string{"-f", timeFormat, "-o", report, "--"}, argv...)...)
	cmd.Stdout, cmd.Stderr = outF, errF
	// time's child would outlive time killed alone: on cancel, kill the
	// process group this command leads.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	if stdin != "" {
		in, err := os.Open(stdin)
		if err != nil {
			return usage{}, "", "", err
		}
		defer in.Close()
		cmd.Stdin = in
	}
	start := time.Now()
	runErr := cmd.Run()
	wall := time.Since(start)
	b, err := os.ReadFile(report)
	if err != nil {
		return usage{}, stdout, stderr, fmt.Errorf("%s: %w (time: %v)", argv[0], err, runErr)
	}
	u, err := parseTime(string(b))
	if err != nil {
		return u, stdout, stderr, fmt.Errorf("%s: %w", argv[0], err)
	}
	// GNU time prints seconds to 10 ms, too coarse for a 10 ms process.
	// The kernel's rusage of time itself, which counts the child it waited
	// for, has microseconds; it includes time's own start (about 1 ms,
	// reported in the header). Its ru_maxrss is not the child's: time was
	// forked from this process (see timeBin), so the peak RSS stays GNU
	// time's figure.
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		u.wall = wall.Seconds()
		u.user = time.Duration(ru.Utime.Nano()).Seconds()
		u.sys = time.Duration(ru.Stime.Nano()).Seconds()
	}
	if u.exit != 0 {
		return u, stdout, stderr, fmt.Errorf("%w: %s exited %d: %s", errExit, strings.Join(argv, " "), u.exit, tail(stderr, 400))
	}
	return u, stdout, stderr, nil
}

// tail is the last n bytes of a file, for error messages.
func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(bytes.TrimSpace(b))
}

// alternate runs a round's two steps (noctop and the reference tool),
// the second first on odd rounds, so neither always meets a warm or a
// cold machine.
func alternate(round int, steps []func() error) error {
	if round%2 == 1 {
		steps[0], steps[1] = steps[1], steps[0]
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}
