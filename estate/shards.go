package estate

import (
	"time"
)

// shardState is what the view knows of one shard's pollers.
type shardState struct {
	// upSeen: Prometheus scrapes the shard's targets; up: one answers.
	upSeen, up bool
	// last is the newest snapshot time a poller of the shard exported.
	last time.Time
}

// stale reports whether nothing current comes from the shard: every
// target of it is down, or Prometheus no longer scrapes it and its last
// report is older than staleAfter.
func (s shardState) stale(at time.Time, staleAfter time.Duration) bool {
	if s.upSeen {
		return !s.up
	}
	return s.last.IsZero() || at.Sub(s.last) > staleAfter
}

// judgeShards gathers the up and report rows by shard.
func judgeShards(raw *Raw) map[Shard]*shardState {
	out := map[Shard]*shardState{}
	get := func(k Shard) *shardState {
		s, ok := out[k]
		if !ok {
			s = &shardState{}
			out[k] = s
		}
		return s
	}
	for _, r := range raw.Up {
		s := get(r.Shard)
		s.upSeen = true
		s.up = s.up || r.Value == 1
	}
	for _, r := range raw.Reported {
		s := get(r.Shard)
		if t := unixTime(r.Value); t.After(s.last) {
			s.last = t
		}
	}
	return out
}

// unixTime reads a Unix time in seconds (zero for nonsense).
func unixTime(v float64) time.Time {
	if !(v > 0 && v < 1<<40) { // NaN, negative, or past year 36812
		return time.Time{}
	}
	sec := int64(v)
	return time.Unix(sec, int64((v-float64(sec))*1e9))
}

// siteLabel names a site in text: "" is a poller that is not sharded.
func siteLabel(site string) string {
	if site == "" {
		return "(no site)"
	}
	return site
}

// staleReason is the reason shown on a stale shard's assets.
func staleReason(k Shard, siteStale bool, last, at time.Time) string {
	what := "site " + siteLabel(k.Site)
	if !siteStale {
		what += " shard " + k.Shard
	}
	return what + " stale: " + lastReport(last, at)
}

// lastReport says when a poller last reported, in the view's time zone.
func lastReport(last, at time.Time) string {
	if last.IsZero() {
		return "no poller reported within the hour"
	}
	return "no poller reported since " + last.In(at.Location()).Format("15:04:05")
}
