package snmpagent_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gosnmp/gosnmp"

	"noctop/lab/snmpagent"
)

// agentProcessEnv makes the test binary run only an SNMP agent (that many
// devices with 48 interfaces from 127.0.10.1), so that a benchmark can
// measure the agent's CPU apart from its clients'.
const agentProcessEnv = "NOCTOP_SNMP_AGENT_PROCESS"

func TestMain(m *testing.M) {
	if n := os.Getenv(agentProcessEnv); n != "" {
		os.Exit(runAgentProcess(n))
	}
	os.Exit(m.Run())
}

// runAgentProcess prints each device's address, then "ready", and serves
// until its stdin closes.
func runAgentProcess(devices string) int {
	n, err := strconv.Atoi(devices)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	a, err := snmpagent.Start(ctx, snmpagent.Options{Devices: n, FirstAddr: "127.0.10.1", Spec: snmpagent.DeviceSpec{Interfaces: 48}})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	w := bufio.NewWriter(os.Stdout)
	for _, d := range a.Devices() {
		fmt.Fprintln(w, d.Addr())
	}
	fmt.Fprintln(w, "ready")
	w.Flush()
	_, _ = io.Copy(io.Discard, os.Stdin)
	a.Close()
	return 0
}

// benchColumns are the interface columns a probe walks (as ifColumns).
var benchColumns = ifColumns

// BenchmarkSNMPAgentGetBulkUDP is one GETBULK of 48 interfaces x 15
// columns over loopback: gosnmp client and agent in one process.
func BenchmarkSNMPAgentGetBulkUDP(b *testing.B) {
	a := startSNMP(b, snmpagent.Options{Spec: snmpagent.DeviceSpec{Interfaces: 48}})
	g := v2c(b, a.Devices()[0])
	b.ReportAllocs()
	for b.Loop() {
		r, err := g.GetBulk(benchColumns, 0, 48)
		if err != nil || len(r.Variables) != 48*len(benchColumns) {
			b.Fatalf("GETBULK: %v", err)
		}
	}
}

// cpuTicks is a process's user+system CPU time from /proc/PID/stat.
func cpuTicks(b *testing.B, pid int) time.Duration {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		b.Fatal(err)
	}
	s := string(raw)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * 10 * time.Millisecond // USER_HZ is 100 on Linux
}

func selfCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkSNMPSweep1000 polls 1,000 devices x 48 interfaces the way a
// probe with max_repetitions 25 does (two GETBULKs of 15 columns per
// device, 64 devices at a time) against an agent in its own process, and
// reports the agent's and the clients' CPU per sweep.
func BenchmarkSNMPSweep1000(b *testing.B) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		b.Skip("needs /proc to measure the agent process")
	}
	const devices, workers, reps = 1000, 64, 25
	cmd := exec.CommandContext(b.Context(), os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), agentProcessEnv+"="+strconv.Itoa(devices), "GOMAXPROCS="+os.Getenv("XGMP"))
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	started := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() {
		stdin.Close()
		_ = cmd.Wait()
	}()
	var addrs []string
	sc := bufio.NewScanner(stdout)
	for sc.Scan() && sc.Text() != "ready" {
		addrs = append(addrs, sc.Text())
	}
	if len(addrs) != devices {
		b.Fatalf("agent process listed %d devices", len(addrs))
	}
	startup := time.Since(started)
	clients := make([]*gosnmp.GoSNMP, devices)
	for i, addr := range addrs {
		host, port, _ := strings.Cut(addr, ":")
		p, _ := strconv.Atoi(port)
		clients[i] = &gosnmp.GoSNMP{Target: host, Port: uint16(p), Community: "public", Version: gosnmp.Version2c, Timeout: 5 * time.Second, Retries: 1, MaxOids: 60}
		if err := clients[i].Connect(); err != nil {
			b.Fatal(err)
		}
		defer clients[i].Conn.Close()
	}
	poll := func(g *gosnmp.GoSNMP) error {
		r, err := g.GetBulk(benchColumns, 0, reps)
		if err != nil {
			return err
		}
		next := make([]string, len(benchColumns))
		for c := range benchColumns {
			next[c] = r.Variables[(reps-1)*len(benchColumns)+c].Name
		}
		r2, err := g.GetBulk(next, 0, reps)
		if err != nil {
			return err
		}
		if len(r.Variables)+len(r2.Variables) != 2*reps*len(benchColumns) {
			return fmt.Errorf("%d+%d varbinds", len(r.Variables), len(r2.Variables))
		}
		return nil
	}
	sweep := func() {
		var wg sync.WaitGroup
		work := make(chan *gosnmp.GoSNMP)
		for range workers {
			wg.Go(func() {
				for g := range work {
					if err := poll(g); err != nil {
						b.Errorf("%s: %v", g.Target, err)
					}
				}
			})
		}
		for _, g := range clients {
			work <- g
		}
		close(work)
		wg.Wait()
	}
	sweep() // warm up both processes
	agent0, self0 := cpuTicks(b, cmd.Process.Pid), selfCPU()
	b.ResetTimer()
	sweeps := 0
	for b.Loop() {
		sweep()
		sweeps++
	}
	b.StopTimer()
	agent, self := cpuTicks(b, cmd.Process.Pid)-agent0, selfCPU()-self0
	b.ReportMetric(float64(agent.Milliseconds())/float64(sweeps), "agent-ms/sweep")
	b.ReportMetric(float64(self.Milliseconds())/float64(sweeps), "client-ms/sweep")
	b.ReportMetric(float64(agent.Microseconds())/float64(sweeps*2*devices), "agent-us/req")
	b.ReportMetric(float64(startup.Milliseconds()), "agent-start-ms")
	b.ReportMetric(float64(rssKB(b, cmd.Process.Pid))/1024, "agent-rss-MB")
}

// rssKB is a process's resident set from /proc/PID/status.
func rssKB(b *testing.B, pid int) int {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatal(err)
	}
	for line := range strings.Lines(string(raw)) {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.Atoi(strings.Fields(rest)[0])
			return kb
		}
	}
	return 0
}
