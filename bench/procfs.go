package main

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// errProcFormat: a /proc file is not laid out as expected.
var errProcFormat = errors.New("unexpected /proc format")

// parseStatTicks returns utime+stime (clock ticks) from the text of
// /proc/PID/stat. The command name (field 2) is in parentheses and may
// hold spaces and parentheses itself, so fields are counted after the
// last ')'.
func parseStatTicks(stat string) (int64, error) {
	i := strings.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, fmt.Errorf("%w: stat without a command name: %q", errProcFormat, stat)
	}
	f := strings.Fields(stat[i+1:])
	// f[0] is field 3 (state); utime and stime are fields 14 and 15.
	if len(f) < 13 {
		return 0, fmt.Errorf("%w: stat has %d fields after the name, want 13 or more", errProcFormat, len(f))
	}
	var total int64
	for _, s := range f[11:13] {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil || v < 0 {
			return 0, fmt.Errorf("%w: stat cpu time %q", errProcFormat, s)
		}
		total += v
	}
	return total, nil
}

// parseStatusKiB returns the value of a "Name:   123 kB" line of
// /proc/PID/status.
func parseStatusKiB(status, name string) (int64, error) {
	for line := range strings.Lines(status) {
		rest, ok := strings.CutPrefix(line, name+":")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if len(f) != 2 || f[1] != "kB" {
			return 0, fmt.Errorf("%w: %q", errProcFormat, strings.TrimSpace(line))
		}
		v, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%w: %q", errProcFormat, strings.TrimSpace(line))
		}
		return v, nil
	}
	return 0, fmt.Errorf("%w: no %s line", errProcFormat, name)
}

// cpuSeconds is a process's user+system CPU so far, all threads.
func cpuSeconds(pid int, clkTck float64) (float64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	t, err := parseStatTicks(string(b))
	return float64(t) / clkTck, err
}

// memKiB is a process's resident set now and its peak (VmRSS, VmHWM):
// both of its own address space, whatever its parent was.
func memKiB(pid int) (rss, hwm int64, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	if rss, err = parseStatusKiB(string(b), "VmRSS"); err != nil {
		return 0, 0, err
	}
	hwm, err = parseStatusKiB(string(b), "VmHWM")
	return rss, hwm, err
}
