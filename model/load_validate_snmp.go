package model

import (
	"strconv"
	"strings"
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

// snmpBeforeDefaults checks what ApplyDefaults would hide: an empty
// community would become "public".
func (v *validator) snmpBeforeDefaults(base string, a *Asset) {
	for j := range a.Checks {
		c := &a.Checks[j]
		if c.Type != CheckSNMP {
			continue
		}
		path := base + ".check." + strconv.Itoa(j) + ".community"
		if !v.ix.has(path) {
			continue
		}
		if err := CheckSNMPCommunity(c.Community); err != nil {
			v.errf(path, ErrInvalid, "%v", err)
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
			v.keyErrf(base+".max_repetitions", ErrInvalid, "%v", errNoGetBulk)
		}
	case "3":
		v.snmpV3(c, base)
	default:
		v.errf(base+".version", ErrInvalid, "%v", CheckSNMPVersion(c.Version))
	}
	if has("snmp_retries") && c.SNMPRetries != nil {
		if err := CheckSNMPRetries(*c.SNMPRetries); err != nil {
			v.errf(base+".snmp_retries", ErrInvalid, "%v", err)
		}
	}
	if f := c.Interfaces; f != nil {
		for _, p := range []struct{ key, re string }{{"include", f.Include}, {"exclude", f.Exclude}} {
			if _, err := InterfacePattern(p.key, p.re); err != nil {
				v.errf(base+".interfaces."+p.key, ErrInvalid, "%v", err)
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
	v.snmpProfile(c, base)
}

func (v *validator) snmpV3(c *Check, base string) {
	has := func(key string) bool { return v.ix.has(base + "." + key) }
	if has("community") {
		v.keyErrf(base+".community", ErrInvalid, "community is for versions 1 and 2c; SNMPv3 uses user, auth_* and priv_*")
	}
	if !has("user") {
		v.errf(base+".version", ErrMissing, "snmp check %q uses version 3 but has no user", c.Name)
	} else if err := CheckSNMPUser(c.User); err != nil {
		v.errf(base+".user", ErrInvalid, "%v", err)
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
		if err := CheckSNMPPrivacy(c.AuthProtocol, c.PrivProtocol); err != nil {
			v.keyErrf(base+".priv_protocol", ErrInvalid, "%v", err)
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
	case set:
		if err := CheckSNMPPassword(key, pw); err != nil {
			v.errf(path, ErrInvalid, "%v", err)
		}
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
		switch nameErr := CheckOIDName(k, o.Name); {
		case !v.ix.has(p + ".name"):
			v.errf(p, ErrMissing, "oids.%d has no name (it names the metric)", k)
		case nameErr != nil:
			v.errf(p+".name", ErrInvalid, "%v", nameErr)
		default:
			if first, dup := names[o.Name]; dup {
				v.errf(p+".name", ErrDuplicateName, "duplicate oid name %q in check %q (first at line %d)", o.Name, c.Name, v.errs.line(first))
			} else {
				names[o.Name] = v.ix.at(p + ".name")
			}
		}
		switch oidErr := CheckOID(k, o.OID); {
		case !v.ix.has(p + ".oid"):
			v.errf(p, ErrMissing, "oids.%d has no oid", k)
		case oidErr != nil:
			v.errf(p+".oid", ErrInvalid, "%v", oidErr)
		}
		threshold := o.Warn != nil || o.Crit != nil
		switch key, useErr := CheckOIDUse(k, o); {
		case useErr != nil:
			v.keyErrf(p+"."+key, ErrInvalid, "%v", useErr)
		case o.Below && !threshold:
			v.keyErrf(p+".below", ErrInvalid, "oids.%d: below needs warn or crit", k)
		default:
			v.order(p, o.Threshold())
		}
	}
}
