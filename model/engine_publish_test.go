package model

import (
	"fmt"
	"testing"
	"time"
)

// The snapshot period grows with the estate (each snapshot costs every
// subscriber a walk of it) unless the options set one.
func TestPublishEveryScalesWithEstate(t *testing.T) {
	for _, c := range []struct {
		assets    int
		set, want time.Duration
	}{
		{0, 0, 250 * time.Millisecond},
		{1, 0, 250 * time.Millisecond},
		{5000, 0, 250 * time.Millisecond},
		{5001, 0, 500 * time.Millisecond},
		{10000, 0, 500 * time.Millisecond},
		{10001, 0, 750 * time.Millisecond},
		{20000, 0, time.Second},
		{40000, 0, time.Second},
		{10000, 20 * time.Millisecond, 20 * time.Millisecond},
	} {
		cfg := &Config{Assets: make([]Asset, c.assets)}
		for i := range cfg.Assets {
			cfg.Assets[i].Name = fmt.Sprintf("a%05d", i)
		}
		e := NewEngine(cfg, EngineOptions{PublishEvery: c.set})
		if got := e.publishEvery(); got != c.want {
			t.Errorf("%d assets, PublishEvery %v: period %v, want %v", c.assets, c.set, got, c.want)
		}
	}
}
