package discover

import (
	"context"
	"net/netip"
	"sync"
	"time"

	"noctop/model"
	"noctop/probes"
)

// pinger is the part of probes.ICMP a sweep uses.
type pinger interface {
	Prepare(t probes.Target) (probes.Prepared, error)
}

// sweep sends one echo request to every address of r through the shared
// ICMP prober (whose rate cap bounds the packets per second), at most
// workers in flight, and calls alive for each address that answered.
// Addresses come from r only: nothing outside the ranges is probed.
func sweep(ctx context.Context, p pinger, r Ranges, workers int, timeout time.Duration, done func(a netip.Addr, alive bool)) {
	addrs := make(chan netip.Addr)
	var wg sync.WaitGroup
	for range max(workers, 1) {
		wg.Go(func() {
			for a := range addrs {
				done(a, ping(ctx, p, a, timeout))
			}
		})
	}
	r.All(func(a netip.Addr) bool {
		select {
		case addrs <- a:
			return true
		case <-ctx.Done():
			return false
		}
	})
	close(addrs)
	wg.Wait()
}

// ping reports whether a answered one echo request within timeout. A
// run that could not tell (UNKNOWN: no send slot in time, a failed send)
// is tried once more before the host counts as silent.
func ping(ctx context.Context, p pinger, a netip.Addr, timeout time.Duration) bool {
	asset := &model.Asset{Name: a.String(), Address: a.String()}
	check := &model.Check{Type: model.CheckICMP, Count: 1, PacketInterval: model.Duration{Duration: time.Second}}
	pr, err := p.Prepare(probes.Target{Asset: asset, Check: check})
	if err != nil {
		return false
	}
	for try := 0; try < 2 && ctx.Err() == nil; try++ {
		o := runOnce(ctx, pr, timeout)
		if o.Metrics[model.MetricReceived] >= 1 {
			return true
		}
		if o.Status != model.StatusUnknown {
			return false
		}
	}
	return false
}

func runOnce(ctx context.Context, pr probes.Prepared, timeout time.Duration) model.Outcome {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	return pr.Run(ctx)
}
