package model

import (
	"os"
	"path/filepath"
	"testing"
)

// A relative state_dir is relative to the config file, not to where
// noctop starts.
func TestStateDirRelativeToConfig(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "noctop.toml")
	for text, want := range map[string]string{
		`state_dir = "state"`:       filepath.Join(dir, "state"),
		`state_dir = "/var/x/../y"`: "/var/y",
		``:                          "",
	} {
		if err := os.WriteFile(path, []byte(text+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		cfg, err := Load(path)
		if err != nil {
			t.Fatalf("%s: %v", text, err)
		}
		if cfg.StateDir != want {
			t.Errorf("%s: StateDir %q, want %q", text, cfg.StateDir, want)
		}
	}
}
