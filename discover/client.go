package discover

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"time"

	"github.com/gosnmp/gosnmp"

	"noctop/usm"
)

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
