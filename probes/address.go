package probes

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
)

// Resolver looks up the address of an asset given by host name;
// *net.Resolver satisfies it. Addresses that are IP literals never reach it.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// errNoAddress: the asset's address is blank.
var errNoAddress = errors.New("asset has no address")

// hostAddr is an asset address made ready for the probes that need one IP
// address (icmp, snmp): an IP literal, with an optional IPv6 zone or
// brackets, is parsed once; a host name is looked up on every run, since
// what it points to may change.
type hostAddr struct {
	host string     // as configured, without brackets or spaces
	ip   netip.Addr // valid for an IP literal
}

// parseHostAddr reads an asset address. It never fails: a blank address is
// reported by resolve, run after run, as the prepare step must not reject
// what the loader accepts.
func parseHostAddr(addr string) hostAddr {
	host := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(addr), "["), "]")
	if a, err := netip.ParseAddr(host); err == nil {
		return hostAddr{host: host, ip: a.Unmap()}
	}
	return hostAddr{host: host}
}

// resolve is the address to use: the literal, or r's first answer for a
// host name.
func (h hostAddr) resolve(ctx context.Context, r Resolver) (netip.Addr, error) {
	if h.ip.IsValid() {
		return h.ip, nil
	}
	if h.host == "" {
		return netip.Addr{}, errNoAddress
	}
	if r == nil {
		return netip.Addr{}, fmt.Errorf("resolve %q: no resolver", h.host)
	}
	as, err := r.LookupNetIP(ctx, "ip", h.host)
	if err != nil {
		return netip.Addr{}, fmt.Errorf("resolve %q: %w", h.host, err)
	}
	if len(as) == 0 || !as[0].IsValid() {
		return netip.Addr{}, fmt.Errorf("resolve %q: no addresses", h.host)
	}
	return as[0].Unmap(), nil
}
