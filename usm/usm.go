// Package usm maps the SNMPv3 protocol names of the config (RFC 3414's
// User-based Security Model: model.SNMPAuthProtocols, SNMPPrivProtocols) to
// gosnmp's constants. It is the one mapping, used by the snmp checks, which
// send requests, and by the trap receiver: model holds the names and
// imports no SNMP library, and neither probes nor traps imports the other.
package usm

import (
	"fmt"
	"strings"

	"github.com/gosnmp/gosnmp"

	"noctop/model"
)

// Auth returns gosnmp's authentication protocol for a name in
// model.SNMPAuthProtocols (or an alias of one); "" is gosnmp.NoAuth. An
// unknown name is an error wrapping model.ErrInvalid.
func Auth(name string) (gosnmp.SnmpV3AuthProtocol, error) {
	if name == "" {
		return gosnmp.NoAuth, nil
	}
	canon, _ := model.SNMPAuthProtocol(name)
	switch canon {
	case model.SNMPAuthMD5:
		return gosnmp.MD5, nil
	case model.SNMPAuthSHA:
		return gosnmp.SHA, nil
	case model.SNMPAuthSHA224:
		return gosnmp.SHA224, nil
	case model.SNMPAuthSHA256:
		return gosnmp.SHA256, nil
	case model.SNMPAuthSHA384:
		return gosnmp.SHA384, nil
	case model.SNMPAuthSHA512:
		return gosnmp.SHA512, nil
	}
	return 0, unknown("auth_protocol", name, model.SNMPAuthProtocols())
}

// Priv returns gosnmp's privacy protocol for a name in
// model.SNMPPrivProtocols (or an alias of one), the one a sender uses;
// "" is gosnmp.NoPriv. An unknown name is an error wrapping
// model.ErrInvalid.
func Priv(name string) (gosnmp.SnmpV3PrivProtocol, error) {
	if name == "" {
		return gosnmp.NoPriv, nil
	}
	canon, _ := model.SNMPPrivProtocol(name)
	switch canon {
	case model.SNMPPrivDES:
		return gosnmp.DES, nil
	case model.SNMPPrivAES:
		return gosnmp.AES, nil
	case model.SNMPPrivAES192:
		return gosnmp.AES192, nil
	case model.SNMPPrivAES256:
		return gosnmp.AES256, nil
	case model.SNMPPrivAES192C:
		return gosnmp.AES192C, nil
	case model.SNMPPrivAES256C:
		return gosnmp.AES256C, nil
	}
	return 0, unknown("priv_protocol", name, model.SNMPPrivProtocols())
}

// PrivReceived lists the privacy protocols a receiver tries for a name:
// AES-192 and AES-256 with either key extension (Blumenthal's, which
// net-snmp calls AES-192, and Reeder's, which Cisco calls AES-192: the
// receiver cannot ask the sender which), any other name as Priv maps it.
func PrivReceived(name string) ([]gosnmp.SnmpV3PrivProtocol, error) {
	p, err := Priv(name)
	switch {
	case err != nil:
		return nil, err
	case p == gosnmp.AES192:
		return []gosnmp.SnmpV3PrivProtocol{gosnmp.AES192, gosnmp.AES192C}, nil
	case p == gosnmp.AES256:
		return []gosnmp.SnmpV3PrivProtocol{gosnmp.AES256, gosnmp.AES256C}, nil
	}
	return []gosnmp.SnmpV3PrivProtocol{p}, nil
}

// unknown is the error for a name not in the list, worded as the loader
// words it.
func unknown(key, name string, list []string) error {
	return fmt.Errorf("%s %q: want one of %s: %w", key, name, strings.Join(list, ", "), model.ErrInvalid)
}
