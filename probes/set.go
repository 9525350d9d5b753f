package probes

import (
	"context"

	"noctop/model"
)

// Set holds one prober of each kind and dispatches by check type. The
// stateful probers (ICMP sockets, host facts) live here, owned by whoever
// built the Set.
type Set struct {
	icmp *ICMP
	host *Host
}

// NewSet builds every prober; ICMP mode detection happens here, once.
func NewSet() *Set {
	return &Set{icmp: NewICMP(), host: NewHost()}
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
		return ProbeHTTP(ctx, t)
	case model.CheckTCP:
		return ProbeTCP(ctx, t)
	case model.CheckDNS:
		return ProbeDNS(ctx, t)
	case model.CheckTLS:
		return ProbeTLS(ctx, t)
	case model.CheckHost:
		return s.host.Probe(ctx, t)
	}
	return model.Unknown("no probe for check type %q", t.Check.Type)
}
