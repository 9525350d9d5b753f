package probes

import (
	"syscall"
	"testing"
	"time"
)

// cpuTime is the user+system CPU used so far by this process and its reaped
// children (curl, fping), so benchmarks can compare against reference tools.
func cpuTime(tb testing.TB) time.Duration {
	var self, kids syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &self); err != nil {
		tb.Fatal(err)
	}
	if err := syscall.Getrusage(syscall.RUSAGE_CHILDREN, &kids); err != nil {
		tb.Fatal(err)
	}
	tv := func(t syscall.Timeval) time.Duration { return time.Duration(t.Nano()) }
	return tv(self.Utime) + tv(self.Stime) + tv(kids.Utime) + tv(kids.Stime)
}
