package probes

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gosnmp/gosnmp"

	"noctop/model"
)

// OIDs the snmp probe reads, with gosnmp's leading dot (it names every
// varbind that way).
const (
	oidSysDescr    = ".1.3.6.1.2.1.1.1.0"
	oidSysObjectID = ".1.3.6.1.2.1.1.2.0"
	oidSysUpTime   = ".1.3.6.1.2.1.1.3.0"
	oidSysContact  = ".1.3.6.1.2.1.1.4.0"
	oidSysName     = ".1.3.6.1.2.1.1.5.0"
	oidSysLocation = ".1.3.6.1.2.1.1.6.0"

	// IF-MIB ifTable columns (ifEntry).
	oidIfDescr       = ".1.3.6.1.2.1.2.2.1.2"
	oidIfSpeed       = ".1.3.6.1.2.1.2.2.1.5"
	oidIfAdminStatus = ".1.3.6.1.2.1.2.2.1.7"
	oidIfOperStatus  = ".1.3.6.1.2.1.2.2.1.8"
	oidIfInOctets    = ".1.3.6.1.2.1.2.2.1.10"
	oidIfInDiscards  = ".1.3.6.1.2.1.2.2.1.13"
	oidIfInErrors    = ".1.3.6.1.2.1.2.2.1.14"
	oidIfOutOctets   = ".1.3.6.1.2.1.2.2.1.16"
	oidIfOutDiscards = ".1.3.6.1.2.1.2.2.1.19"
	oidIfOutErrors   = ".1.3.6.1.2.1.2.2.1.20"
	// IF-MIB ifXTable columns (ifXEntry).
	oidIfName        = ".1.3.6.1.2.1.31.1.1.1.1"
	oidIfHCInOctets  = ".1.3.6.1.2.1.31.1.1.1.6"
	oidIfHCOutOctets = ".1.3.6.1.2.1.31.1.1.1.10"
	oidIfHighSpeed   = ".1.3.6.1.2.1.31.1.1.1.15"
	oidIfAlias       = ".1.3.6.1.2.1.31.1.1.1.18"

	// HOST-RESOURCES-MIB.
	oidHrProcessorLoad = ".1.3.6.1.2.1.25.3.3.1.2"
	oidHrStorageType   = ".1.3.6.1.2.1.25.2.3.1.2"
	oidHrStorageDescr  = ".1.3.6.1.2.1.25.2.3.1.3"
	oidHrStorageSize   = ".1.3.6.1.2.1.25.2.3.1.5"
	oidHrStorageUsed   = ".1.3.6.1.2.1.25.2.3.1.6"
	oidHrStorageRAM    = ".1.3.6.1.2.1.25.2.1.2"
	oidHrStorageDisk   = ".1.3.6.1.2.1.25.2.1.4"

	// USM statistics (RFC 3414) an agent reports a failed v3 request with.
	oidUsmStatsUnsupportedSecLevels = ".1.3.6.1.6.3.15.1.1.1.0"
	oidUsmStatsNotInTimeWindows     = ".1.3.6.1.6.3.15.1.1.2.0"
	oidUsmStatsUnknownUserNames     = ".1.3.6.1.6.3.15.1.1.3.0"
	oidUsmStatsUnknownEngineIDs     = ".1.3.6.1.6.3.15.1.1.4.0"
	oidUsmStatsWrongDigests         = ".1.3.6.1.6.3.15.1.1.5.0"
	oidUsmStatsDecryptionErrors     = ".1.3.6.1.6.3.15.1.1.6.0"
)

// systemOIDs are read with one GET on every run.
func systemOIDs() []string {
	return []string{oidSysDescr, oidSysObjectID, oidSysUpTime, oidSysContact, oidSysName, oidSysLocation}
}

// dotted gives an OID the leading dot gosnmp uses.
func dotted(oid string) string {
	if strings.HasPrefix(oid, ".") {
		return oid
	}
	return "." + oid
}

// typeName names an ASN.1 type for reasons ("Counter64").
func typeName(t gosnmp.Asn1BER) string {
	switch t {
	case gosnmp.NoSuchObject:
		return "noSuchObject"
	case gosnmp.NoSuchInstance:
		return "noSuchInstance"
	case gosnmp.EndOfMibView:
		return "endOfMibView"
	}
	return t.String()
}

// missing reports whether a varbind says there is no value.
func missing(v gosnmp.SnmpPDU) bool {
	return v.Type == gosnmp.NoSuchObject || v.Type == gosnmp.NoSuchInstance || v.Type == gosnmp.EndOfMibView || v.Type == gosnmp.Null
}

// wrongType is the reason for a value of an unexpected type.
func wrongType(v gosnmp.SnmpPDU, want string) error {
	return fmt.Errorf("%s is %s, want %s", oidName(v.Name), typeName(v.Type), want)
}

// knownName names the objects the probe reads, for reasons; "" for others.
func knownName(oid string) string {
	switch oid {
	case oidSysDescr:
		return "sysDescr.0"
	case oidSysObjectID:
		return "sysObjectID.0"
	case oidSysUpTime:
		return "sysUpTime.0"
	case oidSysContact:
		return "sysContact.0"
	case oidSysName:
		return "sysName.0"
	case oidSysLocation:
		return "sysLocation.0"
	case oidIfDescr:
		return "ifDescr"
	case oidIfSpeed:
		return "ifSpeed"
	case oidIfAdminStatus:
		return "ifAdminStatus"
	case oidIfOperStatus:
		return "ifOperStatus"
	case oidIfInOctets:
		return "ifInOctets"
	case oidIfInDiscards:
		return "ifInDiscards"
	case oidIfInErrors:
		return "ifInErrors"
	case oidIfOutOctets:
		return "ifOutOctets"
	case oidIfOutDiscards:
		return "ifOutDiscards"
	case oidIfOutErrors:
		return "ifOutErrors"
	case oidIfName:
		return "ifName"
	case oidIfHCInOctets:
		return "ifHCInOctets"
	case oidIfHCOutOctets:
		return "ifHCOutOctets"
	case oidIfHighSpeed:
		return "ifHighSpeed"
	case oidIfAlias:
		return "ifAlias"
	case oidHrProcessorLoad:
		return "hrProcessorLoad"
	case oidHrStorageType:
		return "hrStorageType"
	case oidHrStorageDescr:
		return "hrStorageDescr"
	case oidHrStorageSize:
		return "hrStorageSize"
	case oidHrStorageUsed:
		return "hrStorageUsed"
	}
	return profileObjectName(oid)
}

// oidName names an OID for reasons: "ifHCInOctets.3", "sysUpTime.0", or
// the numeric OID without its leading dot.
func oidName(oid string) string {
	oid = dotted(oid)
	if n := knownName(oid); n != "" {
		return n
	}
	// A column instance: the longest known prefix.
	for i := len(oid) - 1; i > 0; i-- {
		if oid[i] == '.' {
			if n := knownName(oid[:i]); n != "" && !strings.HasSuffix(n, ".0") {
				return n + oid[i:]
			}
		}
	}
	// An OID the agent made up can be as long as its datagram.
	return model.Clip(strings.TrimPrefix(oid, "."), model.MaxNetText)
}

// pduUint reads a Counter32, Gauge32, TimeTicks, Unsigned32, Counter64 or
// non-negative Integer.
func pduUint(v gosnmp.SnmpPDU) (uint64, error) {
	switch v.Type {
	case gosnmp.Counter32, gosnmp.Gauge32, gosnmp.TimeTicks, gosnmp.Uinteger32, gosnmp.Counter64, gosnmp.Integer:
	default:
		return 0, wrongType(v, "an unsigned number")
	}
	switch x := v.Value.(type) {
	case uint:
		return uint64(x), nil
	case uint32:
		return uint64(x), nil
	case uint64:
		return x, nil
	case int:
		if x >= 0 {
			return uint64(x), nil
		}
		return 0, fmt.Errorf("%s is %d, want a number >= 0", oidName(v.Name), x)
	}
	return 0, fmt.Errorf("%s (%s) has no value", oidName(v.Name), typeName(v.Type))
}

// pduCounter32 reads a 32-bit counter (or gauge): it must fit 32 bits for
// wrap arithmetic.
func pduCounter32(v gosnmp.SnmpPDU) (uint64, error) {
	n, err := pduUint(v)
	if err == nil && n > math.MaxUint32 {
		return 0, fmt.Errorf("%s is %d, more than 32 bits", oidName(v.Name), n)
	}
	return n, err
}

// pduInt reads an INTEGER (an enumeration such as ifOperStatus).
func pduInt(v gosnmp.SnmpPDU) (int, error) {
	if v.Type != gosnmp.Integer {
		return 0, wrongType(v, "INTEGER")
	}
	if x, ok := v.Value.(int); ok {
		return x, nil
	}
	return 0, fmt.Errorf("%s (INTEGER) has no value", oidName(v.Name))
}

// pduString reads an OCTET STRING as display text.
func pduString(v gosnmp.SnmpPDU) (string, error) {
	if v.Type != gosnmp.OctetString {
		return "", wrongType(v, "OCTET STRING")
	}
	b, _ := v.Value.([]byte)
	return displayText(b), nil
}

// pduOID reads an OBJECT IDENTIFIER (without the leading dot).
func pduOID(v gosnmp.SnmpPDU) (string, error) {
	if v.Type != gosnmp.ObjectIdentifier {
		return "", wrongType(v, "OBJECT IDENTIFIER")
	}
	s, _ := v.Value.(string)
	return model.Clip(strings.TrimPrefix(s, "."), model.MaxNetText), nil
}

// pduNumber reads any numeric value, and an OCTET STRING holding a decimal
// number (UCD's laLoad, many vendors' sensors), as a float.
func pduNumber(v gosnmp.SnmpPDU) (float64, error) {
	switch x := v.Value.(type) {
	case int:
		return float64(x), nil
	case uint:
		return float64(x), nil
	case uint32:
		return float64(x), nil
	case uint64:
		return float64(x), nil
	case float32:
		return float64(x), nil
	case float64:
		return x, nil
	case []byte:
		s := strings.TrimSpace(string(x))
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return 0, fmt.Errorf("%s is the string %q, want a number", oidName(v.Name), model.Clip(displayText(x), 40))
		}
		return f, nil
	}
	return 0, wrongType(v, "a number")
}

// pduText prints any value as text, for attrs and expect.
func pduText(v gosnmp.SnmpPDU) string {
	switch x := v.Value.(type) {
	case []byte:
		return displayText(x)
	case string:
		return model.Clip(strings.TrimPrefix(x, "."), model.MaxNetText)
	case nil:
		return typeName(v.Type)
	case float32:
		return strconv.FormatFloat(float64(x), 'g', -1, 32)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return fmt.Sprint(v.Value)
}

// displayText turns an OCTET STRING into one printable line: invalid UTF-8
// and control characters (a sysDescr has newlines, a binary MAC has
// anything) become spaces or U+FFFD, runs of spaces one space. It is cut
// to model.MaxNetText: every string the agent sends goes through here on
// its way to a summary, an attr, a note or the interface table.
func displayText(b []byte) string {
	if !utf8.Valid(b) {
		b = []byte(strings.ToValidUTF8(string(b), "\uFFFD"))
	}
	s := strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, string(b))
	return model.Clip(strings.Join(strings.Fields(s), " "), model.MaxNetText)
}

// indexOf returns the row index of a column varbind: the OID after
// root + ".", e.g. "3" for ifOperStatus.3. ok is false outside the column.
func indexOf(name, root string) (string, bool) {
	if len(name) <= len(root)+1 || !strings.HasPrefix(name, root) || name[len(root)] != '.' {
		return "", false
	}
	return name[len(root)+1:], true
}

// oidCompare compares two dotted OIDs arc by arc as numbers (net-snmp's
// snmp_oid_compare). A shorter prefix sorts first. Walks compare OIDs of
// one column, so the common prefix is skipped first.
func oidCompare(a, b string) int {
	a, b = strings.TrimPrefix(a, "."), strings.TrimPrefix(b, ".")
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	if i == len(a) && i == len(b) {
		return 0
	}
	// Arcs before the last dot of the common prefix are equal.
	j := strings.LastIndexByte(a[:i], '.') + 1
	a, b = a[j:], b[j:]
	for {
		if a == "" || b == "" {
			switch {
			case a == "" && b == "":
				return 0
			case a == "":
				return -1
			}
			return 1
		}
		var x, y string
		x, a, _ = strings.Cut(a, ".")
		y, b, _ = strings.Cut(b, ".")
		if len(x) != len(y) { // arcs have no leading zeros: longer is larger
			if len(x) < len(y) {
				return -1
			}
			return 1
		}
		if c := strings.Compare(x, y); c != 0 {
			return c
		}
	}
}
