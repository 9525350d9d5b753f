package model

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
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

// Bounds of an snmp check's values.
const (
	// minSNMPPassword is the shortest v3 passphrase RFC 3414 allows (and
	// net-snmp refuses shorter ones).
	minSNMPPassword = 8
	// maxSNMPRetries bounds snmp_retries: each try gets a share of the
	// timeout, so more tries only shorten each one.
	maxSNMPRetries = 10
	// maxMaxRepetitions bounds max_repetitions: more rows per GETBULK than
	// fit in one UDP datagram only make agents truncate.
	maxMaxRepetitions = 1000
)

// CheckSNMPVersion refuses an snmp check's version other than "1", "2c"
// or "3".
func CheckSNMPVersion(version string) error {
	if slices.Contains(SNMPVersions(), version) {
		return nil
	}
	return fmt.Errorf("version %q: want \"1\", \"2c\" or \"3\"", version)
}

// CheckSNMPCommunity refuses an empty community (versions 1 and 2c).
func CheckSNMPCommunity(community Secret) error {
	if community.Err() == nil && community.Value() == "" {
		return errors.New("community: must not be empty")
	}
	return nil
}

// CheckSNMPRetries refuses snmp_retries out of 0 to 10.
func CheckSNMPRetries(n int) error {
	if n < 0 || n > maxSNMPRetries {
		return fmt.Errorf("snmp_retries: want 0 to %d, got %d", maxSNMPRetries, n)
	}
	return nil
}

// errNoGetBulk: max_repetitions on an SNMPv1 check.
var errNoGetBulk = errors.New("max_repetitions: SNMPv1 has no GETBULK (use version \"2c\" or \"3\", or remove it)")

// CheckMaxRepetitions refuses max_repetitions out of 1 to 1000, and any on
// SNMPv1, which has no GETBULK (the defaults leave it 0 there).
func CheckMaxRepetitions(version string, n int) error {
	switch {
	case version == "1" && n != 0:
		return errNoGetBulk
	case version != "1" && (n < 1 || n > maxMaxRepetitions):
		return fmt.Errorf("max_repetitions: want 1 to %d, got %d", maxMaxRepetitions, n)
	}
	return nil
}

// CheckSNMPUser refuses an empty SNMPv3 user name and one longer than USM
// allows.
func CheckSNMPUser(user string) error {
	switch {
	case user == "":
		return errors.New("user: must not be empty")
	case len(user) > MaxSNMPUser:
		return fmt.Errorf("user: longer than %d octets, which USM does not allow (RFC 3414)", MaxSNMPUser)
	}
	return nil
}

// CheckSNMPPrivacy refuses a privacy protocol without an authentication
// protocol.
func CheckSNMPPrivacy(authProtocol, privProtocol string) error {
	if privProtocol != "" && authProtocol == "" {
		return errors.New("priv_protocol needs auth_protocol: SNMPv3 has no privacy without authentication")
	}
	return nil
}

// CheckSNMPPassword refuses an SNMPv3 passphrase (key is auth_password or
// priv_password) shorter than RFC 3414 allows. "****" is how Encode writes
// a literal secret; its length says nothing about the password it hides.
func CheckSNMPPassword(key string, pw Secret) error {
	encoded := pw.String() == "****" && pw.Value() == "****" // the literal "****", not env: or file:
	if n := len(pw.Value()); pw.Err() == nil && n < minSNMPPassword && !encoded {
		return fmt.Errorf("%s: want at least %d characters (RFC 3414), got %d", key, minSNMPPassword, n)
	}
	return nil
}

// InterfacePattern compiles an snmp check's interfaces.include or
// interfaces.exclude (key); "" is nil, a filter that does not apply.
func InterfacePattern(key, pattern string) (*regexp.Regexp, error) {
	if pattern == "" {
		return nil, nil
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, fmt.Errorf("interfaces.%s: %w", key, err)
	}
	return re, nil
}

// CheckOIDName refuses the name of an snmp check's custom OID k that is not
// a metric name, or that names a metric snmp checks report themselves.
func CheckOIDName(k int, name string) error {
	switch {
	case !metricName(name):
		return fmt.Errorf("oids.%d.name %q: want a letter, then letters, digits or _ (it is a metric name)", k, name)
	case slices.Contains(SNMPReservedMetrics(), name):
		return fmt.Errorf("oids.%d.name %q is a metric snmp checks report themselves; choose another", k, name)
	}
	return nil
}

// CheckOID refuses the oid of an snmp check's custom OID k that BER cannot
// encode.
func CheckOID(k int, oid string) error {
	if !validOID(oid) {
		return fmt.Errorf("oids.%d.oid %q: want dotted numbers such as \"1.3.6.1.2.1.33.1.2.4.0\"", k, oid)
	}
	return nil
}

// CheckOIDUse refuses a custom OID k that is both compared with expect and
// judged as a number (warn/crit, rate); key is the one to blame.
func CheckOIDUse(k int, o *OIDCheck) (key string, err error) {
	switch {
	case o.Expect != "" && (o.Warn != nil || o.Crit != nil):
		return "expect", fmt.Errorf("oids.%d: expect compares a string, warn/crit judge a number; set one or the other", k)
	case o.Expect != "" && o.Rate:
		return "rate", fmt.Errorf("oids.%d: rate turns a counter into a number per second; it cannot be compared with expect", k)
	}
	return "", nil
}

// metricName reports whether s is a letter followed by letters, digits
// or _.
func metricName(s string) bool {
	for i, r := range s {
		letter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if !letter && (i == 0 || r != '_' && (r < '0' || r > '9')) {
			return false
		}
	}
	return s != ""
}

// validOID reports whether s is a numeric OID BER can encode: at least two
// arcs, the first 0-2, the second below 40 unless the first is 2, each arc
// a 32-bit number.
func validOID(s string) bool {
	arcs := strings.Split(strings.TrimPrefix(s, "."), ".")
	if len(arcs) < 2 {
		return false
	}
	for i, a := range arcs {
		if a == "" || strings.TrimLeft(a, "0123456789") != "" {
			return false // ParseUint would take "+1"
		}
		n, err := strconv.ParseUint(a, 10, 32)
		if err != nil || (i == 0 && n > 2) {
			return false
		}
		if i == 1 && arcs[0] != "2" && n >= 40 {
			return false
		}
	}
	return len(arcs) <= 128 // SNMP's limit on sub-identifiers
}

// CheckProfileName refuses an snmp check's profile that is neither built
// in nor one of custom (the custom profiles loaded).
func CheckProfileName(name string, custom []*CustomProfile) error {
	if IsBuiltinProfile(name) {
		return nil
	}
	known := BuiltinProfiles()
	for _, p := range custom {
		if p.Name == name {
			return nil
		}
		known = append(known, p.Name)
	}
	return fmt.Errorf("profile %q: want one of %s (custom profiles come from [defaults] profiles)", name, strings.Join(known, ", "))
}

// CheckThresholdsHaveProfile refuses thresholds on a check without a
// profile: they are a profile's.
func CheckThresholdsHaveProfile(c *Check) error {
	if c.Profile == "" && len(c.Thresholds) > 0 {
		return fmt.Errorf("thresholds are a profile's; set profile (one of %s, or a custom profile's name)", strings.Join(BuiltinProfiles(), ", "))
	}
	return nil
}

// CheckProfileThreshold refuses an override of threshold name that c's
// profile does not declare, a side out of its range, or a pair (a side
// left out is the profile's default) whose warn is worse than its crit.
func CheckProfileThreshold(c *Check, name string, l *Limits) error {
	limits := c.ProfileLimits()
	i := slices.IndexFunc(limits, func(p ProfileLimit) bool { return p.Name == name })
	if i < 0 {
		names := make([]string, 0, len(limits))
		for _, p := range limits {
			names = append(names, p.Name)
		}
		want := "it has none"
		if len(names) > 0 {
			want = "want one of " + strings.Join(names, ", ")
		}
		return fmt.Errorf("thresholds.%s: profile %q has no such threshold (%s)", Clip(name, MaxNetText), c.Profile, want)
	}
	if l == nil {
		return nil
	}
	p := limits[i]
	for _, side := range []struct {
		name string
		val  *float64
	}{{"warn", l.Warn}, {"crit", l.Crit}} {
		if side.val != nil && (*side.val < p.Lo || *side.val > p.Hi) {
			return fmt.Errorf("thresholds.%s.%s: want %s to %s, got %s", name, side.name,
				FormatValue(p.Lo, p.Unit), FormatValue(p.Hi, p.Unit), FormatValue(*side.val, p.Unit))
		}
	}
	if t := p.Threshold(l); !t.Ordered() {
		hint := "warn must not be above crit"
		if t.Below {
			hint = "this value is bad when low, so warn must not be below crit"
		}
		return fmt.Errorf("thresholds.%s: warn %s is worse than crit %s (%s)", name, FormatValue(t.Warn, t.Unit), FormatValue(t.Crit, t.Unit), hint)
	}
	return nil
}
