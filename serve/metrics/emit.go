package metrics

import (
	"math"
	"strconv"

	"github.com/prometheus/client_golang/prometheus"

	"noctop/model"
)

// emitter turns one snapshot into const metrics.
type emitter struct {
	ch chan<- prometheus.Metric
	d  *descs
	// ifNames holds the interface labels of the asset being emitted, so
	// that two interfaces of one name (or two snmp checks) never make two
	// series with the same labels, which would fail the scrape. Cleared
	// per asset.
	ifNames map[string]struct{}
	// owns says which assets and services are this poller's to export
	// (nil: all).
	owns func(name string) bool
}

func (e *emitter) exports(name string) bool { return e.owns == nil || e.owns(name) }

func (e *emitter) gauge(d *prometheus.Desc, v float64, labels ...string) {
	e.ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
}

func (e *emitter) snapshot(s *model.Snapshot, day date) {
	var tr triage
	for _, a := range s.Assets {
		if !e.exports(a.Name) {
			continue
		}
		e.asset(a, day)
		e.triage(a, &tr)
	}
	e.tally(&tr)
	for _, sv := range s.Services {
		if e.exports(sv.Name) {
			e.service(sv)
		}
	}
	e.lag(s.Lag.Total)
	if !s.At.IsZero() {
		e.gauge(e.d.snapshotTime, float64(s.At.UnixNano())/1e9)
	}
}

func (e *emitter) asset(a *model.AssetState, day date) {
	clear(e.ifNames)
	name := label(a.Name)
	e.gauge(e.d.assetStatus, statusValue(a.Status), name, label(a.Layer))
	for _, c := range a.Checks {
		e.check(name, a.Layer, c)
	}
	e.renewals(a, name, day)
}

// renewals exports the days left of each kind of renewal of the asset: the
// engine's register (lifecycle dates and every certificate seen), the
// soonest of a kind when there are several (certificates), so the series
// stay one per asset and kind; without a register yet, the config's dates.
func (e *emitter) renewals(a *model.AssetState, name string, day date) {
	var items []model.Renewal
	for _, c := range a.Checks {
		if c.Type == model.CheckLifecycle {
			items = c.Renewals()
		}
	}
	if len(items) == 0 {
		if a.Lifecycle != nil {
			lifecycleDates(a.Lifecycle, func(kind string, d *localDate) {
				if d != nil {
					e.gauge(e.d.lifecycleDays, float64(daysBetween(day, *d)), name, kind)
				}
			})
		}
		return
	}
	soonest := map[string]int{}
	for _, r := range items {
		if d, ok := soonest[r.Kind]; !ok || r.Days < d {
			soonest[r.Kind] = r.Days
		}
	}
	for kind, d := range soonest {
		e.gauge(e.d.lifecycleDays, float64(d), name, renewalKind(kind))
	}
}

// renewalKind is the kind label of a register item: the config's key for a
// date (warranty_end, eol, eos, licence_expiry), "certificate" for one.
func renewalKind(kind string) string {
	switch kind {
	case model.RenewalWarranty:
		return "warranty_end"
	case model.RenewalLicence:
		return "licence_expiry"
	}
	return kind
}

func (e *emitter) check(asset, layer string, c *model.CheckState) {
	name := label(c.Name)
	e.gauge(e.d.checkStatus, statusValue(c.Status), asset, name, label(c.Type), label(layer))
	if !c.LastRun.IsZero() {
		e.gauge(e.d.checkDuration, c.Duration.Seconds(), asset, name)
	}
	if c.Type == model.CheckICMP {
		if v, ok := declaredValue(c, model.MetricRTTAvg, seconds); ok {
			e.gauge(e.d.icmpRTT, v, asset, name)
		}
		if v, ok := declaredValue(c, model.MetricLossPct, ratio); ok {
			e.gauge(e.d.icmpLoss, v, asset, name)
		}
	}
	if len(c.Interfaces) > 0 {
		e.interfaces(asset, c.Interfaces)
	}
}

// interfaces emits the rates of an interface table. Rates are per second
// as the table holds them; errors are per minute there (model.Interface).
func (e *emitter) interfaces(asset string, ifs []model.Interface) {
	if e.ifNames == nil {
		e.ifNames = make(map[string]struct{}, len(ifs))
	}
	for i := range ifs {
		f := &ifs[i]
		n := e.ifLabel(f)
		e.gauge(e.d.ifBits, f.InBps, asset, n, "in")
		e.gauge(e.d.ifBits, f.OutBps, asset, n, "out")
		in, _ := perSecond(model.Metric{Unit: model.UnitPerMinute}, f.InErrors)
		out, _ := perSecond(model.Metric{Unit: model.UnitPerMinute}, f.OutErrors)
		e.gauge(e.d.ifErrors, in, asset, n, "in")
		e.gauge(e.d.ifErrors, out, asset, n, "out")
	}
}

// ifLabel is the interface's name (ifName, else ifDescr, from the
// network: clipped and made valid UTF-8), unique within the asset: an
// unnamed interface or a repeated name gets its ifIndex (and a count, in
// the unlikely case that is taken too: agents send what they like).
func (e *emitter) ifLabel(f *model.Interface) string {
	base := label(model.Clip(f.Name, maxIfName))
	if base == "" {
		base = "ifIndex " + strconv.Itoa(f.Index)
	}
	n := base
	for i := 0; ; i++ {
		if _, dup := e.ifNames[n]; !dup {
			break
		}
		n = base + " #" + strconv.Itoa(f.Index)
		if i > 0 {
			n += "." + strconv.Itoa(i)
		}
	}
	e.ifNames[n] = struct{}{}
	return n
}

// maxIfName bounds an interface label: names are short, a hostile agent's
// need not be.
const maxIfName = 64

func (e *emitter) service(sv *model.ServiceState) {
	name := label(sv.Name)
	e.gauge(e.d.serviceStatus, statusValue(sv.Status), name)
	if sv.SLA > 0 {
		e.gauge(e.d.serviceSLA, sv.SLA/100, name)
	}
	windows := model.SLAWindows()
	for i, av := range sv.Availability {
		if !av.Known() || math.IsNaN(av.Percent) {
			continue
		}
		w := av.Window
		if w == 0 {
			w = windows[i]
		}
		e.gauge(e.d.availability, av.Percent/100, name, windowLabel(w))
	}
}

// lag emits the engine's lag totals as a histogram in its own buckets.
func (e *emitter) lag(t model.LagTotals) {
	bounds := model.LagBounds()
	buckets := make(map[float64]uint64, len(bounds))
	var cum uint64
	for i, ub := range bounds {
		cum += t.Buckets[i]
		buckets[ub.Seconds()] = cum
	}
	e.ch <- prometheus.MustNewConstHistogram(e.d.scheduleLag, t.Runs, t.Sum.Seconds(), buckets)
}
