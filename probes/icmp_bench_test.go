package probes

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	probing "github.com/prometheus-community/pro-bing"
	"golang.org/x/sys/unix"

	"noctop/model"
)

// The ICMP sweep: N loopback targets (127.0.x.y) x 3 packets, 20 ms apart,
// 500 ms per target, 256 targets at a time (the scheduler's default
// concurrency), measured for noctop's shared-socket prober, for one pro-bing
// Pinger per target (the alternative it replaced), and for the reference
// `fping -C3 -q -i1 -p20 -t500` on the same targets, in the same run.
// Metrics: wall-s, cpu-s (getrusage user+system: this process for the
// in-process sweeps, the child for fping), lost (packets lost on loopback,
// so all false loss), errors (targets that ended in an error, not a
// verdict), alloc-MB (Go heap allocated during the sweep), and for fping
// maxrss-MB, its peak RSS as GNU time reports it. That one is read under
// /usr/bin/time because a child forked from this large test process
// inherits its peak at exec: its own ru_maxrss says the test's size, not
// fping's (BENCHMARKS.md's introduction; bench/'s
// TestRunnerMeasuresTheChildAlone). These are in-process micro-benchmarks;
// the whole-process comparison is `go run ./bench`.
//
// Heavy (10k: ~35 s of fping): skipped unless NOCTOP_BENCH_ICMP=1. For the
// datagram variants run it where net.ipv4.ping_group_range allows this
// process's group, e.g. in a namespace (see BENCHMARKS.md):
//
//	NOCTOP_BENCH_ICMP=1 go test ./probes -run '^$' -bench ICMPSweep -benchtime 1x
func BenchmarkICMPSweep1k(b *testing.B)  { benchICMPSweep(b, 1000) }
func BenchmarkICMPSweep10k(b *testing.B) { benchICMPSweep(b, 10000) }

const (
	sweepCount       = 3
	sweepInterval    = 20 * time.Millisecond
	sweepTimeout     = 500 * time.Millisecond
	sweepConcurrency = model.DefaultConcurrency
)

type sweepResult struct {
	wall, cpu    time.Duration
	lost, errors int
	drops        int // replies the kernel dropped from our full sockets
	hasDrops     bool
	allocMB      float64
	firstErr     string
}

func benchICMPSweep(b *testing.B, n int) {
	if os.Getenv("NOCTOP_BENCH_ICMP") != "1" {
		b.Skip("heavy (thousands of pings and an fping run): set NOCTOP_BENCH_ICMP=1")
	}
	targets := sweepTargets(n)
	for _, mode := range []ICMPMode{ICMPDatagram, ICMPRaw} {
		b.Run("noctop-"+string(mode), func(b *testing.B) {
			benchSweep(b, mode, func() sweepResult { return sweepNoctop(b, mode, targets, sweepConcurrency) })
		})
		b.Run("noctop-"+string(mode)+"-all-at-once", func(b *testing.B) {
			benchSweep(b, mode, func() sweepResult { return sweepNoctop(b, mode, targets, len(targets)) })
		})
		b.Run("probing-"+string(mode), func(b *testing.B) {
			benchSweep(b, mode, func() sweepResult { return sweepProbing(mode, targets, sweepConcurrency) })
		})
	}
	b.Run("fping", func(b *testing.B) {
		if _, err := exec.LookPath("fping"); err != nil {
			b.Skipf("fping not installed: %v", err)
		}
		benchSweep(b, "", func() sweepResult { return sweepFping(b, targets) })
	})
}

// benchICMPOptions reads two knobs for measuring the design choices:
// NOCTOP_BENCH_ICMP_RATE (send cap per second, 0 for none) and
// NOCTOP_BENCH_ICMP_RCVBUF (receive buffer in bytes, requested as an
// unprivileged process would; 212992 is the stock net.core.rmem_max).
func benchICMPOptions(b *testing.B) []ICMPOption {
	var opts []ICMPOption
	for _, k := range []string{"NOCTOP_BENCH_ICMP_RATE", "NOCTOP_BENCH_ICMP_RCVBUF"} {
		v := os.Getenv(k)
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			b.Fatalf("%s=%q: %v", k, v, err)
		}
		if k == "NOCTOP_BENCH_ICMP_RATE" {
			opts = append(opts, WithICMPRate(n))
		} else {
			opts = append(opts, withRcvBuf(n))
		}
	}
	return opts
}

// sweepTargets returns n distinct loopback addresses 127.0.x.y.
func sweepTargets(n int) []netip.Addr {
	out := make([]netip.Addr, n)
	for i := range out {
		out[i] = netip.AddrFrom4([4]byte{127, 0, byte(1 + i/250), byte(1 + i%250)})
	}
	return out
}

// benchSweep runs sweep b.N times and reports the mean of each figure.
func benchSweep(b *testing.B, mode ICMPMode, sweep func() sweepResult) {
	if mode != "" {
		p := NewICMP(WithICMPModes(mode))
		p.Close()
		if p.Mode() != mode {
			b.Skipf("%s ICMP not permitted here: %v", mode, p.ModeErr())
		}
	}
	var sum sweepResult
	for i := 0; i < b.N; i++ {
		runtime.GC()
		r := sweep()
		sum.wall += r.wall
		sum.cpu += r.cpu
		sum.lost += r.lost
		sum.errors += r.errors
		sum.drops += r.drops
		sum.hasDrops = r.hasDrops
		sum.allocMB += r.allocMB
		if sum.firstErr == "" {
			sum.firstErr = r.firstErr
		}
	}
	nf := float64(b.N)
	b.ReportMetric(sum.wall.Seconds()/nf, "wall-s")
	b.ReportMetric(sum.cpu.Seconds()/nf, "cpu-s")
	b.ReportMetric(float64(sum.lost)/nf, "lost")
	b.ReportMetric(float64(sum.errors)/nf, "errors")
	if sum.hasDrops {
		b.ReportMetric(float64(sum.drops)/nf, "sock-drops")
	}
	b.ReportMetric(sum.allocMB/nf, "alloc-MB")
	if sum.firstErr != "" {
		b.Logf("first error: %s", sum.firstErr)
	}
}

func selfCPU() time.Duration {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func totalAlloc() uint64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.TotalAlloc
}

// measureInProcess times fn with wall clock, this process's CPU and heap
// allocation.
func measureInProcess(fn func(r *sweepResult)) sweepResult {
	var r sweepResult
	alloc, cpu, start := totalAlloc(), selfCPU(), time.Now()
	fn(&r)
	r.wall, r.cpu = time.Since(start), selfCPU()-cpu
	r.allocMB = float64(totalAlloc()-alloc) / (1 << 20)
	return r
}

// socketDrops sums the drops column of every ICMP and raw socket in this
// network namespace (the kernel's count of packets it could not queue).
func socketDrops(b *testing.B) int {
	total := 0
	for _, f := range []string{"icmp", "icmp6", "raw", "raw6"} {
		data, err := os.ReadFile("/proc/self/net/" + f)
		if err != nil {
			continue // no IPv6
		}
		for _, line := range strings.Split(string(data), "\n")[1:] {
			if fs := strings.Fields(line); len(fs) > 0 {
				n, err := strconv.Atoi(fs[len(fs)-1])
				if err != nil {
					b.Fatalf("/proc/self/net/%s: %q: %v", f, line, err)
				}
				total += n
			}
		}
	}
	return total
}

// forEach runs fn on every target, conc at a time, as the scheduler would.
func forEach(targets []netip.Addr, conc int, fn func(netip.Addr)) {
	sem := make(chan struct{}, conc)
	var wg sync.WaitGroup
	for _, a := range targets {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			fn(a)
		})
	}
	wg.Wait()
}

func sweepNoctop(b *testing.B, mode ICMPMode, targets []netip.Addr, conc int) sweepResult {
	return measureInProcess(func(r *sweepResult) {
		p := NewICMP(append(benchICMPOptions(b), WithICMPModes(mode))...)
		if p.Mode() != mode {
			b.Fatalf("mode %s: %v", p.Mode(), p.ModeErr())
		}
		defer p.Close()
		defer func() { r.drops, r.hasDrops = socketDrops(b), true }()
		// Prepared before the sweep, as the scheduler does when built.
		ready := make(map[netip.Addr]Prepared, len(targets))
		for _, a := range targets {
			pr, err := p.Prepare(icmpTarget(a.String(), sweepCount, sweepInterval))
			if err != nil {
				b.Fatal(err)
			}
			ready[a] = pr
		}
		var mu sync.Mutex
		forEach(targets, conc, func(a netip.Addr) {
			ctx, cancel := context.WithTimeout(context.Background(), sweepTimeout)
			defer cancel()
			out := ready[a].Run(ctx)
			mu.Lock()
			defer mu.Unlock()
			if _, judged := out.Metrics["loss_pct"]; !judged {
				r.errors++
				if r.firstErr == "" {
					r.firstErr = a.String() + ": " + out.Summary
				}
				return
			}
			r.lost += int(out.Metrics["sent"] - out.Metrics["received"])
		})
	})
}

// sweepProbing pings with one pro-bing Pinger per target, following every
// pitfall in DESIGN.md: allocated IDs, a no-op logger, Timeout below the
// ctx deadline, send errors caught, stats never read alone after an error.
func sweepProbing(mode ICMPMode, targets []netip.Addr, conc int) sweepResult {
	return measureInProcess(func(r *sweepResult) {
		ids := newIDAllocator(1, 65535, os.Getpid())
		var lost, errs atomic.Int64
		var firstErr atomic.Value
		forEach(targets, conc, func(a netip.Addr) {
			ctx, cancel := context.WithTimeout(context.Background(), sweepTimeout)
			defer cancel()
			pg := probing.New(a.String())
			pg.SetIPAddr(&net.IPAddr{IP: a.AsSlice()})
			pg.SetPrivileged(mode == ICMPRaw)
			pg.SetLogger(probing.NoopLogger{})
			id, err := ids.acquire()
			if err != nil {
				panic(err)
			}
			defer ids.release(id)
			pg.SetID(int(id))
			pg.Count, pg.Interval, pg.Timeout = sweepCount, sweepInterval, sweepTimeout-50*time.Millisecond
			pg.RecordRtts, pg.RecordTTLs = false, false
			var sendErr error
			pg.OnSendError = func(_ *probing.Packet, err error) { sendErr = err }
			err = pg.RunWithContext(ctx)
			if err == nil {
				err = sendErr
			}
			if err != nil {
				errs.Add(1)
				firstErr.CompareAndSwap(nil, a.String()+": "+err.Error())
				return
			}
			st := pg.Statistics()
			lost.Add(int64(st.PacketsSent - st.PacketsRecv))
		})
		r.lost, r.errors = int(lost.Load()), int(errs.Load())
		if s, ok := firstErr.Load().(string); ok {
			r.firstErr = s
		}
	})
}

// sweepFping runs the reference fping on the same targets; its CPU and
// memory come from the child's rusage.
func sweepFping(b *testing.B, targets []netip.Addr) sweepResult {
	var list strings.Builder
	for _, a := range targets {
		list.WriteString(a.String() + "\n")
	}
	file := filepath.Join(b.TempDir(), "targets")
	if err := os.WriteFile(file, []byte(list.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	fping := []string{"fping", "-C3", "-q", "-i1", "-p20", "-t500", "-f", file}
	// GNU time forks fping from a small process, so the peak RSS it
	// reports is fping's own; without it there is no honest figure.
	timeOut := filepath.Join(b.TempDir(), "time")
	gnuTime := hasGNUTime()
	if gnuTime {
		fping = append([]string{gnuTimeBin, "-f", "%M", "-o", timeOut, "--"}, fping...)
	}
	cmd := exec.Command(fping[0], fping[1:]...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	r := sweepResult{wall: time.Since(start)}
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 1) { // 1: some target unreachable
		b.Fatalf("fping: %v\n%s", err, stderr.String())
	}
	// time's rusage counts fping, which it waited for, and time's own
	// start (about 1 ms).
	r.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	if gnuTime {
		kib, err := readMaxRSS(timeOut)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(kib)/1024, "maxrss-MB")
	} else {
		b.Log("no GNU time at " + gnuTimeBin + ": fping's peak RSS not reported (its rusage here would be this process's)")
	}
	// -C3 -q prints "127.0.0.1 : 0.03 0.02 -" per target; "-" is a lost packet.
	lines := 0
	for _, line := range strings.Split(stderr.String(), "\n") {
		_, times, ok := strings.Cut(line, " : ")
		if !ok {
			continue
		}
		lines++
		for _, f := range strings.Fields(times) {
			if f == "-" {
				r.lost++
			}
		}
	}
	if lines != len(targets) {
		r.errors = len(targets) - lines
		r.firstErr = fmt.Sprintf("fping reported %d of %d targets", lines, len(targets))
	}
	return r
}

// gnuTimeBin runs a command and reports its own rusage (package time).
const gnuTimeBin = "/usr/bin/time"

func hasGNUTime() bool {
	out, err := exec.Command(gnuTimeBin, "--version").CombinedOutput()
	return err == nil && bytes.Contains(out, []byte("GNU"))
}

// readMaxRSS reads the KiB that `time -f %M -o path` wrote.
func readMaxRSS(path string) (int64, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	// With a non-zero exit GNU time writes "Command exited with non-zero
	// status 1" first: the figure is the last word.
	fields := strings.Fields(string(data))
	if len(fields) == 0 {
		return 0, fmt.Errorf("%s: empty", path)
	}
	kib, err := strconv.ParseInt(fields[len(fields)-1], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s: %q: %w", path, data, err)
	}
	return kib, nil
}
