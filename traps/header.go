package traps

import (
	"errors"

	"noctop/model"
)

// Limits of the fields read before a message is authenticated. Anyone who
// can send UDP chooses these bytes; nothing longer is kept or reported.
const (
	maxUser = model.MaxSNMPUser
	// maxEngineID: an SnmpEngineID is SIZE(5..32), RFC 3411.
	maxEngineID = 32
	// maxCommunity: no configured community is longer (the loader and
	// newAuth refuse one), so a longer one on the wire can only be wrong.
	maxCommunity = model.MaxSNMPCommunity
)

var (
	// errNotSNMP is a datagram that is not an SNMP message at all.
	errNotSNMP = errors.New("not an SNMP message")
	// errLongUser: the v3 user name is over maxUser octets, so it is no
	// USM user.
	errLongUser = errors.New("v3 user name longer than 32 octets: not a USM user (RFC 3414)")
	// errLongEngineID: the engine ID is over maxEngineID octets.
	errLongEngineID = errors.New("v3 engine ID longer than 32 octets (RFC 3411)")
	// errLongCommunity: the community is over maxCommunity octets.
	errLongCommunity = errors.New("community longer than 255 octets")
)

// header is what the receiver reads from a message before trusting it: the
// version and, for v3, who claims to send it and how it is protected. It
// decides how a message is authenticated and, when that fails, says why in
// words ("unknown user") rather than in gosnmp's.
type header struct {
	version   int    // 0 = v1, 1 = v2c, 3 = v3
	community []byte // v1 and v2c (aliases the message); at most maxCommunity octets
	flags     byte
	secModel  int
	engineID  string // at most maxEngineID octets
	user      string // at most maxUser octets
}

// v3 message flags (RFC 3412).
const (
	flagAuth       = 0x01
	flagPriv       = 0x02
	flagReportable = 0x04
	usmModel       = 3
)

// readHeader parses the outer SEQUENCE, the version and, for v3, the global
// data and the USM security parameters. It is BER, not DER: net-snmp sends
// long-form lengths where a short one would do. A field over its limit
// is an error (errLongUser, errLongEngineID, errLongCommunity) and is never
// kept whole.
func readHeader(msg []byte) (header, error) {
	var h header
	seq, rest, ok := readTLV(msg, 0x30)
	if !ok || len(rest) != 0 {
		return h, errNotSNMP
	}
	v, seq, ok := readInt(seq)
	if !ok {
		return h, errNotSNMP
	}
	h.version = v
	if v != 3 {
		c, _, ok := readTLV(seq, 0x04)
		if !ok {
			return h, errNotSNMP
		}
		if len(c) > maxCommunity {
			return h, errLongCommunity
		}
		h.community = c
		return h, nil
	}
	global, seq, ok := readTLV(seq, 0x30)
	if !ok {
		return h, errNotSNMP
	}
	var flags []byte
	if _, global, ok = readInt(global); !ok { // msgID
		return h, errNotSNMP
	}
	if _, global, ok = readInt(global); !ok { // msgMaxSize
		return h, errNotSNMP
	}
	if flags, global, ok = readTLV(global, 0x04); !ok || len(flags) != 1 {
		return h, errNotSNMP
	}
	h.flags = flags[0]
	if h.secModel, _, ok = readInt(global); !ok {
		return h, errNotSNMP
	}
	if h.secModel != usmModel {
		return h, nil
	}
	sp, _, ok := readTLV(seq, 0x04)
	if !ok {
		return h, errNotSNMP
	}
	usm, _, ok := readTLV(sp, 0x30)
	if !ok {
		return h, errNotSNMP
	}
	var b []byte
	if b, usm, ok = readTLV(usm, 0x04); !ok {
		return h, errNotSNMP
	}
	if len(b) > maxEngineID {
		return h, errLongEngineID
	}
	h.engineID = string(b)
	if _, usm, ok = readInt(usm); !ok { // boots
		return h, errNotSNMP
	}
	if _, usm, ok = readInt(usm); !ok { // time
		return h, errNotSNMP
	}
	if b, _, ok = readTLV(usm, 0x04); !ok {
		return h, errNotSNMP
	}
	if len(b) > maxUser {
		return h, errLongUser
	}
	h.user = string(b)
	return h, nil
}

// readTLV reads one element with the given tag and returns its contents
// and what follows it.
func readTLV(b []byte, tag byte) (val, rest []byte, ok bool) {
	if len(b) < 2 || b[0] != tag {
		return nil, nil, false
	}
	n, i := int(b[1]), 2
	if n&0x80 != 0 {
		k := n & 0x7f
		if k == 0 || k > 3 || len(b) < 2+k {
			return nil, nil, false // indefinite or absurd lengths
		}
		n = 0
		for _, c := range b[2 : 2+k] {
			n = n<<8 | int(c)
		}
		i = 2 + k
	}
	if len(b)-i < n {
		return nil, nil, false
	}
	return b[i : i+n], b[i+n:], true
}

// readInt reads a non-negative INTEGER of at most 4 bytes of content
// (a leading zero byte allowed).
func readInt(b []byte) (int, []byte, bool) {
	val, rest, ok := readTLV(b, 0x02)
	if !ok || len(val) == 0 || len(val) > 5 || val[0]&0x80 != 0 {
		return 0, nil, false
	}
	n := 0
	for _, c := range val {
		n = n<<8 | int(c)
	}
	return n, rest, true
}
