package model

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// LoadEach hands each asset over once it is defaulted and checked, in
// config order, before the next is read; consuming its checks there
// leaves the rest of the config as Load reads it. Once the config has an
// error, no asset is handed over, and LoadEach fails as Load does.
func TestLoadEachHandsOverEachAssetOnceChecked(t *testing.T) {
	dir := t.TempDir()
	const icmp = `type = "icmp"`
	good := filepath.Join(dir, "good.toml")
	os.WriteFile(good, []byte("[defaults]\ntimeout = \"900ms\"\n[scheduler]\nconcurrency = 7\n"+
		eachAsset("gw", "", icmp)+eachAsset("web", `parents = ["gw"]`, "type = \"tcp\"\nport = 80", icmp)+
		"[[service]]\nname = \"site\"\nneeds = [\"web\"]\n"), 0o600)
	var seen []string
	cfg, err := LoadEach(context.Background(), good, func(c *Config, a *Asset) {
		if c.Scheduler.Concurrency != 7 {
			t.Errorf("asset %s: the config's [scheduler] not read yet (concurrency %d)", a.Name, c.Scheduler.Concurrency)
		}
		for _, ch := range a.Checks {
			if ch.Timeout.Duration.String() != "900ms" || ch.Name != ch.Type {
				t.Errorf("asset %s: check %q not defaulted (timeout %v)", a.Name, ch.Name, ch.Timeout)
			}
			seen = append(seen, a.Name+"/"+ch.Name)
		}
		a.Checks = nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"gw/icmp", "web/tcp", "web/icmp"}; !slices.Equal(seen, want) {
		t.Errorf("handed over %v, want %v", seen, want)
	}
	whole, err := Load(good)
	if err != nil {
		t.Fatal(err)
	}
	for i := range whole.Assets {
		whole.Assets[i].Checks = nil
	}
	if cfg.Path != good || len(cfg.Assets) != 2 || cfg.Assets[1].Parents[0] != "gw" || len(cfg.Services) != 1 ||
		cfg.Services[0].Rule != whole.Services[0].Rule || cfg.Assets[1].Address != whole.Assets[1].Address {
		t.Errorf("LoadEach gave %+v, want Load's %+v without checks", cfg, whole)
	}

	bad := filepath.Join(dir, "bad.toml")
	os.WriteFile(bad, []byte(eachAsset("a", "", icmp)+eachAsset("b", "", `type = "tcp"`)+eachAsset("c", "", icmp)), 0o600)
	seen = nil
	if _, err := LoadEach(context.Background(), bad, func(_ *Config, a *Asset) { seen = append(seen, a.Name) }); !errors.Is(err, ErrMissing) {
		t.Errorf("a tcp check without a port: %v, want ErrMissing", err)
	}
	if !slices.Equal(seen, []string{"a"}) {
		t.Errorf("handed over %v; want only the assets before the first error (a)", seen)
	}
}

// eachAsset is an [[asset]] table on loopback with one more line of keys
// (extra) and an [[asset.check]] table for each of checks (its keys).
func eachAsset(name, extra string, checks ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "[[asset]]\nname = %q\naddress = \"127.0.0.%d\"\n%s\n", name, len(name), extra)
	for _, c := range checks {
		fmt.Fprintf(&b, "[[asset.check]]\n%s\n", c)
	}
	return b.String()
}
