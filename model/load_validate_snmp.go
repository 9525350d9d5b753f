package model

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
)

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

// SNMPVersions lists the versions an snmp check may use.
func SNMPVersions() []string { return []string{"1", "2c", "3"} }

// SNMPReservedMetrics are the metric names an snmp check produces itself;
// a custom OID may not take one of them. Per-disk metrics are
// "disk_pct:<name>".
func SNMPReservedMetrics() []string {
	return []string{MetricUptime, MetricIfCount, MetricIfUp, MetricIfDown, MetricIfAdminDown,
		MetricInBps, MetricOutBps, MetricMaxUtil, MetricErrorsRate,
		MetricCPU, MetricMem, MetricDiskMax, MetricResponse}
}

// snmpV3Keys are the keys only SNMPv3 uses.
func snmpV3Keys() []string {
	return []string{"user", "auth_protocol", "auth_password", "priv_protocol", "priv_password", "context"}
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

// snmpBeforeDefaults checks what ApplyDefaults would hide: an empty
// community would become "public".
func (v *validator) snmpBeforeDefaults(base string, a *Asset) {
	for j := range a.Checks {
		c := &a.Checks[j]
		if c.Type != CheckSNMP {
			continue
		}
		path := base + ".check." + strconv.Itoa(j) + ".community"
		if v.ix.has(path) && c.Community.Err() == nil && c.Community.Value() == "" {
			v.errf(path, ErrInvalid, "community: must not be empty")
		}
	}
}

// snmp validates an snmp check after defaults.
func (v *validator) snmp(a *Asset, c *Check, base string) {
	v.needAddress(a, c, base)
	has := func(key string) bool { return v.ix.has(base + "." + key) }
	switch c.Version {
	case "1", "2c":
		for _, k := range snmpV3Keys() {
			if has(k) {
				v.keyErrf(base+"."+k, ErrInvalid, "%s is for SNMPv3 and this check uses version %s (set version = \"3\", or use community)", k, c.Version)
			}
		}
		if c.Version == "1" && has("max_repetitions") {
			v.keyErrf(base+".max_repetitions", ErrInvalid, "max_repetitions: SNMPv1 has no GETBULK (use version \"2c\" or \"3\", or remove it)")
		}
	case "3":
		v.snmpV3(c, base)
	default:
		v.errf(base+".version", ErrInvalid, "version %q: want \"1\", \"2c\" or \"3\"", c.Version)
	}
	if has("snmp_retries") && c.SNMPRetries != nil && (*c.SNMPRetries < 0 || *c.SNMPRetries > maxSNMPRetries) {
		v.errf(base+".snmp_retries", ErrInvalid, "snmp_retries: want 0 to %d, got %d", maxSNMPRetries, *c.SNMPRetries)
	}
	if f := c.Interfaces; f != nil {
		for _, p := range []struct{ key, re string }{{"include", f.Include}, {"exclude", f.Exclude}} {
			if _, err := regexp.Compile(p.re); err != nil {
				v.errf(base+".interfaces."+p.key, ErrInvalid, "interfaces.%s: %v", p.key, err)
			}
		}
	}
	v.limits(base+".utilization", c.Utilization, 0, 100, "%", false)
	v.limits(base+".errors", c.Errors, 0, 1e9, "/min", false)
	for _, k := range []struct {
		key string
		l   *Limits
	}{{"cpu", c.CPU}, {"memory", c.Memory}, {"disk", c.Disk}} {
		v.limits(base+"."+k.key, k.l, 0, 100, "%", false)
	}
	v.snmpOIDs(c, base)
}

func (v *validator) snmpV3(c *Check, base string) {
	has := func(key string) bool { return v.ix.has(base + "." + key) }
	if has("community") {
		v.keyErrf(base+".community", ErrInvalid, "community is for versions 1 and 2c; SNMPv3 uses user, auth_* and priv_*")
	}
	if !has("user") {
		v.errf(base+".version", ErrMissing, "snmp check %q uses version 3 but has no user", c.Name)
	} else if c.User == "" {
		v.errf(base+".user", ErrInvalid, "user: must not be empty")
	} else if len(c.User) > MaxSNMPUser {
		v.errf(base+".user", ErrInvalid, "user: longer than %d octets, which USM does not allow (RFC 3414)", MaxSNMPUser)
	}
	auth := c.AuthProtocol != ""
	if auth {
		if canon, ok := SNMPAuthProtocol(c.AuthProtocol); ok {
			c.AuthProtocol = canon
		} else {
			v.errf(base+".auth_protocol", ErrInvalid, "auth_protocol %q: want one of %s", c.AuthProtocol, strings.Join(SNMPAuthProtocols(), ", "))
		}
	}
	if c.PrivProtocol != "" {
		if canon, ok := SNMPPrivProtocol(c.PrivProtocol); ok {
			c.PrivProtocol = canon
		} else {
			v.errf(base+".priv_protocol", ErrInvalid, "priv_protocol %q: want one of %s", c.PrivProtocol, strings.Join(SNMPPrivProtocols(), ", "))
		}
		if !auth {
			v.keyErrf(base+".priv_protocol", ErrInvalid, "priv_protocol needs auth_protocol: SNMPv3 has no privacy without authentication")
		}
	}
	v.snmpPassword(c, base, "auth", auth, c.AuthPassword)
	v.snmpPassword(c, base, "priv", c.PrivProtocol != "", c.PrivPassword)
}

// snmpPassword checks one v3 passphrase against its protocol (kind is
// "auth" or "priv").
func (v *validator) snmpPassword(c *Check, base, kind string, protocol bool, pw Secret) {
	key := kind + "_password"
	path := base + "." + key
	switch set := v.ix.has(path); {
	case protocol && !set:
		v.errf(base+"."+kind+"_protocol", ErrMissing, "%s_protocol %s needs %s", kind, protocolOf(c, kind), key)
	case !protocol && set:
		v.keyErrf(path, ErrMissing, "%s is set but %s_protocol is not", key, kind)
	case set && pw.Err() == nil && len(pw.Value()) < minSNMPPassword && pw.raw() != "****":
		// "****" is how Encode writes a literal secret; its length says
		// nothing about the password it hides.
		v.errf(path, ErrInvalid, "%s: want at least %d characters (RFC 3414), got %d", key, minSNMPPassword, len(pw.Value()))
	}
}

func protocolOf(c *Check, kind string) string {
	if kind == "auth" {
		return c.AuthProtocol
	}
	return c.PrivProtocol
}

// snmpOIDs checks the custom OIDs of one check.
func (v *validator) snmpOIDs(c *Check, base string) {
	names := map[string]int{} // where each name is
	for k := range c.OIDs {
		o := &c.OIDs[k]
		p := base + ".oids." + strconv.Itoa(k)
		switch {
		case !v.ix.has(p + ".name"):
			v.errf(p, ErrMissing, "oids.%d has no name (it names the metric)", k)
		case !metricName(o.Name):
			v.errf(p+".name", ErrInvalid, "oids.%d.name %q: want a letter, then letters, digits or _ (it is a metric name)", k, o.Name)
		case slices.Contains(SNMPReservedMetrics(), o.Name):
			v.errf(p+".name", ErrInvalid, "oids.%d.name %q is a metric snmp checks report themselves; choose another", k, o.Name)
		default:
			if first, dup := names[o.Name]; dup {
				v.errf(p+".name", ErrDuplicateName, "duplicate oid name %q in check %q (first at line %d)", o.Name, c.Name, v.errs.line(first))
			} else {
				names[o.Name] = v.ix.at(p + ".name")
			}
		}
		switch {
		case !v.ix.has(p + ".oid"):
			v.errf(p, ErrMissing, "oids.%d has no oid", k)
		case !validOID(o.OID):
			v.errf(p+".oid", ErrInvalid, "oids.%d.oid %q: want dotted numbers such as \"1.3.6.1.2.1.33.1.2.4.0\"", k, o.OID)
		}
		threshold := o.Warn != nil || o.Crit != nil
		switch {
		case o.Expect != "" && threshold:
			v.keyErrf(p+".expect", ErrInvalid, "oids.%d: expect compares a string, warn/crit judge a number; set one or the other", k)
		case o.Expect != "" && o.Rate:
			v.keyErrf(p+".rate", ErrInvalid, "oids.%d: rate turns a counter into a number per second; it cannot be compared with expect", k)
		case o.Below && !threshold:
			v.keyErrf(p+".below", ErrInvalid, "oids.%d: below needs warn or crit", k)
		default:
			v.order(p, o.Threshold())
		}
	}
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
