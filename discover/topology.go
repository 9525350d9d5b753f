package discover

import (
	"slices"
	"strings"
)

// Parents proposes a parent for the hosts that answered SNMP, from LLDP
// first and the bridges' forwarding tables where LLDP says nothing.
//
// LLDP links are symmetric, so the tree needs a root per connected group:
// the router if there is one, else the device whose bridge learned the
// most MAC addresses (a core switch learns the whole site, and keeps it
// when only part of the site answers), then the one with the most LLDP
// neighbours, then the lowest address. Each other device's parent is its
// neighbour on the path to that root.
//
// A host LLDP does not place gets the bridge port that learned one of its
// MAC addresses, on a port without an LLDP neighbour (an uplink's port
// learns everything behind it), the port with the fewest addresses first
// (an edge port).
func Parents(hosts []*Host) { ParentsRooted(hosts, nil) }

// ParentsRooted is Parents where each LLDP group is rooted at a host
// isRoot accepts, if it has one (`noctop topology`: a host whose
// configured parents are outside LLDP's view).
func ParentsRooted(hosts []*Host, isRoot func(*Host) bool) {
	var snmp []*Host
	for _, h := range hosts {
		h.Parent, h.Via = nil, Via{}
		if h.SNMP() {
			snmp = append(snmp, h)
		}
	}
	t := newTopo(snmp)
	placed := map[*Host]bool{}
	for _, root := range t.roots(isRoot) {
		placed[root] = true
		queue := []*Host{root}
		for len(queue) > 0 {
			cur := queue[0]
			queue = queue[1:]
			for _, nb := range t.adj[cur] {
				if placed[nb] {
					continue
				}
				placed[nb] = true
				nb.Parent, nb.Via = cur, t.evidence(nb, cur)
				queue = append(queue, nb)
			}
		}
	}
	t.byFDB()
}

// topo is the LLDP graph of a run's hosts.
type topo struct {
	hosts []*Host
	adj   map[*Host][]*Host
	// seen[a][b] is the local port on which a's LLDP table has b (0: no row).
	seen map[*Host]map[*Host]int
	// uplink[h][port]: h's LLDP table has a neighbour on port.
	uplink map[*Host]map[int]bool
}

func newTopo(hosts []*Host) *topo {
	t := &topo{hosts: hosts, adj: map[*Host][]*Host{}, seen: map[*Host]map[*Host]int{}, uplink: map[*Host]map[int]bool{}}
	byChassis, bySys := map[string]*Host{}, map[string]*Host{}
	for _, h := range hosts {
		if h.ChassisID != "" {
			byChassis[h.ChassisID] = h
		}
		if h.SysName != "" {
			bySys[strings.ToLower(h.SysName)] = h
		}
	}
	link := func(a, b *Host) {
		if !slices.Contains(t.adj[a], b) {
			t.adj[a] = append(t.adj[a], b)
		}
	}
	for _, h := range hosts {
		for _, n := range h.Neighbors {
			if t.uplink[h] == nil {
				t.uplink[h] = map[int]bool{}
			}
			t.uplink[h][n.LocalPort] = true
			r := byChassis[n.ChassisID]
			if r == nil && n.SysName != "" {
				r = bySys[strings.ToLower(n.SysName)]
			}
			if r == nil || r == h {
				continue
			}
			if t.seen[h] == nil {
				t.seen[h] = map[*Host]int{}
			}
			if t.seen[h][r] == 0 {
				t.seen[h][r] = n.LocalPort
			}
			link(h, r)
			link(r, h)
		}
	}
	for _, nbs := range t.adj {
		slices.SortFunc(nbs, func(a, b *Host) int { return a.Addr.Compare(b.Addr) })
	}
	return t
}

// roots are the root of each LLDP group of two or more hosts: the best
// (better) among those isRoot accepts, else the best of all.
func (t *topo) roots(isRoot func(*Host) bool) []*Host {
	if isRoot == nil {
		isRoot = func(*Host) bool { return false }
	}
	var out []*Host
	group := map[*Host]int{}
	for _, h := range t.hosts {
		if len(t.adj[h]) == 0 || group[h] != 0 {
			continue
		}
		id := len(out) + 1
		best := h
		stack := []*Host{h}
		group[h] = id
		for len(stack) > 0 {
			cur := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if ra, rb := isRoot(cur), isRoot(best); ra != rb && ra || ra == rb && t.better(cur, best) {
				best = cur
			}
			for _, nb := range t.adj[cur] {
				if group[nb] == 0 {
					group[nb] = id
					stack = append(stack, nb)
				}
			}
		}
		out = append(out, best)
	}
	return out
}

// better reports whether a makes a better root than b.
func (t *topo) better(a, b *Host) bool {
	if ra, rb := a.Kind == KindRouter, b.Kind == KindRouter; ra != rb {
		return ra
	}
	if fa, fb := len(a.FDB), len(b.FDB); fa != fb {
		return fa > fb
	}
	if da, db := len(t.adj[a]), len(t.adj[b]); da != db {
		return da > db
	}
	return a.Addr.Less(b.Addr)
}

// evidence is the LLDP row that links child to parent: the child's own
// if it has one, else the parent's.
func (t *topo) evidence(child, parent *Host) Via {
	if p := t.seen[child][parent]; p != 0 {
		return Via{Observer: child, Port: p, Seen: parent}
	}
	return Via{Observer: parent, Port: t.seen[parent][child], Seen: child}
}

// byFDB places each host LLDP left alone under the bridge port that
// learned one of its MACs: ports with an LLDP neighbour (uplinks) are
// skipped, the port with the fewest addresses wins, then the lower bridge
// address. One pass over the bridges' tables, MACs looked up by map.
func (t *topo) byFDB() {
	owner := map[string][]*Host{}
	for _, h := range t.hosts {
		if h.Parent == nil && len(t.adj[h]) == 0 {
			for _, m := range h.MACs {
				owner[m] = append(owner[m], h)
			}
		}
	}
	if len(owner) == 0 {
		return
	}
	type choice struct {
		s     *Host
		port  int
		count int
		mac   string
	}
	best := map[*Host]choice{}
	for _, s := range t.hosts {
		if len(s.FDB) == 0 {
			continue
		}
		perPort := map[int]int{}
		for _, e := range s.FDB {
			perPort[e.Port]++
		}
		for _, e := range s.FDB {
			if t.uplink[s][e.Port] {
				continue
			}
			for _, h := range owner[e.MAC] {
				if h == s {
					continue
				}
				c, ok := best[h]
				if n := perPort[e.Port]; !ok || n < c.count || (n == c.count && s.Addr.Less(c.s.Addr)) {
					best[h] = choice{s, e.Port, n, e.MAC}
				}
			}
		}
	}
	// In address order, so that a cycle (two bridges learning each
	// other's MAC on edge ports) is cut the same way every run.
	for _, h := range t.hosts {
		c, ok := best[h]
		if ok && !t.below(c.s, h) {
			h.Parent, h.Via = c.s, Via{FDB: true, Observer: c.s, Port: c.port, MAC: c.mac}
		}
	}
}

// below reports whether s hangs (through proposed parents) under h.
func (t *topo) below(s, h *Host) bool {
	for p, n := s.Parent, 0; p != nil && n <= len(t.hosts); p, n = p.Parent, n+1 {
		if p == h {
			return true
		}
	}
	return false
}

// Linked reports whether a's or b's LLDP table has the other.
func Linked(a, b *Host) bool {
	sees := func(x, y *Host) bool {
		for _, n := range x.Neighbors {
			if (y.ChassisID != "" && n.ChassisID == y.ChassisID) || (y.SysName != "" && strings.EqualFold(n.SysName, y.SysName)) {
				return true
			}
		}
		return false
	}
	return a != nil && b != nil && (sees(a, b) || sees(b, a))
}
