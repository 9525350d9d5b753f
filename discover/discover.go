// Package discover finds the devices of address ranges: an ICMP sweep
// through the project's shared ICMP socket, then SNMP on the hosts that
// answer (system group, the MIB roots that tell a kind, LLDP neighbours,
// bridge forwarding tables), their kinds and names, the parents LLDP and
// the bridges show, and a config (TOML) written or merged.
package discover

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"sync"
	"time"

	"noctop/model"
	"noctop/probes"
)

// Host is one address that answered the sweep.
type Host struct {
	Addr netip.Addr
	// Problem is why the host has no SNMP data (wraps ErrSilent,
	// ErrV3Only or ErrGarbage), or nil.
	Problem error
	// Partial lists what could not be read of a host that answered the
	// system group (an LLDP walk that failed, ...).
	Partial []string

	SysName, SysDescr, SysObjectID string
	Roots                          []string // MIB roots answered
	Kind, Profile                  string
	ReverseName                    string // from the hosts file

	ChassisID string // lldpLocChassisId
	Neighbors []Neighbor
	FDB       []FDBEntry
	MACs      []string // ifPhysAddress

	// Name is the asset name: sysName, else the reverse name, else the
	// address; unique among the hosts of one run.
	Name string
	// Parent is the proposed parent's host (nil: none), Via where it came
	// from (Why says it in words).
	Parent *Host
	Via    Via
}

// Via is the evidence for a proposed parent: Observer's port Port sees
// Seen in LLDP, or (FDB) learned MAC there.
type Via struct {
	FDB      bool
	Observer *Host
	Port     int
	Seen     *Host
	MAC      string
}

// Why says where the host's parent came from, with the hosts' current
// names: "parent from LLDP: acc-sw1 port 24 sees core-sw1".
func (h *Host) Why() string {
	v := h.Via
	switch {
	case h.Parent == nil:
		return ""
	case v.FDB:
		return fmt.Sprintf("parent from FDB: %s port %d learned %s's MAC %s", v.Observer.Name, v.Port, h.Name, v.MAC)
	}
	return fmt.Sprintf("parent from LLDP: %s port %d sees %s", v.Observer.Name, v.Port, v.Seen.Name)
}

// SNMP reports whether the host answered the system group.
func (h *Host) SNMP() bool { return h.Problem == nil }

// Neighbor is one lldpRemTable row.
type Neighbor struct {
	LocalPort                  int
	ChassisID, PortID, SysName string
}

// FDBEntry is one dot1dTpFdbTable row.
type FDBEntry struct {
	MAC  string
	Port int
}

// Progress is where a run is; the command draws it.
type Progress struct {
	Phase                 string // "ping", "snmp"
	Done, Total           int
	Alive, SNMP, Problems int
}

// Options configure Run.
type Options struct {
	Ranges Ranges
	Creds  Credentials
	// ICMP is the shared prober (its rate cap bounds the sweep); nil with
	// NoPing.
	ICMP *probes.ICMP
	// NoPing skips the sweep: every address of the ranges is asked SNMP.
	NoPing bool
	// PingTimeout is how long an echo reply is awaited (default 1s);
	// Timeout is one SNMP request's try (default 1s), Retries the resends
	// (default 1).
	PingTimeout, Timeout time.Duration
	Retries              int
	// Workers bounds the SNMP hosts in flight (default 128), and the
	// pings without a Rate; Rate is the echo requests per second the ICMP
	// prober was capped at (0: none): then Rate x PingTimeout / 4 pings
	// are in flight (a dead host holds one for the whole timeout), at
	// most 4,096.
	Workers int
	Rate    int
	// Reverse looks up an address's names; default: the hosts file only
	// (HostsOnly), never a DNS packet.
	Reverse func(ctx context.Context, addr string) ([]string, error)
	// Progress, if set, is called from one goroutine at a time.
	Progress func(Progress)
}

// Result is a run's outcome.
type Result struct {
	Swept int     // addresses pinged (0 with NoPing)
	Hosts []*Host // answered ping (or everything asked, with NoPing) in address order
}

// Answered are the hosts that answered SNMP.
func (r *Result) Answered() []*Host {
	var out []*Host
	for _, h := range r.Hosts {
		if h.SNMP() {
			out = append(out, h)
		}
	}
	return out
}

// ErrNoICMP: the sweep cannot ping.
var ErrNoICMP = errors.New("ICMP unavailable")

// Run sweeps the ranges and queries the hosts that answer. Per-host
// problems are in each Host, never an error: Run fails only when it cannot
// start (no ICMP) or ctx ends.
func Run(ctx context.Context, o Options) (*Result, error) {
	if o.PingTimeout <= 0 {
		o.PingTimeout = time.Second
	}
	if o.Timeout <= 0 {
		o.Timeout = time.Second
	}
	if o.Retries < 0 {
		o.Retries = 0
	}
	if o.Workers <= 0 {
		o.Workers = 128
	}
	if o.Reverse == nil {
		o.Reverse = HostsOnly().LookupAddr
	}
	if err := o.Creds.Validate(); err != nil {
		return nil, err
	}
	var mu sync.Mutex
	prog := Progress{Phase: "ping", Total: o.Ranges.Count()}
	report := func(f func(p *Progress)) {
		mu.Lock()
		defer mu.Unlock()
		f(&prog)
		if o.Progress != nil {
			o.Progress(prog)
		}
	}
	res := &Result{}
	var alive []netip.Addr
	if o.NoPing {
		o.Ranges.All(func(a netip.Addr) bool { alive = append(alive, a); return true })
	} else {
		if o.ICMP == nil || o.ICMP.Mode() == probes.ICMPUnavailable {
			err := errors.New("no prober")
			if o.ICMP != nil {
				err = o.ICMP.ModeErr()
			}
			return nil, fmt.Errorf("%w: %w (or give --no-ping to ask SNMP on every address)", ErrNoICMP, err)
		}
		res.Swept = o.Ranges.Count()
		sweep(ctx, o.ICMP, o.Ranges, pingWorkers(o), o.PingTimeout, func(a netip.Addr, ok bool) {
			report(func(p *Progress) {
				p.Done++
				if ok {
					p.Alive++
					alive = append(alive, a)
				}
			})
		})
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	slices.SortFunc(alive, netip.Addr.Compare)
	report(func(p *Progress) { p.Phase, p.Done, p.Total, p.Alive = "snmp", 0, len(alive), len(alive) })

	q := &querier{creds: o.Creds, timeout: o.Timeout, retries: o.Retries, reverse: o.Reverse}
	res.Hosts = make([]*Host, len(alive))
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(o.Workers, max(len(alive), 1)) {
		wg.Go(func() {
			for i := range work {
				h := q.query(ctx, alive[i])
				res.Hosts[i] = h
				report(func(p *Progress) {
					p.Done++
					if h.SNMP() {
						p.SNMP++
					} else {
						p.Problems++
					}
				})
			}
		})
	}
feed:
	for i := range alive {
		select {
		case work <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	name(res.Hosts)
	Parents(res.Hosts)
	return res, nil
}

// pingWorkers is how many pings may wait at once: with a rate cap, a quarter of
// what the cap sends in one timeout: a ping is sent only while half its
// reply window remains, and one that found no slot by then would count
// as a dead host.
func pingWorkers(o Options) int {
	if o.Rate <= 0 {
		return o.Workers
	}
	return min(max(int(float64(o.Rate)*o.PingTimeout.Seconds()/4), 1), 4096)
}

// querier asks one host at a time everything discovery needs.
type querier struct {
	creds   Credentials
	timeout time.Duration
	retries int
	reverse func(ctx context.Context, addr string) ([]string, error)
}

// query reads a host: system group, MIB roots, then LLDP, FDB and MAC
// addresses where the roots say they are.
func (q *querier) query(ctx context.Context, a netip.Addr) *Host {
	h := &Host{Addr: a}
	if names, err := q.reverse(ctx, a.String()); err == nil && len(names) > 0 {
		h.ReverseName = text([]byte(trimDot(names[0])))
	}
	cl, err := newClient(ctx, q.creds, a, q.timeout, q.retries)
	if err != nil {
		h.Problem = err
		return h
	}
	defer cl.close()
	if h.Problem = q.system(ctx, cl, h); h.Problem != nil {
		return h
	}
	h.Roots, err = roots(cl)
	if err != nil {
		h.Partial = append(h.Partial, "MIB roots: "+err.Error())
	}
	answers := func(root string) bool { return slices.Contains(h.Roots, root) }
	h.Kind, h.Profile = kindOf(h.SysObjectID, h.SysDescr, answers)
	for _, t := range []struct {
		root, what string
		read       func(*client, *Host) error
	}{{rootLLDP, "LLDP", lldp}, {rootBridge, "bridge FDB", fdb}, {"", "ifPhysAddress", macs}} {
		if t.root != "" && !answers(t.root) {
			continue
		}
		if err := t.read(cl, h); err != nil {
			h.Partial = append(h.Partial, t.what+": "+model.Clip(err.Error(), 200))
		}
	}
	return h
}

// QueryTopology reads what Parents needs of one configured host (system
// group, LLDP, FDB, MACs), for `noctop topology`.
func QueryTopology(ctx context.Context, c Credentials, a netip.Addr, timeout time.Duration) *Host {
	if err := c.Validate(); err != nil {
		return &Host{Addr: a, Problem: err}
	}
	q := &querier{creds: c, timeout: timeout, retries: 1, reverse: func(context.Context, string) ([]string, error) { return nil, nil }}
	return q.query(ctx, a)
}

// HostsOnly is a resolver that answers from the hosts file alone: its
// Dial refuses every DNS server, so no DNS packet is ever sent.
func HostsOnly() *net.Resolver {
	return &net.Resolver{PreferGo: true, Dial: func(context.Context, string, string) (net.Conn, error) {
		return nil, errors.New("discovery reads names from the hosts file only")
	}}
}

func trimDot(s string) string {
	if len(s) > 1 && s[len(s)-1] == '.' {
		return s[:len(s)-1]
	}
	return s
}
