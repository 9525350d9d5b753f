package model

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Each profile_*.toml under testdata/config holds one problem of an snmp
// check's profile keys or of [defaults] profiles.
func TestLoadProfileKeyErrors(t *testing.T) {
	tests := []loadErrorCase{
		{"profile_unknown", ErrInvalid, "7:13", `profile "upss": want one of ups, printer, sensors, wireless, host, auto`},
		{"profile_thresholds_alone", ErrInvalid, "7:3", "thresholds are a profile's; set profile"},
		{"profile_unknown_threshold", ErrUnknownKey, "8:18", `thresholds.chrage: profile "ups" has no such threshold (want one of charge, minutes, load, input_low, input_high)`},
		{"profile_threshold_order", ErrThresholdOrder, "8:36", "thresholds.charge: warn 10% is worse than crit 20% (this value is bad when low"},
		{"profile_threshold_range", ErrInvalid, "8:35", "thresholds.toner.crit: want 0% to 100%, got 120%"},
		{"profile_threshold_type", ErrWrongType, "8:27", "thresholds.charge: wrong type: got integer"},
		{"profile_file_missing", ErrInvalid, "2:13", "profiles: profile file testdata/config/no-such-profile.toml not found"},
	}
	files, err := filepath.Glob(filepath.Join("testdata", "config", "profile_*.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(tests)+1 { // + profile_file_error, below
		t.Errorf("%d profile_*.toml files but %d cases: every file needs a case", len(files), len(tests)+1)
	}
	checkLoadErrors(t, tests)
}

// An error inside a profile file is reported at its own file:line:col,
// with the config's other profiles loaded.
func TestLoadProfileFileErrorPosition(t *testing.T) {
	_, err := Load("testdata/config/profile_file_error.toml")
	var errs ConfigErrors
	if !errors.As(err, &errs) || len(errs) != 1 {
		t.Fatalf("want one ConfigError, got %v", err)
	}
	if got := errs[0].Error(); !strings.HasPrefix(got, "testdata/profile/bad_oid.toml:5:7: ") || !errors.Is(err, ErrInvalid) {
		t.Errorf("error %q", got)
	}
}

// Each file under testdata/profile holds one problem of a custom profile
// file: the error names it at file:line:col.
func TestLoadProfileErrors(t *testing.T) {
	tests := []loadErrorCase{
		{"bad_extends", ErrInvalid, "2:11", `extends "ups": only "wireless" can be extended`},
		{"bad_label", ErrInvalid, "6:9", `label "names": want the dotted OID`},
		{"bad_metric_name", ErrInvalid, "4:8", `name "inlet temp": want a letter`},
		{"bad_name", ErrInvalid, "1:8", `name "Vendor X": want a lower-case word`},
		{"bad_oid", ErrInvalid, "5:7", `oid "1.3.6.x.1": want dotted numbers`},
		{"bad_state_key", ErrInvalid, "7:12", `states key "up": want an integer value`},
		{"bad_sys_object_id", ErrInvalid, "2:18", `sys_object_id "enterprises.9": want dotted numbers`},
		{"builtin_name", ErrInvalid, "1:8", `name "ups" is a built-in profile`},
		{"duplicate_metric", ErrDuplicateName, "8:8", `metric name "temp" is used twice`},
		{"no_metric_name", ErrMissing, "3:3", "metric.0 has no name"},
		{"no_metrics", ErrMissing, "1:8", `profile "vendorx" has no [[metric]]`},
		{"no_name", ErrMissing, "1:1", "profile has no name"},
		{"no_oid", ErrMissing, "3:3", "metric.0 has no oid"},
		{"ok_and_warn", ErrInvalid, "6:1", `metric "state" has both ok and warn/crit`},
		{"order", ErrThresholdOrder, "6:8", "warn 80 is worse than crit 60"},
		{"syntax", ErrSyntax, "3:9", "syntax:"},
		{"unknown_key", ErrUnknownKey, "2:1", `unknown key "descripton" at top level (did you mean "description"?)`},
		{"wrong_type", ErrWrongType, "6:8", "warn: wrong type: got string, want a number"},
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "profile", "*.toml"))
	if len(files) != len(tests) {
		t.Errorf("%d files under testdata/profile but %d cases", len(files), len(tests))
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", "profile", tt.file+".toml")
			p, err := LoadProfile(context.Background(), path)
			var errs ConfigErrors
			if !errors.As(err, &errs) || len(errs) != 1 {
				t.Fatalf("LoadProfile(%s) = %+v, %v: want exactly one ConfigError", path, p, err)
			}
			want := fmt.Sprintf("%s:%s: ", path, tt.at)
			if got := errs[0].Error(); !strings.HasPrefix(got, want) || !strings.Contains(got, tt.msg) || !errors.Is(err, tt.err) {
				t.Errorf("error = %q (%v)\nwant prefix %q containing %q and wrapping %v", got, errors.Unwrap(errs[0]), want, tt.msg, tt.err)
			}
		})
	}
}

// The example under dist/profiles loads, and a config using it resolves
// the custom profile and its thresholds on the checks that may read it.
func TestLoadProfileExample(t *testing.T) {
	p, err := LoadProfile(context.Background(), "../dist/profiles/noctop-lab-ap.toml")
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "labap" || p.Extends != ProfileWireless || len(p.Metrics) != 3 || !p.Matches(".1.3.6.1.4.1.99999.2.1") || p.Matches(".1.3.6.1.4.1.999990") {
		t.Errorf("profile %+v", p)
	}
	dir := t.TempDir()
	data, _ := os.ReadFile("../dist/profiles/noctop-lab-ap.toml")
	if err := os.MkdirAll(filepath.Join(dir, "profiles"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "profiles", "ap.toml"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := Parse(filepath.Join(dir, "noctop.toml"), []byte(`[defaults]
profiles = ["profiles/ap.toml"]

[[asset]]
name = "ap1"
address = "127.0.0.1"

  [[asset.check]]
  type = "snmp"
  name = "wifi"
  profile = "wireless"
  thresholds = { ap_clients = { warn = 40 } }

  [[asset.check]]
  type = "snmp"
  name = "ups"
  profile = "ups"

  [asset.check.thresholds.charge]
  warn = 60
`))
	if err != nil {
		t.Fatal(err)
	}
	wifi, ups := &cfg.Assets[0].Checks[0], &cfg.Assets[0].Checks[1]
	if len(cfg.Profiles) != 1 || len(wifi.CustomProfiles) != 1 || len(ups.CustomProfiles) != 0 {
		t.Fatalf("profiles %d, wifi's %d, ups's %d", len(cfg.Profiles), len(wifi.CustomProfiles), len(ups.CustomProfiles))
	}
	if th, ok := wifi.ProfileLimit("ap_clients"); !ok || th.Warn != 40 || th.Crit != 50 {
		t.Errorf("ap_clients threshold %+v, %v: want the check's warn 40 and the file's crit 50", th, ok)
	}
	if th, _ := ups.ProfileLimit("charge"); th.Warn != 60 || th.Crit != 20 || !th.Below {
		t.Errorf("charge threshold from a [header] %+v", th)
	}
	// Declared metrics reach the check state, families by name.
	cs := &CheckState{Custom: wifi.CustomMetrics()}
	if m, ok := cs.Metric("ap_clients:ap-lobby"); !ok || m.Label != "ap-lobby" || m.Better != BetterLower {
		t.Errorf("ap_clients:ap-lobby = %+v, %v", m, ok)
	}
	cs = &CheckState{Custom: ups.CustomMetrics()}
	if m, ok := cs.Metric(MetricUPSCharge); !ok || m.Better != BetterHigher {
		t.Errorf("%s = %+v, %v", MetricUPSCharge, m, ok)
	}
}
