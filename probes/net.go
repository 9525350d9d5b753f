package probes

import (
	"context"
	"fmt"
	"net"
)

// Net runs the network application probes (HTTP, TCP, DNS, TLS). Its methods
// have the ProbeFunc shape. The zero value resolves names with the system
// resolver; tests and the lab set Resolver to a server they run themselves,
// so that no probe ever asks a resolver the test did not start.
type Net struct {
	// Resolver resolves host names in URLs, asset addresses and DNS server
	// names. nil means net.DefaultResolver.
	Resolver *net.Resolver
}

// dialer builds a dialer with no timeout of its own: the ctx deadline set by
// the caller is the only clock.
func (n *Net) dialer() *net.Dialer {
	d := &net.Dialer{}
	if n != nil {
		d.Resolver = n.Resolver
	}
	return d
}

// closeOnDone closes c when ctx ends, so that a read blocked on a server that
// never answers returns at the deadline even where SetDeadline is not
// enough (cancellation without a deadline). Call the returned stop when done.
func closeOnDone(ctx context.Context, c net.Conn) (stop func() bool) {
	if dl, ok := ctx.Deadline(); ok {
		_ = c.SetDeadline(dl)
	}
	return context.AfterFunc(ctx, func() { _ = c.Close() })
}

// hostPort joins an asset address and a port, accepting an address that is
// already bracketed ("[::1]").
func hostPort(host string, port int) string {
	if len(host) > 1 && host[0] == '[' && host[len(host)-1] == ']' {
		host = host[1 : len(host)-1]
	}
	return net.JoinHostPort(host, fmt.Sprint(port))
}
