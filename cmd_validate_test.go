package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// validate refuses a 52 MB config at once, naming the size and the limit,
// and one of 100,000 assets at the asset past the limit; exit 1 for both.
func TestValidateRefusesHugeConfigs(t *testing.T) {
	dir := t.TempDir()
	huge := filepath.Join(dir, "huge.toml")
	f, err := os.Create(huge)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(52_400_000); err != nil { // sparse
		t.Fatal(err)
	}
	f.Close()
	_, stderr, code := runBin(t, nil, "validate", "-c", huge)
	if code != 1 || stderr != huge+":1:1: config is 52.4 MB; the limit is 16 MiB (a config of 10,000 assets is 1-5 MB)\n" {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}

	var b strings.Builder
	for i := range 100_000 {
		b.WriteString("[[asset]]\nname = \"h")
		b.WriteString(strings.Repeat("x", i%3))
		b.WriteString("\"\n")
	}
	many := filepath.Join(dir, "many.toml")
	if err := os.WriteFile(many, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, code = runBin(t, nil, "validate", "-c", many)
	lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
	want := many + ":100001:3: more than 50,000 assets: the limit is 50,000"
	if code != 1 || len(lines) != 2 || !strings.HasPrefix(lines[0], want) || !strings.HasPrefix(lines[1], "… and more errors not listed") {
		t.Errorf("exit %d, stderr:\n%s\nwant %q and a note that more may follow", code, stderr, want)
	}
}
