package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// machine describes where the figures were taken.
type machine struct {
	cpu      string // model name, family and model
	cores    int
	memGiB   float64
	kernel   string
	goVer    string
	commit   string // of the tree noctop was built from, "+dirty" if changed
	date     time.Time
	hostname string
	tools    []string // reference tools and their versions
}

// describeMachine reads /proc/cpuinfo, uname and the tools' versions.
func describeMachine(ctx context.Context, root string) machine {
	m := machine{cores: runtime.NumCPU(), date: time.Now(), goVer: goVersion(ctx)}
	m.cpu = cpuModel()
	var u unix.Utsname
	if unix.Uname(&u) == nil {
		m.kernel = unix.ByteSliceToString(u.Sysname[:]) + " " + unix.ByteSliceToString(u.Release[:])
	}
	var si unix.Sysinfo_t
	if unix.Sysinfo(&si) == nil {
		m.memGiB = float64(si.Totalram) * float64(si.Unit) / (1 << 30)
	}
	m.commit = gitCommit(ctx, root)
	// "fping: Version 5.1", "NET-SNMP version: 5.9.3", "curl 7.88.1 (x86_64...) ...".
	m.tools = []string{
		"fping " + lastWord(firstLine(ctx, "fping", "--version")),
		"net-snmp " + lastWord(firstLine(ctx, "snmpbulkwalk", "--version")),
		"curl " + lastWord(firstWords(firstLine(ctx, "curl", "--version"), 2)),
		"GNU time",
	}
	return m
}

// cpuModel is "Intel(R) Xeon(R) Processor (family 6, model 167)".
func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	defer f.Close()
	fields := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if sc.Text() == "" { // the first processor is enough
			break
		}
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok {
			fields[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	name := cmpOr(fields["model name"], "unknown CPU")
	if fields["cpu family"] != "" {
		name += fmt.Sprintf(" (family %s, model %s)", fields["cpu family"], fields["model"])
	}
	if strings.Contains(fields["flags"], "hypervisor") {
		name += ", virtual machine"
	}
	return name
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func goVersion(ctx context.Context) string {
	out, err := exec.CommandContext(ctx, "go", "env", "GOVERSION").Output()
	if err != nil {
		return runtime.Version()
	}
	return strings.TrimSpace(string(out))
}

func gitCommit(ctx context.Context, root string) string {
	out, err := exec.CommandContext(ctx, "git", "-C", root, "rev-parse", "--short=12", "HEAD").Output()
	if err != nil {
		return "unknown commit"
	}
	commit := strings.TrimSpace(string(out))
	// Only the code counts: BENCHMARKS.md itself changes with every --write.
	st, err := exec.CommandContext(ctx, "git", "-C", root, "status", "--porcelain", "--untracked-files=no", "--", ".", ":!BENCHMARKS.md").Output()
	if err == nil && len(strings.TrimSpace(string(st))) > 0 {
		commit += "+dirty"
	}
	return commit
}

// firstLine is a command's first line of output (stdout or stderr).
func firstLine(ctx context.Context, argv ...string) string {
	out, _ := exec.CommandContext(ctx, argv[0], argv[1:]...).CombinedOutput()
	line, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	if line == "" {
		return argv[0] + " (no version)"
	}
	return strings.TrimSpace(line)
}

// loadAvg is the 1-minute load average, for the report: other work on the
// machine shows there.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return "?"
	}
	return f[0]
}

// firstWords keeps the first n words of s ("curl 7.88.1 (x86_64...) ..." ->
// "curl 7.88.1").
func firstWords(s string, n int) string {
	f := strings.Fields(s)
	return strings.Join(f[:min(n, len(f))], " ")
}

func lastWord(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return "(version unknown)"
	}
	return f[len(f)-1]
}
