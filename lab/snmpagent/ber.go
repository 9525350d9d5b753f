package snmpagent

import (
	"errors"
)

// BER tags the agent writes and reads itself. Everything else in a message
// goes through gosnmp.
const (
	tagInteger  = 0x02
	tagOctetStr = 0x04
	tagNull     = 0x05
	tagOID      = 0x06
	tagSequence = 0x30
	tagCounter  = 0x41
	tagGauge    = 0x42
	tagTicks    = 0x43
	tagCounter6 = 0x46
	tagNoSuchOb = 0x80
	tagNoSuchIn = 0x81
	tagEndOfMib = 0x82
)

// appendTagLen appends a tag and a definite length (short or long form).
func appendTagLen(dst []byte, tag byte, n int) []byte {
	dst = append(dst, tag)
	switch {
	case n < 0x80:
		return append(dst, byte(n))
	case n <= 0xff:
		return append(dst, 0x81, byte(n))
	case n <= 0xffff:
		return append(dst, 0x82, byte(n>>8), byte(n))
	default:
		return append(dst, 0x83, byte(n>>16), byte(n>>8), byte(n))
	}
}

// tagLenSize is the size appendTagLen writes for a length of n.
func tagLenSize(n int) int {
	switch {
	case n < 0x80:
		return 2
	case n <= 0xff:
		return 3
	case n <= 0xffff:
		return 4
	default:
		return 5
	}
}

// appendInt appends an INTEGER-shaped TLV (two's complement, minimal).
func appendInt(dst []byte, tag byte, v int64) []byte {
	n := 1
	for t := v; t > 127 || t < -128; t >>= 8 {
		n++
	}
	dst = append(dst, tag, byte(n))
	for i := n - 1; i >= 0; i-- {
		dst = append(dst, byte(v>>(8*uint(i))))
	}
	return dst
}

// appendUint appends an unsigned TLV (Counter32, Gauge32, TimeTicks,
// Counter64): minimal big-endian, with a leading zero when the top bit is
// set so that it does not read as negative.
func appendUint(dst []byte, tag byte, v uint64) []byte {
	n := uintSize(v)
	dst = append(dst, tag, byte(n))
	if n == 9 {
		dst = append(dst, 0)
		n = 8
	}
	for i := n - 1; i >= 0; i-- {
		dst = append(dst, byte(v>>(8*uint(i))))
	}
	return dst
}

// uintSize is the content size appendUint writes for v.
func uintSize(v uint64) int {
	n := 1
	for t := v >> 8; t > 0; t >>= 8 {
		n++
	}
	if v>>(8*uint(n)-1)&1 == 1 {
		n++
	}
	return n
}

func intSize(v int64) int {
	n := 1
	for t := v; t > 127 || t < -128; t >>= 8 {
		n++
	}
	return n
}

// errBER is returned by the agent's small BER reader for any malformed or
// truncated element.
var errBER = errors.New("malformed BER")

// berReader walks the TLVs of a message. It never panics: every read checks
// the bounds and returns errBER instead.
type berReader struct {
	b   []byte
	pos int
}

// next reads one TLV and returns its tag, its content and the offset of the
// content in the whole buffer.
func (r *berReader) next() (tag byte, content []byte, off int, err error) {
	if r.pos+2 > len(r.b) {
		return 0, nil, 0, errBER
	}
	tag = r.b[r.pos]
	l := int(r.b[r.pos+1])
	p := r.pos + 2
	if l&0x80 != 0 {
		k := l & 0x7f
		if k == 0 || k > 3 || p+k > len(r.b) {
			return 0, nil, 0, errBER
		}
		l = 0
		for i := range k {
			l = l<<8 | int(r.b[p+i])
		}
		p += k
	}
	if l > len(r.b)-p {
		return 0, nil, 0, errBER
	}
	r.pos = p + l
	return tag, r.b[p : p+l], p, nil
}

// expect reads one TLV and checks its tag.
func (r *berReader) expect(tag byte) ([]byte, int, error) {
	t, c, off, err := r.next()
	if err != nil {
		return nil, 0, err
	}
	if t != tag {
		return nil, 0, errBER
	}
	return c, off, nil
}

// readInt reads an INTEGER that fits in 32 bits.
func (r *berReader) readInt() (int64, error) {
	c, _, err := r.expect(tagInteger)
	if err != nil {
		return 0, err
	}
	if len(c) == 0 || len(c) > 5 {
		return 0, errBER
	}
	v := int64(int8(c[0]))
	for _, b := range c[1:] {
		v = v<<8 | int64(b)
	}
	return v, nil
}

// enter reads a constructed TLV with the given tag and returns a reader
// over its content (offsets stay those of the whole buffer).
func (r *berReader) enter(tag byte) (berReader, error) {
	c, off, err := r.expect(tag)
	if err != nil {
		return berReader{}, err
	}
	return berReader{b: r.b[:off+len(c)], pos: off}, nil
}

// done reports whether the reader has consumed its whole buffer.
func (r *berReader) done() bool { return r.pos == len(r.b) }
