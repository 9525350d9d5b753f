package model

import "strings"

// SNMPv3 protocol names, as net-snmp spells them: the one list for snmp
// checks and [[traps.user]], shown in errors and documentation. Load takes
// them in any case, with or without the dashes ("sha256", "AES256C"), and
// "AES128" for AES, and stores these spellings. The mapping to gosnmp's
// constants is package usm's (model imports no SNMP library).
const (
	SNMPAuthMD5    = "MD5"
	SNMPAuthSHA    = "SHA" // SHA-1
	SNMPAuthSHA224 = "SHA-224"
	SNMPAuthSHA256 = "SHA-256"
	SNMPAuthSHA384 = "SHA-384"
	SNMPAuthSHA512 = "SHA-512"

	SNMPPrivDES = "DES"
	SNMPPrivAES = "AES" // AES-128
	// AES-192 and AES-256 keys are extended from the digest in two
	// incompatible ways: Blumenthal's draft (net-snmp's AES-192/AES-256)
	// and Reeder's (net-snmp's AES-192-C/AES-256-C, what Cisco calls
	// AES-192/AES-256). A check sends one of them; a trap user set to
	// AES-192 or AES-256 accepts both, as a receiver cannot ask.
	SNMPPrivAES192  = "AES-192"
	SNMPPrivAES256  = "AES-256"
	SNMPPrivAES192C = "AES-192-C"
	SNMPPrivAES256C = "AES-256-C"
)

// SNMPAuthProtocols lists the SNMPv3 authentication protocols.
func SNMPAuthProtocols() []string {
	return []string{SNMPAuthMD5, SNMPAuthSHA, SNMPAuthSHA224, SNMPAuthSHA256, SNMPAuthSHA384, SNMPAuthSHA512}
}

// SNMPPrivProtocols lists the SNMPv3 privacy protocols.
func SNMPPrivProtocols() []string {
	return []string{SNMPPrivDES, SNMPPrivAES, SNMPPrivAES192, SNMPPrivAES256, SNMPPrivAES192C, SNMPPrivAES256C}
}

// SNMPAuthProtocol returns the canonical spelling of an authentication
// protocol name; ok is false for a name not in SNMPAuthProtocols.
func SNMPAuthProtocol(name string) (string, bool) {
	return canonicalProtocol(name, SNMPAuthProtocols())
}

// SNMPPrivProtocol returns the canonical spelling of a privacy protocol
// name ("AES128" is AES); ok is false for a name not in SNMPPrivProtocols.
func SNMPPrivProtocol(name string) (string, bool) {
	if protocolKey(name) == "AES128" {
		return SNMPPrivAES, true
	}
	return canonicalProtocol(name, SNMPPrivProtocols())
}

// canonicalProtocol finds name in list ignoring case and dashes.
func canonicalProtocol(name string, list []string) (string, bool) {
	key := protocolKey(name)
	for _, p := range list {
		if protocolKey(p) == key {
			return p, true
		}
	}
	return "", false
}

func protocolKey(s string) string { return strings.ReplaceAll(strings.ToUpper(s), "-", "") }
