package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"sync"

	"github.com/spf13/cobra"

	"noctop/serve/metrics"
)

// metricsFlags configure Prometheus /metrics next to a long-running mode.
type metricsFlags struct {
	listen string
}

func (f *metricsFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.listen, "metrics-listen", "",
		"serve Prometheus metrics at http://ADDR/metrics, e.g. 127.0.0.1:9469 (default: none)")
}

// metricsServer is the bound /metrics address of a monitor; nil (no
// --metrics-listen) does nothing.
type metricsServer struct {
	srv *metrics.Server
}

// listenMetrics binds --metrics-listen before anything starts: a bad or
// busy address is printed to w and the caller exits 3, as for a config or
// a database noctop cannot use.
func listenMetrics(ctx context.Context, w io.Writer, f metricsFlags) (*metricsServer, error) {
	if f.listen == "" {
		return nil, nil
	}
	srv, err := metrics.Listen(ctx, f.listen)
	if err != nil {
		fmt.Fprintf(w, "noctop: --metrics-listen %s: %v\n", f.listen, err)
		return nil, err
	}
	return &metricsServer{srv: srv}, nil
}

// serve answers scrapes of m's latest snapshot (and its trap and
// notification counts) until stop, which shuts the server down and
// waits. What stops serving early is handed to say.
func (ms *metricsServer) serve(ctx context.Context, m *monitor, say func(string)) (stop func()) {
	if ms == nil {
		return func() {}
	}
	reg, err := metrics.NewRegistry(metrics.Options{
		Latest:        m.engine.Latest,
		Traps:         m.trapCounts,
		Notifications: m.notificationCounts(),
		Build:         metrics.Build{Version: version, Commit: buildCommit(), GoVersion: runtime.Version()},
		ConstLabels:   m.plan.Labels(),
		Owns:          m.plan.OwnsFunc(),
	})
	if err != nil {
		say("/metrics: " + err.Error())
		return func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := ms.srv.Serve(ctx, reg); err != nil {
			say("/metrics stopped: " + err.Error())
		}
	})
	return func() {
		cancel()
		wg.Wait()
	}
}

// logAttrs name the metrics URL in the log's start line (none without
// --metrics-listen): with port 0 it is the only place that says the port.
func (ms *metricsServer) logAttrs() []any {
	if ms == nil {
		return nil
	}
	return []any{"metrics", "http://" + ms.srv.Addr().String() + "/metrics"}
}

// close releases the address when serve never ran (the monitor did not
// start).
func (ms *metricsServer) close() {
	if ms != nil {
		_ = ms.srv.Close()
	}
}

// trapCounts are the trap receiver's counters by result for
// noctop_traps_total; nil (no series) while no receiver is bound. The
// results partition the datagrams read.
func (m *monitor) trapCounts() []metrics.TrapCount {
	rx := m.trapRx.Load()
	if rx == nil {
		return nil
	}
	st := rx.Stats()
	return []metrics.TrapCount{
		{Result: "accepted", Count: st.Accepted},
		{Result: "rate_limited", Count: st.RateLimited},
		{Result: "auth_failed", Count: st.AuthFailed},
		{Result: "malformed", Count: st.Malformed},
		{Result: "engine_busy", Count: st.EngineBusy},
	}
}

// notificationCounts is what noctop_notifications_total reads: the
// notifier's attempts by receiver and result (nil without a notifier).
func (m *monitor) notificationCounts() func() []metrics.NotifyCount {
	n := m.notifier
	if n == nil {
		return nil
	}
	return func() []metrics.NotifyCount {
		cs := n.Counts()
		out := make([]metrics.NotifyCount, len(cs))
		for i, c := range cs {
			out[i] = metrics.NotifyCount{Notify: c.Receiver, Result: c.Result, Count: c.N}
		}
		return out
	}
}
