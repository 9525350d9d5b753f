// Package metrics exports the engine's latest snapshot to Prometheus: a
// collector that reads model.Engine.Latest at scrape time (never waiting
// on the engine) and emits const metrics, and the HTTP server of
// --metrics-listen.
//
// Cardinality is bounded by the config: one check series per asset x
// check, two interface series per direction and interface an SNMP check
// reports, one lifecycle series per asset and date kind, three
// availability series per service. No reason, summary or other free text
// is ever a label.
package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"noctop/model"
)

// Options say where the collector reads its numbers.
type Options struct {
	// Latest returns the newest snapshot (model.Engine.Latest); it must
	// not block. Required.
	Latest func() *model.Snapshot
	// Traps returns the trap receiver's counts by result; nil when no
	// receiver runs (no noctop_traps_total series).
	Traps func() []TrapCount
	// Notifications returns the notifiers' counts by notifier and result;
	// nil when nothing notifies.
	Notifications func() []NotifyCount
	// Build is exported as noctop_build_info.
	Build Build
	// Now is the clock for days left (default time.Now).
	Now func() time.Time
	// ConstLabels go on every series (the Go and process collectors'
	// too): a sharded poller's site and shard (shard.Plan.Labels). nil:
	// none.
	ConstLabels map[string]string
	// Owns says whether this poller owns an asset or service; nil: all.
	// What it only borrows (polled to judge its own) is not exported:
	// the owner exports it.
	Owns func(name string) bool
}

// Build names the running binary.
type Build struct{ Version, Commit, GoVersion string }

// TrapCount is how many trap datagrams ended in one result (accepted,
// rate_limited, ...) since the receiver started.
type TrapCount struct {
	Result string
	Count  uint64
}

// NotifyCount is how many notification attempts of one notifier ended in
// one result (sent, failed, suppressed, ...) since the monitor started.
// Notifier names come from the config and results from a fixed set, so
// the series stay bounded.
type NotifyCount struct {
	Notify, Result string
	Count          uint64
}

// collector is a prometheus.Collector over the latest snapshot. It holds
// no mutable state: concurrent scrapes are safe.
type collector struct {
	opts Options
	d    descs
}

func newCollector(opts Options) *collector {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &collector{opts: opts, d: newDescs(opts.ConstLabels)}
}

// Describe sends every descriptor: the label names are fixed, so the
// registry checks the collector.
func (c *collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range c.d.all() {
		ch <- d
	}
}

// Collect emits the snapshot's numbers and the counters of the sources.
func (c *collector) Collect(ch chan<- prometheus.Metric) {
	if s := c.opts.Latest(); s != nil {
		e := emitter{ch: ch, d: &c.d, owns: c.opts.Owns}
		e.snapshot(s, today(c.opts.Now()))
	}
	b := c.opts.Build
	ch <- prometheus.MustNewConstMetric(c.d.buildInfo, prometheus.GaugeValue, 1,
		label(b.Version), label(b.Commit), label(b.GoVersion))
	if c.opts.Traps != nil {
		for _, t := range c.opts.Traps() {
			ch <- prometheus.MustNewConstMetric(c.d.traps, prometheus.CounterValue, float64(t.Count), label(t.Result))
		}
	}
	if c.opts.Notifications != nil {
		for _, n := range c.opts.Notifications() {
			ch <- prometheus.MustNewConstMetric(c.d.notifications, prometheus.CounterValue, float64(n.Count),
				label(n.Notify), label(n.Result))
		}
	}
}
