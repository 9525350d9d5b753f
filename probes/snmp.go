package probes

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"slices"
	"strings"
	"sync"
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
// State: one gosnmp client per check, kept between runs (v3 key
// localisation and engine discovery are paid once) and dropped after any
// failure, and the previous run's counters for rates. A check's runs are
// serialised by its own lock; different checks run in parallel. Probe is
// safe for concurrent use.
type SNMP struct {
	resolver Resolver

	mu     sync.Mutex
	closed bool
	states map[model.CheckKey]*snmpState
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
	p := &SNMP{resolver: net.DefaultResolver, states: map[model.CheckKey]*snmpState{}}
	for _, o := range opts {
		o(p)
	}
	return p
}

// Close closes every client; a run still going finishes with the socket
// closed under it (UNKNOWN or CRITICAL).
func (p *SNMP) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	for _, st := range p.states {
		st.mu.Lock()
		st.client.close()
		st.client, st.closed = nil, true
		st.mu.Unlock()
	}
	return nil
}

// snmpState is one check's state between runs.
type snmpState struct {
	lock chan struct{} // held for a whole run

	mu     sync.Mutex // guards client and closed against Close
	client *snmpClient
	closed bool

	// Owned by the run holding lock.
	prev    *snmpSample
	plan    ifPlan
	planned bool // plan comes from a poll; false: walk every optional column
	filter  *ifFilter
}

// snmpSample is what the next run compares with.
type snmpSample struct {
	at   time.Time
	sys  sysInfo
	ifs  map[int]ifCounters
	oids map[string]counterSample
}

// state returns the check's state, creating it on first use.
func (p *SNMP) state(key model.CheckKey) (*snmpState, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil, errors.New("snmp prober closed")
	}
	st := p.states[key]
	if st == nil {
		st = &snmpState{lock: make(chan struct{}, 1)}
		p.states[key] = st
	}
	return st, nil
}

// Probe runs one snmp check.
func (p *SNMP) Probe(ctx context.Context, t Target) model.Outcome {
	if t.Asset == nil || t.Check == nil {
		return model.Unknown("snmp probe run without an asset or check")
	}
	c := t.Check
	st, err := p.state(t.Asset.Key(c))
	if err != nil {
		return model.Unknown("%v", err)
	}
	select {
	case st.lock <- struct{}{}:
	case <-ctx.Done():
		return model.Unknown("the previous run of this check was still going at the deadline")
	}
	defer func() { <-st.lock }()

	deadline, ok := ctx.Deadline()
	if !ok {
		return model.Unknown("%v", errNoDeadline)
	}
	rctx, cancel := context.WithDeadline(ctx, replyCutoff(time.Now(), deadline))
	defer cancel()

	addr, err := lookupAddr(rctx, p.resolver, t.Asset.Address)
	if err != nil {
		if o, ok := localOutcome(err); ok {
			return o
		}
		return model.Unknown("%v", err)
	}
	cl, err := st.clientFor(c, addr)
	if err != nil {
		if o, ok := localOutcome(err); ok { // no socket: out of descriptors
			return o
		}
		return model.Unknown("%v", err)
	}
	retries := model.DefaultSNMPRetries
	if c.SNMPRetries != nil {
		retries = *c.SNMPRetries
	}
	if !cl.begin(rctx, retries+1) {
		return model.Unknown("no time left to poll %s before the deadline", cl.addr)
	}
	out, ok := p.poll(rctx, st, cl, c)
	cl.end()
	if !ok {
		st.dropClient(cl) // start afresh: new socket, new engine discovery
	}
	if out.Attrs == nil {
		out.Attrs = map[string]string{}
	}
	out.Attrs["address"] = cl.addr
	out.Attrs["snmp_version"] = c.Version
	return out
}

// clientFor returns the check's client, building one when there is none or
// the check's parameters or address changed.
func (st *snmpState) clientFor(c *model.Check, addr netip.Addr) (*snmpClient, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.closed {
		return nil, errors.New("snmp prober closed")
	}
	if st.client != nil && st.client.params == snmpParams(c, addr) {
		return st.client, nil
	}
	st.client.close()
	st.client = nil
	cl, err := newSNMPClient(c, addr)
	if err != nil {
		return nil, err
	}
	st.client = cl
	return cl, nil
}

func (st *snmpState) dropClient(cl *snmpClient) {
	st.mu.Lock()
	defer st.mu.Unlock()
	cl.close()
	if st.client == cl {
		st.client = nil
	}
}

// poll reads and judges one run; ok is false when the agent could not be
// read (the client is then dropped).
func (p *SNMP) poll(ctx context.Context, st *snmpState, cl *snmpClient, c *model.Check) (model.Outcome, bool) {
	start := time.Now()
	vals, err := cl.get(append(systemOIDs(), customOIDList(c.OIDs)...))
	if err != nil {
		return snmpFailure(ctx, cl, c, err), false
	}
	rtt := time.Since(start)

	plan := st.plan
	if !st.planned {
		plan = ifPlan{octets32: true, speed32: true}
	}
	cols := plan.columns()
	hr := wantsHostRes(c)
	if hr {
		cols = append(cols, hostResColumns()...)
	}
	at := time.Now()
	what := "GETBULK"
	if c.Version == "1" {
		what = "GETNEXT"
	}
	wr, err := cl.walk(what, cols, c.MaxRepetitions)
	if err != nil {
		var re *requestError
		if errors.As(err, &re) {
			return snmpFailure(ctx, cl, c, err), false
		}
		return model.Unknown("%s: %v", cl.addr, err), false
	}

	sys := parseSystem(vals)
	rows, ifProbs := parseInterfaces(pick(wr.cols, plan.columns()))
	probs := slices.Concat(sys.problems, wr.problems(), ifProbs)
	if st.filter == nil || st.filter.src != derefFilter(c.Interfaces) {
		if st.filter, err = compileFilter(c.Interfaces); err != nil {
			return model.Unknown("%v", err), true
		}
	}
	kept := rows[:0:0]
	for i := range rows {
		if st.filter.keep(&rows[i]) {
			kept = append(kept, rows[i])
		}
	}

	var elapsed time.Duration
	if st.prev != nil {
		elapsed = at.Sub(st.prev.at)
	}
	notes, rebooted := systemNotes(st.prev, sys, elapsed)
	var prevIfs map[int]ifCounters
	var prevOIDs map[string]counterSample
	if st.prev != nil && !rebooted {
		prevIfs, prevOIDs = st.prev.ifs, st.prev.oids
		elapsed = agentElapsed(st.prev.sys, sys, elapsed)
	}

	// The agent answered: whatever fails from here on (a port down, errors,
	// a threshold) is degraded, not down.
	out := model.Outcome{Metrics: map[string]float64{}, Attrs: map[string]string{}, Notes: notes, Degraded: true}
	v := model.NewVerdict()
	ifaces, ifs := judgeInterfaces(kept, prevIfs, elapsed, c, &v)
	out.Interfaces = ifaces
	ifs.metrics(out.Metrics)
	facts := []string{ifs.text()}
	if len(kept) > 0 && !ifs.rated {
		switch {
		case rebooted:
			facts = append(facts, "no rates this run (rebooted)")
		case st.prev == nil:
			facts = append(facts, "rates from the next run")
		}
	}
	if hr {
		h, hrProbs := parseHostRes(wr.cols)
		probs = append(probs, hrProbs...)
		h.judge(c, &v)
		h.metrics(out.Metrics, out.Attrs)
		facts = append(facts, h.text())
	}
	oidCounters, parts := customOIDs(c.OIDs, vals, prevOIDs, elapsed, &v, &out)
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

	st.prev = &snmpSample{at: at, sys: sys, ifs: counters(kept), oids: oidCounters}
	st.plan, st.planned = plan.next(kept), true

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

func derefFilter(f *model.InterfaceFilter) model.InterfaceFilter {
	if f == nil {
		return model.InterfaceFilter{}
	}
	return *f
}
