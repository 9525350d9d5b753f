package model_test

import (
	"testing"

	"noctop/model"
)

// What QuoteTOML writes reads back as the same string through the loader.
func TestQuoteTOML(t *testing.T) {
	for _, s := range []string{"", "core-sw1", `a "quoted" \ name`, "tab\there", "bell\x07 del\x7f", "ünïcødé ✓"} {
		cfg, err := model.Parse("q.toml", []byte("[[asset]]\nname = \"a\"\nkind = "+model.QuoteTOML(s)+"\n"))
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		if got := cfg.Assets[0].Kind; got != s {
			t.Errorf("%q read back as %q", s, got)
		}
	}
}
