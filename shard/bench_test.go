package shard

import (
	"fmt"
	"testing"

	"noctop/model"
)

// bigEstate is 10,000 assets: core, 100 dists, 9,899 hosts.
func bigEstate() *model.Config {
	cfg := &model.Config{}
	ping := []model.Check{{Type: model.CheckICMP, Name: "icmp"}}
	cfg.Assets = append(cfg.Assets, model.Asset{Name: "core", Checks: ping})
	for d := range 100 {
		cfg.Assets = append(cfg.Assets, model.Asset{Name: fmt.Sprintf("dist-%02d", d), Parents: []string{"core"}, Checks: ping})
	}
	for h := range 9899 {
		cfg.Assets = append(cfg.Assets, model.Asset{Name: fmt.Sprintf("host-%04d", h), Parents: []string{fmt.Sprintf("dist-%02d", h%100)}, Checks: ping})
	}
	return cfg
}

// What a poller's start and each reload add: one split of 10,000 assets.
func BenchmarkSplit10k(b *testing.B) {
	cfg := bigEstate()
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Split(cfg, Plan{Shard: 1, Shards: 4}); err != nil {
			b.Fatal(err)
		}
	}
}

// `noctop shards --shards 64` on 10,000 assets.
func BenchmarkCount10k64(b *testing.B) {
	cfg := bigEstate()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Count(cfg, 64); err != nil {
			b.Fatal(err)
		}
	}
}
