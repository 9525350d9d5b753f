package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// runIn runs the binary in dir with no config anywhere it looks: no
// $NOCTOP_CONFIG, and HOME and XDG_CONFIG_HOME pointing at dir.
func runIn(t *testing.T, dir string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(binPath, args...)
	cmd.Dir = dir
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "NOCTOP_CONFIG=") && !strings.HasPrefix(kv, "HOME=") && !strings.HasPrefix(kv, "XDG_CONFIG_HOME=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "HOME="+dir, "XDG_CONFIG_HOME="+dir, "NO_COLOR=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatal(err)
	}
	return stdout.String(), stderr.String(), cmd.ProcessState.ExitCode()
}

// check without a config runs the built-in one and, like validate, says
// where it looked and how to write a config; on stderr, so that the table
// or JSON stays clean.
func TestNoConfigSaysHowToWriteOne(t *testing.T) {
	dir := t.TempDir()
	const hint = "no config found (looked at --config, $NOCTOP_CONFIG, ./noctop.toml, $XDG_CONFIG_HOME/noctop/config.toml)"
	_, stderr, code := runIn(t, dir, "validate")
	if code != 1 || !strings.Contains(stderr, hint) || !strings.Contains(stderr, "write one with `noctop init`") {
		t.Errorf("validate: exit %d, stderr:\n%s", code, stderr)
	}
	stdout, stderr, _ := runIn(t, dir, "check", "--json")
	if !strings.Contains(stderr, hint) || !strings.Contains(stderr, "checking this host only") || !strings.Contains(stderr, "write one with `noctop init`") {
		t.Errorf("check: stderr lacks the hint:\n%s", stderr)
	}
	if !strings.HasPrefix(stdout, "{") || !strings.Contains(stdout, `"config":"(built-in)"`) {
		t.Errorf("check --json: stdout is not the report of the built-in config:\n%s", stdout)
	}
}

// Counts in CLI output take the singular for one.
func TestValidateSummaryPlurals(t *testing.T) {
	one := writeConfig(t, tcpAsset("db", 5432)+"\n[[service]]\nname = \"s\"\nneeds = [\"db\"]\n")
	stdout, stderr, code := runBin(t, nil, "validate", "-c", one)
	if code != 0 || !strings.HasSuffix(stdout, ": OK, 1 asset (1 technical, 0 application), 1 check, 1 service\n") {
		t.Errorf("exit %d, stdout %q\n%s", code, stdout, stderr)
	}
	two := writeConfig(t, tcpAsset("db", 5432)+tcpAsset("cache", 6379))
	stdout, stderr, code = runBin(t, nil, "validate", "-c", two)
	if code != 0 || !strings.HasSuffix(stdout, ": OK, 2 assets (2 technical, 0 application), 2 checks, 0 services\n") {
		t.Errorf("exit %d, stdout %q\n%s", code, stdout, stderr)
	}
	if got := plural(1, "gateway") + ", " + plural(0, "resolver") + ", " + plural(2, "check"); got != "1 gateway, 0 resolvers, 2 checks" {
		t.Errorf("plural: %q", got)
	}
}

// The root help names every kind of check noctop has, SNMP and traps too.
func TestRootHelpNamesSNMPAndTraps(t *testing.T) {
	stdout, stderr, code := runBin(t, nil, "--help")
	if code != 0 {
		t.Fatalf("--help: exit %d\n%s", code, stderr)
	}
	for _, want := range []string{"ICMP", "SNMP", "traps", "HTTP", "TCP", "DNS", "TLS", "hardware", "business services"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("--help does not mention %s:\n%s", want, stdout)
		}
	}
}

// A config with more errors than MaxConfigErrors lists the first ones,
// each positioned, and says how many more there are.
func TestValidateManyErrors(t *testing.T) {
	var b strings.Builder
	for range 250 {
		b.WriteString("[[asset]]\nname = \"a\"\nbogus = 1\n")
	}
	path := writeConfig(t, b.String())
	_, stderr, code := runBin(t, nil, "validate", "-c", path)
	lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
	if code != 1 || len(lines) != 101 {
		t.Fatalf("exit %d, %d lines, want 1 and 100 errors and a summary:\n%s", code, len(lines), stderr)
	}
	for _, l := range lines[:100] {
		if !strings.HasPrefix(l, path+":") {
			t.Fatalf("unpositioned error line %q", l)
		}
	}
	// 250 unknown keys and 249 duplicate names: 499 errors.
	if want := "… and 399 more errors"; lines[100] != want {
		t.Errorf("last line %q, want %q", lines[100], want)
	}
}
