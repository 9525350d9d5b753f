package probes

import (
	"context"
	"fmt"
	"net/netip"

	"github.com/gosnmp/gosnmp"

	"noctop/model"
)

// SNMPClient is a connected gosnmp session built from an snmp check as the
// snmp probe builds its own, for callers that send their own requests
// (discovery), so that both speak SNMP alike.
type SNMPClient struct{ cl *snmpClient }

// NewSNMPClient builds a session from snmp check c (port, version,
// community or SNMPv3 user, protocols and context, max_repetitions; held
// to the loader's rules) and connects it (creates its UDP socket) to addr.
// ctx bounds the connecting and stays the session's context; timeout and
// retries are the caller's to set on GoSNMP.
func NewSNMPClient(ctx context.Context, c *model.Check, addr netip.Addr) (*SNMPClient, error) {
	s, err := newSNMPSession(c)
	if err != nil {
		return nil, fmt.Errorf("snmp session to %s: %w", addr, err)
	}
	cl, err := connectSNMP(ctx, &s, addr)
	if err != nil {
		return nil, err
	}
	return &SNMPClient{cl: cl}, nil
}

// GoSNMP is the session, for requests.
func (c *SNMPClient) GoSNMP() *gosnmp.GoSNMP { return c.cl.g }

// Received is how many datagrams the session received and the last one:
// they tell a silent host from one that answers what gosnmp cannot read
// (such as an SNMPv3 Report refusing the user).
func (c *SNMPClient) Received() (n int, last []byte) { return c.cl.conn.recv, c.cl.conn.last }

// Close releases the socket.
func (c *SNMPClient) Close() { c.cl.close() }
