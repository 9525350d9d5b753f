package main

import (
	"context"
	"runtime"
	"syscall"
	"time"
)

// A monitor at rest uses a few percent of one core in short bursts (a
// batch of runs every 250 ms, a snapshot, a store write). With two Ps, each
// goroutine made ready while the other P idles wakes a second thread on a
// second CPU that finds nothing to do and sleeps again; on a VM, waking an
// idle vCPU is the dearest part. GOMAXPROCS=1 cost 14-15% less CPU side by
// side (1,000 http checks every 10 s; BENCHMARKS.md). So, as
// node_exporter runs on one P by default, a quiet monitor runs on one P,
// and gets the runtime's default back as soon as it is busy (a first
// sweep, a reload of 10,000 assets, fifty SSH viewers). The ICMP round
// trips are timed by the kernel (SO_TIMESTAMPNS), so a reply read late
// behind another goroutine reads the same.
const (
	procsTick  = time.Second // how often the process's CPU is read
	quietShare = 0.25        // of one core: below it a tick is quiet
	busyShare  = 0.60        // of one core: at or above it, a tick is busy
	quietTicks = 5           // quiet ticks in a row before one P
)

// procsPolicy decides from each tick's CPU whether the monitor should run
// on one P or on the runtime's default.
type procsPolicy struct {
	quiet int  // quiet ticks in a row
	one   bool // running on one P
}

// procsChange is what a tick asks of GOMAXPROCS.
type procsChange int

const (
	procsKeep procsChange = iota
	procsOne
	procsDefault
)

// step takes the CPU the process used over a tick of length over.
func (p *procsPolicy) step(used, over time.Duration) procsChange {
	if over <= 0 {
		return procsKeep
	}
	share := float64(used) / float64(over)
	switch {
	case share >= busyShare:
		p.quiet = 0
		if p.one {
			p.one = false
			return procsDefault
		}
	case share < quietShare:
		p.quiet++
		if !p.one && p.quiet >= quietTicks {
			p.one = true
			return procsOne
		}
	default:
		p.quiet = 0
	}
	return procsKeep
}

// selfCPU is the user and system CPU this process has used.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// tuneProcs moves GOMAXPROCS between one and the runtime's default as
// procsPolicy says, reading cpu on every tick, until ctx ends; then it
// gives the runtime its default back. It leaves a GOMAXPROCS set in the
// environment alone, and does nothing on a machine of one CPU. It blocks:
// run it in a goroutine of its own.
func tuneProcs(ctx context.Context, getenv func(string) string, tick <-chan time.Time, cpu func() time.Duration) {
	if getenv("GOMAXPROCS") != "" || runtime.GOMAXPROCS(0) <= 1 {
		return
	}
	var p procsPolicy
	defer func() {
		if p.one {
			runtime.SetDefaultGOMAXPROCS()
		}
	}()
	last, lastAt := cpu(), time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-tick:
			used := cpu()
			switch p.step(used-last, now.Sub(lastAt)) {
			case procsOne:
				runtime.GOMAXPROCS(1)
			case procsDefault:
				runtime.SetDefaultGOMAXPROCS()
			}
			last, lastAt = used, now
		}
	}
}
