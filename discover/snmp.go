package discover

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/gosnmp/gosnmp"

	"noctop/model"
	"noctop/usm"
)

// Credentials are how discovery speaks SNMP, as an snmp check would: the
// secrets are kept as written (a value, "env:NAME" or "file:PATH"), so the
// config written says the same, and resolved to send requests.
type Credentials struct {
	Version      string // "1", "2c" (default) or "3"
	Community    string // versions 1 and 2c; default "public"
	User         string // version 3
	AuthProtocol string
	AuthPassword string
	PrivProtocol string
	PrivPassword string
	Context      string
	Port         int // default 161
}

// check is the snmp check the credentials make, defaults applied: the
// project's own rules validate it and the config writer prints it.
func (c Credentials) check() model.Check {
	ch := model.Check{Type: model.CheckSNMP, Version: c.Version, User: c.User, SNMPContext: c.Context, Port: c.Port,
		AuthProtocol: c.AuthProtocol, PrivProtocol: c.PrivProtocol}
	if ch.Version == "" {
		ch.Version = model.DefaultSNMPVersion
	}
	if ch.Port == 0 {
		ch.Port = model.DefaultSNMPPort
	}
	if c.Community != "" {
		ch.Community = model.NewSecret(c.Community)
	} else if ch.Version != "3" {
		ch.Community = model.NewSecret(model.DefaultSNMPCommunity)
	}
	if c.AuthPassword != "" {
		ch.AuthPassword = model.NewSecret(c.AuthPassword)
	}
	if c.PrivPassword != "" {
		ch.PrivPassword = model.NewSecret(c.PrivPassword)
	}
	return ch
}

// Validate checks the credentials with the rules an snmp check follows.
func (c Credentials) Validate() error {
	ch := c.check()
	if ch.Port < 1 || ch.Port > 65535 {
		return fmt.Errorf("port: want 1 to 65535, got %d", ch.Port)
	}
	if err := model.CheckSNMPVersion(ch.Version); err != nil {
		return err
	}
	if ch.Version != "3" {
		if err := ch.Community.Err(); err != nil {
			return fmt.Errorf("community: %w", err)
		}
		return model.CheckSNMPCommunity(ch.Community)
	}
	if err := model.CheckSNMPUser(ch.User); err != nil {
		return err
	}
	if _, err := usm.Auth(ch.AuthProtocol); err != nil {
		return err
	}
	if _, err := usm.Priv(ch.PrivProtocol); err != nil {
		return err
	}
	if err := model.CheckSNMPPrivacy(ch.AuthProtocol, ch.PrivProtocol); err != nil {
		return err
	}
	for _, pw := range []struct {
		key string
		set bool
		s   model.Secret
	}{{"auth_password", ch.AuthProtocol != "", ch.AuthPassword}, {"priv_password", ch.PrivProtocol != "", ch.PrivPassword}} {
		if !pw.set {
			continue
		}
		if err := pw.s.Err(); err != nil {
			return fmt.Errorf("%s: %w", pw.key, err)
		}
		if err := model.CheckSNMPPassword(pw.key, pw.s); err != nil {
			return err
		}
	}
	return nil
}

// client is a connected gosnmp session to one host, counting datagrams.
type client struct {
	g    *gosnmp.GoSNMP
	conn *countConn
}

// newClient connects (creates the UDP socket for) a session to addr.
// Credentials are valid (Validate).
func newClient(ctx context.Context, c Credentials, addr netip.Addr, timeout time.Duration, retries int) (*client, error) {
	ch := c.check()
	g := &gosnmp.GoSNMP{
		Target: addr.String(), Port: uint16(ch.Port), Transport: "udp", Community: ch.Community.Value(),
		Version: gosnmp.Version2c, Timeout: timeout, Retries: retries, Context: ctx,
		MaxOids: gosnmp.MaxOids, MaxRepetitions: 25,
	}
	switch ch.Version {
	case "1":
		g.Version = gosnmp.Version1
	case "3":
		g.Version = gosnmp.Version3
		auth, _ := usm.Auth(ch.AuthProtocol)
		priv, _ := usm.Priv(ch.PrivProtocol)
		g.SecurityModel = gosnmp.UserSecurityModel
		g.MsgFlags = gosnmp.NoAuthNoPriv
		if auth != gosnmp.NoAuth {
			g.MsgFlags = gosnmp.AuthNoPriv
		}
		if priv != gosnmp.NoPriv {
			g.MsgFlags = gosnmp.AuthPriv
		}
		g.ContextName = ch.SNMPContext
		g.SecurityParameters = &gosnmp.UsmSecurityParameters{UserName: ch.User,
			AuthenticationProtocol: auth, AuthenticationPassphrase: ch.AuthPassword.Value(),
			PrivacyProtocol: priv, PrivacyPassphrase: ch.PrivPassword.Value()}
	}
	if err := g.Connect(); err != nil {
		return nil, fmt.Errorf("snmp socket to %s: %w", net.JoinHostPort(g.Target, strconv.Itoa(int(g.Port))), err)
	}
	cc := &countConn{Conn: g.Conn}
	g.Conn = cc
	return &client{g: g, conn: cc}, nil
}

func (cl *client) close() { _ = cl.g.Close() }

// countConn counts the datagrams received and keeps the last one, to tell
// a silent host from one that answers something gosnmp cannot read.
type countConn struct {
	net.Conn
	recv int
	last []byte
}

func (c *countConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	if n > 0 {
		c.recv++
		c.last = append(c.last[:0], b[:n]...)
	}
	return n, err
}

// call runs one gosnmp request, turning a panic into an error.
func call[T any](f func() (T, error)) (v T, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("gosnmp panicked: %v", p)
		}
	}()
	return f()
}

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
		if cl.conn.recv > 0 && cl.g.Version == gosnmp.Version3 {
			if oid, ok := reportOID(cl.conn.last); ok {
				return fmt.Errorf("%w: the agent answered with a USM Report %s (unknown user, or wrong passwords or protocols)", ErrRefused, oid)
			}
		}
		if cl.conn.recv > 0 {
			return fmt.Errorf("%w: %d datagram(s) that are not an SNMP response (%s)", ErrGarbage, cl.conn.recv, model.Clip(err.Error(), 120))
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
	return cl.conn.recv > 0
}

// roots asks for the first object under each MIB root with one GETNEXT and
// returns the roots that have one.
func roots(cl *client) ([]string, error) {
	all := mibRoots()
	pkt, err := call(func() (*gosnmp.SnmpPacket, error) { return cl.g.GetNext(all) })
	if err != nil {
		return nil, err
	}
	var out []string
	for i, v := range pkt.Variables {
		if i < len(all) && strings.HasPrefix(v.Name, all[i]+".") {
			out = append(out, all[i])
		}
	}
	return out, nil
}

// walk reads a column, cut at maxTableRows; each gets the row's index
// (the OID after the column) and value.
func walk(cl *client, column string, each func(index string, v gosnmp.SnmpPDU)) error {
	n := 0
	errStop := errors.New("stop")
	errCut := fmt.Errorf("more than %d rows: the rest was not read", maxTableRows)
	walker := cl.g.BulkWalk
	if cl.g.Version == gosnmp.Version1 {
		walker = cl.g.Walk
	}
	_, err := call(func() (struct{}, error) {
		return struct{}{}, walker(column, func(v gosnmp.SnmpPDU) error {
			if !strings.HasPrefix(v.Name, column+".") {
				return errStop
			}
			if n++; n > maxTableRows {
				return errCut
			}
			each(strings.TrimPrefix(v.Name, column+"."), v)
			return nil
		})
	})
	if errors.Is(err, errStop) {
		err = nil
	}
	return err
}

// lldp reads the local chassis ID and lldpRemTable's chassis, port and
// name columns.
func lldp(cl *client, h *Host) error {
	pkt, err := call(func() (*gosnmp.SnmpPacket, error) { return cl.g.Get([]string{oidLLDPLocChassis}) })
	if err == nil && len(pkt.Variables) == 1 {
		if b, ok := pkt.Variables[0].Value.([]byte); ok {
			h.ChassisID = chassisText(b)
		}
	}
	rows := map[string]*Neighbor{}
	var order []string
	for _, col := range []int{lldpRemChassisCol, lldpRemPortIDCol, lldpRemSysNameCol} {
		err := walk(cl, oidLLDPRemEntry+"."+strconv.Itoa(col), func(index string, v gosnmp.SnmpPDU) {
			// index: timeMark.localPort.remIndex
			parts := strings.Split(index, ".")
			if len(parts) != 3 {
				return
			}
			n := rows[index]
			if n == nil {
				port, _ := strconv.Atoi(parts[1])
				n = &Neighbor{LocalPort: port}
				rows[index] = n
				order = append(order, index)
			}
			b, _ := v.Value.([]byte)
			switch col {
			case lldpRemChassisCol:
				n.ChassisID = chassisText(b)
			case lldpRemPortIDCol:
				n.PortID = text(b)
			case lldpRemSysNameCol:
				n.SysName = text(b)
			}
		})
		if err != nil {
			return fmt.Errorf("lldpRemTable: %w", err)
		}
	}
	for _, k := range order {
		h.Neighbors = append(h.Neighbors, *rows[k])
	}
	return nil
}

// fdb reads dot1dTpFdbPort: the MAC (the row's index) and its port.
func fdb(cl *client, h *Host) error {
	return walk(cl, oidDot1dTpFdbPort, func(index string, v gosnmp.SnmpPDU) {
		mac, ok := macFromIndex(index)
		port, isInt := v.Value.(int)
		if ok && isInt {
			h.FDB = append(h.FDB, FDBEntry{MAC: mac, Port: port})
		}
	})
}

// macs reads ifPhysAddress: the host's MAC addresses, for the bridges'
// tables.
func macs(cl *client, h *Host) error {
	return walk(cl, oidIfPhysAddress, func(_ string, v gosnmp.SnmpPDU) {
		if b, ok := v.Value.([]byte); ok && len(b) == 6 {
			h.MACs = append(h.MACs, net.HardwareAddr(b).String())
		}
	})
}

func macFromIndex(index string) (string, bool) {
	parts := strings.Split(index, ".")
	if len(parts) != 6 {
		return "", false
	}
	b := make(net.HardwareAddr, 6)
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > 255 {
			return "", false
		}
		b[i] = byte(n)
	}
	return b.String(), true
}

// chassisText is an LLDP chassis ID as text: a MAC address when it is six
// bytes that are not all printable, the text when printable, else hex.
func chassisText(b []byte) string {
	if len(b) == 6 && !printable(b) {
		return net.HardwareAddr(b).String()
	}
	if printable(b) {
		return string(b)
	}
	return fmt.Sprintf("%x", b)
}

func printable(b []byte) bool {
	if !utf8.Valid(b) {
		return false
	}
	for _, r := range string(b) {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return len(b) > 0
}

// text is a DisplayString from the network, clipped and with control
// characters dropped.
func text(b []byte) string {
	s := strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError {
			return -1
		}
		return r
	}, string(b))
	return model.Clip(strings.TrimSpace(s), model.MaxNetText)
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
