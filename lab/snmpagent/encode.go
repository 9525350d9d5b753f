package snmpagent

import (
	"github.com/gosnmp/gosnmp"
)

// The agent encodes SNMPv1/v2c responses itself: OID TLVs are encoded once
// per layout and values go straight into one reused buffer, so a 1,000
// varbind GETBULK costs no allocation per varbind. Tests check the output
// against gosnmp's decoder and its MarshalMsg; SNMPv3 responses go through
// gosnmp's MarshalMsg (it authenticates and encrypts).

// valueSize is the size of v's value TLV.
func (v *vb) valueSize() int {
	switch v.tag {
	case tagInteger:
		return 2 + intSize(int64(v.num))
	case tagCounter, tagGauge, tagTicks, tagCounter6:
		return 2 + uintSize(v.num)
	case tagOctetStr:
		return tagLenSize(len(v.str)) + len(v.str)
	case tagOID:
		return tagLenSize(len(v.oidv.content)) + len(v.oidv.content)
	}
	return 2 // NULL and the exceptions
}

// vbSize is the size of v's whole varbind TLV.
func (r *resolver) vbSize(v *vb) int {
	n := v.valueSize()
	if v.e != nil {
		n += len(v.e.tlv)
	} else {
		n += oidTLVSize(r.rq.oids[v.req])
	}
	return tagLenSize(n) + n
}

func appendValue(dst []byte, v *vb) []byte {
	switch v.tag {
	case tagInteger:
		return appendInt(dst, tagInteger, int64(v.num))
	case tagCounter, tagGauge, tagTicks, tagCounter6:
		return appendUint(dst, v.tag, v.num)
	case tagOctetStr:
		return append(appendTagLen(dst, tagOctetStr, len(v.str)), v.str...)
	case tagOID:
		return append(appendTagLen(dst, tagOID, len(v.oidv.content)), v.oidv.content...)
	}
	return append(dst, v.tag, 0)
}

// appendVBL appends the varbind list as a SEQUENCE.
func appendVBL(dst []byte, vbs []vb, reqOIDs []oid) []byte {
	names := make([][]byte, 0, 4) // request OIDs, encoded once each
	nameOf := func(v *vb) []byte {
		if v.e != nil {
			return v.e.tlv
		}
		for len(names) <= v.req {
			names = append(names, nil)
		}
		if names[v.req] == nil {
			names[v.req] = encodeOIDTLV(reqOIDs[v.req])
		}
		return names[v.req]
	}
	total := 0
	for i := range vbs {
		n := len(nameOf(&vbs[i])) + vbs[i].valueSize()
		total += tagLenSize(n) + n
	}
	dst = appendTagLen(dst, tagSequence, total)
	for i := range vbs {
		v := &vbs[i]
		name := nameOf(v)
		dst = appendTagLen(dst, tagSequence, len(name)+v.valueSize())
		dst = append(dst, name...)
		dst = appendValue(dst, v)
	}
	return dst
}

// encodeV2 writes a v1/v2c GetResponse into buf and returns it, and buf
// (grown).
func encodeV2(buf []byte, version gosnmp.SnmpVersion, community []byte, reqID uint32, errStatus, errIndex int, vbs []vb, reqOIDs []oid) (msg, reuse []byte) {
	// The varbind list goes in first, after room for the headers (at most
	// 40 bytes besides the community), so that every length is known when
	// the headers are written in front of it.
	head := 40 + len(community)
	body := append(buf[:0], make([]byte, head)...)
	body = appendVBL(body, vbs, reqOIDs)
	vbl := body[head:]

	var pdu [24]byte
	p := appendInt(pdu[:0], tagInteger, int64(int32(reqID)))
	p = appendInt(p, tagInteger, int64(errStatus))
	p = appendInt(p, tagInteger, int64(errIndex))
	pduLen := len(p) + len(vbl)
	comm := tagLenSize(len(community)) + len(community)
	msgLen := 3 + comm + tagLenSize(pduLen) + pduLen
	prefix := tagLenSize(msgLen) + 3 + comm + tagLenSize(pduLen) + len(p)
	start := head - prefix
	w := body[start:start]
	w = appendTagLen(w, tagSequence, msgLen)
	w = appendInt(w, tagInteger, int64(version))
	w = append(appendTagLen(w, tagOctetStr, len(community)), community...)
	w = appendTagLen(w, byte(gosnmp.GetResponse), pduLen)
	_ = append(w, p...)
	return body[start:], body[:0]
}

// pdus converts varbinds to gosnmp's form, for MarshalMsg.
func pdus(vbs []vb, names []string) []gosnmp.SnmpPDU {
	out := make([]gosnmp.SnmpPDU, len(vbs))
	for i := range vbs {
		v := &vbs[i]
		p := &out[i]
		if v.e != nil {
			p.Name = v.e.name
		} else {
			p.Name = names[v.req]
		}
		p.Type = gosnmp.Asn1BER(v.tag)
		switch v.tag {
		case tagInteger:
			p.Value = int(int64(v.num))
		case tagCounter, tagGauge, tagTicks:
			p.Value = uint32(v.num)
		case tagCounter6:
			p.Value = v.num
		case tagOctetStr:
			p.Value = v.str
		case tagOID:
			p.Value = v.oidv.name
		}
	}
	return out
}
