package estate

import (
	"time"

	"noctop/model"
)

// Raw is one refresh's answers, decoded but not yet judged: the input of
// Build. Every row carries the site and shard labels its poller exported
// (both "" for a poller that is not sharded).
type Raw struct {
	// At is when the queries were evaluated.
	At time.Time
	// Up is max(up) of each shard's scrape targets: 1 while one replica
	// answers. Reported is each shard's newest snapshot time (its last
	// noctop_snapshot_timestamp_seconds within the hour).
	Up       []ShardValue
	Reported []ShardValue
	Assets   []AssetRow
	Checks   []CheckRow
	Services []ServiceRow
	Alerts   []Alert
	Silences []Silence
}

// Shard names one shard of one site.
type Shard struct{ Site, Shard string }

// ShardValue is a per-shard number.
type ShardValue struct {
	Shard
	Value float64
}

// AssetRow is what the series say of one asset; each query fills its part
// and Build merges rows of the same site and name.
type AssetRow struct {
	Shard
	Name string
	// From noctop_asset_info (Info true).
	Info                 bool
	Layer, Kind, Address string
	Parents              []string
	// From noctop_asset_status (HasStatus true): the exporter's code.
	HasStatus bool
	Code      float64
	// From noctop_asset_role ("" for none) and noctop_asset_root_cause.
	Role      string
	RootCause string
}

// CheckRow is one noctop_check_status series.
type CheckRow struct {
	Shard
	Asset, Check, Type string
	Code               float64
}

// ServiceRow is one noctop_service_status series (HasStatus) or one
// availability figure (Window "24h", "7d" or "30d", Ratio 0 to 1), or
// the availability promised (Window "sla").
type ServiceRow struct {
	Shard
	Name      string
	HasStatus bool
	Code      float64
	Window    string
	Ratio     float64
}

// statusOf decodes the exporter's status code (serve/metrics statusValue);
// a code this build does not know reads as UNKNOWN, false.
func statusOf(code float64) (model.Status, bool) {
	switch code {
	case 0:
		return model.StatusOK, true
	case 1:
		return model.StatusWarning, true
	case 2:
		return model.StatusCritical, true
	case 3:
		return model.StatusUnknown, true
	case 4:
		return model.StatusUnreachable, true
	case 5:
		return model.StatusMaintenance, true
	case 6:
		return model.StatusPending, true
	}
	return model.StatusUnknown, false
}

// roleOf decodes noctop_asset_role's role label (model.Role in snake
// case); false for a name this build does not know.
func roleOf(name string) (model.Role, bool) {
	switch name {
	case "root_cause":
		return model.RoleRootCause, true
	case "unreachable":
		return model.RoleUnreachable, true
	case "checking":
		return model.RoleChecking, true
	case "critical":
		return model.RoleCritical, true
	case "unknown":
		return model.RoleUnknown, true
	case "warning":
		return model.RoleWarning, true
	case "soft":
		return model.RoleSoft, true
	}
	return model.RoleNone, false
}
