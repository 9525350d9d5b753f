package model

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Find returns the config file to load, searching in order: the --config
// flag, $NOCTOP_CONFIG, ./noctop.toml, $XDG_CONFIG_HOME/noctop/config.toml
// (~/.config when XDG_CONFIG_HOME is unset). With none of them present it
// returns ("", ErrConfigNotFound) and the caller uses Builtin. A path given
// by the flag or the variable must exist: a typo there is an error naming
// it, not a silent fall back to the built-in config.
func Find(flagPath string) (string, error) {
	if flagPath != "" {
		return flagPath, mustBeFile(flagPath, "--config")
	}
	if env := os.Getenv("NOCTOP_CONFIG"); env != "" {
		return env, mustBeFile(env, "$NOCTOP_CONFIG")
	}
	candidates := []string{"noctop.toml"}
	dir := os.Getenv("XDG_CONFIG_HOME")
	if dir == "" {
		if home, err := os.UserHomeDir(); err == nil {
			dir = filepath.Join(home, ".config")
		}
	}
	if dir != "" {
		candidates = append(candidates, filepath.Join(dir, "noctop", "config.toml"))
	}
	for _, c := range candidates {
		if st, err := os.Stat(c); err == nil && !st.IsDir() {
			return c, nil
		}
	}
	return "", ErrConfigNotFound
}

func mustBeFile(path, from string) error {
	st, err := os.Stat(path)
	switch {
	case err != nil:
		return fmt.Errorf("config %s (from %s): %w", path, from, err)
	case st.IsDir():
		return fmt.Errorf("config %s (from %s): %w", path, from, errors.New("is a directory"))
	}
	return nil
}
