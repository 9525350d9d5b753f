package probes

import (
	"context"
	"errors"
	"fmt"
	"net"

	"noctop/model"
)

// Set holds one prober of each kind and dispatches by check type. The
// stateful probers (ICMP sockets, host facts) live here, owned by whoever
// built the Set.
type Set struct {
	icmp *ICMP
	snmp *SNMP
	host *Host
	netp *Net
}

// SetOption tunes NewSet.
type SetOption func(*setOptions)

type setOptions struct {
	resolver *net.Resolver
	icmp     []ICMPOption
}

// WithResolver makes every probe resolve host names with r instead of the
// system resolver; tests and the demo point it at the lab's DNS server.
func WithResolver(r *net.Resolver) SetOption {
	return func(o *setOptions) { o.resolver = r }
}

// WithICMP passes options to the ICMP prober.
func WithICMP(opts ...ICMPOption) SetOption {
	return func(o *setOptions) { o.icmp = append(o.icmp, opts...) }
}

// NewSet builds every prober; ICMP mode detection happens here, once.
func NewSet(opts ...SetOption) *Set {
	var o setOptions
	for _, opt := range opts {
		opt(&o)
	}
	icmpOpts := o.icmp
	if o.resolver != nil {
		icmpOpts = append([]ICMPOption{WithICMPResolver(o.resolver)}, icmpOpts...)
	}
	var snmpOpts []SNMPOption
	if o.resolver != nil {
		snmpOpts = append(snmpOpts, WithSNMPResolver(o.resolver))
	}
	return &Set{icmp: NewICMP(icmpOpts...), snmp: NewSNMP(snmpOpts...), host: NewHost(), netp: &Net{Resolver: o.resolver}}
}

// ICMPModeErr says why ICMP is unavailable (nil when a mode works).
func (s *Set) ICMPModeErr() error { return s.icmp.ModeErr() }

// ICMPMode is the detected ICMP mode.
func (s *Set) ICMPMode() ICMPMode { return s.icmp.Mode() }

// Close releases the probers' resources.
func (s *Set) Close() error { return errors.Join(s.icmp.Close(), s.snmp.Close()) }

// Prepare turns a loaded check into a ready probe with the prepare step of
// its kind. It is a PrepareFunc: the scheduler calls it once per check.
func (s *Set) Prepare(t Target) (Prepared, error) {
	if t.Asset == nil || t.Check == nil {
		return nil, errors.New("no asset or check to prepare")
	}
	switch t.Check.Type {
	case model.CheckICMP:
		return s.icmp.Prepare(t)
	case model.CheckSNMP:
		return s.snmp.Prepare(t)
	case model.CheckHTTP:
		return s.netp.PrepareHTTP(t)
	case model.CheckTCP:
		return s.netp.PrepareTCP(t)
	case model.CheckDNS:
		return s.netp.PrepareDNS(t)
	case model.CheckTLS:
		return s.netp.PrepareTLS(t)
	case model.CheckHost:
		return s.host.Prepare(t)
	}
	return nil, fmt.Errorf("no probe for check type %q", t.Check.Type)
}

// Probe prepares the check and runs it once, for a caller that runs a check
// once; ctx carries the deadline. A check its prepare step refuses is
// UNKNOWN with the reason, as under the scheduler.
func (s *Set) Probe(ctx context.Context, t Target) model.Outcome {
	return prepareOrReport(s.Prepare, t).Run(ctx)
}
