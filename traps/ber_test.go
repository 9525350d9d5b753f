package traps

// BER building for tests: datagrams the way a hostile sender writes them,
// with fields as long as it likes, which gosnmp's encoder would not send.

// tlv encodes one BER element with a definite length (long form beyond
// 127 octets).
func tlv(tag byte, parts ...[]byte) []byte {
	var body []byte
	for _, p := range parts {
		body = append(body, p...)
	}
	n := len(body)
	out := []byte{tag}
	switch {
	case n < 0x80:
		out = append(out, byte(n))
	case n <= 0xff:
		out = append(out, 0x81, byte(n))
	case n <= 0xffff:
		out = append(out, 0x82, byte(n>>8), byte(n))
	default:
		out = append(out, 0x83, byte(n>>16), byte(n>>8), byte(n))
	}
	return append(out, body...)
}

func berInt(n int) []byte {
	b := []byte{byte(n)}
	for n >>= 8; n > 0; n >>= 8 {
		b = append([]byte{byte(n)}, b...)
	}
	if b[0]&0x80 != 0 {
		b = append([]byte{0}, b...)
	}
	return tlv(0x02, b)
}

// v3Message is a v3 message with USM parameters naming user and engineID,
// the given flags and an encrypted-looking (opaque) scoped PDU. It needs
// no credentials: the receiver must judge it from its header.
func v3Message(engineID, user []byte, flags byte) []byte {
	global := tlv(0x30, berInt(1), berInt(65507), tlv(0x04, []byte{flags}), berInt(usmModel))
	usm := tlv(0x30, tlv(0x04, engineID), berInt(1), berInt(1), tlv(0x04, user),
		tlv(0x04, make([]byte, 12)), tlv(0x04, make([]byte, 8)))
	return tlv(0x30, berInt(3), global, tlv(0x04, usm), tlv(0x04, []byte("opaque scoped PDU")))
}

// communityMessage is a v1/v2c message (version 0 or 1) with the given
// community and an empty PDU.
func communityMessage(version int, community []byte) []byte {
	return tlv(0x30, berInt(version), tlv(0x04, community), tlv(0xa7))
}
