package probes

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gosnmp/gosnmp"

	"noctop/model"
)

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

// maxProblems bounds the problems listed in a reason.
const maxProblems = 3

// problemList collects decode problems, keeping the first few and a count.
type problemList struct {
	first []string
	n     int
}

func (p *problemList) add(s string) {
	p.n++
	if len(p.first) < maxProblems {
		p.first = append(p.first, s)
	}
}

func (p *problemList) String() string {
	s := strings.Join(p.first, "; ")
	if p.n > len(p.first) {
		s += fmt.Sprintf("; and %d more", p.n-len(p.first))
	}
	return s
}

// parseInterfaces builds the interface rows from the walked columns. A row
// index that is not a positive integer, or a value of the wrong type, is a
// problem; the row keeps what could be read.
func parseInterfaces(cols map[string][]tableRow, probs *problemList) []ifRow {
	byIndex := map[int]*ifRow{}
	row := func(idx string) *ifRow {
		n, err := strconv.Atoi(idx)
		if err != nil || n <= 0 {
			probs.add(fmt.Sprintf("interface index %q is not a positive integer", model.Clip(idx, 40)))
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
			probs.add(first.Error())
		case bad > 1:
			probs.add(fmt.Sprintf("%v (and %d more rows)", first, bad-1))
		}
	}
	out := make([]ifRow, 0, len(byIndex))
	incomplete := 0
	for _, r := range byIndex {
		r.finish()
		if r.admin == 0 || r.oper == 0 {
			incomplete++
		}
		out = append(out, *r)
	}
	if incomplete > 0 {
		// A walk that ended early (endOfMibView, a column the agent
		// stopped) leaves rows without their status.
		probs.add(fmt.Sprintf("%d of %d interfaces have no ifAdminStatus or ifOperStatus (the walk ended early)", incomplete, len(out)))
	}
	slices.SortFunc(out, func(a, b ifRow) int { return a.index - b.index })
	return out
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

// ifFilter is a compiled model.InterfaceFilter.
type ifFilter struct {
	include, exclude *regexp.Regexp
	src              model.InterfaceFilter
}

// compileFilter compiles f (the loader has checked the patterns).
func compileFilter(f *model.InterfaceFilter) (*ifFilter, error) {
	out := &ifFilter{}
	if f == nil {
		return out, nil
	}
	out.src = *f
	var err error
	if f.Include != "" {
		if out.include, err = regexp.Compile(f.Include); err != nil {
			return nil, fmt.Errorf("interfaces.include: %w", err)
		}
	}
	if f.Exclude != "" {
		if out.exclude, err = regexp.Compile(f.Exclude); err != nil {
			return nil, fmt.Errorf("interfaces.exclude: %w", err)
		}
	}
	return out, nil
}

// keep reports whether an interface is watched.
func (f *ifFilter) keep(r *ifRow) bool {
	match := func(re *regexp.Regexp) bool {
		return re.MatchString(r.name) || re.MatchString(r.descr) || re.MatchString(r.alias)
	}
	if f.include != nil && !match(f.include) {
		return false
	}
	return f.exclude == nil || !match(f.exclude)
}

// ifSummary is what the interface table adds to an outcome.
type ifSummary struct {
	count, up, down, adminDown int
	inTotal, outTotal          float64 // NaN when no interface has a rate
	maxUtil                    float64
	maxUtilOn                  string
	errsTotal                  float64
	rated                      bool
}

// judgeInterfaces turns the rows into the outcome's interface table, with
// rates against prev (nil: first poll, or after a reboot) and each
// interface's verdict folded into v.
func judgeInterfaces(rows []ifRow, prev map[int]ifCounters, elapsed time.Duration, c *model.Check, v *model.Verdict) ([]model.Interface, ifSummary) {
	utilT := c.Utilization.Threshold("%", false)
	errT := c.Errors.Threshold("/min", false)
	s := ifSummary{inTotal: math.NaN(), outTotal: math.NaN(), maxUtil: math.NaN(), errsTotal: math.NaN()}
	out := make([]model.Interface, 0, len(rows))
	for i := range rows {
		r := &rows[i]
		it := model.Interface{
			Index: r.index, Name: r.name, Alias: r.alias, Descr: r.descr,
			AdminUp: r.admin == 1, OperStatus: operName(r.oper), SpeedBps: r.speed,
			InBps: math.NaN(), OutBps: math.NaN(), UtilPct: math.NaN(),
			InErrors: math.NaN(), OutErrors: math.NaN(), InDiscards: math.NaN(), OutDiscards: math.NaN(),
			Status: model.StatusOK,
		}
		if it.Name == "" {
			it.Name = r.descr
		}
		if p, ok := prev[r.index]; ok {
			rates(&it, p, r.c, elapsed)
		}
		judgeInterface(r, &it, utilT, errT)
		v.Add(it.Status, it.Reason)
		s.add(r, &it)
		out = append(out, it)
	}
	return out, s
}

// rates fills an interface's rates from two counter readings.
func rates(it *model.Interface, p, cur ifCounters, elapsed time.Duration) {
	if p.hasOctets && cur.hasOctets && p.bits64 == cur.bits64 {
		it.InBps = perSecond(p.in, cur.in, cur.bits64, elapsed) * 8
		it.OutBps = perSecond(p.out, cur.out, cur.bits64, elapsed) * 8
		if it.SpeedBps > 0 {
			// A 32-bit "wrap" faster than the line is a reset, not traffic.
			for _, b := range []*float64{&it.InBps, &it.OutBps} {
				if !cur.bits64 && *b > it.SpeedBps*1.5 {
					*b = math.NaN()
				}
			}
			it.UtilPct = maxKnown(it.InBps, it.OutBps) / it.SpeedBps * 100
		}
	}
	dst := [numIfErrs]*float64{&it.InErrors, &it.OutErrors, &it.InDiscards, &it.OutDiscards}
	for k := range numIfErrs {
		if p.hasErrs[k] && cur.hasErrs[k] {
			*dst[k] = perSecond(p.errs[k], cur.errs[k], false, elapsed) * 60
		}
	}
}

// maxKnown is the larger of two values, ignoring NaN.
func maxKnown(a, b float64) float64 {
	switch {
	case math.IsNaN(a):
		return b
	case math.IsNaN(b):
		return a
	}
	return max(a, b)
}

// sumKnown adds the values that are not NaN; NaN when all are.
func sumKnown(vs ...float64) float64 {
	s, any := 0.0, false
	for _, v := range vs {
		if !math.IsNaN(v) {
			s, any = s+v, true
		}
	}
	if !any {
		return math.NaN()
	}
	return s
}

// judgeInterface gives one interface its status and reason. Admin-up but
// oper-down (or lowerLayerDown, notPresent) is CRITICAL; admin-down is
// shown and never alerted; utilisation and errors are judged on what was
// measured.
func judgeInterface(r *ifRow, it *model.Interface, utilT, errT model.Threshold) {
	if r.admin != 1 {
		return // admin down or testing: on purpose
	}
	vd := model.NewVerdict()
	switch r.oper {
	case 1, 5: // up, dormant (waiting for traffic, e.g. dial-on-demand)
	case 2, 6, 7:
		vd.Add(model.StatusCritical, fmt.Sprintf("%s admin up, oper %s", r.label(), operName(r.oper)))
	default:
		vd.Add(model.StatusWarning, fmt.Sprintf("%s admin up, oper %s", r.label(), operName(r.oper)))
	}
	vd.Judge(utilT, r.label()+" util", it.UtilPct)
	vd.Judge(errT, r.label()+" errors+discards", sumKnown(it.InErrors, it.OutErrors, it.InDiscards, it.OutDiscards))
	it.Status, it.Reason = vd.Status, vd.Reason("")
}

// add counts one interface into the summary.
func (s *ifSummary) add(r *ifRow, it *model.Interface) {
	s.count++
	switch {
	case r.admin != 1:
		s.adminDown++
	case r.oper == 1 || r.oper == 5:
		s.up++
	default:
		s.down++
	}
	if !math.IsNaN(it.InBps) || !math.IsNaN(it.OutBps) {
		s.rated = true
		s.inTotal = sumKnown(s.inTotal, it.InBps)
		s.outTotal = sumKnown(s.outTotal, it.OutBps)
	}
	if !math.IsNaN(it.UtilPct) && (math.IsNaN(s.maxUtil) || it.UtilPct > s.maxUtil) {
		s.maxUtil, s.maxUtilOn = it.UtilPct, r.label()
	}
	s.errsTotal = sumKnown(s.errsTotal, it.InErrors, it.OutErrors, it.InDiscards, it.OutDiscards)
}

// text is the summary's interface part: "24 interfaces, 23 up, 1 down;
// max util 41% on Gi0/1".
func (s *ifSummary) text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d %s, %d up", s.count, plural(s.count, "interface", "interfaces"), s.up)
	if s.down > 0 {
		// Each down interface is named in the verdict's reasons already.
		fmt.Fprintf(&b, ", %d down", s.down)
	}
	if s.adminDown > 0 {
		fmt.Fprintf(&b, ", %d admin down", s.adminDown)
	}
	if !math.IsNaN(s.maxUtil) {
		fmt.Fprintf(&b, "; max util %s on %s", model.FormatValue(s.maxUtil, "%"), s.maxUtilOn)
	}
	return b.String()
}

// metrics adds the aggregate interface metrics.
func (s *ifSummary) metrics(m map[string]float64) {
	m["if_count"] = float64(s.count)
	m["if_up"] = float64(s.up)
	m["if_down"] = float64(s.down)
	m["if_admin_down"] = float64(s.adminDown)
	for k, v := range map[string]float64{"in_bps_total": s.inTotal, "out_bps_total": s.outTotal,
		"max_util_pct": s.maxUtil, "errors_per_min_total": s.errsTotal} {
		if !math.IsNaN(v) {
			m[k] = v
		}
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
