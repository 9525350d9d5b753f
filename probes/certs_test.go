package probes

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"noctop/model"
)

// A tls check and an https check against real loopback servers whose
// leaf is issued by an intermediate report every certificate: the leaf,
// the intermediate and (verified) the root, with their expiry and
// fingerprint, as the server really sent them.
func TestCertsReported(t *testing.T) {
	l := startLab(t)
	n := &Net{}
	interEnd := time.Now().Add(40 * 24 * time.Hour).Truncate(time.Second)
	inter, err := l.CA().Intermediate("lab issuing CA", interEnd)
	if err != nil {
		t.Fatal(err)
	}
	leafEnd := time.Now().Add(12 * 24 * time.Hour).Truncate(time.Second)
	leaf, err := inter.Issue(time.Now().Add(-time.Hour), leafEnd, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	fp := sha256.Sum256(leaf.Certificate[0])
	want := []model.Cert{
		{Subject: "CN=127.0.0.1", Issuer: "CN=lab issuing CA,O=noctop lab", NotAfter: leafEnd.UTC(), Fingerprint: hex.EncodeToString(fp[:])},
		{Subject: "CN=lab issuing CA,O=noctop lab", Issuer: "CN=noctop lab CA,O=noctop lab", NotAfter: interEnd.UTC()},
		{Subject: "CN=noctop lab CA,O=noctop lab", Issuer: "CN=noctop lab CA,O=noctop lab", NotAfter: l.CA().Cert.NotAfter.UTC()},
	}
	check := func(name string, got []model.Cert, want []model.Cert) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("%s: %d certs, want %d: %+v", name, len(got), len(want), got)
		}
		for i := range want {
			g, w := got[i], want[i]
			if g.Subject != w.Subject || g.Issuer != w.Issuer || !g.NotAfter.Equal(w.NotAfter) || len(g.Fingerprint) != 64 ||
				(w.Fingerprint != "" && g.Fingerprint != w.Fingerprint) {
				t.Errorf("%s: cert %d = %+v\nwant %+v", name, i, g, w)
			}
		}
	}

	o := run(t, n.PrepareTLS, tlsTarget(serveTLS(t, leaf), model.Check{CAFile: l.CAFile()}), 5*time.Second)
	check("tls verified", o.Certs, want)
	o = run(t, n.PrepareTLS, tlsTarget(serveTLS(t, leaf), model.Check{InsecureSkipVerify: true}), 5*time.Second)
	check("tls as sent", o.Certs, want[:2])

	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	srv.TLS = tlsConfigFor(leaf)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	defer srv.Close()
	c := httpCheck(srv.URL)
	c.CAFile = l.CAFile()
	o = run(t, n.PrepareHTTP, httpTarget(c), 5*time.Second)
	expect(t, o, model.StatusOK, `HTTP 200 in [0-9.]+ ms`)
	check("https", o.Certs, want)

	// A failed verification still shows what the server sent.
	o = run(t, n.PrepareHTTP, httpTarget(httpCheck(srv.URL)), 5*time.Second)
	if o.Status != model.StatusCritical {
		t.Errorf("unverified https = %v %q", o.Status, o.Summary)
	}
	if len(o.Certs) > 0 {
		check("https unverified", o.Certs, want[:len(o.Certs)])
	}

	// Plain http reports none.
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer plain.Close()
	if o := run(t, n.PrepareHTTP, httpTarget(httpCheck(plain.URL)), 5*time.Second); o.Certs != nil {
		t.Errorf("plain http certs = %+v", o.Certs)
	}
}

// A chain longer than model.MaxCerts is cut.
func TestSeenCertsBounded(t *testing.T) {
	l := startLab(t)
	long := strings.Repeat("x", 60)
	cert, err := l.CA().Issue(time.Now().Add(-time.Hour), time.Now().Add(time.Hour), long)
	if err != nil {
		t.Fatal(err)
	}
	certs := make([]*x509.Certificate, 0, 15)
	for range 15 {
		certs = append(certs, cert.Leaf)
	}
	got := seenCerts(certs)
	if len(got) != model.MaxCerts || got[0].Subject != "CN="+long {
		t.Errorf("got %d certs, first %+v", len(got), got[0])
	}
}
