package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"noctop/lab"
)

// TestDiscoverCommandLab runs `noctop discover` against the lab as a user
// would: -o writes a config `validate` passes, --merge appends to a
// hand-written one and keeps its bytes, and `topology` prints the tree and
// flags a configured parent LLDP contradicts.
func TestDiscoverCommandLab(t *testing.T) {
	l, err := lab.Start(t.Context(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	dir := t.TempDir()
	port := strconv.Itoa(l.SNMPPort())
	out := filepath.Join(dir, "found.toml")
	_, stderr, code := runBin(t, nil, "discover", "127.0.1.0/24", "--port", port, "--timeout", "500ms", "-o", out)
	if code != 0 {
		t.Fatalf("discover: exit %d\n%s", code, stderr)
	}
	for _, want := range []string{
		"swept 254 addresses: 254 answered ping, 6 answered SNMP (248 silent, 0 SNMPv3 only, 0 v3 refused, 0 garbage)",
		"by kind: 1 UPS, 1 access point, 1 printer, 3 switch",
		"parents: 3 from LLDP, 2 from bridge FDB",
		"127.0.1.7-127.0.1.254 (248 hosts): no SNMP answer (UDP port " + port + " closed)",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("discover's report lacks %q:\n%s", want, stderr)
		}
	}
	if stdout, stderr, code := runBin(t, nil, "validate", "-c", out); code != 0 || !strings.Contains(stdout, "OK, 6 assets") {
		t.Errorf("validate the written config: exit %d\n%s%s", code, stdout, stderr)
	}
	// Its checks run and pass against the lab, but for the printer's low
	// toner (lab.LowTonerPct): one WARNING, exit 1.
	if stdout, stderr, code := runBin(t, nil, "check", "-c", out); code != 1 || !strings.Contains(stdout, "(exit 1): 1 warning") ||
		!strings.Contains(stdout, "toner Yellow") {
		t.Errorf("check the written config: exit %d, want 1 with the printer's toner only\n%s%s", code, stdout, stderr)
	}

	site := filepath.Join(dir, "site.toml")
	hand := "# by hand\n[[asset]]\nname = \"core\"   # mine\nlayer = \"technical\"\naddress = \"127.0.1.1\"\n\n  [[asset.check]]\n  type = \"snmp\"\n  port = " + port + "\n" +
		"\n[[asset]]\nname = \"acc-sw2\"\nlayer = \"technical\"\naddress = \"127.0.1.3\"\nparents = [\"core\"]\n\n  [[asset.check]]\n  type = \"snmp\"\n  port = " + port + "\n"
	if err := os.WriteFile(site, []byte(hand), 0o600); err != nil {
		t.Fatal(err)
	}
	_, stderr, code = runBin(t, nil, "discover", "127.0.1.0/24", "--port", port, "--timeout", "500ms", "--merge", site)
	if code != 0 || !strings.Contains(stderr, "merge: 4 added, 2 already in "+site) {
		t.Fatalf("discover --merge: exit %d\n%s", code, stderr)
	}
	merged, err := os.ReadFile(site)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(merged), hand) {
		t.Fatalf("hand-written part changed:\n%s", merged)
	}
	if st, err := os.Stat(site); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("merged file mode: %v %v", st.Mode(), err)
	}
	if stdout, stderr, code := runBin(t, nil, "validate", "-c", site); code != 0 || !strings.Contains(stdout, "OK, 6 assets") {
		t.Errorf("validate the merged config: exit %d\n%s%s", code, stdout, stderr)
	}
	stdout, stderr, code := runBin(t, nil, "topology", "-c", site)
	if code != 0 || !strings.Contains(stdout, "acc-sw2 (127.0.1.3)  ✓ parent from LLDP: acc-sw2 port 24 sees core") {
		t.Errorf("topology of the merged config: exit %d\n%s%s", code, stdout, stderr)
	}

	// acc-sw2 configured under acc-sw1: LLDP says core-sw1.
	wrong := strings.Replace(string(merged), "parents = [\"core\"]", "parents = [\"acc-sw1\"]", 1)
	if err := os.WriteFile(site, []byte(wrong), 0o600); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code = runBin(t, nil, "topology", "-c", site)
	if code != 1 || !strings.Contains(stdout, "1 configured parent(s) contradict LLDP:\n  acc-sw2: configured parents [acc-sw1]; parent from LLDP: acc-sw2 port 24 sees core") {
		t.Errorf("topology with a wrong parent: exit %d\n%s%s", code, stdout, stderr)
	}
}

func TestDiscoverCommandRefusesLargeRanges(t *testing.T) {
	_, stderr, code := runBin(t, nil, "discover", "10.0.0.0/15")
	if code != 1 || !strings.Contains(stderr, "131070 addresses: ranges larger than a /16; give --yes to sweep them") {
		t.Errorf("a /15 without --yes: exit %d\n%s", code, stderr)
	}
	_, stderr, code = runBin(t, nil, "discover", "10.0.0.1/24")
	if code != 1 || !strings.Contains(stderr, `range 1 "10.0.0.1/24": host bits set: did you mean 10.0.0.0/24?`) {
		t.Errorf("host bits: exit %d\n%s", code, stderr)
	}
}

// TestDiscoverProgressOnTerminal: on a terminal discover draws one
// progress line with counts (the sweep slowed to 40 pings a second so the
// pane shows it), clears it at the end, and prints the config to stdout
// without -o.
func TestDiscoverProgressOnTerminal(t *testing.T) {
	tm := newTmuxTerm(t)
	out := filepath.Join(tm.dir, "out.toml")
	tm.tmux("send-keys", "-t", "t", binPath+" discover 127.0.3.0/24 --port 9 --rate 40 > "+out+"; echo \"exit=$?\"", "Enter")
	tm.waitScreen("alive", "the ping progress line")
	screen := tm.screen()
	if !strings.Contains(screen, "ping [") || !strings.Contains(screen, "/254 · ") {
		t.Errorf("progress line:\n%s", screen)
	}
	tm.waitScreen("exit=0", "discover's end")
	screen = tm.screen()
	if strings.Contains(screen, "ping [") || strings.Contains(screen, "snmp [") ||
		!strings.Contains(screen, "127.0.3.1-127.0.3.254 (254 hosts): no SNMP answer (UDP port 9 closed)") {
		t.Errorf("final screen:\n%s", screen)
	}
	b, err := os.ReadFile(out)
	if err != nil || !strings.HasPrefix(string(b), "# noctop config written by `noctop discover 127.0.3.0/24`") {
		t.Errorf("stdout: %v\n%s", err, b)
	}
}

// TestDiscoverRunningDemoLab: `noctop demo --lab-only` says how to
// discover its SNMP devices, and that command finds them with their kinds
// and LLDP/FDB parents.
func TestDiscoverRunningDemoLab(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lab.toml")
	demo := exec.Command(binPath, "demo", "--lab-only", "--write-config", path)
	out, err := demo.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := demo.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = demo.Process.Kill(); _ = demo.Wait() }()
	sc := bufio.NewScanner(out)
	var hint string
	for i := 0; i < 3 && sc.Scan(); i++ {
		if _, cmd, ok := strings.Cut(sc.Text(), "discover its SNMP devices: noctop "); ok {
			hint = cmd
		}
	}
	if hint == "" {
		t.Fatal("the lab did not say how to discover it")
	}
	found := filepath.Join(t.TempDir(), "found.toml")
	_, stderr, code := runBin(t, nil, append(strings.Fields(hint), "-o", found)...)
	if code != 0 || !strings.Contains(stderr, "by kind: 1 UPS, 1 access point, 1 printer, 3 switch") {
		t.Fatalf("%s: exit %d\n%s", hint, code, stderr)
	}
	b, err := os.ReadFile(found)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"# parent from LLDP: acc-sw1 port 24 sees core-sw1\nparents = [\"core-sw1\"]",
		"# parent from LLDP: ap1 port 1 sees acc-sw1\nparents = [\"acc-sw1\"]",
		"name = \"printer1\"\nlayer = \"technical\"\nkind = \"printer\"",
	} {
		if !strings.Contains(string(b), want) {
			t.Errorf("discovered config lacks %q:\n%s", want, b)
		}
	}
}

// TestTopologyTree: the tree of configured parents, LLDP's agreement on
// each, and an asset whose agent does not answer said as such (not a
// contradiction).
func TestTopologyTree(t *testing.T) {
	l, err := lab.Start(t.Context(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	port := strconv.Itoa(l.SNMPPort())
	snmp := "\n  [[asset.check]]\n  type = \"snmp\"\n  port = " + port + "\n  timeout = \"1s\"\n\n"
	cfg := "[[asset]]\nname = \"gw\"\nlayer = \"technical\"\nkind = \"router\"\naddress = \"127.0.0.1\"\n\n" +
		"[[asset]]\nname = \"core-sw1\"\nlayer = \"technical\"\nkind = \"switch\"\naddress = \"127.0.1.1\"\nparents = [\"gw\"]\n" + snmp +
		"[[asset]]\nname = \"acc-sw1\"\nlayer = \"technical\"\naddress = \"127.0.1.2\"\nparents = [\"core-sw1\"]\n" + snmp +
		"[[asset]]\nname = \"ap1\"\nlayer = \"technical\"\naddress = \"127.0.1.6\"\nparents = [\"acc-sw1\"]\n" + snmp +
		"[[asset]]\nname = \"ghost\"\nlayer = \"technical\"\naddress = \"127.0.1.250\"\nparents = [\"core-sw1\"]\n" + snmp
	path := filepath.Join(t.TempDir(), "site.toml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := runBin(t, nil, "topology", "-c", path)
	want := "gw (router, 127.0.0.1)\n" +
		"└─ core-sw1 (switch, 127.0.1.1)\n" +
		"   ├─ acc-sw1 (127.0.1.2)  ✓ parent from LLDP: acc-sw1 port 24 sees core-sw1\n" +
		"   │  └─ ap1 (127.0.1.6)  ✓ parent from LLDP: ap1 port 1 sees acc-sw1\n" +
		"   └─ ghost (127.0.1.250)  ? no LLDP data: no SNMP answer (UDP port " + port + " closed)\n"
	if code != 0 || stdout != want {
		t.Errorf("topology: exit %d\n%s\nwant:\n%s\n%s", code, stdout, want, stderr)
	}
}
