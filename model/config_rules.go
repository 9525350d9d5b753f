package model

import (
	"crypto/x509"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strings"
)

// Rules for a check's values that the loader and the probes' prepare step
// both apply: the loader reports a value that breaks one, with its place in
// the file; the prepare step refuses it. One rule in one place, so the two
// accept the same checks.

// MaxICMPCount bounds an icmp check's count.
const MaxICMPCount = 100

// maxCAFile bounds a CA bundle; the system bundle of a distribution is
// about 200 KiB.
const maxCAFile = 16 << 20

// HTTPMethods lists the methods an http check may use.
func HTTPMethods() []string {
	return []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT", "TRACE"}
}

// ParseCheckURL parses an http check's url, which must be http or https
// and name a host.
func ParseCheckURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("url: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("url %q: want http:// or https:// with a host", raw)
	}
	return u, nil
}

// ValidHeaderName reports whether an http check may send a header of that
// name.
func ValidHeaderName(name string) bool {
	return name != "" && !strings.ContainsAny(name, " \t\r\n:")
}

// ValidDNSRecordType reports whether a dns check may query that record
// type (DNSRecordTypes, upper case as the loader stores it).
func ValidDNSRecordType(rtype string) bool { return slices.Contains(DNSRecordTypes(), rtype) }

// CAPool reads ca_file (relative to the working directory), a regular file
// of PEM certificates, and returns the system roots plus every certificate
// in it.
func CAPool(path string) (*x509.CertPool, error) {
	st, err := os.Stat(path)
	if err == nil && (!st.Mode().IsRegular() || st.Size() > maxCAFile) {
		return nil, fmt.Errorf("ca_file %q: not a regular file of at most %d bytes", path, maxCAFile)
	}
	var pem []byte
	if err == nil {
		pem, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("ca_file: %w", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool() // no system roots here: the file's alone
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("ca_file %q: no PEM certificate in it", path)
	}
	return pool, nil
}
