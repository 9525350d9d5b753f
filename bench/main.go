// Command bench measures noctop against the reference tools (fping,
// snmpbulkwalk, curl) as whole processes side by side, several rounds,
// and prints the results as Markdown; --write puts them into
// BENCHMARKS.md between its generated-section markers.
//
//	go run ./bench            # full run (~25 minutes), prints the tables
//	go run ./bench --quick    # small sizes, about a minute (CI)
//	go run ./bench --write    # and rewrite BENCHMARKS.md's generated section
//
// Every measured process runs under GNU time (/usr/bin/time), which forks
// it: its figures are its own, never this process's (measure.go). It needs
// root (raw ICMP for fping and noctop) and fping, snmpbulkwalk, curl and
// GNU time; full runs also tmux. Every address used is in 127.0.0.0/8.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

// options are the command's flags.
type options struct {
	quick  bool
	rounds int
	write  bool
	only   string // comma-separated section names; "" all
	keep   bool   // keep the work directory
	// hostNetns runs the sections in the harness's own network namespace
	// instead of one made for them (netns.go).
	hostNetns bool
}

// env is what every section shares.
type env struct {
	opts   options
	root   string // module root
	dir    string // work directory: binary, configs, outputs
	noctop string // built binary
	run    *runner
	log    io.Writer
	clkTck float64
}

func (e *env) logf(format string, args ...any) {
	fmt.Fprintf(e.log, "bench: "+format+"\n", args...)
}

func main() {
	var o options
	flag.BoolVar(&o.quick, "quick", false, "small sizes and short windows (CI): about a minute")
	flag.IntVar(&o.rounds, "rounds", 0, "rounds of each side-by-side comparison (default 5, quick 3)")
	flag.BoolVar(&o.write, "write", false, "rewrite the generated section of BENCHMARKS.md")
	flag.StringVar(&o.only, "only", "", "run only these sections, comma-separated: "+strings.Join(sectionNames(), ","))
	flag.BoolVar(&o.keep, "keep", false, "keep the work directory (configs, outputs)")
	flag.BoolVar(&o.hostNetns, "host-netns", false, "run in this network namespace instead of one of the harness's own (other work's ICMP then reaches the raw sockets)")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "bench: unexpected argument %q\n", flag.Arg(0))
		os.Exit(2)
	}
	if o.rounds == 0 {
		o.rounds = 5
		if o.quick {
			o.rounds = 3
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintf(os.Stderr, "bench: %v\n", err)
		stop()
		os.Exit(1)
	}
}

// section is one part of the report.
type section struct {
	name     string
	fullOnly bool
	run      func(ctx context.Context, e *env) (string, error)
}

func sections() []section {
	return []section{
		{"icmp", false, benchICMP},
		{"validate", false, benchValidate},
		{"snmp", false, benchSNMP},
		{"discover", false, benchDiscover},
		{"http", false, benchHTTP},
		{"rest", false, benchRest},
		{"history", true, benchHistory},
		{"dashboard", true, benchDashboard},
		{"serve", false, benchServe},
		{"estate", false, benchEstate},
	}
}

func sectionNames() []string {
	var out []string
	for _, s := range sections() {
		out = append(out, s.name)
	}
	return out
}

// run builds noctop, runs the sections and prints (and with --write,
// writes) the report.
func run(ctx context.Context, o options, stdout, logw io.Writer) error {
	if o.rounds < 1 {
		return fmt.Errorf("--rounds %d: want 1 or more", o.rounds)
	}
	want, err := pickSections(o)
	if err != nil {
		return err
	}
	if o.write && (o.quick || o.only != "") {
		return errors.New("--write records a full run: not with --quick or --only")
	}
	root, err := moduleRoot(ctx)
	if err != nil {
		return err
	}
	if err := preflight(ctx, o); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "noctop-bench-")
	if err != nil {
		return err
	}
	if o.keep {
		fmt.Fprintf(logw, "bench: work directory %s (kept)\n", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	e := &env{opts: o, root: root, dir: dir, noctop: filepath.Join(dir, "noctop"), run: &runner{dir: dir}, log: logw}
	if e.clkTck, err = clockTicks(ctx); err != nil {
		return err
	}
	start := time.Now()
	if built := os.Getenv(inNetnsEnv); built != "" {
		e.noctop = built
		if err := setUpNetns(ctx); err != nil {
			return err
		}
	} else {
		e.logf("building noctop")
		build := exec.CommandContext(ctx, "go", "build", "-o", e.noctop, ".")
		build.Dir, build.Stdout, build.Stderr = root, logw, logw
		// As README builds it: static, no cgo (a default build links libc for
		// net and os/user, 1.5 MiB more at start).
		build.Env = append(os.Environ(), "CGO_ENABLED=0")
		if err := build.Run(); err != nil {
			return fmt.Errorf("go build: %w", err)
		}
		if !o.hostNetns {
			e.logf("running the sections in a network namespace of their own")
			return rerunInNetns(ctx, e.noctop, stdout, logw)
		}
	}
	m := describeMachine(ctx, root)
	overhead, err := timeOverhead(ctx, e)
	if err != nil {
		return err
	}
	var body strings.Builder
	body.WriteString(header(m, o, overhead))
	for _, s := range want {
		e.logf("%s: start (load %s)", s.name, loadAvg())
		t := time.Now()
		text, err := s.run(ctx, e)
		if err != nil {
			if ctx.Err() != nil {
				return context.Cause(ctx)
			}
			return fmt.Errorf("%s: %w", s.name, err)
		}
		e.logf("%s: done in %s (load %s)", s.name, time.Since(t).Round(time.Second), loadAvg())
		body.WriteString(text)
	}
	fmt.Fprintf(&body, "Whole run: %s; load average (1 min) at the end: %s.\n", time.Since(start).Round(time.Second), loadAvg())
	fmt.Fprint(stdout, body.String())
	if !o.write {
		return nil
	}
	path := filepath.Join(root, "BENCHMARKS.md")
	doc, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	out, err := replaceSection(doc, []byte(body.String()))
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := os.WriteFile(path, out, 0o644); err != nil {
		return err
	}
	e.logf("wrote %s", path)
	return nil
}

func pickSections(o options) ([]section, error) {
	var want []section
	names := map[string]bool{}
	for n := range strings.SplitSeq(o.only, ",") {
		if n = strings.TrimSpace(n); n != "" {
			names[n] = true
		}
	}
	for n := range names {
		if !slices.Contains(sectionNames(), n) {
			return nil, fmt.Errorf("--only: no section %q (have %s)", n, strings.Join(sectionNames(), ", "))
		}
	}
	for _, s := range sections() {
		if (len(names) > 0 && !names[s.name]) || (s.fullOnly && o.quick) {
			continue
		}
		want = append(want, s)
	}
	return want, nil
}

// moduleRoot is the directory of noctop's go.mod.
func moduleRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("not inside the noctop module: run it from the repository")
	}
	return filepath.Dir(mod), nil
}

// preflight fails early, with what to install, when a tool is missing.
func preflight(ctx context.Context, o options) error {
	if os.Geteuid() != 0 {
		return errors.New("run as root: fping at -i1 and noctop's raw ICMP need it")
	}
	tools := map[string]string{"fping": "fping", "snmpbulkwalk": "snmp", "curl": "curl", "go": "golang"}
	if !o.quick {
		tools["tmux"] = "tmux"
	}
	var missing []string
	for tool, pkg := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			missing = append(missing, fmt.Sprintf("%s (package %s)", tool, pkg))
		}
	}
	out, err := exec.CommandContext(ctx, timeBin, "--version").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "GNU") {
		missing = append(missing, timeBin+" must be GNU time (package time)")
	}
	if len(missing) > 0 {
		return fmt.Errorf("missing: %s", strings.Join(missing, ", "))
	}
	return nil
}

// clockTicks is the unit of /proc/PID/stat's CPU times.
func clockTicks(ctx context.Context) (float64, error) {
	out, err := exec.CommandContext(ctx, "getconf", "CLK_TCK").Output()
	if err != nil {
		return 0, fmt.Errorf("getconf CLK_TCK: %w", err)
	}
	var hz float64
	if _, err := fmt.Sscan(string(out), &hz); err != nil || hz <= 0 {
		return 0, fmt.Errorf("getconf CLK_TCK: %q is not a tick rate", out)
	}
	return hz, nil
}

// header is the report's opening: the machine and how to rerun.
func header(m machine, o options, overhead float64) string {
	var b strings.Builder
	b.WriteString("## Whole processes, side by side\n\n")
	if o.quick {
		fmt.Fprintf(&b, "Generated by `go run ./bench --quick` (%d rounds, small sizes). ", o.rounds)
	} else {
		fmt.Fprintf(&b, "Generated by `go run ./bench --write` (%d rounds; `go run ./bench --quick` is the small run CI makes). ", o.rounds)
	}
	b.WriteString("Each figure is the median of the rounds with the range (min-max) in brackets; a ratio is noctop's figure over the reference tool's, taken round by round (the two ran back to back, order alternating) and summarised the same way.\n\n")
	fmt.Fprintf(&b, "- Machine: %s, %d cores, %.0f GiB RAM; %s; %s.\n", m.cpu, m.cores, m.memGiB, m.kernel, m.goVer)
	fmt.Fprintf(&b, "- noctop built from commit %s; reference tools: %s.\n", m.commit, strings.Join(m.tools, ", "))
	fmt.Fprintf(&b, "- Date: %s; load average (1 min) at the start: %s. The machine is shared with other work, so figures vary run to run: read the ranges.\n", m.date.UTC().Format("2006-01-02 15:04 MST"), loadAvg())
	b.WriteString("- How each process is measured: it runs under GNU time (`/usr/bin/time -f '%e %U %S %M %x'`), which forks it, so its peak RSS (`ru_maxrss`) is its own (with its children's, for a shell loop). " +
		"CPU (user+sys) is the kernel's rusage of that GNU time process, which counts the child it waited for, in microseconds " +
		"(time prints 10 ms steps); it includes time's own start, " + sig3(overhead*1000) + " ms here (`/usr/bin/time true` against `true`). " +
		"Wall is the harness's clock around it. A child forked straight from a large process (such as a Go test binary) would report its parent's peak RSS: Linux folds the old address space's high-water mark into `ru_maxrss` at exec. The monitor's CPU over a window is read from `/proc/PID/stat` (utime+stime), its memory from `/proc/PID/status` (VmRSS, VmHWM).\n")
	b.WriteString("- Every address is on loopback (127.0.0.0/8); servers (HTTP, TCP, the lab's SNMP agent) run inside the harness, so their CPU is in neither column.\n")
	if o.hostNetns {
		b.WriteString("- Run with `--host-netns`: in the machine's own network namespace, where other work's ICMP reaches the raw sockets of noctop and fping alike.\n\n")
	} else {
		b.WriteString("- Everything runs in a network namespace the harness makes (`unshare --net`, lo up, the host's `ping_group_range`), so no other work's packets reach the measured processes: a raw ICMP socket receives every ICMP packet of its namespace.\n\n")
	}
	return b.String()
}

// timeOverhead is the CPU GNU time adds to a figure: the median of
// `/usr/bin/time true` less that of `true` run directly.
func timeOverhead(ctx context.Context, e *env) (float64, error) {
	var timed, direct series
	for range 5 {
		u, _, _, err := e.run.run(ctx, "", "true")
		if err != nil {
			return 0, err
		}
		timed = append(timed, u.cpu())
		cmd := exec.CommandContext(ctx, "true")
		if err := cmd.Run(); err != nil {
			return 0, err
		}
		ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
		if !ok {
			return 0, errors.New("no rusage for true")
		}
		direct = append(direct, time.Duration(ru.Utime.Nano()+ru.Stime.Nano()).Seconds())
	}
	a, _ := timed.median()
	b, _ := direct.median()
	return max(a-b, 0), nil
}
