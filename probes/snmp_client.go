package probes

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"time"

	"github.com/gosnmp/gosnmp"

	"noctop/model"
)

// snmpClient is one check's gosnmp session: its socket, and for SNMPv3 the
// discovered engine and localized keys, kept between runs so that key
// derivation (~50 ms the first time) and engine discovery are paid once.
// It is used by one run at a time (its check's), never shared between
// checks.
type snmpClient struct {
	g    *gosnmp.GoSNMP
	conn *recordConn
	ip   netip.Addr // the agent's; a name that resolves elsewhere gets a new client
	addr string     // host:port, for reasons
}

// newSNMPClient builds and connects a client for session s at addr.
// Connect only creates the UDP socket; its context bounds nothing here.
func newSNMPClient(s *snmpSession, addr netip.Addr) (*snmpClient, error) {
	return connectSNMP(context.Background(), s, addr)
}

// connectSNMP builds a client for session s at addr and connects it
// (creates its UDP socket) with ctx, which stays the session's context.
func connectSNMP(ctx context.Context, s *snmpSession, addr netip.Addr) (*snmpClient, error) {
	g := &gosnmp.GoSNMP{
		Target:    addr.String(),
		Port:      uint16(s.port),
		Transport: "udp",
		Version:   s.version,
		Community: s.community,
		// Timeout and Retries are set per run from the deadline.
		MaxOids:        gosnmp.MaxOids,
		MaxRepetitions: uint32(max(s.maxRepetitions, 1)),
	}
	if s.version == gosnmp.Version3 {
		g.SecurityModel = gosnmp.UserSecurityModel
		g.MsgFlags = s.flags
		g.SecurityParameters = s.usmParams()
		g.ContextName = s.contextName
	}
	hostPort := net.JoinHostPort(g.Target, strconv.Itoa(s.port))
	g.Context = ctx
	if err := g.Connect(); err != nil {
		return nil, fmt.Errorf("snmp socket to %s: %w", hostPort, err)
	}
	rc := &recordConn{Conn: g.Conn}
	g.Conn = rc
	return &snmpClient{g: g, conn: rc, ip: addr, addr: hostPort}, nil
}

// close releases the socket.
func (cl *snmpClient) close() {
	if cl != nil && cl.g != nil {
		_ = cl.g.Close()
	}
}

// begin readies the client for one run: ctx's deadline bounds every
// request, tries is 1 + snmp_retries, and each try gets an equal share of
// the time left, so that a silent agent gets every try before the
// deadline. It returns false when no time is left.
func (cl *snmpClient) begin(ctx context.Context, tries int) bool {
	deadline, ok := ctx.Deadline()
	if !ok {
		return false // the probe sets one before (replyCutoff)
	}
	per := time.Until(deadline) / time.Duration(max(tries, 1))
	if per < time.Millisecond {
		return false
	}
	cl.g.Context = ctx
	cl.g.Timeout = per
	cl.g.Retries = max(tries, 1) - 1
	cl.g.ExponentialTimeout = false
	return true
}

// end drops the run's context, so the kept client holds none.
func (cl *snmpClient) end() { cl.g.Context = context.Background() }

// recordConn counts the datagrams a client sends and receives and keeps the
// last one received. gosnmp drops an unauthenticated Report (wrong v3
// password, unknown user) as "not authentic": the kept datagram lets the
// probe decode it and say which it was.
type recordConn struct {
	net.Conn
	sent, recv int
	last       []byte
}

// Read is net.Conn's Read, recording the datagram.
func (c *recordConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	if n > 0 {
		c.recv++
		c.last = append(c.last[:0], b[:n]...)
	}
	return n, err
}

// Write is net.Conn's Write, counted.
func (c *recordConn) Write(b []byte) (int, error) {
	c.sent++
	return c.Conn.Write(b)
}

// exchange is one request with its retries, as the probe saw it on the
// wire.
type exchange struct {
	what       string // "GET of the system group", "GETBULK of ifTable/ifXTable"
	sent, recv int
	last       []byte // last datagram received during this exchange
}

// request runs one gosnmp call and wraps its error with what the wire saw.
func (cl *snmpClient) request(what string, call func() (*gosnmp.SnmpPacket, error)) (*gosnmp.SnmpPacket, error) {
	sent, recv := cl.conn.sent, cl.conn.recv
	pkt, err := safeCall(call)
	if err == nil && pkt == nil {
		err = errors.New("no packet")
	}
	if err != nil {
		ex := &exchange{what: what, sent: cl.conn.sent - sent, recv: cl.conn.recv - recv}
		if ex.recv > 0 {
			ex.last = append([]byte(nil), cl.conn.last...)
		}
		return pkt, &requestError{ex: ex, err: err}
	}
	return pkt, nil
}

// safeCall turns a panic inside gosnmp into an error (gosnmp recovers in
// send, but not everywhere).
func safeCall(call func() (*gosnmp.SnmpPacket, error)) (pkt *gosnmp.SnmpPacket, err error) {
	defer func() {
		if v := recover(); v != nil {
			pkt, err = nil, fmt.Errorf("gosnmp panicked: %v", v)
		}
	}()
	return call()
}

// requestError is a failed request with what the wire saw.
type requestError struct {
	ex  *exchange
	err error
}

func (e *requestError) Error() string { return e.ex.what + ": " + e.err.Error() }
func (e *requestError) Unwrap() error { return e.err }

// get reads oids with GET requests of at most MaxOids each. A value the
// agent does not have comes back as noSuchObject/noSuchInstance (SNMPv1's
// noSuchName error is turned into the same, by asking again without it).
func (cl *snmpClient) get(oids []string) (map[string]gosnmp.SnmpPDU, error) {
	out := make(map[string]gosnmp.SnmpPDU, len(oids))
	for start := 0; start < len(oids); start += gosnmp.MaxOids {
		chunk := oids[start:min(start+gosnmp.MaxOids, len(oids))]
		if err := cl.getChunk(chunk, out); err != nil {
			return out, err
		}
	}
	return out, nil
}

func (cl *snmpClient) getChunk(oids []string, out map[string]gosnmp.SnmpPDU) error {
	oids = append([]string(nil), oids...)
	for len(oids) > 0 {
		pkt, err := cl.request("GET", func() (*gosnmp.SnmpPacket, error) { return cl.g.Get(oids) })
		if err != nil {
			return err
		}
		if pkt.Error == gosnmp.NoSuchName && cl.g.Version == gosnmp.Version1 {
			i := int(pkt.ErrorIndex) - 1
			if i < 0 || i >= len(oids) {
				return fmt.Errorf("GET: agent answered noSuchName for variable %d of %d", pkt.ErrorIndex, len(oids))
			}
			out[oids[i]] = gosnmp.SnmpPDU{Name: oids[i], Type: gosnmp.NoSuchObject}
			oids = append(oids[:i], oids[i+1:]...)
			continue
		}
		if pkt.Error != gosnmp.NoError {
			return agentError("GET", pkt)
		}
		if len(pkt.Variables) != len(oids) {
			return fmt.Errorf("GET: agent answered %d values for %d requested", len(pkt.Variables), len(oids))
		}
		for i, v := range pkt.Variables {
			if dotted(v.Name) != oids[i] {
				return fmt.Errorf("GET: asked for %s, agent answered %s", oids[i], model.Clip(v.Name, model.MaxNetText))
			}
			out[oids[i]] = v
		}
		return nil
	}
	return nil
}

// ErrSNMPAccess: the agent refused the request (authorizationError or
// noAccess): the user or community lacks the access level or view.
var ErrSNMPAccess = errors.New("access denied by the agent")

// agentError describes an error-status in a response.
func agentError(what string, pkt *gosnmp.SnmpPacket) error {
	switch pkt.Error {
	case gosnmp.AuthorizationError, gosnmp.NoAccess:
		return fmt.Errorf("%w (%s to %s): check the access level and view of the user or community", ErrSNMPAccess, pkt.Error, what)
	}
	return fmt.Errorf("%s: agent answered error %s (index %d)", what, pkt.Error, pkt.ErrorIndex)
}
