package model

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func touch(t *testing.T, path string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// isolate runs the test in an empty directory with no config anywhere.
func isolate(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Chdir(dir)
	t.Setenv("NOCTOP_CONFIG", "")
	t.Setenv("XDG_CONFIG_HOME", "")
	t.Setenv("HOME", filepath.Join(dir, "home"))
	return dir
}

func TestFindOrder(t *testing.T) {
	dir := isolate(t)
	flag := touch(t, filepath.Join(dir, "flag.toml"))
	env := touch(t, filepath.Join(dir, "env.toml"))
	xdg := touch(t, filepath.Join(dir, "xdg", "noctop", "config.toml"))
	home := touch(t, filepath.Join(dir, "home", ".config", "noctop", "config.toml"))

	expect := func(flagPath, want string) {
		t.Helper()
		got, err := Find(flagPath)
		if err != nil || got != want {
			t.Fatalf("Find(%q) = %q, %v; want %q", flagPath, got, err, want)
		}
	}
	// Without XDG_CONFIG_HOME, ~/.config is searched.
	expect("", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "xdg"))
	expect("", xdg)
	touch(t, filepath.Join(dir, "noctop.toml"))
	expect("", "noctop.toml")
	t.Setenv("NOCTOP_CONFIG", env)
	expect("", env)
	expect(flag, flag)
}

func TestFindNone(t *testing.T) {
	isolate(t)
	got, err := Find("")
	if got != "" || !errors.Is(err, ErrConfigNotFound) {
		t.Fatalf("Find = %q, %v; want \"\", ErrConfigNotFound", got, err)
	}
}

// A path the user named explicitly must exist: falling back to the
// built-in config would hide the typo.
func TestFindNamedPathMissing(t *testing.T) {
	dir := isolate(t)
	touch(t, filepath.Join(dir, "noctop.toml")) // would be found otherwise
	missing := filepath.Join(dir, "typo.toml")
	for _, tc := range []struct{ flag, env, from string }{
		{missing, "", "--config"},
		{"", missing, "$NOCTOP_CONFIG"},
	} {
		t.Setenv("NOCTOP_CONFIG", tc.env)
		_, err := Find(tc.flag)
		if err == nil || errors.Is(err, ErrConfigNotFound) || !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("Find(%q) with env %q: err = %v; want fs.ErrNotExist, not ErrConfigNotFound", tc.flag, tc.env, err)
		}
		if !strings.Contains(err.Error(), missing) || !strings.Contains(err.Error(), tc.from) {
			t.Errorf("error %q does not name %s and %s", err, missing, tc.from)
		}
	}
	if _, err := Find(dir); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("Find(dir) = %v, want an is-a-directory error", err)
	}
}
