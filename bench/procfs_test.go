package main

import (
	"errors"
	"os"
	"testing"
)

func TestParseStatTicks(t *testing.T) {
	// A command name with spaces and parentheses: fields count from the
	// last ')'. utime 1234, stime 56.
	stat := "4242 (no ctop) (x)) S 1 4242 4242 0 -1 4194560 2000 0 0 0 1234 56 0 0 20 0 9 0 100 800000000 5000 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n"
	got, err := parseStatTicks(stat)
	if err != nil || got != 1290 {
		t.Errorf("parseStatTicks = %d, %v; want 1290", got, err)
	}
	for _, bad := range []string{"", "4242 noname S 1", "4242 (x) S 1 2 3", "4242 (x) S 1 4242 4242 0 -1 0 0 0 0 0 -5 56 0"} {
		if _, err := parseStatTicks(bad); !errors.Is(err, errProcFormat) {
			t.Errorf("parseStatTicks(%q): err = %v, want errProcFormat", bad, err)
		}
	}
}

func TestParseStatusKiB(t *testing.T) {
	status := "Name:\tnoctop\nVmPeak:\t  900000 kB\nVmHWM:\t   150000 kB\nVmRSS:\t   120000 kB\nThreads:\t9\n"
	for name, want := range map[string]int64{"VmRSS": 120000, "VmHWM": 150000} {
		if got, err := parseStatusKiB(status, name); err != nil || got != want {
			t.Errorf("%s = %d, %v; want %d", name, got, err, want)
		}
	}
	if _, err := parseStatusKiB(status, "VmSwap"); !errors.Is(err, errProcFormat) {
		t.Errorf("missing line: err = %v", err)
	}
	if _, err := parseStatusKiB("VmRSS:\t12 pages\n", "VmRSS"); !errors.Is(err, errProcFormat) {
		t.Errorf("wrong unit: err = %v", err)
	}
}

// The readers on this process's own /proc files.
func TestProcReadersOnThisProcess(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc")
	}
	cpu, err := cpuSeconds(os.Getpid(), 100)
	if err != nil || cpu < 0 {
		t.Errorf("cpuSeconds = %v, %v", cpu, err)
	}
	rss, hwm, err := memKiB(os.Getpid())
	if err != nil || rss <= 0 || hwm < rss {
		t.Errorf("memKiB = %d, %d, %v; want 0 < rss <= hwm", rss, hwm, err)
	}
}
