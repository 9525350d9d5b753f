package probes

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"noctop/model"
)

// SNMP polls SNMP agents (versions 1, 2c and 3) for `type = "snmp"`
// checks. Each run is one GET (system group and the check's custom OIDs)
// and one GETBULK walk of only the table columns it needs, several columns
// per request (v1: GETNEXT).
//
// Metrics (declared in model): uptime_s, response_ms (the GET's round
// trip), if_count, if_up, if_down (admin up, oper not up), if_admin_down,
// and from the second run in_bps_total, out_bps_total, max_util_pct,
// errors_per_min_total; with host resources cpu_pct, mem_pct,
// disk_pct:<name>, disk_pct_max; each custom OID that reads a number under
// its name (declared by the check's config). The primary metric is
// in_bps_total when interfaces are watched, else response_ms. Attrs: sys_name, sys_descr, sys_object_id,
// sys_contact, sys_location, sys_uptime, snmp_version, address; "n/a" for
// host figures the agent does not have. Outcome.Interfaces is the watched
// interfaces' table; Notes are reboots and firmware changes.
//
// Each check's state between runs (its client, the previous counters)
// lives in its Prepared; SNMP keeps the open clients, so that Close
// releases them all. Different checks run in parallel; SNMP is safe for
// concurrent use.
type SNMP struct {
	resolver Resolver

	closed  atomic.Bool
	mu      sync.Mutex
	clients map[*snmpClient]struct{} // open clients; nil once closed
}

// SNMPOption configures NewSNMP.
type SNMPOption func(*SNMP)

// WithSNMPResolver sets the resolver for assets whose address is a host
// name (default net.DefaultResolver).
func WithSNMPResolver(r Resolver) SNMPOption {
	return func(p *SNMP) { p.resolver = r }
}

// NewSNMP builds the prober; it opens nothing until a check runs.
func NewSNMP(opts ...SNMPOption) *SNMP {
	p := &SNMP{resolver: net.DefaultResolver, clients: map[*snmpClient]struct{}{}}
	for _, o := range opts {
		o(p)
	}
	return p
}

// errSNMPClosed: a run after Close.
var errSNMPClosed = errors.New("snmp prober closed")

// Close closes every client; a run still going finishes with the socket
// closed under it (UNKNOWN or CRITICAL), later runs are UNKNOWN.
func (p *SNMP) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed.Store(true)
	for cl := range p.clients {
		cl.close()
	}
	p.clients = nil
	return nil
}

// open builds a client and keeps it for Close.
func (p *SNMP) open(s *snmpSession, addr netip.Addr) (*snmpClient, error) {
	if p.closed.Load() {
		return nil, errSNMPClosed
	}
	cl, err := newSNMPClient(s, addr)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.clients == nil { // closed meanwhile
		cl.close()
		return nil, errSNMPClosed
	}
	p.clients[cl] = struct{}{}
	return cl, nil
}

// release closes a client and forgets it.
func (p *SNMP) release(cl *snmpClient) {
	p.mu.Lock()
	delete(p.clients, cl)
	p.mu.Unlock()
	cl.close()
}

// Run polls the agent once. The requests stop at replyCutoff, so that the
// outcome is built by ctx's deadline. An outcome without a poll to sum up
// (no answer, no address) names the last poll's primary metric, so that a
// failure does not change what the check is charted by.
func (r *snmpProbe) Run(ctx context.Context) model.Outcome {
	out := r.run(ctx)
	out.Primary = r.primary
	return out
}

func (r *snmpProbe) run(ctx context.Context) model.Outcome {
	deadline, ok := ctx.Deadline()
	if !ok {
		return model.Unknown("%v", errNoDeadline)
	}
	rctx, cancel := context.WithDeadline(ctx, replyCutoff(time.Now(), deadline))
	defer cancel()

	addr, err := r.addr.resolve(rctx, r.p.resolver)
	if err != nil {
		if o, ok := localOutcome(err); ok {
			return o
		}
		return model.Unknown("%v", err)
	}
	cl, err := r.clientFor(addr)
	if err != nil {
		if o, ok := localOutcome(err); ok { // no socket: out of descriptors
			return o
		}
		return model.Unknown("%v", err)
	}
	if !cl.begin(rctx, r.tries) {
		return model.Unknown("no time left to poll %s before the deadline", cl.addr)
	}
	out, ok := r.poll(rctx, cl)
	cl.end()
	if !ok {
		r.dropClient() // start afresh: new socket, new engine discovery
	}
	if out.Attrs == nil {
		out.Attrs = map[string]string{}
	}
	out.Attrs["address"] = cl.addr
	out.Attrs["snmp_version"] = r.version
	if ok {
		r.primary = out.Primary
	}
	return out
}

// clientFor returns the check's client, building one when there is none,
// the asset's name now resolves to another address, or the prober was
// closed.
func (r *snmpProbe) clientFor(addr netip.Addr) (*snmpClient, error) {
	if r.client != nil && r.client.ip == addr && !r.p.closed.Load() {
		return r.client, nil
	}
	r.dropClient()
	cl, err := r.p.open(&r.session, addr)
	if err != nil {
		return nil, err
	}
	r.client = cl
	return cl, nil
}

func (r *snmpProbe) dropClient() {
	if r.client != nil {
		r.p.release(r.client)
		r.client = nil
	}
}

// poll reads and judges one run; ok is false when the agent could not be
// read (the client is then dropped).
func (r *snmpProbe) poll(ctx context.Context, cl *snmpClient) (model.Outcome, bool) {
	start := time.Now()
	vals, err := cl.get(r.get)
	if err != nil {
		return snmpFailure(ctx, cl, &r.session, err), false
	}
	rtt := time.Since(start)
	sys := parseSystem(vals)
	if p := r.prof; p != nil && p.undecided(sys.objectID) {
		if err := p.detect(cl, sys.objectID); err != nil {
			return snmpFailure(ctx, cl, &r.session, err), false
		}
		r.hostRes = r.hostResCfg || p.chosen == model.ProfileHost
	}

	plan := r.plan
	if !r.planned {
		plan = ifPlan{octets32: true, speed32: true}
	}
	cols := plan.columns()
	if r.hostRes {
		cols = append(cols, hostResColumns()...)
	}
	at := time.Now()
	wr, err := cl.walk(r.walkOp, cols, r.session.maxRepetitions)
	if err != nil {
		var re *requestError
		if errors.As(err, &re) {
			return snmpFailure(ctx, cl, &r.session, err), false
		}
		return model.Unknown("%s: %v", cl.addr, err), false
	}

	rows, ifProbs := parseInterfaces(pick(wr.cols, plan.columns()))
	probs := slices.Concat(sys.problems, wr.problems(), ifProbs)
	kept := rows[:0:0]
	for i := range rows {
		if r.filter.keep(&rows[i]) {
			kept = append(kept, rows[i])
		}
	}

	var elapsed time.Duration
	if r.prev != nil {
		elapsed = at.Sub(r.prev.at)
	}
	notes, rebooted := systemNotes(r.prev, sys, elapsed)
	var prevIfs map[int]ifCounters
	var prevOIDs map[string]counterSample
	if r.prev != nil && !rebooted {
		prevIfs, prevOIDs = r.prev.ifs, r.prev.oids
		elapsed = agentElapsed(r.prev.sys, sys, elapsed)
	}

	// The agent answered: whatever fails from here on (a port down, errors,
	// a threshold) is degraded, not down.
	out := model.Outcome{Metrics: map[string]float64{}, Attrs: map[string]string{}, Notes: notes, Degraded: true}
	v := model.NewVerdict()
	ifaces, ifs := judgeInterfaces(kept, prevIfs, elapsed, &r.limits, &v)
	out.Interfaces = ifaces
	ifs.metrics(out.Metrics)
	facts := []string{ifs.text()}
	if len(kept) > 0 && !ifs.rated {
		switch {
		case rebooted:
			facts = append(facts, "no rates this run (rebooted)")
		case r.prev == nil:
			facts = append(facts, "rates from the next run")
		}
	}
	if r.hostRes {
		h, hrProbs := parseHostRes(wr.cols)
		probs = append(probs, hrProbs...)
		h.judge(&r.limits, &v)
		h.metrics(out.Metrics, out.Attrs)
		facts = append(facts, h.text())
		if r.prof != nil && r.prof.chosen == model.ProfileHost {
			out.Profile = hostTable(&h, &r.limits)
			out.Attrs["profile"] = model.ProfileHost
		}
	}
	var profPrimary string
	if r.prof != nil {
		pr, err := r.prof.read(cl, r.walkOp, r.session.maxRepetitions, &sys, &v, &out)
		if err != nil {
			var re *requestError
			if errors.As(err, &re) {
				return snmpFailure(ctx, cl, &r.session, err), false
			}
			return model.Unknown("%s: %v", cl.addr, err), false
		}
		if pr != nil {
			probs = append(slices.Clip(pr.probs), probs...) // what the check is for first
			facts = append(slices.Clip(pr.facts), facts...) // what the device is first
			out.Profile = &pr.table
			profPrimary = pr.primary
		}
	}
	oidCounters, parts := customOIDs(r.oids, vals, prevOIDs, elapsed, &v, &out)
	facts = append(facts, parts...)
	if len(probs) > 0 {
		// Values of the wrong type or a walk cut short: whatever else was
		// judged, the probe cannot vouch for the device, so UNKNOWN, with
		// the other reasons kept after this one.
		v.Status = model.StatusUnknown
		v.Reasons = append([]string{"odd answer from the agent: " + listSome(probs, maxReasons, "; ")}, v.Reasons...)
	}

	sys.attrs(out.Attrs)
	if sys.hasUptime {
		out.Metrics[model.MetricUptime] = uptimeDuration(sys.uptime).Seconds()
		facts = append(facts, "up "+fmtUptime(uptimeDuration(sys.uptime)))
	}
	out.Metrics[model.MetricResponse] = float64(rtt) / float64(time.Millisecond)
	// Traffic sums up a device with interfaces; the agent's answer time
	// one without (a UPS, a server's agent filtered to nothing).
	out.Primary = model.MetricResponse
	if len(kept) > 0 {
		out.Primary = model.MetricInBps
	}
	if profPrimary != "" {
		// A UPS is charted by its charge, a printer by its lowest toner.
		out.Primary = profPrimary
	}

	r.prev = &snmpSample{at: at, sys: sys, ifs: counters(kept), oids: oidCounters}
	r.plan, r.planned = plan.next(kept), true

	out.Status = v.Status
	var reasons []string
	if len(v.Reasons) > 0 {
		reasons = []string{listSome(v.Reasons, maxReasons, "; ")}
	}
	out.Summary = model.Describe(reasons, strings.Join(facts, "; "))
	return out, true
}

// maxReasons bounds the reasons (and the agent's odd answers) a summary
// lists; the rest are counted.
const maxReasons = 3

// agentElapsed is the time between two polls by the agent's clock
// (sysUpTime, which wraps at 2^32 centiseconds), so that rates divide
// counter deltas by the time the agent counted them in, whatever the
// network delays; local is the fallback when the agent has no sysUpTime.
func agentElapsed(prev, cur sysInfo, local time.Duration) time.Duration {
	if !prev.hasUptime || !cur.hasUptime {
		return local
	}
	if d := uptimeDuration(cur.uptime - prev.uptime); d > 0 {
		return d
	}
	return local
}

// pick returns the walked columns among roots.
func pick(cols map[string][]tableRow, roots []string) map[string][]tableRow {
	out := make(map[string][]tableRow, len(roots))
	for _, r := range roots {
		if rows, ok := cols[r]; ok {
			out[r] = rows
		}
	}
	return out
}
