package probes

import (
	"context"
	"net"

	"noctop/model"
)

// Set holds one prober of each kind and dispatches by check type. The
// stateful probers (ICMP sockets, host facts) live here, owned by whoever
// built the Set.
type Set struct {
	icmp *ICMP
	host *Host
	netp *Net
}

// SetOption tunes NewSet.
type SetOption func(*Set)

// WithResolver makes the network probes (http, tcp, dns, tls) resolve host
// names with r instead of the system resolver; tests point it at a DNS
// server they started (the lab's).
func WithResolver(r *net.Resolver) SetOption {
	return func(s *Set) { s.netp.Resolver = r }
}

// NewSet builds every prober; ICMP mode detection happens here, once.
func NewSet(opts ...SetOption) *Set {
	s := &Set{icmp: NewICMP(), host: NewHost(), netp: &Net{}}
	for _, o := range opts {
		o(s)
	}
	return s
}

// ICMPMode is the detected ICMP mode.
func (s *Set) ICMPMode() ICMPMode { return s.icmp.Mode() }

// Close releases the probers' resources.
func (s *Set) Close() error { return s.icmp.Close() }

// Probe runs the check with the prober of its type.
func (s *Set) Probe(ctx context.Context, t Target) model.Outcome {
	switch t.Check.Type {
	case model.CheckICMP:
		return s.icmp.Probe(ctx, t)
	case model.CheckHTTP:
		return s.netp.HTTP(ctx, t)
	case model.CheckTCP:
		return s.netp.TCP(ctx, t)
	case model.CheckDNS:
		return s.netp.DNS(ctx, t)
	case model.CheckTLS:
		return s.netp.TLS(ctx, t)
	case model.CheckHost:
		return s.host.Probe(ctx, t)
	}
	return model.Unknown("no probe for check type %q", t.Check.Type)
}
