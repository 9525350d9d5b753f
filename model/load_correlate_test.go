package model

import (
	"strings"
	"testing"
	"time"
)

// Each version capture, link and correlate_window problem is one file:
// the loader names it where it is.
func TestLoadCorrelationErrors(t *testing.T) {
	checkLoadErrors(t, []loadErrorCase{
		{"version_two_sources", ErrInvalid, "7:13", "version: want exactly one of header, json or regex, got 2"},
		{"version_none", ErrInvalid, "7:13", "version: want exactly one of header, json or regex, got 0"},
		{"version_unknown_key", ErrUnknownKey, "7:15", `unknown key "heder" in asset.check.version (did you mean "header"?)`},
		{"version_bad_regex", ErrInvalid, "7:23", "version.regex: error parsing regexp: missing closing )"},
		{"version_regex_no_group", ErrInvalid, "7:23", `version.regex: "v[0-9.]+" has no group`},
		{"version_bad_json_path", ErrInvalid, "7:22", `version.json: path "build..version" has an empty part`},
		{"version_bad_header", ErrInvalid, "7:24", `version.header: "X App Version" is not a valid header name`},
		{"version_empty", ErrInvalid, "7:22", "version.json: must not be empty"},
		{"version_header_number", ErrWrongType, "7:24", "version.header: wrong type: got integer, want a string"},
		{"version_string_on_http", ErrWrongType, "7:13", "version: wrong type: got string, want a table on http checks"},
		{"version_table_on_snmp", ErrWrongType, "7:13", `want a string (the SNMP version: "1", "2c" or "3")`},
		{"version_on_tcp", ErrNotForType, "8:3", `key "version" is not valid for tcp checks`},
		{"link_unknown", ErrUnknownLink, "3:10", `asset "erp": link "crm" is not an asset`},
		{"link_service", ErrUnknownLink, "3:10", `asset "erp": link "sales" is not an asset`},
		{"link_self", ErrInvalid, "3:17", `asset "erp": links names the asset itself`},
		{"link_twice", ErrInvalid, "3:17", `asset "erp": "dms" is listed twice in links`},
		{"correlate_window_bad", ErrBadDuration, "2:20", `defaults.correlate_window: bad duration: "half an hour"`},
	})
}

// A valid config: each capture shape lands in VersionCapture, snmp keeps
// its version string, links and the window are read (30m by default), and
// Encode writes them back so that Parse reads the same.
func TestLoadCorrelationConfig(t *testing.T) {
	text := `[defaults]
correlate_window = "10m"

[[asset]]
name = "crm"
  [[asset.check]]
  type = "http"
  name = "h"
  url = "http://127.0.0.1/"
  version = { header = "X-App-Version" }
  [[asset.check]]
  type = "http"
  name = "j"
  url = "http://127.0.0.1/version"
  version = { json = "build.version" }
  [[asset.check]]
  type = "http"
  name = "r"
  url = "http://127.0.0.1/about"
  version = { regex = 'v([0-9.]+)' }

[[asset]]
name = "erp"
address = "127.0.0.2"
links = ["crm"]
  [[asset.check]]
  type = "snmp"
  version = "3"
  user = "noc"
`
	cfg, err := Parse("corr.toml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	want := []VersionCapture{{Header: "X-App-Version"}, {JSON: "build.version"}, {Regex: "v([0-9.]+)"}}
	for i, w := range want {
		if got := cfg.Assets[0].Checks[i].VersionCapture; got == nil || *got != w {
			t.Errorf("check %d: capture %+v, want %+v", i, got, w)
		}
	}
	erp := cfg.Assets[1]
	if erp.Checks[0].Version != "3" || erp.Checks[0].VersionCapture != nil || strings.Join(erp.Links, ",") != "crm" {
		t.Errorf("erp: version %q capture %+v links %v", erp.Checks[0].Version, erp.Checks[0].VersionCapture, erp.Links)
	}
	if cfg.Defaults.CorrelateWindow.Duration != 10*time.Minute {
		t.Errorf("correlate_window %v, want 10m", cfg.Defaults.CorrelateWindow.Duration)
	}
	out, err := Encode(cfg)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Parse("again.toml", out)
	if err != nil {
		t.Fatalf("Encode's output does not load: %v\n%s", err, out)
	}
	if c := again.Assets[0].Checks[2].VersionCapture; c == nil || c.Regex != "v([0-9.]+)" || strings.Join(again.Assets[1].Links, ",") != "crm" {
		t.Errorf("after Encode: capture %+v, links %v\n%s", c, again.Assets[1].Links, out)
	}
	plain, err := Parse("plain.toml", []byte("[[asset]]\nname = \"a\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if plain.Defaults.CorrelateWindow.Duration != DefaultCorrelateWindow {
		t.Errorf("default correlate_window %v, want %v", plain.Defaults.CorrelateWindow.Duration, DefaultCorrelateWindow)
	}
}
