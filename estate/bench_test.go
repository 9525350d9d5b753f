package estate

import (
	"strconv"
	"testing"
	"time"
)

// bigRaw is an estate of n assets over 2 sites x 2 shards, each shard an
// HA pair (every row twice), one in ten assets CRITICAL with a check and
// an alert: what a refresh decodes at that size.
func bigRaw(n int) *Raw {
	raw := &Raw{At: at}
	for i := range n {
		sh := Shard{Site: strconv.Itoa(i % 2), Shard: strconv.Itoa(i / 2 % 2)}
		name := "host" + strconv.Itoa(i)
		code, role := 0.0, ""
		if i%10 == 0 {
			code, role = 2, "critical"
		}
		for range 2 {
			raw.Assets = append(raw.Assets,
				AssetRow{Shard: sh, Name: name, Info: true, Layer: "network", Kind: "switch", Address: "10.0.0.1"},
				AssetRow{Shard: sh, Name: name, HasStatus: true, Code: code, Layer: "network"})
			if role != "" {
				raw.Assets = append(raw.Assets, AssetRow{Shard: sh, Name: name, Role: role})
				raw.Checks = append(raw.Checks, CheckRow{Shard: sh, Asset: name, Check: "ping", Type: "icmp", Code: 2})
			}
		}
		if role != "" {
			al := Alert{Labels: map[string]string{"alertname": "noctop", "site": sh.Site, "asset": name, "check": "ping"},
				Annotations: map[string]string{"summary": name + " CRITICAL", "reason": "icmp: 3/3 lost"}, StartsAt: at.Add(-time.Minute)}
			al.Status.State = "active"
			raw.Alerts = append(raw.Alerts, al)
		}
	}
	for _, site := range []string{"0", "1"} {
		for _, shard := range []string{"0", "1"} {
			raw.Up = append(raw.Up, ShardValue{Shard{site, shard}, 1})
			raw.Reported = append(raw.Reported, ShardValue{Shard{site, shard}, float64(at.Unix())})
		}
	}
	return raw
}

// Build's share of a refresh at 10,000 assets (Fetch's other share is
// Prometheus's; bench/ measures the whole).
func BenchmarkBuild10k(b *testing.B) {
	raw := bigRaw(10_000)
	b.ReportAllocs()
	for b.Loop() {
		if s := Build(raw, 0); len(s.Assets) != 10_000 || s.Tally.Critical != 1_000 {
			b.Fatalf("%d assets, tally %+v", len(s.Assets), s.Tally)
		}
	}
}
