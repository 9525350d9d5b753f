package probes

import (
	"errors"
	"fmt"

	"github.com/gosnmp/gosnmp"
)

// Bounds on one walk, so that an agent that keeps answering (a table that
// never ends, an agent that loops) cannot hold a run: 50,000 rows is more
// than any real table the probe walks (a 1,000-port chassis has 1,000).
const (
	maxWalkRows     = 50000
	maxWalkRequests = 2000
)

// Sentinel errors of a walk, for tests and callers.
var (
	// ErrSNMPWalkLoop: the agent answered an OID not after the one asked
	// for, which would make a walk go round forever.
	ErrSNMPWalkLoop = errors.New("walk does not advance (non-increasing OID)")
	// ErrSNMPWalkTooLong: a walk went past maxWalkRows or maxWalkRequests.
	ErrSNMPWalkTooLong = errors.New("walk too long")
)

// walkColumn is one table column being walked.
type walkColumn struct {
	root string // the column OID with its leading dot
	last string // the last OID received (root at the start)
	done bool
}

// tableRow is one value of a walked column, with its row index.
type tableRow struct {
	index string // the OID after the column, e.g. "3" for ifOperStatus.3
	pdu   gosnmp.SnmpPDU
}

// walkResult maps a column root to its rows in agent order; odd are
// answers that ended a column early (noSuchObject inside a walk).
type walkResult struct {
	cols     map[string][]tableRow
	odd      []string
	ended    []*walkColumn // columns ended by endOfMibView
	requests int
}

// problems lists the odd answers, and each endOfMibView that came while
// another column still had rows after it: the agent's MIB view cannot end
// before an object it has just returned, so the walk was cut short.
func (res *walkResult) problems() []string {
	out := res.odd
	for _, c := range res.ended {
		for _, rows := range res.cols {
			if n := len(rows); n > 0 && oidCompare(rows[n-1].pdu.Name, c.last) > 0 {
				out = append(out, fmt.Sprintf("agent answered endOfMibView after %s, but has %s", oidName(c.last), oidName(rows[n-1].pdu.Name)))
				break
			}
		}
	}
	return out
}

// walk reads several table columns at once: each GETBULK asks for the next
// rows of every column not yet finished (v1: GETNEXT), so a table of N
// columns costs about rows/max_repetitions requests, not N walks. A column
// ends at the first OID outside it or at endOfMibView.
func (cl *snmpClient) walk(what string, roots []string, reps int) (*walkResult, error) {
	res := &walkResult{cols: make(map[string][]tableRow, len(roots))}
	active := make([]*walkColumn, 0, len(roots))
	for _, r := range roots {
		active = append(active, &walkColumn{root: r, last: r})
	}
	rows := 0
	for len(active) > 0 {
		if res.requests >= maxWalkRequests {
			return res, fmt.Errorf("%s: %w: %d requests", what, ErrSNMPWalkTooLong, res.requests)
		}
		res.requests++
		oids := make([]string, len(active))
		for i, c := range active {
			oids[i] = c.last
		}
		pkt, err := cl.request(what, func() (*gosnmp.SnmpPacket, error) {
			if cl.g.Version == gosnmp.Version1 {
				return cl.g.GetNext(oids)
			}
			return cl.g.GetBulk(oids, 0, uint32(max(reps, 1)))
		})
		if err != nil {
			return res, err
		}
		switch {
		case pkt.Error == gosnmp.NoSuchName && cl.g.Version == gosnmp.Version1:
			// SNMPv1's end of the MIB view: the column at ErrorIndex is done.
			i := int(pkt.ErrorIndex) - 1
			if i < 0 || i >= len(active) {
				return res, fmt.Errorf("%s: agent answered noSuchName for variable %d of %d", what, pkt.ErrorIndex, len(active))
			}
			active[i].done = true
		case pkt.Error == gosnmp.TooBig && reps > 1:
			reps /= 2 // agents should trim the answer instead; some do not
		case pkt.Error != gosnmp.NoError:
			return res, agentError(what, pkt)
		case len(pkt.Variables) == 0:
			return res, fmt.Errorf("%s: agent answered no variables", what)
		default:
			n, err := res.take(active, pkt.Variables)
			rows += n
			if err != nil {
				return res, fmt.Errorf("%s: %w", what, err)
			}
			if rows > maxWalkRows {
				return res, fmt.Errorf("%s: %w: more than %d rows", what, ErrSNMPWalkTooLong, maxWalkRows)
			}
		}
		next := active[:0]
		for _, c := range active {
			if !c.done {
				next = append(next, c)
			}
		}
		active = next
	}
	return res, nil
}

// take files one response's varbinds under their columns. A GETBULK
// answer lists, for each repetition, one varbind per requested column in
// request order, so varbind k belongs to column k mod len(active).
func (res *walkResult) take(active []*walkColumn, vbs []gosnmp.SnmpPDU) (int, error) {
	n := 0
	for k, v := range vbs {
		c := active[k%len(active)]
		if c.done {
			continue
		}
		name := dotted(v.Name)
		switch v.Type {
		case gosnmp.EndOfMibView:
			c.done = true
			res.ended = append(res.ended, c)
			continue
		case gosnmp.NoSuchObject, gosnmp.NoSuchInstance:
			// Not a valid answer to GETNEXT/GETBULK; end the column rather
			// than ask the same thing again.
			c.done = true
			res.odd = append(res.odd, fmt.Sprintf("agent answered %s inside the walk of %s", typeName(v.Type), oidName(c.root)))
			continue
		}
		// Checked before the column's end: an agent that echoes the OID it
		// was asked for (the column itself, on the first request) or goes
		// back before the column would otherwise pass for an empty column.
		if oidCompare(name, c.last) <= 0 {
			return n, fmt.Errorf("%w: %s after %s", ErrSNMPWalkLoop, oidName(name), oidName(c.last))
		}
		idx, in := indexOf(name, c.root)
		if !in {
			c.done = true
			continue
		}
		c.last = name
		v.Name = name
		res.cols[c.root] = append(res.cols[c.root], tableRow{index: idx, pdu: v})
		n++
	}
	return n, nil
}
