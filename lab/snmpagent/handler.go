package snmpagent

import (
	"bytes"
	"fmt"

	"github.com/gosnmp/gosnmp"
)

// maxDatagram is the largest UDP payload over IPv4; no response is larger.
const maxDatagram = 65507

// maxRequest is the largest request a device reads; longer datagrams are
// cut by the kernel and then fail to decode.
const maxRequest = 16 << 10

// scratch is one serving goroutine's reusable memory.
type scratch struct {
	vbs []vb
	out []byte
}

// handle answers one datagram; nil means no answer.
func (d *Device) handle(msg []byte, sc *scratch) []byte {
	resp := d.answer(msg, sc)
	if resp == nil {
		d.dropped.Add(1)
		return nil
	}
	d.answered.Add(1)
	switch Misbehave(d.misbehave.Load()) {
	case MisbehaveTruncated:
		resp = resp[:len(resp)/2]
	case MisbehaveGarbage:
		resp = garbage(resp[:0], uint64(len(msg))<<32|uint64(d.answered.Load()))
	}
	return resp
}

func (d *Device) answer(msg []byte, sc *scratch) []byte {
	if d.silent.Load() {
		return nil
	}
	r := berReader{b: msg}
	outer, err := r.enter(tagSequence)
	if err != nil {
		return nil
	}
	version, err := outer.readInt()
	if err != nil {
		return nil
	}
	switch gosnmp.SnmpVersion(version) {
	case gosnmp.Version1, gosnmp.Version2c:
		return d.handleV2(msg, gosnmp.SnmpVersion(version), sc)
	case gosnmp.Version3:
		return d.handleV3(msg, sc)
	}
	return nil
}

// handleV2 answers SNMPv1 and SNMPv2c: the community must match exactly, or
// there is no answer (as net-snmp does).
func (d *Device) handleV2(msg []byte, version gosnmp.SnmpVersion, sc *scratch) []byte {
	g := gosnmp.GoSNMP{Version: version}
	pkt, err := decodeGosnmp(&g, msg)
	if err != nil || !bytes.Equal([]byte(pkt.Community), d.community) {
		return nil
	}
	if pkt.PDUType == gosnmp.GetBulkRequest && version == gosnmp.Version1 {
		return nil
	}
	rq, ok := newRequest(pkt)
	if !ok {
		return nil
	}
	limit := maxDatagram - 48 - len(d.community)
	vbs, es, ei := d.resolve(rq, limit, sc.vbs)
	out, buf := encodeV2(sc.out, version, d.community, rq.reqID, es, ei, vbs, rq.oids)
	sc.vbs, sc.out = vbs[:0], buf
	return out
}

// newRequest takes what the agent answers from a decoded packet: GET,
// GETNEXT, GETBULK and SET (refused).
func newRequest(pkt *gosnmp.SnmpPacket) (*request, bool) {
	switch pkt.PDUType {
	case gosnmp.GetRequest, gosnmp.GetNextRequest, gosnmp.GetBulkRequest, gosnmp.SetRequest:
	default:
		return nil, false
	}
	rq := &request{
		version: pkt.Version, pdu: pkt.PDUType, reqID: pkt.RequestID,
		nonRep: int(pkt.NonRepeaters), maxRep: int(pkt.MaxRepetitions),
		oids: make([]oid, 0, len(pkt.Variables)), names: make([]string, 0, len(pkt.Variables)),
	}
	for _, v := range pkt.Variables {
		o, err := parseOID(v.Name)
		if err != nil {
			return nil, false
		}
		rq.oids = append(rq.oids, o)
		rq.names = append(rq.names, v.Name)
	}
	return rq, true
}

// decodeGosnmp runs gosnmp's decoder, which can panic on hostile input; a
// panic there is an undecodable message, not a crash of the agent.
func decodeGosnmp(g *gosnmp.GoSNMP, msg []byte) (pkt *gosnmp.SnmpPacket, err error) {
	defer func() {
		if p := recover(); p != nil {
			pkt, err = nil, fmt.Errorf("gosnmp decoder panicked: %v", p)
		}
	}()
	return g.SnmpDecodePacket(msg)
}

// garbage fills dst with 64 bytes that do not start a BER SEQUENCE,
// different for every seed (xorshift64).
func garbage(dst []byte, seed uint64) []byte {
	x := seed | 1
	dst = append(dst, 0xa5)
	for len(dst) < 64 {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		dst = append(dst, byte(x))
	}
	return dst
}
