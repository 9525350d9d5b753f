package probes

import (
	"fmt"
	"time"

	"github.com/gosnmp/gosnmp"

	"noctop/model"
	"noctop/usm"
)

// The snmp check's prepare step: what its config says, read once. A run
// (snmp.go) only polls and judges.

// snmpProbe is one snmp check made ready to run. Besides what its config
// says, it keeps what a run leaves for the next: the client (its socket,
// and for SNMPv3 the discovered engine and localized keys), the last
// sample for rates, reboots and firmware changes, and the column plan.
// The scheduler runs it from one goroutine at a time, so they need no
// lock; Close reaches the client through the SNMP prober's registry.
type snmpProbe struct {
	p       *SNMP
	addr    hostAddr
	session snmpSession
	version string // as configured, for the snmp_version attr
	tries   int    // 1 + snmp_retries
	walkOp  string // "GETBULK", or "GETNEXT" for SNMPv1
	get     []string
	oids    []customOID
	filter  *ifFilter
	hostRes bool
	// hostResCfg: the config asks for host resources; hostRes may also
	// come from auto choosing host.
	hostResCfg bool
	limits     snmpLimits
	prof       *profileProbe // the device profile; nil without one

	client  *snmpClient
	prev    *snmpSample
	plan    ifPlan
	planned bool   // plan comes from a poll; false: walk every optional column
	primary string // the last poll's primary metric, named by a failed poll too
}

// Close releases the check's client, when a reload dropped or replaced the
// check (the scheduler calls it between runs).
func (r *snmpProbe) Close() error {
	if r.client != nil {
		r.p.release(r.client)
		r.client = nil
	}
	return nil
}

// snmpSession is what the check's clients are built from: a client is
// built on the first run, after a failure and when the asset's name
// resolves to another address.
type snmpSession struct {
	port           int
	version        gosnmp.SnmpVersion
	community      string
	user           string
	auth           gosnmp.SnmpV3AuthProtocol
	authPass       string
	priv           gosnmp.SnmpV3PrivProtocol
	privPass       string
	flags          gosnmp.SnmpV3MsgFlags
	contextName    string
	maxRepetitions int
}

// snmpLimits are a check's thresholds.
type snmpLimits struct {
	util, errs     model.Threshold
	cpu, mem, disk model.Threshold
}

// customOID is one of the check's custom OIDs, its OID dotted as gosnmp
// names answers and its threshold read.
type customOID struct {
	model.OIDCheck
	oid   string
	limit model.Threshold
}

// snmpSample is what the next run compares with.
type snmpSample struct {
	at   time.Time
	sys  sysInfo
	ifs  map[int]ifCounters
	oids map[string]counterSample
}

// Prepare is the snmp check's prepare step: the address parsed, the
// session (version, community or USM user and protocols), the tries, the
// interface filter, the custom OIDs and the thresholds read. It refuses
// what the loader refuses, with the loader's words (model/config_rules.go).
func (p *SNMP) Prepare(t Target) (Prepared, error) {
	c := t.Check
	if t.Asset.Address == "" {
		return nil, fmt.Errorf("snmp check %q needs an address, and asset %q has none", c.Name, t.Asset.Name)
	}
	session, err := newSNMPSession(c)
	if err != nil {
		return nil, err
	}
	if c.SNMPRetries == nil {
		return nil, fmt.Errorf("snmp check %q has no snmp_retries: prepare a loaded check (model.Load, or ApplyDefaults)", c.Name)
	}
	if err := model.CheckSNMPRetries(*c.SNMPRetries); err != nil {
		return nil, err
	}
	filter, err := compileFilter(c.Interfaces)
	if err != nil {
		return nil, err
	}
	oids, err := prepareOIDs(c)
	if err != nil {
		return nil, err
	}
	prof, err := prepareProfile(c)
	if err != nil {
		return nil, err
	}
	r := &snmpProbe{p: p, addr: parseHostAddr(t.Asset.Address), session: session, version: c.Version,
		tries: *c.SNMPRetries + 1, walkOp: "GETBULK", oids: oids, filter: filter, hostRes: wantsHostRes(c),
		limits: snmpLimitsOf(c), primary: model.DefaultPrimary(model.CheckSNMP), prof: prof}
	if c.Profile == model.ProfileHost {
		r.hostRes = true
	}
	r.hostResCfg = r.hostRes
	if c.Version == "1" {
		r.walkOp = "GETNEXT"
	}
	r.get = append(systemOIDs(), customOIDList(oids)...)
	return r, nil
}

// newSNMPSession reads what a client is built from: the port, the
// version, and its community or USM user with protocols mapped by package
// usm (the trap receiver's mapping too).
func newSNMPSession(c *model.Check) (snmpSession, error) {
	s := snmpSession{port: c.Port, contextName: c.SNMPContext, maxRepetitions: c.MaxRepetitions}
	if c.Port < 1 || c.Port > 65535 {
		return s, fmt.Errorf("port: want 1 to 65535, got %d", c.Port)
	}
	if err := model.CheckSNMPVersion(c.Version); err != nil {
		return s, err
	}
	if err := model.CheckMaxRepetitions(c.Version, c.MaxRepetitions); err != nil {
		return s, err
	}
	if c.Version != "3" {
		s.version = gosnmp.Version2c
		if c.Version == "1" {
			s.version = gosnmp.Version1
		}
		if err := c.Community.Err(); err != nil {
			return s, fmt.Errorf("community: %w", err)
		}
		s.community = c.Community.Value()
		return s, model.CheckSNMPCommunity(c.Community)
	}
	s.version = gosnmp.Version3
	if err := model.CheckSNMPUser(c.User); err != nil {
		return s, err
	}
	s.user = c.User
	var err error
	if s.auth, err = usm.Auth(c.AuthProtocol); err != nil {
		return s, err
	}
	if s.priv, err = usm.Priv(c.PrivProtocol); err != nil {
		return s, err
	}
	if err := model.CheckSNMPPrivacy(c.AuthProtocol, c.PrivProtocol); err != nil {
		return s, err
	}
	s.flags = gosnmp.NoAuthNoPriv
	if s.auth != gosnmp.NoAuth {
		s.flags = gosnmp.AuthNoPriv
		if s.authPass, err = snmpPassword("auth_password", c.AuthPassword); err != nil {
			return s, err
		}
	}
	if s.priv != gosnmp.NoPriv {
		s.flags = gosnmp.AuthPriv
		if s.privPass, err = snmpPassword("priv_password", c.PrivPassword); err != nil {
			return s, err
		}
	}
	return s, nil
}

// snmpPassword is an SNMPv3 passphrase the loader would accept.
func snmpPassword(key string, pw model.Secret) (string, error) {
	if err := pw.Err(); err != nil {
		return "", fmt.Errorf("%s: %w", key, err)
	}
	return pw.Value(), model.CheckSNMPPassword(key, pw)
}

// usmParams is a new USM parameter set for one client: gosnmp mutates it
// (engine ID, boots, salt, localized keys), so clients never share one.
func (s *snmpSession) usmParams() *gosnmp.UsmSecurityParameters {
	return &gosnmp.UsmSecurityParameters{
		UserName:                 s.user,
		AuthenticationProtocol:   s.auth,
		AuthenticationPassphrase: s.authPass,
		PrivacyProtocol:          s.priv,
		PrivacyPassphrase:        s.privPass,
	}
}

// prepareOIDs reads the check's custom OIDs: names that are metric names
// the probe does not report itself, each once, OIDs BER can encode, and a
// value either compared with expect or judged as a number.
func prepareOIDs(c *model.Check) ([]customOID, error) {
	out := make([]customOID, 0, len(c.OIDs))
	seen := make(map[string]bool, len(c.OIDs))
	for k := range c.OIDs {
		o := &c.OIDs[k]
		if err := model.CheckOIDName(k, o.Name); err != nil {
			return nil, err
		}
		if seen[o.Name] {
			return nil, fmt.Errorf("duplicate oid name %q in check %q", o.Name, c.Name)
		}
		seen[o.Name] = true
		if err := model.CheckOID(k, o.OID); err != nil {
			return nil, err
		}
		if _, err := model.CheckOIDUse(k, o); err != nil {
			return nil, err
		}
		out = append(out, newCustomOID(*o))
	}
	return out, nil
}

func newCustomOID(d model.OIDCheck) customOID {
	return customOID{OIDCheck: d, oid: dotted(d.OID), limit: d.Threshold()}
}

// snmpLimitsOf reads a check's thresholds.
func snmpLimitsOf(c *model.Check) snmpLimits {
	return snmpLimits{
		util: c.Utilization.Threshold("%", false), errs: c.Errors.Threshold("/min", false),
		cpu: c.CPU.Threshold("%", false), mem: c.Memory.Threshold("%", false), disk: c.Disk.Threshold("%", false),
	}
}
