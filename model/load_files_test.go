package model

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeCA writes a self-signed CA certificate as PEM and returns its path.
func writeCA(t *testing.T, dir string) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "noctop test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCAFile(t *testing.T) {
	dir := t.TempDir()
	notPEM := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notPEM, []byte("not a certificate\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	src := func(caFile string) []byte {
		return []byte("[[asset]]\nname = \"web\"\naddress = \"127.0.0.1\"\n[[asset.check]]\ntype = \"tls\"\nca_file = \"" + caFile + "\"\n")
	}
	if _, err := Parse("ok.toml", src(writeCA(t, dir))); err != nil {
		t.Errorf("a PEM CA bundle is refused: %v", err)
	}
	for file, want := range map[string]string{
		notPEM: "no PEM certificate",
		dir:    "not a regular file",
	} {
		_, err := Parse("bad.toml", src(file))
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "bad.toml:6:11: ca_file") || !strings.Contains(err.Error(), want) {
			t.Errorf("ca_file %s: err = %v, want ErrInvalid at 6:11 saying %q", file, err, want)
		}
	}
}

// A file: secret must be a regular file: /dev/stdin or a FIFO would block
// the loader.
func TestSecretFileMustBeRegular(t *testing.T) {
	if s := NewSecret("file:/dev/null"); !errors.Is(s.Err(), ErrSecret) {
		t.Errorf("file:/dev/null: err = %v, want ErrSecret", s.Err())
	}
	path := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(path, []byte("abc\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if s := NewSecret("file:" + path); s.Err() != nil || s.Value() != "abc" || s.String() != "file:"+path {
		t.Errorf("file secret: value %q err %v string %q", s.Value(), s.Err(), s)
	}
}
