// Package traps is noctop's SNMP trap receiver: it reads v1 and v2c traps
// and informs (answering informs) and v3 traps on one UDP socket,
// authenticates them (community or USM user), rate-limits each source,
// matches the source to an asset and hands each trap to the engine as an
// event that rechecks the asset at once. Nothing is dropped silently: a
// rejected or rate-limited trap is counted and reported in a bounded number
// of events.
//
// gosnmp's TrapListener is not used: it does not check v1/v2c communities,
// reports v3 authentication failures only to its debug logger (no source,
// no count), decodes before any rate limit could apply, and answers an
// inform only after the handler returns. The receiver runs its own loop on
// gosnmp's decoder (UnmarshalTrap, which tries every configured user of a
// name) and encoder (MarshalMsg, for inform responses).
package traps

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/gosnmp/gosnmp"

	"noctop/model"
)

// ErrDisabled is returned by Listen when the config has no [traps] listen.
var ErrDisabled = errors.New("traps: no listen address configured")

// Defaults of Options.
const (
	DefaultSummaryEvery = 10 * time.Second
	DefaultReportEvery  = time.Minute
)

const (
	// recheckGap is the least time between two rechecks of one asset that
	// traps ask for: a burst of linkDown/linkUp runs the checks once.
	recheckGap = time.Second
	// maxSources bounds the sources remembered one by one (assets' own
	// addresses aside, which the config bounds); beyond it (a flood from
	// spoofed addresses) new sources share one state, reported as the
	// "sources beyond the 1,024 tracked". Each source keeps at most
	// maxReasons reasons of at most model.MaxNetText bytes, so the table
	// holds a few MB at worst. A tracked source is forgotten only after two
	// quiet ReportEvery periods, so spoofing new addresses never grows it.
	maxSources = 1024
	// maxSummary bounds an event's summary: a few pieces of network text,
	// each clipped, and the receiver's own words.
	maxSummary = 4 * model.MaxNetText
	// maxReports is how many sources a summary tick reports one by one;
	// beyond it they are folded into one event.
	maxReports = 5
	// readBuffer is the socket receive buffer asked for, so that a burst is
	// queued rather than lost in the kernel while the loop works.
	readBuffer = 4 << 20
)

// Options configure a Receiver.
type Options struct {
	// Notify takes each event; it must not block (model.Engine.Notify
	// drops and returns an error when the engine is busy). Required.
	Notify func(model.Notice) error
	// SummaryEvery is how often rate-limit drops are reported per source
	// (default 10s).
	SummaryEvery time.Duration
	// ReportEvery is the least time between two reports of rejected
	// traps (wrong community, failed authentication) from one source
	// (default 1m).
	ReportEvery time.Duration
}

// Stats counts what the receiver did since Listen.
type Stats struct {
	Received    uint64 // datagrams read
	Accepted    uint64 // traps and informs handed to the engine
	Informs     uint64 // informs answered
	RateLimited uint64 // dropped by the per-source rate limit
	AuthFailed  uint64 // wrong community, unknown user, bad digest, cannot decrypt
	Malformed   uint64 // not SNMP, not a trap, unsupported
	Unknown     uint64 // accepted traps from addresses that are no asset
	EngineBusy  uint64 // events the engine had no room for
}

type counters struct {
	received, accepted, informs, rateLimited, authFailed, malformed, unknown, engineBusy atomic.Uint64
}

// Receiver is a bound trap socket. Run serves it; everything below conn is
// owned by Run's goroutine.
type Receiver struct {
	conn   *net.UDPConn
	opts   Options
	rate   float64
	burst  int
	auth   *auth
	assets map[netip.Addr]string
	desc   string
	stats  counters

	sources   map[netip.Addr]*source
	overflow  *source // shared by new sources once maxSources are known
	rechecked map[string]time.Time
	readErrAt time.Time
}

// Listen binds the UDP socket of cfg.Traps.Listen. Call Run to serve it,
// or Close to release it.
func Listen(ctx context.Context, cfg *model.Config, opts Options) (*Receiver, error) {
	t := cfg.Traps
	if !t.Enabled() {
		return nil, ErrDisabled
	}
	if opts.Notify == nil {
		return nil, errors.New("traps: Options.Notify is required")
	}
	if opts.SummaryEvery <= 0 {
		opts.SummaryEvery = DefaultSummaryEvery
	}
	if opts.ReportEvery <= 0 {
		opts.ReportEvery = DefaultReportEvery
	}
	if t.Rate <= 0 || t.Burst <= 0 { // a Config built by hand
		t.Rate, t.Burst = model.DefaultTrapRate, model.DefaultTrapBurst
	}
	a, err := newAuth(&t)
	if err != nil {
		return nil, fmt.Errorf("traps: %w", err)
	}
	var lc net.ListenConfig
	pc, err := lc.ListenPacket(ctx, "udp", t.Listen)
	if err != nil {
		return nil, fmt.Errorf("traps: %w", err)
	}
	conn := pc.(*net.UDPConn)
	_ = conn.SetReadBuffer(readBuffer) // best effort: capped by net.core.rmem_max
	r := &Receiver{
		conn: conn, opts: opts, rate: t.Rate, burst: t.Burst, auth: a,
		assets:    assetIndex(cfg),
		sources:   map[netip.Addr]*source{},
		rechecked: map[string]time.Time{},
	}
	r.desc = fmt.Sprintf("SNMP trap receiver listening on udp %s: %d %s, %d v3 %s; rate limit %s/s, burst %d per source",
		conn.LocalAddr(), len(t.Communities), plural(uint64(len(t.Communities)), "community"),
		len(t.Users), plural(uint64(len(t.Users)), "user"), strconv.FormatFloat(t.Rate, 'f', -1, 64), t.Burst)
	return r, nil
}

// Addr is the bound address (useful with port 0).
func (r *Receiver) Addr() netip.AddrPort { return r.conn.LocalAddr().(*net.UDPAddr).AddrPort() }

// Close releases the socket of a receiver whose Run was never called.
func (r *Receiver) Close() error { return r.conn.Close() }

// Stats returns the counters; safe from any goroutine.
func (r *Receiver) Stats() Stats {
	c := &r.stats
	return Stats{
		Received: c.received.Load(), Accepted: c.accepted.Load(), Informs: c.informs.Load(),
		RateLimited: c.rateLimited.Load(), AuthFailed: c.authFailed.Load(), Malformed: c.malformed.Load(),
		Unknown: c.unknown.Load(), EngineBusy: c.engineBusy.Load(),
	}
}

// Run reads traps until ctx is done, then closes the socket and returns
// nil; call it once. Its only helper is the goroutine context.AfterFunc
// starts when ctx ends, to close the socket and so end the read.
func (r *Receiver) Run(ctx context.Context) error {
	defer r.conn.Close()
	stop := context.AfterFunc(ctx, func() { _ = r.conn.Close() })
	defer stop()
	r.notify(model.Notice{Kind: model.EventTrap, Summary: r.desc, At: time.Now()})

	buf := make([]byte, 1<<16)
	next := time.Now().Add(r.opts.SummaryEvery)
	_ = r.conn.SetReadDeadline(next) // wakes the loop to report when no traps come
	for {
		n, src, err := r.conn.ReadFromUDPAddrPort(buf)
		now := time.Now()
		switch {
		case ctx.Err() != nil:
			return nil
		case err == nil:
			r.handle(buf[:n], src, now)
		case errors.Is(err, os.ErrDeadlineExceeded):
		case errors.Is(err, net.ErrClosed):
			return fmt.Errorf("traps: %w", err)
		default:
			r.readError(err, now)
		}
		if !now.Before(next) {
			r.flush(now)
			next = now.Add(r.opts.SummaryEvery)
			_ = r.conn.SetReadDeadline(next)
		}
	}
}

// readError reports an unexpected socket error at most once per
// ReportEvery, and pauses briefly so that a persistent one cannot spin.
func (r *Receiver) readError(err error, now time.Time) {
	if r.readErrAt.IsZero() || now.Sub(r.readErrAt) >= r.opts.ReportEvery {
		r.readErrAt = now
		r.notify(model.Notice{Kind: model.EventTrap, Summary: "SNMP trap receiver: " + err.Error(), At: now})
	}
	time.Sleep(10 * time.Millisecond)
}

// handle takes one datagram through rate limit, authentication, decoding,
// inform response and matching.
func (r *Receiver) handle(msg []byte, src netip.AddrPort, now time.Time) {
	r.stats.received.Add(1)
	s := r.source(src.Addr().Unmap(), now)
	if !s.bucket.allow(now, r.rate, r.burst) {
		s.limited++
		r.stats.rateLimited.Add(1)
		return
	}
	p, err := r.auth.decode(msg)
	var t trap
	if err == nil {
		var ok bool
		if t, ok = toTrap(p); !ok {
			err = malformed("v2 trap without snmpTrapOID.0")
		}
	}
	if err != nil {
		r.reject(s, err, now)
		return
	}
	if p.PDUType == gosnmp.InformRequest {
		r.answer(p, src, s, now)
	}
	asset, summary := r.match(src.Addr().Unmap(), &t)
	recheck := asset != "" && now.Sub(r.rechecked[asset]) >= recheckGap
	if recheck {
		r.rechecked[asset] = now
	}
	if r.notify(model.Notice{Asset: asset, Kind: model.EventTrap, Summary: summary, At: now, Recheck: recheck}) {
		r.stats.accepted.Add(1)
	} else {
		s.busy++
	}
}

// match finds the asset of a trap: by source address, else by the v1
// agent-addr field or a proxy's snmpTrapAddress.0. It returns the asset
// ("" for none) and the summary.
func (r *Receiver) match(ip netip.Addr, t *trap) (string, string) {
	summary := t.summary()
	if asset, ok := r.assets[ip]; ok {
		return asset, summary
	}
	if agent, err := netip.ParseAddr(t.agentAddr); err == nil {
		if asset, ok := r.assets[agent.Unmap()]; ok {
			return asset, fmt.Sprintf("%s (agent-addr %s, sent by %s)", summary, agent.Unmap(), ip)
		}
	}
	r.stats.unknown.Add(1)
	from := ip.String()
	if agent, err := netip.ParseAddr(t.agentAddr); err == nil && agent.Unmap() != ip && !agent.IsUnspecified() {
		from += " (agent-addr " + agent.Unmap().String() + ")"
	}
	return "", fmt.Sprintf("trap from unknown source %s: %s", from, summary)
}

// answer sends the response an inform asks for: the same varbinds,
// noError (RFC 3416 4.2.7).
func (r *Receiver) answer(p *gosnmp.SnmpPacket, src netip.AddrPort, s *source, now time.Time) {
	p.PDUType = gosnmp.GetResponse
	p.Error, p.ErrorIndex = gosnmp.NoError, 0
	out, err := p.MarshalMsg()
	if err == nil {
		_, err = r.conn.WriteToUDPAddrPort(out, src)
	}
	if err != nil {
		r.reject(s, malformed("cannot answer the inform: %v", err), now)
		return
	}
	r.stats.informs.Add(1)
}

// reject counts a dropped message; flush reports it.
func (r *Receiver) reject(s *source, err error, now time.Time) {
	var rej *rejection
	if !errors.As(err, &rej) {
		rej = malformed("%v", err)
	}
	if rej.auth {
		r.stats.authFailed.Add(1)
	} else {
		r.stats.malformed.Add(1)
	}
	if s.failures.empty() {
		s.failSince = now
	}
	s.failures.add(rej.reason, 1, maxReasons)
}

// source returns the state of ip, creating it (or the shared overflow
// state when maxSources are known).
func (r *Receiver) source(ip netip.Addr, now time.Time) *source {
	s, ok := r.sources[ip]
	switch {
	case ok:
	case len(r.sources) < maxSources || r.assets[ip] != "": // assets always get their own
		s = &source{from: ip.String(), asset: r.assets[ip]}
		r.sources[ip] = s
	default:
		if r.overflow == nil {
			r.overflow = &source{from: "sources beyond the " + thousands(maxSources) + " tracked"}
		}
		s = r.overflow
	}
	s.lastSeen = now
	return s
}

// notify hands an event to the engine and counts a refusal. Every event
// of the receiver goes through here: its summary is clipped once more, so
// that no path can hand the engine (and the log) unbounded text.
func (r *Receiver) notify(n model.Notice) bool {
	n.Summary = model.Clip(n.Summary, maxSummary)
	if err := r.opts.Notify(n); err != nil {
		r.stats.engineBusy.Add(1)
		return false
	}
	return true
}
