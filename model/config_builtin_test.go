package model

import (
	"slices"
	"testing"
)

func TestBuiltin(t *testing.T) {
	if _, err := Parse(BuiltinName, []byte(builtinTOML)); err != nil {
		t.Fatalf("embedded builtin.toml is invalid:\n%v", err)
	}
	cfg := Builtin()
	if cfg.Path != "" {
		t.Errorf("Path = %q, want empty for the built-in config", cfg.Path)
	}
	if len(cfg.Assets) != 1 || len(cfg.Services) != 0 {
		t.Fatalf("want one asset and no services, got %+v", cfg)
	}
	a := cfg.Assets[0]
	if a.Name != "localhost" || a.Layer != LayerTechnical || a.Kind != "host" || a.Address != "127.0.0.1" {
		t.Errorf("asset = %+v", a)
	}
	var types []string
	for _, c := range a.Checks {
		types = append(types, c.Type)
		if c.Interval.Duration != DefaultInterval || c.Retries != DefaultRetries {
			t.Errorf("check %s not defaulted: %+v", c.Name, c)
		}
	}
	slices.Sort(types)
	if !slices.Equal(types, []string{CheckHost, CheckICMP}) {
		t.Errorf("check types = %v, want host and icmp", types)
	}
	// Each call returns its own copy: callers may change theirs.
	cfg.Assets[0].Name = "changed"
	if Builtin().Assets[0].Name != "localhost" {
		t.Error("Builtin shares state between calls")
	}
}
