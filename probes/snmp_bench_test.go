package probes

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/netip"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gosnmp/gosnmp"

	"noctop/lab/snmpagent"
	"noctop/model"
	"noctop/snmpdtest"
)

// BenchmarkSNMPWalk48: one poll of a device with 48 interfaces on a real
// net-snmp agent (in a namespace with ifb and veth links), for
//
//   - noctop-probe: the check's Prepared run as the scheduler runs it: one
//     GET (system group) and one multi-column GETBULK walk of the 12 IF-MIB
//     columns it needs, client kept between runs;
//   - noctop-full-tables: the same walker over every column of ifTable and
//     ifXTable, i.e. what snmpbulkwalk fetches;
//   - snmpbulkwalk: two `snmpbulkwalk -v2c -Cr25` processes (ifTable,
//     ifXTable), started from a thread inside the namespace.
//
// Metrics: client-cpu-us/op (this process, or the reaped snmpbulkwalk
// children), agent-cpu-us/op (snmpd, from /proc; 10 ms ticks, so a mean
// over many ops), requests/op and varbinds/op where known. Needs root and
// snmpd; build with -tags gosnmp_nodebug to see gosnmp's debug-logging
// cost:
//
//	go test ./probes -run '^$' -bench SNMPWalk48 -benchtime 200x
//	go test ./probes -run '^$' -bench SNMPWalk48 -benchtime 200x -tags gosnmp_nodebug
func BenchmarkSNMPWalk48(b *testing.B) {
	ns := newSNMPNetns(b, 48)
	d := snmpdInNetns(b, ns.name)
	cfg := &model.Config{Assets: []model.Asset{{Name: "ns", Address: "127.0.0.1",
		Checks: []model.Check{{Type: model.CheckSNMP, Port: d.Port}}}}}
	cfg.ApplyDefaults()
	tg := Target{Asset: &cfg.Assets[0], Check: &cfg.Assets[0].Checks[0]}

	b.Run("noctop-probe", func(b *testing.B) {
		p := newSNMPChecks()
		defer p.Close()
		inSNMPNetns(b, ns.name, func() { runSNMP(b, p, tg) }) // the client's socket lives in ns
		runSNMP(b, p, tg)                                     // learns the column plan
		r := p.probeOf(b, tg)
		cl := r.client
		sent0 := cl.conn.sent
		measure(b, d, func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			out := r.Run(ctx)
			cancel()
			if len(out.Interfaces) != 48 || out.Status == model.StatusUnknown {
				b.Fatalf("%d interfaces: %s", len(out.Interfaces), out.Summary)
			}
		})
		b.ReportMetric(float64(cl.conn.sent-sent0)/float64(b.N), "requests/op")
	})

	b.Run("noctop-full-tables", func(b *testing.B) {
		var cl *snmpClient
		inSNMPNetns(b, ns.name, func() {
			s, err := newSNMPSession(tg.Check)
			if err != nil {
				b.Fatal(err)
			}
			if cl, err = newSNMPClient(&s, netip.MustParseAddr("127.0.0.1")); err != nil {
				b.Fatal(err)
			}
		})
		defer cl.close()
		roots := []string{".1.3.6.1.2.1.2.2.1", ".1.3.6.1.2.1.31.1.1.1"}
		var vbs, reqs int
		measure(b, d, func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			cl.begin(ctx, 3)
			res, err := cl.walk("GETBULK", roots, 25)
			cancel()
			if err != nil {
				b.Fatal(err)
			}
			vbs, reqs = len(res.cols[roots[0]])+len(res.cols[roots[1]]), res.requests
		})
		b.ReportMetric(float64(vbs), "varbinds/op")
		b.ReportMetric(float64(reqs), "requests/op")
	})

	b.Run("snmpbulkwalk", func(b *testing.B) {
		bin, err := exec.LookPath("snmpbulkwalk")
		if err != nil {
			b.Skipf("snmpbulkwalk not installed: %v", err)
		}
		var vbs int
		measure(b, d, func() {
			vbs = 0
			inSNMPNetns(b, ns.name, func() { // fork from this thread: the child is in ns
				for _, root := range []string{"1.3.6.1.2.1.2.2", "1.3.6.1.2.1.31.1.1"} {
					out, err := exec.Command(bin, "-v2c", "-c", "public", "-m", "", "-Cr25", "-On", "-Oq",
						"127.0.0.1:"+strconv.Itoa(d.Port), root).Output()
					if err != nil {
						b.Fatalf("snmpbulkwalk %s: %v", root, err)
					}
					vbs += strings.Count(string(out), "\n")
				}
			})
		})
		b.ReportMetric(float64(vbs), "varbinds/op")
	})
}

// measure runs op b.N times and reports this process's (and reaped
// children's) CPU and the agent's CPU per op.
func measure(b *testing.B, d *snmpdtest.Agent, op func()) {
	b.Helper()
	c0, a0 := cpuTime(b), procCPU(d.Pid())
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		op()
	}
	b.StopTimer()
	b.ReportMetric(float64((cpuTime(b)-c0).Microseconds())/float64(b.N), "client-cpu-us/op")
	b.ReportMetric(float64((procCPU(d.Pid())-a0).Microseconds())/float64(b.N), "agent-cpu-us/op")
}

// procCPU is a process's user+system time from /proc (10 ms ticks).
func procCPU(pid int) time.Duration {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	k, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(u+k) * 10 * time.Millisecond
}

// BenchmarkSNMPSweep1k48: 1,000 lab devices with 48 interfaces each, one
// snmp check per device on a 60 s interval, polled through the real
// scheduler (RunOnce, default concurrency 256) into the real engine. The
// lab agent runs in a child process, so this process's CPU is the probe's,
// the scheduler's and the engine's. The first sweep is cold (a client per
// device, no rates); each op is one warm sweep (rates on every interface).
// Metrics: wall-s/sweep, cpu-s/sweep, cpu-share-% (cpu-s per 60 s
// interval, of one core), agent-cpu-s/sweep, not-ok (results that were not
// OK: must be 0), cold-wall-s, cold-cpu-s. Heavy, so only with
// NOCTOP_BENCH_SNMP=1:
//
//	NOCTOP_BENCH_SNMP=1 go test ./probes -run '^$' -bench SNMPSweep1k48 -benchtime 5x
func BenchmarkSNMPSweep1k48(b *testing.B) {
	if os.Getenv("NOCTOP_BENCH_SNMP") != "1" {
		b.Skip("heavy (1,000 devices x 48 interfaces): set NOCTOP_BENCH_SNMP=1")
	}
	for _, v3 := range []bool{false, true} {
		name := "v2c"
		if v3 {
			name = "v3-authpriv"
		}
		b.Run(name, func(b *testing.B) {
			const devices, ifaces = 1000, 48
			agent := startLabProcess(b, devices, ifaces)
			cfg := sweepSNMPConfig(devices, agent.port, v3)
			p := NewSNMP()
			defer p.Close()
			eng, ctx, _ := runEngine(b, cfg)
			var notOK atomic.Int64
			sink := func(ctx context.Context, r model.Result) error {
				if r.Status != model.StatusOK || len(r.Interfaces) != ifaces {
					if notOK.Add(1) == 1 {
						b.Logf("%s: %v %s (%d interfaces)", r.Key, r.Status, r.Summary, len(r.Interfaces))
					}
				}
				return eng.Submit(ctx, r)
			}
			s := NewScheduler(cfg, p.Prepare, sink)
			sweep := func() (wall, cpu, agentCPU time.Duration) {
				c0, a0, t0 := cpuTime(b), procCPU(agent.pid), time.Now()
				if err := s.RunOnce(ctx); err != nil {
					b.Fatal(err)
				}
				return time.Since(t0), cpuTime(b) - c0, procCPU(agent.pid) - a0
			}
			coldWall, coldCPU, _ := sweep()
			time.Sleep(time.Second) // rates need counters that moved
			notOK.Store(0)
			var wall, cpu, acpu time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				w, c, a := sweep()
				wall, cpu, acpu = wall+w, cpu+c, acpu+a
			}
			b.StopTimer()
			n := float64(b.N)
			b.ReportMetric(wall.Seconds()/n, "wall-s/sweep")
			b.ReportMetric(cpu.Seconds()/n, "cpu-s/sweep")
			b.ReportMetric(cpu.Seconds()/n/60*100, "cpu-share-%")
			b.ReportMetric(acpu.Seconds()/n, "agent-cpu-s/sweep")
			b.ReportMetric(float64(notOK.Load()), "not-ok")
			b.ReportMetric(coldWall.Seconds(), "cold-wall-s")
			b.ReportMetric(coldCPU.Seconds(), "cold-cpu-s")
		})
	}
}

// sweepSNMPConfig is n snmp checks on the lab's addresses (127.0.1.1 on,
// skipping .0 and .255 as snmpagent.Start does).
func sweepSNMPConfig(n, port int, v3 bool) *model.Config {
	cfg := &model.Config{}
	ip := netip.MustParseAddr("127.0.1.1")
	for len(cfg.Assets) < n {
		if last := ip.As4()[3]; last != 0 && last != 255 {
			c := model.Check{Type: model.CheckSNMP, Port: port, Interval: model.D(time.Minute)}
			if v3 {
				c.Version, c.User = "3", "ops"
				c.AuthProtocol, c.AuthPassword = "SHA", model.NewSecret("authpass1")
				c.PrivProtocol, c.PrivPassword = "AES", model.NewSecret("privpass1")
			}
			cfg.Assets = append(cfg.Assets, model.Asset{Name: fmt.Sprintf("sw%04d", len(cfg.Assets)+1),
				Address: ip.String(), Checks: []model.Check{c}})
		}
		ip = ip.Next()
	}
	cfg.ApplyDefaults()
	return cfg
}

// labProcess is a lab SNMP agent running in a child process.
type labProcess struct {
	pid, port int
}

// startLabProcess runs snmpagent.Start with devices x ifaces in a child (this
// test binary, TestSNMPLabProcessHelper) until the benchmark ends.
func startLabProcess(b testing.TB, devices, ifaces int) *labProcess {
	b.Helper()
	exe, err := os.Executable()
	if err != nil {
		b.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^TestSNMPLabProcessHelper$", "-test.v")
	cmd.Env = append(os.Environ(), fmt.Sprintf("NOCTOP_SNMP_LAB_HELPER=%d,%d", devices, ifaces))
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = stdin.Close(); _ = cmd.Wait() })
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if port, ok := strings.CutPrefix(sc.Text(), "LAB READY port="); ok {
			n, _ := strconv.Atoi(port)
			go func() { _, _ = io.Copy(io.Discard, stdout) }()
			return &labProcess{pid: cmd.Process.Pid, port: n}
		}
	}
	b.Fatalf("lab helper did not start: %v", sc.Err())
	return nil
}

// TestSNMPLabProcessHelper is the child of startLabProcess: it serves lab
// devices (SNMPv2c community public and v3 user ops SHA/AES) until stdin
// closes.
func TestSNMPLabProcessHelper(t *testing.T) {
	spec := os.Getenv("NOCTOP_SNMP_LAB_HELPER")
	if spec == "" {
		t.Skip("runs only as a child of the SNMP sweep benchmark")
	}
	var devices, ifaces int
	if _, err := fmt.Sscanf(spec, "%d,%d", &devices, &ifaces); err != nil {
		t.Fatal(err)
	}
	var a *snmpagent.Agent
	var err error
	for try := 0; try < 10; try++ {
		port := 20000 + int(time.Now().UnixNano()%30000)
		a, err = snmpagent.Start(context.Background(), snmpagent.Options{Devices: devices, Port: port,
			Spec: snmpagent.DeviceSpec{Interfaces: ifaces, OperDownIf: -1, AdminDownIf: -1, ErrorIf: -1, BootedAgo: time.Hour},
			Users: []snmpagent.User{{Name: "ops", AuthProtocol: gosnmp.SHA, AuthPassword: "authpass1",
				PrivProtocol: gosnmp.AES, PrivPassword: "privpass1"}}})
		if err == nil {
			fmt.Printf("LAB READY port=%d\n", port)
			break
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	_, _ = io.Copy(io.Discard, os.Stdin) // until the parent closes it
}

// TestSNMPSweepLoopCPU runs the scheduler's Run loop (not RunOnce) over
// the 1,000 x 48 lab for two intervals of 60 s and reports this process's
// CPU share in the second interval, when runs are spread evenly. ~2.5 min,
// so only with NOCTOP_BENCH_SNMP=1.
func TestSNMPSweepLoopCPU(t *testing.T) {
	if os.Getenv("NOCTOP_BENCH_SNMP") != "1" {
		t.Skip("set NOCTOP_BENCH_SNMP=1 to measure the steady-state CPU share (2.5 min)")
	}
	agent := startLabProcess(t, 1000, 48)
	cfg := sweepSNMPConfig(1000, agent.port, false)
	p := NewSNMP()
	defer p.Close()
	eng, ctx, cancel := runEngine(t, cfg)
	var runs, notOK atomic.Int64
	sink := func(ctx context.Context, r model.Result) error {
		runs.Add(1)
		if r.Status != model.StatusOK {
			notOK.Add(1)
		}
		return eng.Submit(ctx, r)
	}
	s := NewScheduler(cfg, p.Prepare, sink)
	errc := make(chan error, 1)
	t0, c0 := time.Now(), cpuTime(t)
	go func() { errc <- s.Run(ctx) }()
	time.Sleep(11 * time.Second)
	t.Logf("first sweep (spread over 10 s): %d runs, %.2f CPU-s", runs.Load(), (cpuTime(t) - c0).Seconds())
	time.Sleep(time.Until(t0.Add(70 * time.Second)))
	c1, r1, a1 := cpuTime(t), runs.Load(), procCPU(agent.pid)
	time.Sleep(time.Until(t0.Add(130 * time.Second)))
	dc, dr, da := cpuTime(t)-c1, runs.Load()-r1, procCPU(agent.pid)-a1
	t.Logf("steady state +70s..+130s: %d runs, %.2f CPU-s = %.2f%% of one core (agent %.2f CPU-s), %d not OK in all",
		dr, dc.Seconds(), dc.Seconds()/60*100, da.Seconds(), notOK.Load())
	cancel()
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
}
