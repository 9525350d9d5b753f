package metrics

import "github.com/prometheus/client_golang/prometheus"

// descs are the collector's metric descriptors, made once per collector.
type descs struct {
	checkStatus, checkDuration, icmpRTT, icmpLoss                       *prometheus.Desc
	ifBits, ifErrors                                                    *prometheus.Desc
	assetStatus, serviceStatus, availability, serviceSLA, lifecycleDays *prometheus.Desc
	scheduleLag, snapshotTime, traps, notifications, buildInfo          *prometheus.Desc
	assetRole, assetRootCause, assets, affected, assetInfo              *prometheus.Desc
}

// newDescs makes the descriptors, with constant labels own (nil: none):
// in the descriptor, they cost a scrape nothing.
func newDescs(own prometheus.Labels) descs {
	d := func(name, help string, labels ...string) *prometheus.Desc {
		return prometheus.NewDesc(name, help, labels, own)
	}
	return descs{
		checkStatus: d("noctop_check_status",
			"Latest status of a check: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN, 4 UNREACHABLE, 5 MAINTENANCE, 6 PENDING.",
			"asset", "check", "type", "layer"),
		checkDuration: d("noctop_check_duration_seconds", "How long the check's latest run took.", "asset", "check"),
		icmpRTT:       d("noctop_icmp_rtt_seconds", "Average round trip of the latest ICMP check.", "asset", "check"),
		icmpLoss:      d("noctop_icmp_loss_ratio", "Packets lost by the latest ICMP check, 0 to 1.", "asset", "check"),
		ifBits: d("noctop_interface_bits_per_second", "Traffic on an interface an SNMP check reads.",
			"asset", "interface", "direction"),
		ifErrors: d("noctop_interface_errors_per_second", "Errors on an interface an SNMP check reads.",
			"asset", "interface", "direction"),
		assetStatus: d("noctop_asset_status",
			"Status of an asset (worst check, or UNREACHABLE behind a down parent), coded as noctop_check_status.",
			"asset", "layer"),
		serviceStatus: d("noctop_service_status", "Status of a business service, coded as noctop_check_status.", "service"),
		availability: d("noctop_availability_ratio",
			"Measured availability of a business service over a window, 0 to 1 (absent until something was measured).",
			"service", "window"),
		serviceSLA: d("noctop_service_sla_ratio",
			"Availability a business service promises (its sla), 0 to 1; absent when it promises none.", "service"),
		lifecycleDays: d("noctop_lifecycle_days_left",
			"Days until an asset's lifecycle date (warranty end, end of life, ...); negative once past.",
			"asset", "kind"),
		scheduleLag: d("noctop_schedule_lag_seconds",
			"How late scheduled check runs started, every run since the engine started."),
		snapshotTime: d("noctop_snapshot_timestamp_seconds",
			"When the engine published the snapshot this scrape read (Unix time): a stuck engine shows here."),
		traps:         d("noctop_traps_total", "SNMP trap datagrams received, by what became of them.", "result"),
		notifications: d("noctop_notifications_total", "Notification attempts, by notifier and result.", "notify", "result"),
		buildInfo:     d("noctop_build_info", "The running noctop's version, commit and Go version; always 1.", "version", "commit", "goversion"),
		assetRole: d("noctop_asset_role",
			"1 for an asset with a problem, labelled with what it is in the outage (root_cause, unreachable, checking, critical, unknown, warning, soft); absent without one.",
			"asset", "layer", "role"),
		assetRootCause: d("noctop_asset_root_cause",
			"1 for each root cause (down ancestor) an UNREACHABLE asset is cut off by.", "asset", "root_cause"),
		assets: d("noctop_assets",
			"Assets this poller exports by role (root_cause ... soft, acked, flapping; ok: no problem and OK; total).", "role"),
		affected: d("noctop_affected_assets",
			"Assets this poller exports that a root cause makes UNREACHABLE (summed over a site's shards: all of them).", "root_cause"),
		assetInfo: d("noctop_asset_info", "1 per asset: its layer, kind, address and parents (comma-joined), to draw the tree.",
			"asset", "layer", "kind", "address", "parents"),
	}
}

func (d *descs) all() []*prometheus.Desc {
	return []*prometheus.Desc{
		d.checkStatus, d.checkDuration, d.icmpRTT, d.icmpLoss, d.ifBits, d.ifErrors,
		d.assetStatus, d.serviceStatus, d.availability, d.serviceSLA, d.lifecycleDays,
		d.scheduleLag, d.snapshotTime, d.traps, d.notifications, d.buildInfo,
		d.assetRole, d.assetRootCause, d.assets, d.affected, d.assetInfo,
	}
}
