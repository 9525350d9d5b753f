package probes

import (
	"fmt"
	"math"
	"regexp"
	"strings"
	"time"

	"noctop/model"
)

// Judging the interfaces a poll read (snmp_iftable.go): which are watched,
// their rates, each one's verdict, and what the table adds to the outcome.

// ifFilter is a compiled model.InterfaceFilter.
type ifFilter struct {
	include, exclude *regexp.Regexp
}

// compileFilter compiles f's patterns (as the loader does: an error names
// the key).
func compileFilter(f *model.InterfaceFilter) (*ifFilter, error) {
	out := &ifFilter{}
	if f == nil {
		return out, nil
	}
	var err error
	if out.include, err = model.InterfacePattern("include", f.Include); err != nil {
		return nil, err
	}
	if out.exclude, err = model.InterfacePattern("exclude", f.Exclude); err != nil {
		return nil, err
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
// interface's verdict (against lim) folded into v.
func judgeInterfaces(rows []ifRow, prev map[int]ifCounters, elapsed time.Duration, lim *snmpLimits, v *model.Verdict) ([]model.Interface, ifSummary) {
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
		judgeInterface(r, &it, lim.util, lim.errs)
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

// metrics adds the aggregate interface metrics; a rate not measured yet
// is left out.
func (s *ifSummary) metrics(m map[string]float64) {
	m[model.MetricIfCount] = float64(s.count)
	m[model.MetricIfUp] = float64(s.up)
	m[model.MetricIfDown] = float64(s.down)
	m[model.MetricIfAdminDown] = float64(s.adminDown)
	for _, r := range []struct {
		name string
		v    float64
	}{{model.MetricInBps, s.inTotal}, {model.MetricOutBps, s.outTotal},
		{model.MetricMaxUtil, s.maxUtil}, {model.MetricErrorsRate, s.errsTotal}} {
		if !math.IsNaN(r.v) {
			m[r.name] = r.v
		}
	}
}
