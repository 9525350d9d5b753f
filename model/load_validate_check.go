package model

import (
	"fmt"
	"net"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// CheckKeys lists the keys a check of type typ accepts, common keys first;
// nil for an unknown type.
func CheckKeys(typ string) []string {
	common := commonCheckKeys()
	var own []string
	switch typ {
	case CheckICMP:
		own = []string{"count", "packet_interval", "rtt", "loss"}
	case CheckHTTP:
		own = []string{"url", "method", "expect_status", "body_contains", "body_regex", "headers",
			"latency", "follow_redirects", "insecure_skip_verify", "ca_file", "version"}
	case CheckTCP:
		own = []string{"port", "send", "expect", "latency"}
	case CheckDNS:
		own = []string{"server", "query", "record_type", "expect", "latency"}
	case CheckTLS:
		own = []string{"port", "server_name", "days", "ca_file", "insecure_skip_verify"}
	case CheckHost:
		own = []string{"cpu", "memory", "swap", "disk", "load"}
	case CheckSNMP:
		own = []string{"version", "community", "user", "auth_protocol", "auth_password",
			"priv_protocol", "priv_password", "context", "port", "snmp_retries", "max_repetitions",
			"interfaces", "utilization", "errors", "cpu", "memory", "disk", "host_resources", "oids",
			"profile", "thresholds"}
	default:
		return nil
	}
	return append(common, own...)
}

// commonCheckKeys are the keys every check type accepts.
func commonCheckKeys() []string {
	return []string{"type", "name", "interval", "timeout", "retries", "retry_interval", "flap"}
}

// DNSRecordTypes lists the record types a dns check may query.
func DNSRecordTypes() []string {
	return []string{"A", "AAAA", "CNAME", "MX", "NS", "PTR", "SOA", "SRV", "TXT", "CAA"}
}

// checkKeysForType reports keys that exist on Check but not for the type
// of the check they appear in (`count` on an http check).
func (v *validator) checkKeysForType(base string, a *Asset) {
	for j := range a.Checks {
		typ := a.Checks[j].Type
		keys, ok := v.checkKeys[typ]
		if !ok {
			keys = CheckKeys(typ)
			if v.checkKeys == nil {
				v.checkKeys = map[string][]string{}
			}
			v.checkKeys[typ] = keys
		}
		if keys == nil {
			continue // an unknown type is reported once, on the type
		}
		id, ok := v.ix.lookup(base + ".check." + strconv.Itoa(j))
		if !ok {
			continue
		}
		for k := v.ix.nodes[id].first; k != 0; k = v.ix.nodes[k].next {
			name := v.ix.nodes[k].name
			if slices.Contains(keys, name) {
				continue
			}
			if _, onCheck := v.fields.field(checkType, name); !onCheck {
				continue // reported as unknown
			}
			v.add(base+".check."+strconv.Itoa(j)+"."+name, int(v.ix.nodes[k].key), ErrNotForType,
				"key %q is not valid for %s checks (%s takes %s)", name, typ, typ, strings.Join(keys[len(commonCheckKeys()):], ", "))
		}
	}
}

// check validates one check after defaults are applied.
func (v *validator) check(a *Asset, c *Check, base string) {
	switch {
	case !v.ix.has(base + ".type"):
		v.errf(base+".type", ErrMissing, "check has no type (want one of %s)", strings.Join(CheckTypes(), ", "))
		return
	case !slices.Contains(CheckTypes(), c.Type):
		v.errf(base+".type", ErrInvalid, "check type %q: want one of %s", c.Type, strings.Join(CheckTypes(), ", "))
		return
	}
	// With neither set here, [defaults] carries the ordering error.
	if (v.ix.has(base+".timeout") || v.ix.has(base+".interval")) && c.Timeout.Duration >= c.Interval.Duration {
		path := base + ".timeout"
		if !v.ix.has(path) {
			path = base + ".interval"
		}
		v.errf(path, ErrInvalid, "timeout %v must be less than interval %v", c.Timeout.Duration, c.Interval.Duration)
	}
	v.flap(base+".flap", c.Flap, FlapLimitsOf(&v.cfg.Defaults, &Check{}))
	v.versionCapture(c, base)
	switch c.Type {
	case CheckICMP:
		v.needAddress(a, c, base)
		v.order(base+".rtt", c.RTT.Threshold())
		v.limits(base+".loss", c.Loss, 0, 100, "%", false)
		v.icmpTiming(c, base)
	case CheckSNMP:
		v.snmp(a, c, base)
	case CheckHTTP:
		v.http(c, base)
	case CheckTCP:
		v.needAddress(a, c, base)
		if !v.ix.has(base + ".port") {
			v.errf(base+".port", ErrMissing, "tcp check %q has no port", c.Name)
		}
		v.expectString(c, base)
	case CheckDNS:
		v.dns(a, c, base)
	case CheckTLS:
		if a.Address == "" && c.ServerName == "" {
			v.errf(base+".type", ErrMissing, "tls check %q needs the asset's address or server_name", c.Name)
		}
		v.limits(base+".days", c.Days, 0, 100000, "d", true)
		v.caFile(c, base)
	case CheckHost:
		for _, k := range []struct {
			key string
			l   *Limits
		}{{"cpu", c.CPU}, {"memory", c.Memory}, {"swap", c.Swap}, {"disk", c.Disk}} {
			v.limits(base+"."+k.key, k.l, 0, 100, "%", false)
		}
		v.limits(base+".load", c.Load, 0, 1e6, "", false)
	}
}

// icmpTiming keeps every packet of a run inside its timeout: the probe sends
// a packet only while half its reply window remains, so packets that do not
// fit would silently never leave.
func (v *validator) icmpTiming(c *Check, base string) {
	spread := time.Duration(c.Count-1) * c.PacketInterval.Duration
	if c.Count > 1 && spread > c.Timeout.Duration/2 {
		path := base + ".count"
		if v.ix.has(base + ".packet_interval") {
			path = base + ".packet_interval"
		}
		v.errf(path, ErrInvalid, "%d packets %v apart take %v, more than half the timeout %v: lower count or packet_interval, or raise timeout",
			c.Count, c.PacketInterval.Duration, spread, c.Timeout.Duration)
	}
}

func (v *validator) needAddress(a *Asset, c *Check, base string) {
	if a.Address == "" {
		v.errf(base+".type", ErrMissing, "%s check %q needs an address, and asset %q has none", c.Type, c.Name, a.Name)
	}
}

// limits checks a numeric threshold pair: each side in [lo, hi], and warn
// reached before crit (below: days left, so warn above crit).
func (v *validator) limits(path string, l *Limits, lo, hi float64, unit string, below bool) {
	if l == nil {
		return
	}
	ok := true
	for _, side := range []struct {
		name string
		val  *float64
	}{{"warn", l.Warn}, {"crit", l.Crit}} {
		if side.val != nil && (*side.val < lo || *side.val > hi) {
			v.errf(path+"."+side.name, ErrInvalid, "%s.%s: want %s to %s, got %s", shortKey(path), side.name,
				FormatValue(lo, unit), FormatValue(hi, unit), FormatValue(*side.val, unit))
			ok = false
		}
	}
	if ok {
		v.order(path, l.Threshold(unit, below))
	}
}

// order reports a threshold whose warn level is worse than its crit level.
func (v *validator) order(path string, t Threshold) {
	if t.Ordered() {
		return
	}
	hint := "warn must not be above crit"
	if t.Below {
		hint = "this value is bad when low, so warn must not be below crit"
	}
	v.errf(path+".warn", ErrThresholdOrder, "%s: warn %s is worse than crit %s (%s)", shortKey(path),
		FormatValue(t.Warn, t.Unit), FormatValue(t.Crit, t.Unit), hint)
}

func (v *validator) http(c *Check, base string) {
	if !v.ix.has(base + ".url") {
		v.errf(base+".url", ErrMissing, "http check %q has no url", c.Name)
	} else if _, err := ParseCheckURL(c.URL); err != nil {
		v.errf(base+".url", ErrInvalid, "%v", err)
	}
	if m := strings.ToUpper(c.Method); slices.Contains(HTTPMethods(), m) {
		c.Method = m
	} else {
		v.errf(base+".method", ErrInvalid, "method %q: want one of %s", c.Method, strings.Join(HTTPMethods(), ", "))
	}
	for k, code := range c.ExpectStatus {
		if code < 100 || code > 599 {
			v.errf(base+".expect_status."+strconv.Itoa(k), ErrInvalid, "expect_status: %d is not an HTTP status (100 to 599)", code)
		}
	}
	if c.BodyRegex != "" {
		if _, err := regexp.Compile(c.BodyRegex); err != nil {
			v.errf(base+".body_regex", ErrInvalid, "body_regex: %v", err)
		}
	}
	for name := range c.Headers {
		if !ValidHeaderName(name) {
			v.errf(base+".headers."+name, ErrInvalid, "headers: %q is not a valid header name", name)
		}
	}
	v.order(base+".latency", c.Latency.Threshold())
	v.caFile(c, base)
}

func (v *validator) dns(a *Asset, c *Check, base string) {
	if !v.ix.has(base + ".query") {
		v.errf(base+".query", ErrMissing, "dns check %q has no query", c.Name)
	} else if c.Query == "" {
		v.errf(base+".query", ErrInvalid, "query: must not be empty")
	}
	switch host, port, err := net.SplitHostPort(c.Server); {
	case c.Server == "":
		v.errf(base+".type", ErrMissing, "dns check %q needs a server, and asset %q has no address to default to", c.Name, a.Name)
	case err != nil || host == "":
		v.errf(base+".server", ErrInvalid, "server %q: want host:port, e.g. \"127.0.0.1:53\"", c.Server)
	default:
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			v.errf(base+".server", ErrInvalid, "server %q: port must be 1 to 65535", c.Server)
		}
	}
	if rt := strings.ToUpper(c.RecordType); ValidDNSRecordType(rt) {
		c.RecordType = rt
	} else {
		v.errf(base+".record_type", ErrInvalid, "record_type %q: want one of %s", c.RecordType, strings.Join(DNSRecordTypes(), " "))
	}
	switch e := c.Expect.(type) {
	case nil, string:
	case []any:
		for k, x := range e {
			if _, ok := x.(string); !ok {
				v.errf(base+".expect."+strconv.Itoa(k), ErrWrongType, "expect: wrong type: got %s, want a string", tomlKind(x))
			}
		}
	default:
		v.errf(base+".expect", ErrWrongType, "expect: wrong type: got %s, want a string or an array of strings", tomlKind(e))
	}
}

func (v *validator) expectString(c *Check, base string) {
	if _, ok := c.Expect.(string); c.Expect != nil && !ok {
		v.errf(base+".expect", ErrWrongType, "expect: wrong type: got %s, want a string", tomlKind(c.Expect))
	}
}

// tomlKind names the TOML kind of a value go-toml decoded into an any.
func tomlKind(x any) string {
	switch x.(type) {
	case string:
		return "string"
	case int64:
		return "integer"
	case float64:
		return "float"
	case bool:
		return "boolean"
	case []any:
		return "array"
	case map[string]any:
		return "table"
	}
	return fmt.Sprintf("%T", x)
}

// caFile checks that ca_file (relative to the working directory) is a
// readable file holding at least one PEM certificate.
func (v *validator) caFile(c *Check, base string) {
	if c.CAFile == "" {
		return
	}
	if _, err := CAPool(c.CAFile); err != nil {
		v.errf(base+".ca_file", ErrInvalid, "%v", err)
	}
}
