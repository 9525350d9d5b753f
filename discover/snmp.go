package discover

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"syscall"

	"github.com/gosnmp/gosnmp"

	"noctop/model"
)

// OIDs discovery reads.
const (
	oidSysDescr        = ".1.3.6.1.2.1.1.1.0"
	oidSysObjectID     = ".1.3.6.1.2.1.1.2.0"
	oidSysName         = ".1.3.6.1.2.1.1.5.0"
	oidIfPhysAddress   = ".1.3.6.1.2.1.2.2.1.6"
	oidLLDPLocChassis  = ".1.0.8802.1.1.2.1.3.2.0"
	oidLLDPRemEntry    = ".1.0.8802.1.1.2.1.4.1.1"
	oidDot1dTpFdbPort  = ".1.3.6.1.2.1.17.4.3.1.2"
	maxTableRows       = 10_000 // a bigger LLDP or FDB table is cut (and said)
	lldpRemChassisCol  = 5
	lldpRemPortIDCol   = 7
	lldpRemSysNameCol  = 9
	errWrongTypeFormat = "%s is %s, not %s"
)

// Problems a host can have, reported per host; a sweep goes on.
var (
	// ErrSilent: the host answered ping but not SNMP.
	ErrSilent = errors.New("no SNMP answer")
	// ErrV3Only: no answer with the community, but an SNMPv3 engine
	// answers.
	ErrV3Only = errors.New("SNMPv3 only: give --v3-user")
	// ErrRefused: an SNMPv3 agent refused the user given.
	ErrRefused = errors.New("SNMPv3 refused")
	// ErrGarbage: the host answered with something that is not SNMP, or
	// not the types the MIB defines.
	ErrGarbage = errors.New("garbage answer")
)

// system reads the system group; a host that does not answer gets a
// problem wrapping ErrSilent, ErrV3Only or ErrGarbage.
func (q *querier) system(ctx context.Context, cl *client, h *Host) error {
	pkt, err := call(func() (*gosnmp.SnmpPacket, error) {
		return cl.g.Get([]string{oidSysDescr, oidSysObjectID, oidSysName})
	})
	if err != nil {
		recv, last := cl.received()
		if recv > 0 && cl.g.Version == gosnmp.Version3 {
			if oid, ok := reportOID(last); ok {
				return fmt.Errorf("%w: the agent answered with a USM Report %s (unknown user, or wrong passwords or protocols)", ErrRefused, oid)
			}
		}
		if recv > 0 {
			return fmt.Errorf("%w: %d datagram(s) that are not an SNMP response (%s)", ErrGarbage, recv, model.Clip(err.Error(), 120))
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if errors.Is(err, syscall.ECONNREFUSED) {
			return fmt.Errorf("%w (UDP port %d closed)", ErrSilent, cl.g.Port)
		}
		if cl.g.Version != gosnmp.Version3 && q.speaksV3(ctx, h.Addr) {
			return fmt.Errorf("%w (no answer to SNMP%s with the community given)", ErrV3Only, cl.g.Version)
		}
		if strings.Contains(err.Error(), "timeout") {
			return fmt.Errorf("%w (timeout)", ErrSilent)
		}
		return fmt.Errorf("%w (%s)", ErrSilent, model.Clip(err.Error(), 120))
	}
	if pkt.Error != gosnmp.NoError {
		return fmt.Errorf("%w: error-status %s", ErrGarbage, pkt.Error)
	}
	for _, v := range pkt.Variables {
		switch v.Name {
		case oidSysDescr, oidSysName:
			s, ok := v.Value.([]byte)
			if !ok && v.Type != gosnmp.NoSuchObject && v.Type != gosnmp.NoSuchInstance {
				return fmt.Errorf("%w: "+errWrongTypeFormat, ErrGarbage, v.Name, v.Type, "an OCTET STRING")
			}
			if v.Name == oidSysDescr {
				h.SysDescr = text(s)
			} else {
				h.SysName = text(s)
			}
		case oidSysObjectID:
			switch v.Type {
			case gosnmp.ObjectIdentifier:
				h.SysObjectID, _ = v.Value.(string)
			case gosnmp.NoSuchObject, gosnmp.NoSuchInstance:
			default:
				return fmt.Errorf("%w: "+errWrongTypeFormat, ErrGarbage, "sysObjectID", v.Type, "an OBJECT IDENTIFIER")
			}
		default:
			return fmt.Errorf("%w: answered %s, which was not asked", ErrGarbage, model.Clip(v.Name, 80))
		}
	}
	if h.SysObjectID == "" && h.SysDescr == "" && h.SysName == "" {
		return fmt.Errorf("%w: no system group (sysDescr, sysObjectID, sysName)", ErrGarbage)
	}
	return nil
}

// speaksV3 reports whether an SNMPv3 engine answers at addr: any datagram
// back to an engine discovery request (the Report an agent sends to an
// unknown user counts).
func (q *querier) speaksV3(ctx context.Context, addr netip.Addr) bool {
	c := Credentials{Version: "3", User: "noctop-discover", Port: q.creds.Port}
	cl, err := newClient(ctx, c, addr, q.timeout, 0)
	if err != nil {
		return false
	}
	defer cl.close()
	_, _ = call(func() (*gosnmp.SnmpPacket, error) { return cl.g.Get([]string{oidSysName}) })
	recv, _ := cl.received()
	return recv > 0
}

// reportOID decodes a datagram as an unauthenticated SNMPv3 Report (how
// agents refuse a user) and returns its OID.
func reportOID(b []byte) (oid string, ok bool) {
	defer func() {
		if recover() != nil {
			oid, ok = "", false
		}
	}()
	g := &gosnmp.GoSNMP{Version: gosnmp.Version3, SecurityModel: gosnmp.UserSecurityModel, MsgFlags: gosnmp.NoAuthNoPriv,
		SecurityParameters: &gosnmp.UsmSecurityParameters{UserName: "report"}}
	pkt, err := g.SnmpDecodePacket(b)
	if err != nil || pkt.PDUType != gosnmp.Report || len(pkt.Variables) == 0 {
		return "", false
	}
	return pkt.Variables[0].Name, true
}
