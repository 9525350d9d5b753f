package probes

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"sync"
	"time"

	"noctop/model"
)

// ICMPMode is how this process can send echo requests.
type ICMPMode string

// ICMP modes, detected once at start.
const (
	ICMPDatagram    ICMPMode = "datagram"
	ICMPRaw         ICMPMode = "raw"
	ICMPUnavailable ICMPMode = "unavailable"
)

// ICMPOption configures NewICMP.
type ICMPOption func(*icmpOptions)

type icmpOptions struct {
	modes    []ICMPMode
	resolver Resolver
	sock     echoSocketConfig
}

// icmpBurst is how many requests may leave back to back after a pause.
const icmpBurst = 64

// WithICMPModes sets the modes to try, in order (default: datagram, then
// raw). Each is still tried for real; this only narrows or reorders them,
// e.g. to measure raw mode where datagram is allowed.
func WithICMPModes(modes ...ICMPMode) ICMPOption {
	return func(o *icmpOptions) { o.modes = modes }
}

// WithICMPRate caps the echo requests sent per second per address family
// (default: no cap). Measured at 10,000 loopback targets (BENCHMARKS.md):
// at the scheduler's default concurrency no cap is needed (0 drops); with
// all 10,000 probes at once and a small receive buffer the kernel drops a
// few hundred replies without a cap, while a 20,000/s cap drops none but
// leaves 3,000-5,000 probes no send slot before their deadline (UNKNOWN). A
// probe whose replies may have been dropped reports UNKNOWN, never loss.
func WithICMPRate(pps int) ICMPOption {
	return func(o *icmpOptions) { o.sock.rate = max(pps, 0) }
}

// withRcvBuf requests an n-byte receive buffer the unprivileged way, to
// measure what a process without CAP_NET_ADMIN gets.
func withRcvBuf(n int) ICMPOption {
	return func(o *icmpOptions) { o.sock.rcvBuf = n }
}

// WithICMPResolver sets the resolver for assets whose address is a host name
// (default net.DefaultResolver).
func WithICMPResolver(r Resolver) ICMPOption {
	return func(o *icmpOptions) { o.resolver = r }
}

// ICMP pings. It holds what is shared between runs: the detected mode, one
// socket per address family shared by all probes in flight, and the echo
// ID allocator. Its prepared checks may run concurrently.
type ICMP struct {
	mode     ICMPMode
	modeErr  error
	modes    []ICMPMode // tried at start, and again for IPv6's reason
	resolver Resolver
	ids      *idAllocator

	sock echoSocketConfig

	mu     sync.Mutex
	closed bool
	v4     *echoSocket
	v4Err  error
	v6     *echoSocket
	v6Err  error
	// modeErr6 is modeErr for IPv6 targets (the sockets it names are
	// ICMPv6 ones), found on the first such target.
	modeErr6 error
}

// NewICMP detects the ICMP mode by opening an ICMP socket: datagram
// (unprivileged, allowed by net.ipv4.ping_group_range) is preferred, raw
// (root or CAP_NET_RAW) is next. The socket opened to detect is closed:
// each family's socket opens on its first use, since a raw one receives a
// copy of every ICMP packet of the host and a monitor without icmp checks
// must not pay for other processes' pings.
func NewICMP(opts ...ICMPOption) *ICMP {
	o := icmpOptions{modes: []ICMPMode{ICMPDatagram, ICMPRaw}, resolver: net.DefaultResolver}
	for _, opt := range opts {
		opt(&o)
	}
	p := &ICMP{
		modes:    o.modes,
		resolver: o.resolver,
		sock:     o.sock,
		// Start where the pid points, so that two noctop processes in raw
		// mode seldom use the same IDs at the same time.
		ids: newIDAllocator(1, 65535, os.Getpid()),
	}
	var s *echoSocket
	p.mode, s, p.modeErr = detectICMP(false, o.modes, o.sock)
	if s != nil {
		_ = s.close()
	}
	return p
}

// Mode is the detected mode.
func (p *ICMP) Mode() ICMPMode { return p.mode }

// ModeErr is nil unless the mode is unavailable; then it wraps
// ErrICMPUnavailable and says why and how to fix it.
func (p *ICMP) ModeErr() error { return p.modeErr }

// Close releases the shared sockets; probes still running end UNKNOWN.
func (p *ICMP) Close() error {
	p.mu.Lock()
	socks := []*echoSocket{p.v4, p.v6}
	p.v4, p.v6, p.closed = nil, nil, true
	p.mu.Unlock()
	var errs []error
	for _, s := range socks {
		if s != nil {
			errs = append(errs, s.close())
		}
	}
	return errors.Join(errs...)
}

// socket returns the shared socket for dst's family, opening it in the
// detected mode on first use.
func (p *ICMP) socket(v6 bool) (*echoSocket, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil, errors.New("icmp prober closed")
	}
	// Retried on every probe while it fails: failing to open a socket
	// costs one syscall, and IPv6 may be enabled (or a descriptor freed)
	// later.
	if !v6 {
		if p.v4 == nil {
			p.v4, p.v4Err = openEchoSocket(false, p.mode == ICMPRaw, p.sock)
		}
		return p.v4, p.v4Err
	}
	if p.v6 == nil {
		p.v6, p.v6Err = openEchoSocket(true, p.mode == ICMPRaw, p.sock)
	}
	return p.v6, p.v6Err
}

// unavailable6 is why ICMP is unavailable, told for IPv6: the detection
// run again on ICMPv6 sockets (once; a socket that opens is closed, and
// the IPv4 reason stands).
func (p *ICMP) unavailable6() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.modeErr6 == nil {
		_, s, err := detectICMP(true, p.modes, p.sock)
		if s != nil {
			_ = s.close()
			err = p.modeErr
		}
		p.modeErr6 = err
	}
	return p.modeErr6
}

// icmpProbe is an icmp check made ready: its address (an IP literal
// parsed, a host name looked up each run), packet count and spacing, and
// thresholds.
type icmpProbe struct {
	p        *ICMP
	addr     hostAddr
	count    int
	interval time.Duration
	loss     model.Threshold
	rtt      model.Threshold
}

// Prepare is the icmp check's prepare step: the address parsed, count and
// packet_interval checked.
func (p *ICMP) Prepare(t Target) (Prepared, error) {
	c := t.Check
	if t.Asset.Address == "" {
		return nil, fmt.Errorf("icmp check %q needs an address, and asset %q has none", c.Name, t.Asset.Name)
	}
	if c.Count < 1 || c.Count > model.MaxICMPCount {
		return nil, fmt.Errorf("count: want 1 to %d packets, got %d", model.MaxICMPCount, c.Count)
	}
	if c.PacketInterval.Duration <= 0 {
		return nil, fmt.Errorf("packet_interval: must be greater than 0, got %v", c.PacketInterval.Duration)
	}
	return &icmpProbe{p: p, addr: parseHostAddr(t.Asset.Address), count: c.Count, interval: c.PacketInterval.Duration,
		loss: c.Loss.Threshold("%", false), rtt: c.RTT.Threshold()}, nil
}

// Run sends count echo requests, one every packet_interval, to the
// address. Replies are awaited until shortly before ctx's deadline, so a
// dead host is 100% loss, not a context error. Metrics: sent, received,
// loss_pct, rtt_min_ms, rtt_avg_ms, rtt_max_ms, jitter_ms. The primary is
// rtt_avg_ms, or loss_pct when no reply came (there is no round trip to
// show, and a chart of loss says more than a gap). Attrs: icmp_mode,
// address.
func (r *icmpProbe) Run(ctx context.Context) model.Outcome {
	o := r.run(ctx)
	o.Primary = model.MetricRTTAvg
	if _, ok := o.Metrics[model.MetricRTTAvg]; !ok {
		o.Primary = model.MetricLossPct
	}
	return o
}

func (r *icmpProbe) run(ctx context.Context) model.Outcome {
	p := r.p
	start := time.Now()
	attrs := map[string]string{"icmp_mode": string(p.mode)}
	if p.mode == ICMPUnavailable {
		// Not permitted here: a problem of this machine. The reason names
		// the sockets of the target's family.
		err := p.modeErr
		if dst, rerr := r.addr.resolve(ctx, p.resolver); rerr == nil && dst.Is6() {
			err = p.unavailable6()
		}
		return model.Outcome{Status: model.StatusUnknown, Summary: err.Error(), Attrs: attrs, Local: true}
	}
	deadline, ok := ctx.Deadline()
	if !ok {
		return model.Unknown("%v", errNoDeadline)
	}
	cutoff := replyCutoff(start, deadline)
	if !cutoff.After(start) {
		return model.Unknown("%v", errNoTime)
	}

	dst, err := r.addr.resolve(ctx, p.resolver)
	if err != nil {
		return model.Unknown("%v", err)
	}
	attrs["address"] = dst.String()
	sock, err := p.socket(dst.Is6())
	if err != nil {
		// No socket (IPv6 off, out of descriptors): this machine's problem.
		return model.Outcome{Status: model.StatusUnknown, Summary: err.Error(), Attrs: attrs, Local: true}
	}
	id, err := p.ids.acquire()
	if err != nil {
		return model.Outcome{Status: model.StatusUnknown, Summary: err.Error(), Attrs: attrs, Local: true}
	}
	defer p.ids.release(id)

	st, err := sock.ping(ctx, id, dst, r.count, r.interval, time.Now(), cutoff)
	out := icmpOutcome(r.loss, r.rtt, st, err)
	out.Attrs = attrs
	return out
}
