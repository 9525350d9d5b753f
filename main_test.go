package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"noctop/model"
)

// These tests run the built binary end to end, the way scripts and
// operators do, against real servers on loopback.

var binPath string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "noctop-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binPath = filepath.Join(dir, "noctop")
	// No test writes the operator's database; writeConfig gives each test
	// a state directory of its own.
	os.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state"))
	out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "go build: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// runBin runs the binary and returns stdout, stderr and the exit code.
func runBin(t *testing.T, env []string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(binPath, args...)
	cmd.Env = append(append(os.Environ(), "NO_COLOR=1"), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run %v: %v", args, err)
	}
	return stdout.String(), stderr.String(), code
}

func writeConfig(t *testing.T, text string) string {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "noctop.toml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("XDG_STATE_HOME", filepath.Join(dir, "state")) // the monitor's database, per test
	return path
}

// listening returns the port of a TCP listener that accepts and closes.
func listening(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go acceptAndClose(ln)
	return ln.Addr().(*net.TCPAddr).Port
}

// acceptAndClose takes every connection and closes it at once, until ln is
// closed: a target a tcp check finds up.
func acceptAndClose(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		c.Close()
	}
}

// closedPort returns a port nothing listens on (it was free a moment ago).
func closedPort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return port
}

func tcpAsset(name string, port int) string {
	return fmt.Sprintf(`
[[asset]]
name = %q
address = "127.0.0.1"
  [[asset.check]]
  type = "tcp"
  port = %d
`, name, port)
}

func TestCheckExitCodes(t *testing.T) {
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(20 * time.Millisecond)
		fmt.Fprint(w, "ok")
	}))
	defer slow.Close()
	up := listening(t)
	cases := []struct {
		name   string
		config string
		want   int
		status string
	}{
		{"ok", tcpAsset("db", up), 0, "OK"},
		{"warning", tcpAsset("db", up) + fmt.Sprintf(`
[[asset]]
name = "shop"
layer = "application"
  [[asset.check]]
  type = "http"
  url = %q
  latency = { warn = "5ms", crit = "10s" }
`, slow.URL+"/"), 1, "WARNING"},
		{"critical", tcpAsset("db", up) + tcpAsset("cache", closedPort(t)), 2, "CRITICAL"},
		{"broken config", "[[asset]]\nname = 1\n", 3, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := writeConfig(t, tc.config)
			stdout, stderr, code := runBin(t, nil, "check", "--config", path, "--json")
			if code != tc.want {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.want, stdout, stderr)
			}
			if tc.status == "" {
				if !strings.Contains(stderr, path+":2:") {
					t.Errorf("stderr does not name the error position:\n%s", stderr)
				}
				if strings.Contains(stderr, "goroutine") || strings.Contains(stderr, "panic") {
					t.Errorf("stack trace on stderr:\n%s", stderr)
				}
				return
			}
			var rep map[string]any
			if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
				t.Fatalf("bad JSON: %v\n%s", err, stdout)
			}
			if rep["status"] != tc.status {
				t.Errorf("status %v, want %s", rep["status"], tc.status)
			}
		})
	}
}

func TestCheckJSONShape(t *testing.T) {
	path := writeConfig(t, tcpAsset("gw", closedPort(t))+`
[[asset]]
name = "web1"
parents = ["gw"]
address = "127.0.0.1"
  [[asset.check]]
  type = "tcp"
  name = "health"
  port = `+fmt.Sprint(closedPort(t))+`

[[service]]
name = "Order to cash"
rule = "all"
needs = ["web1"]
`)
	stdout, stderr, code := runBin(t, nil, "check", "-c", path, "--json")
	if code != 2 {
		t.Fatalf("exit %d, want 2\n%s\n%s", code, stdout, stderr)
	}
	var rep struct {
		Status    string `json:"status"`
		CheckedAt string `json:"checked_at"`
		Assets    []struct {
			Name, Layer, Status string
			RootCause           string `json:"root_cause"`
			Checks              []struct {
				Type, Name, Status, Summary string
				Metrics                     map[string]float64
			}
		}
		Services []struct{ Name, Status, Reason string }
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("bad JSON: %v\n%s", err, stdout)
	}
	if _, err := time.Parse(time.RFC3339, rep.CheckedAt); err != nil {
		t.Errorf("checked_at %q: %v", rep.CheckedAt, err)
	}
	if len(rep.Assets) != 2 || rep.Assets[1].Name != "web1" {
		t.Fatalf("assets: %+v", rep.Assets)
	}
	web := rep.Assets[1]
	if web.Status != "UNREACHABLE" || web.RootCause != "gw" {
		t.Errorf("web1 = %s root_cause %q, want UNREACHABLE via gw", web.Status, web.RootCause)
	}
	if len(web.Checks) != 1 || web.Checks[0].Status != "CRITICAL" || web.Checks[0].Type != "tcp" || web.Checks[0].Name != "health" {
		t.Errorf("web1 checks: %+v", web.Checks)
	}
	if web.Checks[0].Summary == "" {
		t.Error("empty summary")
	}
	if len(rep.Services) != 1 || rep.Services[0].Status != "CRITICAL" || !strings.Contains(rep.Services[0].Reason, "web1") {
		t.Errorf("services: %+v", rep.Services)
	}
}

func TestCheckTable(t *testing.T) {
	path := writeConfig(t, tcpAsset("db", listening(t))+tcpAsset("cache\x1b[31m", closedPort(t)))
	stdout, _, code := runBin(t, nil, "check", "-c", path)
	if code != 3 && code != 2 {
		t.Fatalf("exit %d\n%s", code, stdout)
	}
	if code == 3 {
		// A control character in a name is a config error, which is fine too.
		return
	}
	if strings.Contains(stdout, "\x1b") {
		t.Errorf("escape sequence reached the table with NO_COLOR:\n%q", stdout)
	}
	lines := strings.Split(stdout, "\n")
	var crit, ok int
	for i, l := range lines {
		if strings.HasPrefix(l, "✗ CRITICAL") {
			crit = i
		}
		if strings.HasPrefix(l, "✓ OK") {
			ok = i
		}
	}
	if crit == 0 || ok == 0 || crit > ok {
		t.Errorf("want the CRITICAL row before the OK row:\n%s", stdout)
	}
}

func TestValidate(t *testing.T) {
	good := writeConfig(t, tcpAsset("db", 5432))
	stdout, stderr, code := runBin(t, nil, "validate", "-c", good)
	if code != 0 || !strings.Contains(stdout, "OK, 1 asset (1 technical, 0 application), 1 check, 0 services") {
		t.Errorf("good config: exit %d\n%s%s", code, stdout, stderr)
	}
	bad := writeConfig(t, `[defaults]
interval = "soon"

[[asset]]
name = "a"
parents = ["nope"]
bogus = 1
`)
	_, stderr, code = runBin(t, nil, "validate", "-c", bad)
	if code != 1 {
		t.Fatalf("bad config: exit %d, want 1\n%s", code, stderr)
	}
	for _, want := range []string{bad + ":2:", bad + ":6:", bad + ":7:"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	_, stderr, code = runBin(t, nil, "validate", "-c", filepath.Join(t.TempDir(), "missing.toml"))
	if code != 1 || !strings.Contains(stderr, "missing.toml") {
		t.Errorf("missing file: exit %d\n%s", code, stderr)
	}
}

func TestInitWritesValidConfig(t *testing.T) {
	path := filepath.Join(t.TempDir(), "starter.toml")
	stdout, stderr, code := runBin(t, nil, "init", path)
	if code != 0 {
		t.Fatalf("init: exit %d\n%s%s", code, stdout, stderr)
	}
	if strings.Contains(stdout, "(s)") || !strings.Contains(stdout, "this host, ") {
		t.Errorf("init's summary: %q", stdout)
	}
	_, stderr, code = runBin(t, nil, "validate", "-c", path)
	if code != 0 {
		t.Fatalf("starter config invalid:\n%s", stderr)
	}
	_, stderr, code = runBin(t, nil, "init", path)
	if code != 1 || !strings.Contains(stderr, "exists") {
		t.Errorf("second init: exit %d, want 1 and a refusal\n%s", code, stderr)
	}
}

func TestHeadlessLogsAndStopsOnSignal(t *testing.T) {
	path := writeConfig(t, `
[defaults]
interval = "200ms"
timeout = "100ms"
retries = 1
`+tcpAsset("db", listening(t))+tcpAsset("cache", closedPort(t)))
	h := startHeadless(t, path)
	h.waitLine(t, "a CRITICAL state change logged for cache", func(l logLine) bool {
		if !l.JSON {
			t.Fatalf("not one JSON object per line: %q", l.Text)
		}
		return l.Asset == "cache" && l.To == "CRITICAL"
	})
	h.signal(t, syscall.SIGTERM)
	if code, _ := h.wait(t); code != 0 {
		t.Fatalf("after SIGTERM: exit %d, want 0\n%s", code, h.log())
	}
}

func TestVersion(t *testing.T) {
	stdout, _, code := runBin(t, nil, "version")
	if code != 0 || !strings.Contains(stdout, "noctop") || !strings.Contains(stdout, "go1.") {
		t.Errorf("version: exit %d\n%s", code, stdout)
	}
}

// TestDemoLabOnlyAndCheck runs the lab as a user would, checks it once
// through the written config, and stops the lab with a signal.
func TestDemoLabOnlyAndCheck(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lab.toml")
	lab := exec.Command(binPath, "demo", "--lab-only", "--write-config", path)
	out, err := lab.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := lab.Start(); err != nil {
		t.Fatal(err)
	}
	defer lab.Process.Kill()
	sc := bufio.NewScanner(out)
	if !sc.Scan() || !strings.Contains(sc.Text(), path) {
		t.Fatalf("lab did not announce its config: %q", sc.Text())
	}
	stdout, stderr, code := runBin(t, nil, "check", "-c", path, "--json")
	if code != 2 {
		t.Fatalf("check on the lab: exit %d, want 2 (dms fails on purpose)\n%s\n%s", code, stdout, stderr)
	}
	var rep struct {
		Assets []struct {
			Name, Status string
			Checks       []struct{ Name, Status, Summary string }
		}
		Services []struct{ Name, Status string }
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, a := range rep.Assets {
		for _, c := range a.Checks {
			got[a.Name+"/"+c.Name] = c.Status
		}
	}
	for key, want := range map[string]string{
		"web-shop/health":    "OK",
		"dms/search-api":     "CRITICAL",
		"erp/reports":        "WARNING",
		"portal/legacy-cert": "WARNING",
		"portal/cert":        "OK",
		"mail-gw/echo":       "OK",
		"lab-dns/mx":         "OK",
		"core-sw1/mgmt":      "OK",
		"erp/link-crm":       "OK",
	} {
		if got[key] != want {
			t.Errorf("%s = %q, want %s", key, got[key], want)
		}
	}
	// The written config has the demo's change step: the CRM's version read
	// from its header, ERP linked to it with a link check.
	cfg, err := model.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	var crmCapture *model.VersionCapture
	var erpLinks []string
	for _, a := range cfg.Assets {
		switch a.Name {
		case "crm":
			crmCapture = a.Checks[0].VersionCapture
		case "erp":
			erpLinks = a.Links
		}
	}
	if crmCapture == nil || crmCapture.Header != "X-App-Version" || !slices.Equal(erpLinks, []string{"crm"}) {
		t.Errorf("written config: crm capture %+v, erp links %v", crmCapture, erpLinks)
	}
	if err := lab.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := lab.Wait(); err != nil {
		t.Errorf("lab after SIGTERM: %v, want exit 0", err)
	}
}
