//go:build scaleout_pending

package main

import (
	"context"
	"fmt"
	"strings"

	"noctop/estate"
	"noctop/model"
	"noctop/shard"
)

// The recipe on issue 14's parts: sharded pollers, the alertmanager
// receiver posting to every member (`urls`), and the view's own fetch.

// ownerShard is the shard owning an asset: hashmod(name) over 2 shards.
func ownerShard(name string) int { return int(shard.Hashmod(name, 2)) }

// pollerArgs are a poller's flags: site lab, its shard of 2.
func pollerArgs(i int) []string {
	return []string{"--site", "lab", "--shard", fmt.Sprint(i), "--shards", "2"}
}

// notifyCluster is the pollers' Alertmanager receiver: every replica
// posts to every member, as Prometheus does.
func notifyCluster(_ int, ams []string) string {
	return fmt.Sprintf("\n[[notify]]\nname = \"alertmanager\"\ntype = \"alertmanager\"\nurls = [%q, %q, %q]\n", ams[0], ams[1], ams[2])
}

// recordedSeries are the recording rules to see recorded: all of them.
func recordedSeries() []string {
	return []string{"site:noctop_assets:max", "site_role:noctop_assets:sum",
		"noctop:service_up:max", "service:noctop_availability:ratio_1d", "service:noctop_availability:ratio_30d"}
}

// viewSource is where the view reads.
type viewSource struct{ prom, am string }

// fetch is the view's estate.Fetch: every asset of the estate, with the
// site's staleness as the view shows it (UNKNOWN, "site lab stale: ...").
func (v viewSource) fetch(ctx context.Context) (map[string]viewAsset, error) {
	snap, _, err := estate.Fetch(ctx, estate.Source{Prom: v.prom, AM: v.am})
	if err != nil {
		return nil, err
	}
	out := map[string]viewAsset{}
	for _, a := range snap.Assets {
		if _, dup := out[a.Name]; dup {
			return nil, fmt.Errorf("asset %s twice in the view", a.Name)
		}
		out[a.Name] = viewAsset{
			status: a.Status, reason: a.Reason,
			stale: a.Status == model.StatusUnknown && strings.Contains(a.Reason, "site lab stale"),
		}
	}
	return out, nil
}
