//go:build !scaleout_pending

package main

import (
	"context"
	"fmt"

	"noctop/model"
)

// Until the shard flags, the alertmanager receiver's `urls` and estate
// land (issue 14's other parts), the recipe runs 4 unsharded pollers of
// the whole lab and reads the view through PromQL; scaleout_view_pending
// _test.go (build tag scaleout_pending) is the same test on the real parts.

// ownerShard is the shard whose pollers own an asset: here every poller
// polls the whole lab.
func ownerShard(string) int { return 0 }

// pollerArgs are a poller's flags for its shard: none yet.
func pollerArgs(int) []string { return nil }

// notifyCluster is the pollers' Alertmanager receiver: one member per
// replica (1 and 2; member 0 is the one the test kills), so the alert
// reaches two members and only the cluster's gossip can keep it to one
// notification.
func notifyCluster(replica int, ams []string) string {
	return fmt.Sprintf("\n[[notify]]\nname = \"alertmanager\"\ntype = \"alertmanager\"\nurl = %q\n", ams[1+replica])
}

// recordedSeries are the recording rules whose input the pollers export
// today.
func recordedSeries() []string {
	return []string{"noctop:service_up:max", "service:noctop_availability:ratio_1d", "service:noctop_availability:ratio_30d"}
}

// viewSource is where the view reads.
type viewSource struct{ prom, am string }

// fetch reads every asset's status merged over the HA pairs, as the
// recording rules do (max without instance); while no poller of the site
// answers, the last values, marked stale.
func (v viewSource) fetch(ctx context.Context) (map[string]viewAsset, error) {
	up, err := promQuery(ctx, v.prom, `max by (site) (up{job="noctop"})`)
	if err != nil {
		return nil, err
	}
	stale := len(up) == 1 && up[0].Value == 0
	q := `max without (instance, shard) (noctop_asset_status{job="noctop"})`
	if stale {
		q = `max without (instance, shard) (last_over_time(noctop_asset_status{job="noctop"}[5m]))`
	}
	got, err := promQuery(ctx, v.prom, q)
	if err != nil {
		return nil, err
	}
	out := map[string]viewAsset{}
	for _, s := range got {
		name := s.Labels["asset"]
		if _, dup := out[name]; dup {
			return nil, fmt.Errorf("asset %s twice in %s", name, q)
		}
		out[name] = viewAsset{status: statusOfValue(s.Value), stale: stale}
	}
	return out, nil
}

// statusOfValue reads noctop_asset_status's number (dist/noctop-rules.yml
// lists them).
func statusOfValue(v float64) model.Status {
	all := []model.Status{model.StatusOK, model.StatusWarning, model.StatusCritical, model.StatusUnknown,
		model.StatusUnreachable, model.StatusMaintenance, model.StatusPending}
	if i := int(v); i >= 0 && i < len(all) && float64(i) == v {
		return all[i]
	}
	return model.StatusUnknown
}
