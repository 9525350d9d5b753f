package probes

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"sync"

	"noctop/model"
)

// Net prepares the network application probes (HTTP, TCP, DNS, TLS): its
// Prepare methods are PrepareFuncs. The zero value resolves names with the
// system resolver; tests and the lab set Resolver to a server they run
// themselves, so that no probe ever asks a resolver the test did not start.
// Do not copy a Net once used.
type Net struct {
	// Resolver resolves host names in URLs, asset addresses and DNS server
	// names. nil means net.DefaultResolver.
	Resolver *net.Resolver

	// What checks prepared by this Net share, built on first use: a CA
	// file's pool, read once, and one HTTP transport per way of verifying
	// (a transport holds no connection between runs: keep-alives are off).
	mu         sync.Mutex
	pools      map[string]*x509.CertPool
	transports map[transportKey]*http.Transport

	// buffers holds plain HTTP's *plainBuffers between runs.
	buffers sync.Pool
}

// transportKey is what sets HTTP transports apart: the roots they verify
// against (nil: the system's) and whether they verify at all.
type transportKey struct {
	roots    *x509.CertPool
	insecure bool
}

// dialer builds a dialer with no timeout of its own: the ctx deadline set by
// the caller is the only clock. A probe's connection lives one run, shorter
// than any TCP keepalive period, so keepalive is off (it cost four
// setsockopt calls per connection).
func (n *Net) dialer() *net.Dialer {
	d := &net.Dialer{KeepAlive: -1}
	if n != nil {
		d.Resolver = n.Resolver
	}
	return d
}

// caPool is the pool for ca_file path (model.CAPool), read once per path.
func (n *Net) caPool(path string) (*x509.CertPool, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if p, ok := n.pools[path]; ok {
		return p, nil
	}
	p, err := model.CAPool(path)
	if err != nil {
		return nil, err
	}
	if n.pools == nil {
		n.pools = map[string]*x509.CertPool{}
	}
	n.pools[path] = p
	return p, nil
}

// httpTransport is the transport for http checks that verify with roots
// (nil: the system's), or do not verify: a new connection per request, no
// proxy (a monitor measures the endpoint itself, and an HTTP_PROXY in the
// environment must not reroute checks), HTTP/2 where the server offers it.
func (n *Net) httpTransport(roots *x509.CertPool, insecure bool) *http.Transport {
	n.mu.Lock()
	defer n.mu.Unlock()
	k := transportKey{roots: roots, insecure: insecure}
	if tr, ok := n.transports[k]; ok {
		return tr
	}
	tr := &http.Transport{
		DialContext:            n.dialer().DialContext,
		TLSClientConfig:        &tls.Config{RootCAs: roots, InsecureSkipVerify: insecure},
		DisableKeepAlives:      true,
		ForceAttemptHTTP2:      true,
		Proxy:                  nil,
		MaxResponseHeaderBytes: 64 << 10,
	}
	if n.transports == nil {
		n.transports = map[transportKey]*http.Transport{}
	}
	n.transports[k] = tr
	return tr
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
