package probes

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/gosnmp/gosnmp"

	"noctop/model"
)

// Reading IF-MIB: which interface columns a poll walks, and the rows
// decoded from them. Judging the rows is snmp_ifjudge.go's.

// operName names an IF-MIB ifOperStatus value (0: not reported).
func operName(n int) string {
	switch n {
	case 0, 4:
		return "unknown"
	case 1:
		return "up"
	case 2:
		return "down"
	case 3:
		return "testing"
	case 5:
		return "dormant"
	case 6:
		return "notPresent"
	case 7:
		return "lowerLayerDown"
	}
	return fmt.Sprintf("unknown(%d)", n)
}

// Error counter slots in ifCounters.errs.
const (
	ifInErrors = iota
	ifOutErrors
	ifInDiscards
	ifOutDiscards
	numIfErrs
)

// ifCounters are the counters of one interface at one poll.
type ifCounters struct {
	in, out   uint64
	bits64    bool // in and out are ifHC counters
	hasOctets bool
	errs      [numIfErrs]uint64
	hasErrs   [numIfErrs]bool
}

// ifRow is one interface as the agent reported it.
type ifRow struct {
	index              int
	name, alias, descr string
	admin, oper        int
	speed              float64 // bits/s, 0 when unknown
	hasHighSpeed       bool    // the agent has ifHighSpeed for this row
	has64              [2]bool // ifHCIn/OutOctets read
	has32              [2]bool // ifIn/OutOctets read
	octets64, octets32 [2]uint64
	c                  ifCounters
}

// label is how reasons name an interface: "Gi0/3 (uplink to core)".
func (r *ifRow) label() string {
	name := r.name
	if name == "" {
		name = r.descr
	}
	if name == "" {
		name = "if" + strconv.Itoa(r.index)
	}
	if r.alias != "" && r.alias != name {
		return name + " (" + r.alias + ")"
	}
	return name
}

// ifPlan says which optional columns a poll walks: the 32-bit octet
// counters and ifSpeed are needed only where the 64-bit counters or
// ifHighSpeed are missing, which the previous poll tells.
type ifPlan struct {
	octets32, speed32 bool
}

// columns lists the interface columns to walk.
func (p ifPlan) columns() []string {
	cols := []string{oidIfDescr, oidIfAdminStatus, oidIfOperStatus, oidIfInDiscards, oidIfInErrors,
		oidIfOutDiscards, oidIfOutErrors, oidIfName, oidIfHCInOctets, oidIfHCOutOctets, oidIfHighSpeed, oidIfAlias}
	if p.octets32 {
		cols = append(cols, oidIfInOctets, oidIfOutOctets)
	}
	if p.speed32 {
		cols = append(cols, oidIfSpeed)
	}
	return cols
}

// next is the plan for the poll after one that returned rows.
func (p ifPlan) next(rows []ifRow) ifPlan {
	var n ifPlan
	for i := range rows {
		r := &rows[i]
		n.octets32 = n.octets32 || !r.has64[0] || !r.has64[1]
		n.speed32 = n.speed32 || !r.hasHighSpeed
	}
	return n
}

// parseInterfaces builds the interface rows from the walked columns. A row
// index that is not a positive integer, or a value of the wrong type, is a
// problem (one per column and row at most: the walk bounds them); the row
// keeps what could be read.
func parseInterfaces(cols map[string][]tableRow) (rows []ifRow, probs []string) {
	byIndex := map[int]*ifRow{}
	row := func(idx string) *ifRow {
		n, err := strconv.Atoi(idx)
		if err != nil || n <= 0 {
			probs = append(probs, fmt.Sprintf("interface index %q is not a positive integer", model.Clip(idx, 40)))
			return nil
		}
		r := byIndex[n]
		if r == nil {
			r = &ifRow{index: n}
			byIndex[n] = r
		}
		return r
	}
	roots := make([]string, 0, len(cols))
	for root := range cols {
		roots = append(roots, root)
	}
	slices.SortFunc(roots, oidCompare)
	for _, root := range roots {
		// One problem per column: the first bad row and how many more.
		var first error
		bad := 0
		for _, tr := range cols[root] {
			r := row(tr.index)
			if r == nil {
				continue
			}
			if err := r.set(root, tr.pdu); err != nil {
				if bad++; first == nil {
					first = err
				}
			}
		}
		switch {
		case bad == 1:
			probs = append(probs, first.Error())
		case bad > 1:
			probs = append(probs, fmt.Sprintf("%v (and %d more rows)", first, bad-1))
		}
	}
	rows = make([]ifRow, 0, len(byIndex))
	incomplete := 0
	for _, r := range byIndex {
		r.finish()
		if r.admin == 0 || r.oper == 0 {
			incomplete++
		}
		rows = append(rows, *r)
	}
	if incomplete > 0 {
		// A walk that ended early (endOfMibView, a column the agent
		// stopped) leaves rows without their status.
		probs = append(probs, fmt.Sprintf("%d of %d interfaces have no ifAdminStatus or ifOperStatus (the walk ended early)", incomplete, len(rows)))
	}
	slices.SortFunc(rows, func(a, b ifRow) int { return a.index - b.index })
	return rows, probs
}

// set stores one column value in the row.
func (r *ifRow) set(root string, v gosnmp.SnmpPDU) error {
	var err error
	switch root {
	case oidIfDescr:
		r.descr, err = pduString(v)
	case oidIfName:
		r.name, err = pduString(v)
	case oidIfAlias:
		r.alias, err = pduString(v)
	case oidIfAdminStatus:
		r.admin, err = pduInt(v)
	case oidIfOperStatus:
		r.oper, err = pduInt(v)
	case oidIfHighSpeed, oidIfSpeed:
		var n uint64
		if v.Type != gosnmp.Gauge32 {
			return wrongType(v, "Gauge32")
		}
		if n, err = pduUint(v); err != nil {
			return err
		}
		// ifHighSpeed (Mb/s) wins; ifSpeed (b/s) where it is missing or 0.
		if root == oidIfHighSpeed {
			r.hasHighSpeed = true
			if n > 0 {
				r.speed = float64(n) * 1e6
			}
		} else if r.speed == 0 {
			r.speed = float64(n)
		}
	case oidIfHCInOctets, oidIfHCOutOctets:
		if v.Type != gosnmp.Counter64 {
			return wrongType(v, "Counter64")
		}
		i := btoi(root == oidIfHCOutOctets)
		r.octets64[i], err = pduUint(v)
		r.has64[i] = err == nil
	case oidIfInOctets, oidIfOutOctets:
		i := btoi(root == oidIfOutOctets)
		if r.octets32[i], err = counter32(v); err == nil {
			r.has32[i] = true
		}
	case oidIfInErrors, oidIfOutErrors, oidIfInDiscards, oidIfOutDiscards:
		slot := ifInErrors
		switch root {
		case oidIfOutErrors:
			slot = ifOutErrors
		case oidIfInDiscards:
			slot = ifInDiscards
		case oidIfOutDiscards:
			slot = ifOutDiscards
		}
		if r.c.errs[slot], err = counter32(v); err == nil {
			r.c.hasErrs[slot] = true
		}
	}
	return err
}

// counter32 reads a Counter32 column value.
func counter32(v gosnmp.SnmpPDU) (uint64, error) {
	if v.Type != gosnmp.Counter32 {
		return 0, wrongType(v, "Counter32")
	}
	return pduCounter32(v)
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// finish picks the octet counters: both 64-bit when the agent has them,
// else both 32-bit.
func (r *ifRow) finish() {
	switch {
	case r.has64[0] && r.has64[1]:
		r.c.in, r.c.out, r.c.bits64, r.c.hasOctets = r.octets64[0], r.octets64[1], true, true
	case r.has32[0] && r.has32[1]:
		r.c.in, r.c.out, r.c.hasOctets = r.octets32[0], r.octets32[1], true
	}
}

// counters keeps the rows' counters for the next poll's rates.
func counters(rows []ifRow) map[int]ifCounters {
	m := make(map[int]ifCounters, len(rows))
	for i := range rows {
		m[rows[i].index] = rows[i].c
	}
	return m
}
