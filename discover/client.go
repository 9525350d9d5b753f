package discover

import (
	"context"
	"fmt"
	"net/netip"
	"time"

	"github.com/gosnmp/gosnmp"

	"noctop/model"
	"noctop/probes"
)

// client is a connected gosnmp session to one host, counting datagrams:
// the snmp probe's, built from the check the credentials make.
type client struct {
	g    *gosnmp.GoSNMP
	conn *probes.SNMPClient
}

// newClient connects (creates the UDP socket for) a session to addr.
// Credentials are valid (Validate).
func newClient(ctx context.Context, c Credentials, addr netip.Addr, timeout time.Duration, retries int) (*client, error) {
	ch := c.check()
	if ch.Version != "1" { // SNMPv1 has no GETBULK
		ch.MaxRepetitions = model.DefaultSNMPMaxRepetitions
	}
	conn, err := probes.NewSNMPClient(ctx, &ch, addr)
	if err != nil {
		return nil, err
	}
	g := conn.GoSNMP()
	g.Timeout, g.Retries = timeout, retries
	return &client{g: g, conn: conn}, nil
}

func (cl *client) close() { cl.conn.Close() }

// received is how many datagrams the host sent back and the last one.
func (cl *client) received() (int, []byte) { return cl.conn.Received() }

// call runs one gosnmp request, turning a panic into an error.
func call[T any](f func() (T, error)) (v T, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("gosnmp panicked: %v", p)
		}
	}()
	return f()
}
