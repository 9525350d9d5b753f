package main

import (
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"syscall"
	"testing"
	"time"

	"noctop/lab"
)

// serveChain serves TLS on loopback with a leaf that an intermediate
// issued, until the test ends; it returns the port, the CA file and the
// leaf's fingerprint.
func serveChain(t *testing.T, leafLeft time.Duration) (int, string, string) {
	t.Helper()
	root, err := lab.NewCA("renewals root")
	if err != nil {
		t.Fatal(err)
	}
	inter, err := root.Intermediate("renewals issuing", time.Now().AddDate(2, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := inter.Issue(time.Now().Add(-time.Hour), time.Now().Add(leafLeft), "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, root.PEM, 0o644); err != nil {
		t.Fatal(err)
	}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{leaf}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				c.SetDeadline(time.Now().Add(5 * time.Second))
				c.(*tls.Conn).Handshake()
			}()
		}
	}()
	fp := sha256.Sum256(leaf.Certificate[0])
	return ln.Addr().(*net.TCPAddr).Port, caFile, hex.EncodeToString(fp[:])
}

type renewalsJSON struct {
	Status     string `json:"status"`
	WithinDays *int   `json:"within_days"`
	Items      []struct {
		Asset  string `json:"asset"`
		Kind   string `json:"kind"`
		What   string `json:"what"`
		Date   string `json:"date"`
		Days   int    `json:"days_left"`
		Status string `json:"status"`
		Owner  string `json:"owner"`
		Check  string `json:"check"`
		Cert   *struct {
			Subject     string    `json:"subject"`
			Issuer      string    `json:"issuer"`
			NotAfter    time.Time `json:"not_after"`
			Fingerprint string    `json:"fingerprint"`
		} `json:"certificate"`
	} `json:"items"`
}

// A monitor registers the certificates its tls check saw (leaf, issuing
// CA, root) as a lifecycle state event; `noctop renewals --json` then
// lists them from the store beside the config's dates, soonest first,
// and exits 2 for the CRITICAL ones; --within leaves out what is far.
func TestRenewalsFromStore(t *testing.T) {
	port, caFile, leafFP := serveChain(t, 12*24*time.Hour+time.Hour)
	day := func(d int) string { return time.Now().AddDate(0, 0, d).Format(time.DateOnly) }
	cfg := writeConfig(t, fmt.Sprintf(`[defaults]
interval = "1s"
timeout = "900ms"

[[asset]]
name = "portal"
address = "127.0.0.1"
lifecycle = { warranty_end = %s, licence_expiry = %s, licence = "CMS", owner = "web team" }

  [[asset.check]]
  type = "tls"
  port = %d
  ca_file = %q

[[asset]]
name = "sw"
address = "127.0.0.1"
lifecycle = { eol = %s, owner = "netops" }
`, day(200), day(60), port, caFile, day(-3)))

	run := startHeadless(t, cfg)
	run.waitLine(t, "the lifecycle check turning CRITICAL on the certificate", func(l logLine) bool {
		return l.Asset == "portal" && l.Check == "lifecycle" && l.To == "CRITICAL"
	})
	run.signal(t, syscall.SIGTERM)
	if code, _ := run.wait(t); code != 0 {
		t.Fatalf("monitor exit %d:\n%s", code, run.log())
	}

	stdout, stderr, code := runBin(t, nil, "renewals", "--json", "-c", cfg)
	var rep renewalsJSON
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil || code != 2 || stderr != "" {
		t.Fatalf("renewals: exit %d, %v\n%s\n%s", code, err, stdout, stderr)
	}
	if rep.Status != "CRITICAL" || rep.WithinDays != nil || len(rep.Items) != 6 {
		t.Fatalf("report: %+v", rep)
	}
	want := []struct{ asset, kind, status string }{
		{"sw", "eol", "CRITICAL"}, {"portal", "certificate", "CRITICAL"}, {"portal", "licence", "WARNING"},
		{"portal", "warranty", "OK"}, {"portal", "certificate", "OK"}, {"portal", "certificate", "OK"},
	}
	for i, w := range want {
		it := rep.Items[i]
		if it.Asset != w.asset || it.Kind != w.kind || it.Status != w.status {
			t.Errorf("item %d = %+v, want %v", i, it, w)
		}
	}
	leaf := rep.Items[1]
	if leaf.Cert == nil || leaf.Cert.Fingerprint != leafFP || leaf.Cert.Subject != "CN=127.0.0.1" ||
		leaf.Cert.Issuer != "CN=renewals issuing,O=noctop lab" || leaf.Days != 12 || leaf.Check != "tls" || leaf.Owner != "web team" {
		t.Errorf("leaf = %+v %+v", leaf, leaf.Cert)
	}
	if it := rep.Items[0]; it.Days != -3 || it.Date != day(-3) || it.What != "end of life" {
		t.Errorf("eol = %+v", it)
	}
	if it := rep.Items[2]; it.What != "licence CMS" || it.Days != 60 {
		t.Errorf("licence = %+v", it)
	}

	stdout, _, code = runBin(t, nil, "renewals", "--json", "--within", "100d", "-c", cfg)
	rep = renewalsJSON{}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil || code != 2 || len(rep.Items) != 3 || *rep.WithinDays != 100 {
		t.Fatalf("--within 100d: exit %d, %v, %+v", code, err, rep)
	}

	// The table says the same; a bad --within is exit 3.
	stdout, _, code = runBin(t, nil, "renewals", "-c", cfg)
	if code != 2 || !regexpMatch(`(?m)^✗ CRITICAL +12  \S+  portal +certificate CN=127\.0\.0\.1 \(tls\) +web team$`, stdout) {
		t.Errorf("table: exit %d\n%s", code, stdout)
	}
	if _, stderr, code := runBin(t, nil, "renewals", "--within", "soon", "-c", cfg); code != 3 || stderr == "" {
		t.Errorf("--within soon: exit %d %q", code, stderr)
	}
}

// Without a database the register lists the config's dates, says the
// certificates are left out, and exits by the worst date.
func TestRenewalsWithoutStore(t *testing.T) {
	cfg := writeConfig(t, fmt.Sprintf("[[asset]]\nname = \"ups\"\nlifecycle = { warranty_end = %s }\n",
		time.Now().AddDate(0, 0, 45).Format(time.DateOnly)))
	stdout, stderr, code := runBin(t, nil, "renewals", "--json", "-c", cfg)
	var rep renewalsJSON
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil || code != 1 || len(rep.Items) != 1 || rep.Items[0].Days != 45 {
		t.Fatalf("exit %d, %v\n%s", code, err, stdout)
	}
	if !regexpMatch(`certificates not listed: store: no database at`, stderr) {
		t.Errorf("stderr %q", stderr)
	}
}

// noctop check shows the lifecycle pseudo-check and its exit code
// follows it.
func TestCheckShowsLifecycle(t *testing.T) {
	cfg := writeConfig(t, fmt.Sprintf("[[asset]]\nname = \"ups\"\naddress = \"127.0.0.1\"\nlifecycle = { eos = %s }\n\n  [[asset.check]]\n  type = \"tcp\"\n  port = %d\n",
		time.Now().AddDate(0, 0, 10).Format(time.DateOnly), listening(t)))
	stdout, _, code := runBin(t, nil, "check", "--json", "-c", cfg)
	var out struct {
		Status string `json:"status"`
		Assets []struct {
			Status string `json:"status"`
			Checks []struct {
				Type, Name, Status, Summary string
			} `json:"checks"`
		} `json:"assets"`
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil || code != 2 || out.Status != "CRITICAL" || len(out.Assets) != 1 {
		t.Fatalf("exit %d %v\n%s", code, err, stdout)
	}
	cs := out.Assets[0].Checks
	if len(cs) != 2 || cs[1].Type != "lifecycle" || cs[1].Status != "CRITICAL" || cs[1].Summary != "end of support ends in 10 d ("+time.Now().AddDate(0, 0, 10).Format(time.DateOnly)+")" {
		t.Fatalf("checks %+v", cs)
	}
}

func regexpMatch(pattern, s string) bool { return regexp.MustCompile(pattern).MatchString(s) }
