package estate

import "strings"

// lookback is how far back the view looks for a poller that stopped
// reporting: its assets and last report stay known that long, so a dead
// site shows its assets UNKNOWN instead of vanishing.
const lookback = "1h"

// query is one PromQL query of a refresh and where its answer goes.
type query struct {
	name string
	expr string
}

// queries are the Prometheus queries of one refresh, with the view's
// matchers spliced into every selector. Series of an HA pair are
// deduplicated by dropping the instance label (max without(instance));
// statuses drop PENDING (code 6) when a replica has a verdict, so a
// replica that restarts does not blank the view while it warms up.
// checks is every check of the view when a --match narrows it, else the
// checks of the assets with a status other than OK (the asset screen of
// an OK asset then lists none: bytes stay bounded by the problems).
func queries(m string) []query {
	sel := func(metric string, extra ...string) string { return selector(metric, m, extra...) }
	dedup := func(metric string) string { return "max without (instance) (" + sel(metric) + ")" }
	verdict := func(metric string) string {
		return "max without (instance) (" + sel(metric) + " < 6) or max without (instance) (" + sel(metric) + ")"
	}
	reports := "last_over_time(" + sel("noctop_snapshot_timestamp_seconds") + "[" + lookback + "])"
	checks := "(" + verdict("noctop_check_status") + ")"
	if m == "" {
		checks += " and on (site, asset) (" + sel("noctop_asset_status") + " != 0)"
	}
	sla := strings.Join([]string{
		`label_replace(max without (instance) (` + sel("service:noctop_availability:ratio_1d") + `), "window", "24h", "", "")`,
		`label_replace(max without (instance) (` + sel("service:noctop_availability:ratio_30d") + `), "window", "30d", "", "")`,
		`max without (instance) (` + sel("noctop_availability_ratio") + `)`,
		// The promise rides along as window "sla": no query of its own.
		`label_replace(max without (instance) (` + sel("noctop_service_sla_ratio") + `), "window", "sla", "", "")`,
	}, " or ")
	return []query{
		{"up", "max by (site, shard) (" + sel("up") + " and on (job, instance) " + reports + ")"},
		{"reported", "max by (site, shard) (" + reports + ")"},
		{"info", "max without (instance) (last_over_time(" + sel("noctop_asset_info") + "[" + lookback + "]))"},
		{"status", verdict("noctop_asset_status")},
		{"role", dedup("noctop_asset_role")},
		{"root_cause", dedup("noctop_asset_root_cause")},
		{"checks", checks},
		{"services", verdict("noctop_service_status")},
		{"sla", sla},
	}
}
