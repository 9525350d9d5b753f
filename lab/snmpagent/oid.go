package snmpagent

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// oid is an OBJECT IDENTIFIER as its arcs; the agent compares and searches
// these, never strings, so "1.3.6.1.2.1.2.2.1.10.9" sorts after ".2.1.10.10"
// the way SNMP orders them.
type oid []uint32

// parseOID reads a dotted OID with or without a leading dot (gosnmp writes
// ".1.3.6..."). At least two arcs are required, each fitting 32 bits.
func parseOID(s string) (oid, error) {
	s = strings.TrimPrefix(s, ".")
	o := make(oid, 0, strings.Count(s, ".")+1)
	var arc uint64
	digits := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == '.' {
			if digits == 0 {
				return nil, fmt.Errorf("OID %q: empty arc", s)
			}
			o = append(o, uint32(arc))
			arc, digits = 0, 0
			continue
		}
		c := s[i]
		if c < '0' || c > '9' {
			return nil, fmt.Errorf("OID %q: %q is not a digit", s, c)
		}
		arc = arc*10 + uint64(c-'0')
		digits++
		if arc > math.MaxUint32 {
			return nil, fmt.Errorf("OID %q: arc over 32 bits", s)
		}
	}
	if len(o) < 2 {
		return nil, fmt.Errorf("OID %q: needs at least two arcs", s)
	}
	return o, nil
}

// mustOID is parseOID for the agent's own constants.
func mustOID(s string) oid {
	o, err := parseOID(s)
	if err != nil {
		panic(err)
	}
	return o
}

// String writes the OID as gosnmp does: ".1.3.6.1".
func (o oid) String() string {
	b := make([]byte, 0, len(o)*4)
	for _, a := range o {
		b = append(b, '.')
		b = strconv.AppendUint(b, uint64(a), 10)
	}
	return string(b)
}

// compareOID orders OIDs arc by arc; a prefix sorts before its extensions.
func compareOID(a, b oid) int {
	n := min(len(a), len(b))
	for i := range n {
		if a[i] != b[i] {
			if a[i] < b[i] {
				return -1
			}
			return 1
		}
	}
	switch {
	case len(a) < len(b):
		return -1
	case len(a) > len(b):
		return 1
	}
	return 0
}

// hasPrefix reports whether p is a prefix of o (or equal to it).
func (o oid) hasPrefix(p oid) bool {
	if len(p) > len(o) {
		return false
	}
	for i, a := range p {
		if o[i] != a {
			return false
		}
	}
	return true
}

// child returns o extended by arcs, in a new slice.
func (o oid) child(arcs ...uint32) oid {
	c := make(oid, 0, len(o)+len(arcs))
	return append(append(c, o...), arcs...)
}

// appendOIDContent appends the BER content octets of o (X.690 8.19): the
// first two arcs share one subidentifier, every arc is base 128.
func appendOIDContent(dst []byte, o oid) []byte {
	if len(o) < 2 {
		return append(dst, 0)
	}
	dst = appendBase128(dst, uint64(o[0])*40+uint64(o[1]))
	for _, a := range o[2:] {
		dst = appendBase128(dst, uint64(a))
	}
	return dst
}

func appendBase128(dst []byte, v uint64) []byte {
	n := 1
	for t := v >> 7; t > 0; t >>= 7 {
		n++
	}
	for i := n - 1; i >= 0; i-- {
		b := byte(v>>(7*uint(i))) & 0x7f
		if i > 0 {
			b |= 0x80
		}
		dst = append(dst, b)
	}
	return dst
}

// encodeOIDTLV returns the complete BER TLV (tag 0x06) of o.
func encodeOIDTLV(o oid) []byte {
	content := appendOIDContent(nil, o)
	out := appendTagLen(make([]byte, 0, len(content)+4), tagOID, len(content))
	return append(out, content...)
}

// oidTLVSize is len(encodeOIDTLV(o)) without encoding it.
func oidTLVSize(o oid) int {
	if len(o) < 2 {
		return 3
	}
	n := base128Size(uint64(o[0])*40 + uint64(o[1]))
	for _, a := range o[2:] {
		n += base128Size(uint64(a))
	}
	return tagLenSize(n) + n
}

func base128Size(v uint64) int {
	n := 1
	for t := v >> 7; t > 0; t >>= 7 {
		n++
	}
	return n
}
