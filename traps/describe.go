package traps

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gosnmp/gosnmp"

	"noctop/model"
)

// Well-known OIDs (SNMPv2-MIB, IF-MIB), without the leading dot.
const (
	oidSysUpTime          = "1.3.6.1.2.1.1.3.0"
	oidSnmpTrapOID        = "1.3.6.1.6.3.1.1.4.1.0"
	oidSnmpTrapEnterprise = "1.3.6.1.6.3.1.1.4.3.0"
	oidSnmpTrapAddress    = "1.3.6.1.6.3.18.1.3.0" // the agent behind a proxy (RFC 3584)
	oidStandardTraps      = "1.3.6.1.6.3.1.1.5."   // + generic-trap + 1
	oidIfIndex            = "1.3.6.1.2.1.2.2.1.1."
	oidIfDescr            = "1.3.6.1.2.1.2.2.1.2."
	oidIfAdminStatus      = "1.3.6.1.2.1.2.2.1.7."
	oidIfOperStatus       = "1.3.6.1.2.1.2.2.1.8."
	oidIfName             = "1.3.6.1.2.1.31.1.1.1.1."
)

// standardTraps names the generic traps of RFC 3418, by last arc.
var standardTraps = [...]string{1: "coldStart", 2: "warmStart", 3: "linkDown", 4: "linkUp", 5: "authenticationFailure", 6: "egpNeighborLoss"}

// maxVarbinds is how many varbinds an unnamed trap's summary shows.
const maxVarbinds = 3

// maxValue bounds one value in a summary, in bytes (OIDs, names and values
// are the sender's text: each is clipped, and so is the whole summary).
const maxValue = 64

// trap is a decoded trap in v2 form: v1 traps are converted (RFC 3584).
type trap struct {
	oid  string
	vars []gosnmp.SnmpPDU // without sysUpTime.0, snmpTrapOID.0, snmpTrapEnterprise.0, snmpTrapAddress.0
	// agentAddr is the v1 agent-addr field, or a v2 trap's
	// snmpTrapAddress.0 (a proxy's forward), else "".
	agentAddr string
}

// toTrap converts a decoded packet; ok is false for a v2 trap without
// snmpTrapOID.0.
func toTrap(p *gosnmp.SnmpPacket) (trap, bool) {
	var t trap
	if p.PDUType == gosnmp.Trap {
		t.agentAddr = p.AgentAddress
		if p.GenericTrap >= 0 && p.GenericTrap <= 5 {
			t.oid = oidStandardTraps + strconv.Itoa(p.GenericTrap+1)
		} else {
			t.oid = trimDot(p.Enterprise) + ".0." + strconv.Itoa(p.SpecificTrap)
		}
	}
	for _, v := range p.Variables {
		switch name := trimDot(v.Name); name {
		case oidSnmpTrapOID:
			if s, ok := v.Value.(string); ok {
				t.oid = trimDot(s)
			}
		case oidSnmpTrapAddress:
			if s, ok := v.Value.(string); ok {
				t.agentAddr = s
			}
		case oidSysUpTime, oidSnmpTrapEnterprise:
		default:
			v.Name = name
			t.vars = append(t.vars, v)
		}
	}
	return t, t.oid != ""
}

func trimDot(oid string) string { return strings.TrimPrefix(oid, ".") }

// name is the trap's name for the standard traps, else "".
func (t *trap) name() string {
	if rest, ok := strings.CutPrefix(t.oid, oidStandardTraps); ok {
		if n, err := strconv.Atoi(rest); err == nil && n >= 1 && n < len(standardTraps) {
			return standardTraps[n]
		}
	}
	return ""
}

// summary says what the trap means: "linkDown ifIndex 3 (Gi0/3)",
// "coldStart", or for any other trap its OID and up to three varbinds.
// Each piece is clipped, so it is bounded; notify clips the whole event.
func (t *trap) summary() string {
	switch n := t.name(); n {
	case "linkDown", "linkUp":
		return n + t.ifSummary()
	case "":
	default:
		return n
	}
	var b strings.Builder
	b.WriteString("trap ")
	b.WriteString(model.Clip(t.oid, model.MaxNetText))
	for i, v := range t.vars {
		if i == maxVarbinds {
			fmt.Fprintf(&b, " (+%d more)", len(t.vars)-maxVarbinds)
			break
		}
		if i == 0 {
			b.WriteString(":")
		} else {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, " %s=%s", model.Clip(v.Name, model.MaxNetText), formatValue(v))
	}
	return b.String()
}

// ifSummary is " ifIndex 3 (Gi0/3)" from the varbinds: ifIndex from its
// value, or from the index of ifDescr/ifAdminStatus/ifOperStatus/ifName;
// the name from ifName, else ifDescr.
func (t *trap) ifSummary() string {
	index, ifName, ifDescr := "", "", ""
	for _, v := range t.vars {
		switch {
		case strings.HasPrefix(v.Name, oidIfIndex):
			index = formatValue(v)
		case strings.HasPrefix(v.Name, oidIfName):
			ifName = text(v)
		case strings.HasPrefix(v.Name, oidIfDescr):
			ifDescr = text(v)
		}
		if index == "" {
			for _, p := range []string{oidIfDescr, oidIfAdminStatus, oidIfOperStatus, oidIfName} {
				if rest, ok := strings.CutPrefix(v.Name, p); ok && isNumber(rest) {
					index = rest
				}
			}
		}
	}
	if index == "" {
		return " (no ifIndex in the trap)"
	}
	s := " ifIndex " + index
	if ifName == "" {
		ifName = ifDescr
	}
	if ifName != "" {
		s += " (" + ifName + ")"
	}
	return s
}

func isNumber(s string) bool {
	_, err := strconv.ParseUint(s, 10, 32)
	return err == nil
}

// text is a varbind's value as plain text (an interface name).
func text(v gosnmp.SnmpPDU) string {
	if b, ok := v.Value.([]byte); ok && printable(b) {
		return model.Clip(string(b), maxValue)
	}
	return formatValue(v)
}

// formatValue writes a varbind value for a one-line summary: strings
// quoted, binary strings in hex, long ones cut.
func formatValue(v gosnmp.SnmpPDU) string {
	switch v.Type {
	case gosnmp.OctetString:
		b, _ := v.Value.([]byte)
		if printable(b) {
			return strconv.Quote(model.Clip(string(b), maxValue))
		}
		return model.Clip(fmt.Sprintf("0x%x", b), maxValue)
	case gosnmp.ObjectIdentifier:
		s, _ := v.Value.(string)
		return model.Clip(trimDot(s), model.MaxNetText)
	case gosnmp.Null, gosnmp.NoSuchObject, gosnmp.NoSuchInstance, gosnmp.EndOfMibView:
		return v.Type.String()
	}
	if v.Value == nil {
		return v.Type.String()
	}
	return model.Clip(fmt.Sprint(v.Value), maxValue)
}

func printable(b []byte) bool {
	if !utf8.Valid(b) {
		return false
	}
	for _, r := range string(b) {
		if r < ' ' || r == 0x7f {
			return false
		}
	}
	return true
}
