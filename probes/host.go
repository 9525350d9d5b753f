package probes

import (
	"context"
	"fmt"
	"math"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/shirou/gopsutil/v4/cpu"
	"github.com/shirou/gopsutil/v4/host"
	"github.com/shirou/gopsutil/v4/load"
	"github.com/shirou/gopsutil/v4/mem"

	"noctop/model"
)

// Host collects this machine's hardware figures for `type = "host"` checks.
//
// Metrics (numbers for history):
//
//	cpu_pct          busy CPU % since the previous run (all cores)
//	load1/5/15       load averages as the kernel reports them
//	load1_per_core   load1 / logical cores: what the load threshold judges
//	mem_pct          used memory % (total - available)
//	swap_pct         used swap % (0 when there is no swap; summary "swap none")
//	disk_pct:<mount> used % of each real filesystem, e.g. "disk_pct:/var"
//	temp_max_c       hottest sensor, only when the machine has sensors
//	uptime_s         seconds since boot
//
// Attrs: hostname, os, platform, kernel, virtualization, cores, boot_time
// (RFC 3339), temperatures (per sensor, or "n/a" when there are none).
//
// Thresholds: cpu, memory, swap and disk in percent (disk applies to every
// filesystem and the reason names the mount point); load applies to load1
// per logical core, so one limit fits a 2-core VM and a 64-core server.
type Host struct {
	info    *host.InfoStat // static facts, read once: host.Info costs ~7 ms
	infoErr error
	cores   int

	mu      sync.Mutex
	prevCPU cpu.TimesStat // the sample the next CPU % is measured from
	prevAt  time.Time
}

// minCPUWindow is the shortest window CPU % is measured over: the kernel
// counts in 10 ms ticks, so shorter windows read 0% or 100%.
const minCPUWindow = 100 * time.Millisecond

// NewHost reads the static host facts once and takes the first CPU sample,
// so the first run already has a window to measure over.
func NewHost() *Host { return newHost(host.InfoWithContext) }

// newHost takes the host.Info function so tests can count its calls.
func newHost(info func(context.Context) (*host.InfoStat, error)) *Host {
	ctx := context.Background() // local file reads only
	h := &Host{cores: runtime.NumCPU()}
	h.info, h.infoErr = info(ctx)
	if n, err := cpu.CountsWithContext(ctx, true); err == nil && n > 0 {
		h.cores = n // load counts every CPU, not just this process's affinity
	}
	if ts, err := cpu.TimesWithContext(ctx, false); err == nil && len(ts) > 0 {
		h.prevCPU, h.prevAt = ts[0], time.Now()
	}
	return h
}

// hostFigures is one collection.
type hostFigures struct {
	cpuPct               float64 // NaN when no window could be measured
	load1, load5, load15 float64
	memPct               float64
	swapPct              float64
	swapTotal            uint64
	disks                []diskUse
	temps                []sensorTemp // empty: the machine has no sensors
	uptime               uint64
}

// hostProbe is a host check made ready: its thresholds.
type hostProbe struct {
	h                             *Host
	cpu, load, memory, swap, disk model.Threshold
}

// Prepare is the host check's prepare step: the thresholds read.
func (h *Host) Prepare(t Target) (Prepared, error) {
	c := t.Check
	return &hostProbe{h: h, cpu: c.CPU.Threshold("%", false), load: c.Load.Threshold("", false),
		memory: c.Memory.Threshold("%", false), swap: c.Swap.Threshold("%", false), disk: c.Disk.Threshold("%", false)}, nil
}

// Run collects the figures and judges them against the check's
// thresholds; cpu_pct is the primary metric.
func (p *hostProbe) Run(ctx context.Context) model.Outcome {
	o := p.run(ctx)
	o.Primary = model.MetricCPU
	return o
}

func (p *hostProbe) run(ctx context.Context) model.Outcome {
	h := p.h
	f, err := h.collect(ctx)
	if err != nil {
		o := model.Unknown("host figures unavailable: %v", err)
		o.Local = isLocal(err) // out of descriptors: the machine, not its figures
		return o
	}
	v := model.NewVerdict()
	v.Judge(p.cpu, "cpu", f.cpuPct)
	v.Judge(p.load, "load1 per core", f.load1/float64(h.cores))
	v.Judge(p.memory, "mem", f.memPct)
	v.Judge(p.swap, "swap", f.swapPct)
	for _, d := range f.disks {
		if d.err != nil {
			v.Add(model.StatusUnknown, fmt.Sprintf("disk %s: %v", d.mount, d.err))
			continue
		}
		v.Judge(p.disk, "disk "+d.mount, d.pct)
	}
	return model.Outcome{
		Status:   v.Status,
		Summary:  model.Describe(v.Reasons, summarize(f)),
		Degraded: true, // this machine answers by definition
		Metrics:  h.metrics(f),
		Attrs:    h.attrs(f),
		Host:     h.table(f),
	}
}

// collect reads every figure, checking ctx between steps: the gopsutil
// calls are file reads and syscalls that do not watch ctx themselves.
func (h *Host) collect(ctx context.Context) (hostFigures, error) {
	var f hostFigures
	var err error
	step := func(name string, fn func() error) {
		if err != nil {
			return
		}
		if e := ctx.Err(); e != nil {
			err = fmt.Errorf("cut short before %s: %w", name, e)
			return
		}
		if e := fn(); e != nil {
			err = fmt.Errorf("%s: %w", name, e)
		}
	}
	step("cpu", func() (e error) { f.cpuPct, e = h.cpuPercent(ctx); return e })
	step("load", func() error {
		a, e := load.AvgWithContext(ctx)
		if e == nil {
			f.load1, f.load5, f.load15 = a.Load1, a.Load5, a.Load15
		}
		return e
	})
	step("memory", func() error {
		m, e := mem.VirtualMemoryWithContext(ctx)
		if e == nil {
			f.memPct = m.UsedPercent
		}
		return e
	})
	step("swap", func() error {
		s, e := mem.SwapMemoryWithContext(ctx)
		if e == nil {
			f.swapPct, f.swapTotal = s.UsedPercent, s.Total
		}
		return e
	})
	step("filesystems", func() (e error) { f.disks, e = filesystems(ctx); return e })
	step("temperatures", func() error { f.temps = temperatures(ctx); return nil })
	step("uptime", func() (e error) { f.uptime, e = host.UptimeWithContext(ctx); return e })
	return f, err
}

// cpuPercent is the busy share of all cores since the previous sample. When
// that sample is younger than minCPUWindow it waits out the rest, but never
// past half of the time left before ctx's deadline.
func (h *Host) cpuPercent(ctx context.Context) (float64, error) {
	for waited := false; ; waited = true {
		ts, err := cpu.TimesWithContext(ctx, false)
		if err != nil {
			return math.NaN(), err
		}
		if len(ts) == 0 {
			// gopsutil returns nothing, and not its error, when it cannot
			// read the file: open it to say why (out of descriptors, say).
			f, err := os.Open("/proc/stat")
			if err != nil {
				return math.NaN(), err
			}
			f.Close()
			return math.NaN(), fmt.Errorf("no cpu line in /proc/stat")
		}
		now := time.Now()
		h.mu.Lock()
		prev, age := h.prevCPU, now.Sub(h.prevAt)
		if age >= minCPUWindow || waited {
			h.prevCPU, h.prevAt = ts[0], now
			h.mu.Unlock()
			return busyPercent(prev, ts[0]), nil
		}
		h.mu.Unlock()

		wait := minCPUWindow - age
		if dl, ok := ctx.Deadline(); ok {
			wait = min(wait, time.Until(dl)/2)
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return math.NaN(), ctx.Err()
		case <-timer.C:
		}
	}
}

// busyPercent is gopsutil's formula: guest time is already in user time on
// Linux, and idle includes iowait. NaN when no tick passed.
func busyPercent(a, b cpu.TimesStat) float64 {
	total := func(t cpu.TimesStat) float64 {
		return t.User + t.System + t.Idle + t.Nice + t.Iowait + t.Irq + t.Softirq + t.Steal
	}
	dt := total(b) - total(a)
	if dt <= 0 {
		return math.NaN()
	}
	busy := dt - (b.Idle - a.Idle) - (b.Iowait - a.Iowait)
	return math.Min(100, math.Max(0, busy/dt*100))
}

func (h *Host) metrics(f hostFigures) map[string]float64 {
	m := map[string]float64{
		model.MetricLoad1:       f.load1,
		model.MetricLoad5:       f.load5,
		model.MetricLoad15:      f.load15,
		model.MetricLoadPerCore: f.load1 / float64(h.cores),
		model.MetricMem:         f.memPct,
		model.MetricSwap:        f.swapPct,
		model.MetricUptime:      float64(f.uptime),
	}
	if !math.IsNaN(f.cpuPct) {
		m[model.MetricCPU] = f.cpuPct
	}
	for _, d := range f.disks {
		if d.err == nil {
			m[model.MetricDisk+":"+d.mount] = d.pct
		}
	}
	if len(f.temps) > 0 {
		m[model.MetricTempMax] = f.temps[0].celsius // sorted hottest first
	}
	return m
}

// table is the figures as typed gauges (model.HostTable).
func (h *Host) table(f hostFigures) *model.HostTable {
	t := &model.HostTable{
		CPUPct: f.cpuPct, Load1: f.load1, Load5: f.load5, Load15: f.load15,
		LoadPerCore: f.load1 / float64(h.cores), Cores: h.cores,
		MemPct: f.memPct, SwapPct: f.swapPct, SwapBytes: f.swapTotal,
		Filesystems:  make([]model.Filesystem, 0, len(f.disks)),
		Temperatures: make([]model.Temperature, 0, len(f.temps)),
	}
	for _, d := range f.disks {
		fs := model.Filesystem{Mount: d.mount, Device: d.device, FSType: d.fstype, UsedPct: d.pct}
		if d.err != nil {
			fs.UsedPct, fs.Err = math.NaN(), d.err.Error()
		}
		t.Filesystems = append(t.Filesystems, fs)
	}
	for _, s := range f.temps {
		t.Temperatures = append(t.Temperatures, model.Temperature{Sensor: s.name, Celsius: s.celsius})
	}
	return t
}

func (h *Host) attrs(f hostFigures) map[string]string {
	a := map[string]string{
		"cores":        fmt.Sprint(h.cores),
		"temperatures": "n/a",
	}
	if len(f.temps) > 0 {
		a["temperatures"] = formatTemps(f.temps)
	}
	if h.info == nil {
		a["host_info"] = fmt.Sprintf("n/a: %v", h.infoErr)
		return a
	}
	i := h.info
	a["hostname"] = i.Hostname
	a["os"] = i.OS
	a["platform"] = strings.TrimSpace(i.Platform + " " + i.PlatformVersion)
	a["kernel"] = strings.TrimSpace(i.KernelVersion + " " + i.KernelArch)
	a["boot_time"] = time.Unix(int64(i.BootTime), 0).UTC().Format(time.RFC3339)
	if i.VirtualizationSystem != "" {
		a["virtualization"] = i.VirtualizationSystem + " " + i.VirtualizationRole
	}
	return a
}

// summarize writes the figures the way an operator scans them:
// "cpu 12%, load 0.4, mem 41%, swap none, disk / 33%, temp n/a".
func summarize(f hostFigures) string {
	var b strings.Builder
	if math.IsNaN(f.cpuPct) {
		b.WriteString("cpu n/a")
	} else {
		fmt.Fprintf(&b, "cpu %.0f%%", f.cpuPct)
	}
	fmt.Fprintf(&b, ", load %s, mem %.0f%%", model.FormatValue(f.load1, ""), f.memPct)
	if f.swapTotal == 0 {
		b.WriteString(", swap none")
	} else {
		fmt.Fprintf(&b, ", swap %.0f%%", f.swapPct)
	}
	if d, n := fullest(f.disks); n > 0 {
		fmt.Fprintf(&b, ", disk %s %.0f%%", d.mount, d.pct)
		if n > 1 {
			fmt.Fprintf(&b, " (fullest of %d)", n)
		}
	}
	if len(f.temps) > 0 {
		fmt.Fprintf(&b, ", temp %.0f°C", f.temps[0].celsius)
	} else {
		b.WriteString(", temp n/a")
	}
	return b.String()
}
