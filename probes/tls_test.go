package probes

import (
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"net"
	"regexp"
	"strconv"
	"testing"
	"time"

	"noctop/lab"
	"noctop/model"
)

func tlsConfigFor(cert tls.Certificate) *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{cert}}
}

// serveTLS runs a TLS server on loopback that completes handshakes and
// then hangs up.
func serveTLS(t *testing.T, cert tls.Certificate) string {
	t.Helper()
	cfg := tlsConfigFor(cert)
	addr := serveTCP(t, func(c net.Conn) {
		defer c.Close()
		tc := tls.Server(c, cfg)
		tc.SetDeadline(time.Now().Add(5 * time.Second))
		tc.Handshake()
	})
	return addr.String()
}

func tlsTarget(addr string, c model.Check) Target {
	host, port, _ := net.SplitHostPort(addr)
	c.Type = model.CheckTLS
	c.Port, _ = strconv.Atoi(port)
	return target(model.Asset{Name: "portal", Address: host}, c)
}

func TestTLSValid(t *testing.T) {
	l := startLab(t)
	n := &Net{}
	addr := l.TLSAddr(lab.CertValid)
	o := run(t, n.PrepareTLS, tlsTarget(addr, model.Check{ServerName: lab.PortalName, CAFile: l.CAFile()}), 5*time.Second)
	expect(t, o, model.StatusOK, `certificate valid 36[45] d until [0-9-]{10}, issuer noctop lab CA`)

	// The facts match what the server really sends.
	conn, err := tls.Dial("tcp", addr, &tls.Config{RootCAs: l.CA().Pool(), ServerName: lab.PortalName})
	if err != nil {
		t.Fatal(err)
	}
	leaf := conn.ConnectionState().PeerCertificates[0]
	conn.Close()
	fp := sha256.Sum256(leaf.Raw)
	want := map[string]string{
		"fingerprint": hex.EncodeToString(fp[:]),
		"issuer":      "CN=noctop lab CA,O=noctop lab",
		"subject":     "CN=" + lab.PortalName,
		"not_after":   leaf.NotAfter.UTC().Format(time.RFC3339),
		"verified":    "ok",
		"tls_version": "TLS 1.3",
	}
	for k, v := range want {
		if o.Attrs[k] != v {
			t.Errorf("attr %s = %q, want %q", k, o.Attrs[k], v)
		}
	}
	if o.Metrics["cert_days_left"] != o.Metrics["chain_days_left"] || o.Metrics["handshake_ms"] <= 0 {
		t.Errorf("metrics = %v", o.Metrics)
	}

	// Without SNI the address itself is checked: the certificate has the IP.
	expect(t, run(t, n.PrepareTLS, tlsTarget(addr, model.Check{CAFile: l.CAFile()}), 5*time.Second), model.StatusOK,
		`certificate valid 36[45] d until [0-9-]{10}, issuer noctop lab CA`)
}

func TestTLSNearExpiry(t *testing.T) {
	l := startLab(t)
	n := &Net{}
	addr := l.TLSAddr(lab.CertExpiring)
	// Defaults: warn 30, crit 7 days; 5 days left is CRITICAL.
	o := run(t, n.PrepareTLS, tlsTarget(addr, model.Check{ServerName: lab.LegacyName, CAFile: l.CAFile()}), 5*time.Second)
	expect(t, o, model.StatusCritical, `days left 5 d <= crit 7 d — not after [0-9-]{10}`)
	if o.Metrics["cert_days_left"] != 5 {
		t.Errorf("cert_days_left = %v", o.Metrics["cert_days_left"])
	}
	w, c := 14.0, 3.0
	o = run(t, n.PrepareTLS, tlsTarget(addr, model.Check{ServerName: lab.LegacyName, CAFile: l.CAFile(), Days: &model.Limits{Warn: &w, Crit: &c}}), 5*time.Second)
	expect(t, o, model.StatusWarning, `days left 5 d <= warn 14 d — not after [0-9-]{10}`)
}

func TestTLSBadCertificates(t *testing.T) {
	l := startLab(t)
	n := &Net{}

	// Hostname mismatch: the reason names what the certificate is valid for.
	o := run(t, n.PrepareTLS, tlsTarget(l.TLSAddr(lab.CertWrongHost), model.Check{ServerName: lab.PortalName, CAFile: l.CAFile()}), 5*time.Second)
	expect(t, o, model.StatusCritical, `TLS: certificate is valid for other\.lab\.noctop\.test, not portal\.lab\.noctop\.test`)
	if o.Attrs["subject"] != "CN="+lab.OtherName || o.Attrs["verified"] != "failed" || o.Metrics["cert_days_left"] < 360 {
		t.Errorf("a failed verification still reports the facts: attrs = %v, metrics = %v", o.Attrs, o.Metrics)
	}

	// Unknown authority: no ca_file, the system roots do not know the lab.
	o = run(t, n.PrepareTLS, tlsTarget(l.TLSAddr(lab.CertValid), model.Check{ServerName: lab.PortalName}), 5*time.Second)
	expect(t, o, model.StatusCritical, `TLS: certificate signed by unknown authority \(issuer noctop lab CA\)`)

	// insecure_skip_verify: no chain check, but expiry still counts.
	o = run(t, n.PrepareTLS, tlsTarget(l.TLSAddr(lab.CertWrongHost), model.Check{ServerName: lab.PortalName, InsecureSkipVerify: true}), 5*time.Second)
	expect(t, o, model.StatusOK, `certificate valid 36[45] d until [0-9-]{10}, issuer noctop lab CA`)
	if o.Attrs["verified"] != "skipped (insecure_skip_verify)" {
		t.Errorf("verified = %q", o.Attrs["verified"])
	}

	expired, err := l.CA().Issue(time.Now().AddDate(0, 0, -90), time.Now().Add(-3*24*time.Hour-time.Hour), "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	addr := serveTLS(t, expired)
	o = run(t, n.PrepareTLS, tlsTarget(addr, model.Check{CAFile: l.CAFile()}), 5*time.Second)
	expect(t, o, model.StatusCritical, `TLS: certificate expired [0-9-]{10} \(3 d ago\)`)
	if o.Metrics["cert_days_left"] != -4 {
		t.Errorf("cert_days_left = %v, want -4 (3 d and 1 h ago)", o.Metrics["cert_days_left"])
	}
	o = run(t, n.PrepareTLS, tlsTarget(addr, model.Check{InsecureSkipVerify: true}), 5*time.Second)
	expect(t, o, model.StatusCritical, `TLS: certificate expired [0-9-]{10} \(3 d ago\)`)

	notYet, err := l.CA().Issue(time.Now().AddDate(0, 0, 2), time.Now().AddDate(1, 0, 0), "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	o = run(t, n.PrepareTLS, tlsTarget(serveTLS(t, notYet), model.Check{CAFile: l.CAFile()}), 5*time.Second)
	expect(t, o, model.StatusCritical, `TLS: certificate not valid before [0-9-]{10}`)
}

// TestTLSChain: an intermediate that expires before the leaf sets
// chain_days_left, and the thresholds apply to it too.
func TestTLSChain(t *testing.T) {
	l := startLab(t)
	n := &Net{}
	inter, err := l.CA().Intermediate("lab issuing CA", time.Now().Add(10*24*time.Hour+time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := inter.Issue(time.Now().Add(-time.Hour), time.Now().Add(9*24*time.Hour+2*time.Hour), "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	addr := serveTLS(t, leaf)
	o := run(t, n.PrepareTLS, tlsTarget(addr, model.Check{CAFile: l.CAFile()}), 5*time.Second)
	expect(t, o, model.StatusWarning, `days left 9 d <= warn 30 d — not after [0-9-]{10}`)
	if o.Metrics["cert_days_left"] != 9 || o.Metrics["chain_days_left"] != 9 {
		t.Errorf("metrics = %v", o.Metrics)
	}
	w, c := 9.5, 1.0
	leaf2, err := inter.Issue(time.Now().Add(-time.Hour), time.Now().AddDate(1, 0, 0), "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	o = run(t, n.PrepareTLS, tlsTarget(serveTLS(t, leaf2), model.Check{CAFile: l.CAFile(), Days: &model.Limits{Warn: &w, Crit: &c}}), 5*time.Second)
	expect(t, o, model.StatusOK, `certificate valid 36[45] d until [0-9-]{10}, issuer lab issuing CA`)
	if o.Metrics["chain_days_left"] != 10 {
		t.Errorf("chain_days_left = %v, want 10 (the intermediate)", o.Metrics["chain_days_left"])
	}
	w = 11
	o = run(t, n.PrepareTLS, tlsTarget(serveTLS(t, leaf2), model.Check{CAFile: l.CAFile(), Days: &model.Limits{Warn: &w, Crit: &c}}), 5*time.Second)
	expect(t, o, model.StatusWarning, `chain days left \(lab issuing CA\) 10 d <= warn 11 d — not after [0-9-]{10}`)
}

func TestTLSConnectionErrors(t *testing.T) {
	l := startLab(t)
	n := &Net{Resolver: l.Resolver()}
	host, port := closedPort(t)
	addr := net.JoinHostPort(host, strconv.Itoa(port))
	expect(t, run(t, n.PrepareTLS, tlsTarget(addr, model.Check{}), 5*time.Second), model.StatusCritical, `connection refused by `+regexp.QuoteMeta(addr))

	// A plain-text service on the port.
	expect(t, run(t, n.PrepareTLS, tlsTarget(l.TCPAddr(), model.Check{}), 5*time.Second), model.StatusCritical,
		`TLS: server did not answer with TLS \(plain-text service\?\)`)

	// A server that accepts and never speaks.
	mute := serveTCP(t, silent)
	expect(t, run(t, n.PrepareTLS, tlsTarget(mute.String(), model.Check{}), 200*time.Millisecond), model.StatusCritical,
		`timeout after 200ms in TLS handshake`)

	// Reset during the handshake.
	rst := serveTCP(t, resetting(true))
	expect(t, run(t, n.PrepareTLS, tlsTarget(rst.String(), model.Check{}), 5*time.Second), model.StatusCritical, `connection reset by peer`)

	// By name through the lab DNS, and a name it does not know.
	_, p, _ := net.SplitHostPort(l.TLSAddr(lab.CertValid))
	expect(t, run(t, n.PrepareTLS, tlsTarget(lab.PortalName+":"+p, model.Check{CAFile: l.CAFile()}), 5*time.Second), model.StatusOK,
		`certificate valid 36[45] d until [0-9-]{10}, issuer noctop lab CA`)
	expect(t, run(t, n.PrepareTLS, tlsTarget("nope."+lab.Zone+":"+p, model.Check{}), 5*time.Second), model.StatusCritical,
		`cannot resolve nope\.lab\.noctop\.test: no such host`)

	expect(t, run(t, n.PrepareTLS, tlsTarget(addr, model.Check{CAFile: "/nonexistent.pem"}), time.Second), model.StatusUnknown,
		`ca_file: stat /nonexistent.pem: no such file or directory`)
	tg := tlsTarget(addr, model.Check{})
	tg.Check.Port = 70000
	expect(t, run(t, n.PrepareTLS, tg, time.Second), model.StatusUnknown, `port: want 1 to 65535, got 70000`)
}
