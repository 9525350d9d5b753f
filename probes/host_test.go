package probes

import (
	"bufio"
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/shirou/gopsutil/v4/host"

	"noctop/model"
)

func hostTarget(c model.Check) Target {
	c.Type = model.CheckHost
	return Target{Asset: &model.Asset{Name: "this-host"}, Check: &c}
}

func probeHost(t *testing.T, h *Host, c model.Check) model.Outcome {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return prepareOrReport(h.Prepare, hostTarget(c)).Run(ctx)
}

func limits(warn, crit *float64) *model.Limits { return &model.Limits{Warn: warn, Crit: crit} }
func num(v float64) *float64                   { return &v }

// meminfo reads /proc/meminfo fields in kB, independently of gopsutil.
func meminfo(t *testing.T) map[string]float64 {
	t.Helper()
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m := map[string]float64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		n, err := strconv.ParseFloat(strings.Fields(v)[0], 64)
		if err == nil {
			m[k] = n
		}
	}
	return m
}

func TestHostMetricsMatchThisMachine(t *testing.T) {
	h := NewHost()
	out := probeHost(t, h, model.Check{})
	if out.Status != model.StatusOK {
		t.Fatalf("no thresholds set, yet %s: %s", out.Status, out.Summary)
	}
	m := out.Metrics
	inRange := func(name string, lo, hi float64) float64 {
		t.Helper()
		v, ok := m[name]
		if !ok {
			t.Fatalf("metric %s missing; have %v", name, m)
		}
		if math.IsNaN(v) || v < lo || v > hi {
			t.Errorf("%s = %v, want within [%v, %v]", name, v, lo, hi)
		}
		return v
	}
	inRange("cpu_pct", 0, 100)
	inRange("mem_pct", 0.001, 100)
	inRange("swap_pct", 0, 100)
	l1 := inRange("load1", 0, 1000)
	inRange("load5", 0, 1000)
	inRange("load15", 0, 1000)
	if got := inRange("load1_per_core", 0, 1000); got != l1/float64(h.cores) {
		t.Errorf("load1_per_core %v, want load1 %v / %d cores", got, l1, h.cores)
	}
	up := inRange("uptime_s", 1, 1e10)
	root := inRange("disk_pct:/", 0.001, 100)

	// Cross-check against the kernel, read without gopsutil.
	mi := meminfo(t)
	if want := (mi["MemTotal"] - mi["MemAvailable"]) / mi["MemTotal"] * 100; math.Abs(m["mem_pct"]-want) > 5 {
		t.Errorf("mem_pct %.1f, /proc/meminfo says %.1f", m["mem_pct"], want)
	}
	var st syscall.Statfs_t
	if err := syscall.Statfs("/", &st); err != nil {
		t.Fatal(err)
	}
	used := float64(st.Blocks - st.Bfree)
	if want := used / (used + float64(st.Bavail)) * 100; math.Abs(root-want) > 1 {
		t.Errorf("disk_pct:/ %.1f, statfs says %.1f", root, want)
	}
	raw, err := os.ReadFile("/proc/uptime")
	if err != nil {
		t.Fatal(err)
	}
	if want, _ := strconv.ParseFloat(strings.Fields(string(raw))[0], 64); math.Abs(up-want) > 5 {
		t.Errorf("uptime_s %.0f, /proc/uptime says %.0f", up, want)
	}

	// Pseudo filesystems mounted here are not judged.
	for name := range m {
		for _, pseudo := range []string{"/proc", "/sys", "/dev", "/dev/shm", "/sys/fs/cgroup", "/dev/pts"} {
			if name == "disk_pct:"+pseudo {
				t.Errorf("pseudo filesystem %s has a disk metric", pseudo)
			}
		}
	}

	a := out.Attrs
	if hn, _ := os.Hostname(); a["hostname"] != hn {
		t.Errorf("hostname attr %q, want %q", a["hostname"], hn)
	}
	if a["os"] != "linux" || a["kernel"] == "" || a["platform"] == "" {
		t.Errorf("os/kernel/platform attrs: %q %q %q", a["os"], a["kernel"], a["platform"])
	}
	bt, err := time.Parse(time.RFC3339, a["boot_time"])
	if err != nil {
		t.Fatalf("boot_time %q: %v", a["boot_time"], err)
	}
	if d := time.Since(bt).Seconds() - up; math.Abs(d) > 5 {
		t.Errorf("boot_time %s and uptime %.0fs disagree by %.0fs", bt, up, d)
	}
	for _, part := range []string{"cpu ", "load ", "mem ", "swap ", "disk / "} {
		if !strings.Contains(out.Summary, part) {
			t.Errorf("summary %q lacks %q", out.Summary, part)
		}
	}
}

// machineHasSensors looks where gopsutil looks: hwmon, then thermal zones.
func machineHasSensors(t *testing.T) bool {
	for _, pat := range []string{"/sys/class/hwmon/hwmon*/temp*_input", "/sys/class/thermal/thermal_zone*/temp"} {
		if m, _ := filepath.Glob(pat); len(m) > 0 {
			return true
		}
	}
	return false
}

func TestHostTemperatures(t *testing.T) {
	out := probeHost(t, NewHost(), model.Check{})
	v, has := out.Metrics["temp_max_c"]
	if !machineHasSensors(t) {
		// This machine (a VM) has no sensors: say n/a, never 0.
		if has {
			t.Errorf("no sensors, yet temp_max_c = %v", v)
		}
		if out.Attrs["temperatures"] != "n/a" || !strings.Contains(out.Summary, "temp n/a") {
			t.Errorf("no sensors: attr %q, summary %q, want n/a", out.Attrs["temperatures"], out.Summary)
		}
		return
	}
	if !has || v <= 0 || v > 150 {
		t.Errorf("sensors present, temp_max_c = %v (present %v)", v, has)
	}
	if out.Attrs["temperatures"] == "n/a" {
		t.Error("sensors present, yet temperatures n/a")
	}
}

func TestHostThresholdsTrip(t *testing.T) {
	h := NewHost()
	zero := num(0)
	for _, tc := range []struct {
		name   string
		check  model.Check
		status model.Status
		reason string
	}{
		{"cpu", model.Check{CPU: limits(nil, zero)}, model.StatusCritical, "cpu "},
		{"memory", model.Check{Memory: limits(nil, zero)}, model.StatusCritical, "mem "},
		{"swap", model.Check{Swap: limits(nil, zero)}, model.StatusCritical, "swap 0% >= crit 0%"},
		{"disk names the mount", model.Check{Disk: limits(nil, zero)}, model.StatusCritical, "disk / "},
		{"load per core", model.Check{Load: limits(nil, zero)}, model.StatusCritical, "load1 per core "},
		{"warn only", model.Check{Memory: limits(zero, nil)}, model.StatusWarning, ">= warn 0%"},
		{"within limits", model.Check{Memory: limits(num(100.5), num(101)), Disk: limits(num(100.5), nil)}, model.StatusOK, ""},
	} {
		out := probeHost(t, h, tc.check)
		if out.Status != tc.status {
			t.Errorf("%s: %s %q, want %s", tc.name, out.Status, out.Summary, tc.status)
			continue
		}
		if tc.reason == "" {
			if strings.Contains(out.Summary, ">=") {
				t.Errorf("%s: OK summary carries a breach: %q", tc.name, out.Summary)
			}
			continue
		}
		// The reason leads the summary and names the figure and the limit.
		reason, figures, ok := strings.Cut(out.Summary, " — ")
		if !ok || !strings.Contains(reason, tc.reason) || !strings.Contains(reason, "crit 0") && tc.status == model.StatusCritical {
			t.Errorf("%s: summary %q, want a reason with %q before the figures", tc.name, out.Summary, tc.reason)
		}
		if !strings.HasPrefix(figures, "cpu ") {
			t.Errorf("%s: figures missing after the reason: %q", tc.name, out.Summary)
		}
	}
}

func TestHostInfoReadOnce(t *testing.T) {
	calls := 0
	h := newHost(func(ctx context.Context) (*host.InfoStat, error) {
		calls++
		return host.InfoWithContext(ctx)
	})
	for range 3 {
		h.prevAt = time.Time{} // no CPU window wait between the runs
		if out := probeHost(t, h, model.Check{}); out.Attrs["hostname"] == "" {
			t.Fatalf("hostname attr missing: %v", out.Attrs)
		}
	}
	if calls != 1 {
		t.Errorf("host.Info called %d times for 3 runs, want 1", calls)
	}

	broken := newHost(func(ctx context.Context) (*host.InfoStat, error) {
		return nil, errors.New("no /etc/os-release")
	})
	out := probeHost(t, broken, model.Check{})
	if out.Status != model.StatusOK || !strings.Contains(out.Attrs["host_info"], "no /etc/os-release") {
		t.Errorf("info failure: %s, attrs %v; want figures still judged and the failure named", out.Status, out.Attrs)
	}
}

func TestHostCPUWindowRespectsDeadline(t *testing.T) {
	h := NewHost() // took a sample just now: the window is too young
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Millisecond)
	defer cancel()
	pct, err := h.cpuPercent(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if ctx.Err() != nil {
		t.Error("cpuPercent waited past the deadline for a longer window")
	}
	if math.IsNaN(pct) || pct < 0 || pct > 100 {
		t.Errorf("cpu %% over a short window: %v", pct)
	}

	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	if out := prepareOrReport(h.Prepare, hostTarget(model.Check{})).Run(ctx); out.Status != model.StatusUnknown ||
		!strings.Contains(out.Summary, "canceled") {
		t.Errorf("cancelled ctx: %s %q, want UNKNOWN naming the cancel", out.Status, out.Summary)
	}
}

func TestHostThroughScheduler(t *testing.T) {
	cfg := &model.Config{Assets: []model.Asset{{
		Name:   "this-host",
		Checks: []model.Check{{Type: model.CheckHost, Disk: limits(num(0), nil)}},
	}}}
	cfg.ApplyDefaults()
	set := NewSet()
	defer set.Close()
	c := newCollector()
	if err := NewScheduler(cfg, set.Prepare, c.sink).RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	rs := c.snapshot()
	if len(rs) != 1 || rs[0].Status != model.StatusWarning || !strings.Contains(rs[0].Summary, "disk / ") {
		t.Fatalf("host check via Set and scheduler: %+v", rs)
	}
}

func BenchmarkHostProbe(b *testing.B) {
	h := NewHost()
	p, err := h.Prepare(hostTarget(model.Check{CPU: limits(num(80), num(95)), Disk: limits(num(80), num(90))}))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		h.prevAt = time.Time{} // steady state: runs are seconds apart, no window wait
		if out := p.Run(ctx); out.Status == model.StatusUnknown {
			b.Fatal(out.Summary)
		}
	}
}

func BenchmarkHostNew(b *testing.B) {
	for b.Loop() {
		NewHost()
	}
}

// The typed gauges (Outcome.Host) carry the same figures as the metrics,
// every filesystem with its device, and every sensor.
func TestHostTable(t *testing.T) {
	out := probeHost(t, NewHost(), model.Check{})
	h := out.Host
	if h == nil {
		t.Fatalf("no host table: %s", out.Summary)
	}
	same := func(what string, got float64, key string) {
		t.Helper()
		if want, ok := out.Metrics[key]; !ok && !math.IsNaN(got) || ok && got != want {
			t.Errorf("%s = %v, metric %s = %v (present %v)", what, got, key, want, ok)
		}
	}
	same("CPUPct", h.CPUPct, "cpu_pct")
	same("Load1", h.Load1, "load1")
	same("Load5", h.Load5, "load5")
	same("Load15", h.Load15, "load15")
	same("LoadPerCore", h.LoadPerCore, "load1_per_core")
	same("MemPct", h.MemPct, "mem_pct")
	same("SwapPct", h.SwapPct, "swap_pct")
	if h.Cores < 1 || out.Attrs["cores"] != strconv.Itoa(h.Cores) {
		t.Errorf("Cores %d, attr %q", h.Cores, out.Attrs["cores"])
	}
	if swap := meminfo(t)["SwapTotal"] * 1024; float64(h.SwapBytes) != swap {
		t.Errorf("SwapBytes %d, /proc/meminfo %v", h.SwapBytes, swap)
	}
	disks := 0
	for k := range out.Metrics {
		if strings.HasPrefix(k, "disk_pct:") {
			disks++
		}
	}
	if len(h.Filesystems) != disks || disks == 0 {
		t.Errorf("%d filesystems, %d disk metrics", len(h.Filesystems), disks)
	}
	for _, fs := range h.Filesystems {
		same("filesystem "+fs.Mount, fs.UsedPct, "disk_pct:"+fs.Mount)
		if fs.Device == "" || fs.FSType == "" || fs.Err != "" {
			t.Errorf("filesystem %+v", fs)
		}
	}
	if !machineHasSensors(t) {
		if len(h.Temperatures) != 0 {
			t.Errorf("no sensors, yet %d temperatures", len(h.Temperatures))
		}
		return
	}
	if len(h.Temperatures) == 0 || h.Temperatures[0].Celsius != out.Metrics["temp_max_c"] {
		t.Errorf("temperatures %+v, temp_max_c %v", h.Temperatures, out.Metrics["temp_max_c"])
	}
}
