package model

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// loadErrorCase is one testdata/config file holding one problem.
type loadErrorCase struct {
	file string
	err  error
	at   string // line:col
	msg  string // a part of the message
}

// checkLoadErrors loads each case's file and wants exactly one error, of
// the right sentinel, at the exact place, with the message part.
func checkLoadErrors(t *testing.T, tests []loadErrorCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", "config", tt.file+".toml")
			cfg, err := Load(path)
			if err == nil {
				t.Fatalf("Load(%s) = %+v, want an error", path, cfg)
			}
			if !errors.Is(err, tt.err) {
				t.Fatalf("errors.Is(err, %v) is false; err:\n%v", tt.err, err)
			}
			var errs ConfigErrors
			if !errors.As(err, &errs) || len(errs) != 1 {
				t.Fatalf("want exactly one ConfigError, got:\n%v", err)
			}
			want := fmt.Sprintf("%s:%s: ", path, tt.at)
			if got := errs[0].Error(); !strings.HasPrefix(got, want) || !strings.Contains(got, tt.msg) {
				t.Errorf("error = %q\nwant prefix %q containing %q", got, want, tt.msg)
			}
			if !errors.Is(errs[0], tt.err) {
				t.Errorf("the ConfigError does not wrap %v", tt.err)
			}
		})
	}
}

// Each file under testdata/config holds one problem; the loader must name
// the right sentinel at the exact place, with a message saying what.
func TestLoadErrors(t *testing.T) {
	tests := []loadErrorCase{
		{"unknown_key", ErrUnknownKey, "5:1", `unknown key "adress" in asset (did you mean "address"?)`},
		{"key_case", ErrUnknownKey, "4:1", `unknown key "Address" in asset (keys are case-sensitive: did you mean "address"?)`},
		{"wrong_type", ErrWrongType, "2:11", "retries: wrong type: got string, want an integer"},
		{"nested_array", ErrWrongType, "8:11", "parents: wrong type: got array, want a string"},
		{"duration_integer", ErrWrongType, "2:11", "got integer, want a duration string"},
		{"lifecycle_string", ErrWrongType, "3:48", "want a local date"},
		{"expect_type", ErrWrongType, "8:12", "expect: wrong type: got array, want a string"},
		{"bad_duration", ErrBadDuration, "2:12", `bad duration: "30 seconds"`},
		{"negative_duration", ErrInvalid, "7:21", `packet_interval: must be greater than 0, got "-1s"`},
		{"duplicate_name", ErrDuplicateName, "9:9", `duplicate name "erp": already used by the asset at line 3`},
		{"duplicate_check", ErrDuplicateName, "8:5", "name defaults to its type, so give each icmp check its own name"},
		{"unknown_parent", ErrUnknownParent, "6:19", `parent "gw2" is not an asset`},
		{"unknown_need", ErrUnknownNeed, "6:17", `need "crm" is not an asset or service`},
		{"cycle", ErrCycle, "11:12", "cycle: a -> b -> c -> a"},
		{"service_cycle", ErrCycle, "10:10", "cycle: billing -> orders -> billing"},
		{"icmp_timing", ErrInvalid, "8:21", "10 packets 1s apart take 9s, more than half the timeout 5s"},
		{"threshold_order", ErrThresholdOrder, "7:19", "loss: warn 60% is worse than crit 20%"},
		{"tls_days_order", ErrThresholdOrder, "8:19", "days: warn 7 d is worse than crit 30 d"},
		{"not_for_type", ErrNotForType, "8:3", `key "count" is not valid for http checks`},
		{"missing_address", ErrMissing, "5:10", `icmp check "icmp" needs an address, and asset "gw1" has none`},
		{"missing_name", ErrMissing, "1:3", "asset has no name"},
		{"missing_type", ErrMissing, "5:5", "check has no type"},
		{"missing_port", ErrMissing, "5:5", `tcp check "tcp" has no port`},
		{"missing_query", ErrMissing, "5:5", `dns check "dns" has no query`},
		{"tls_no_target", ErrMissing, "5:10", "needs the asset's address or server_name"},
		{"bad_secret", ErrSecret, "8:31", "headers.Authorization: secret not readable"},
		{"bad_rule", ErrInvalid, "9:9", `rule "2 of 3": M is 3 but needs lists 2`},
		{"syntax", ErrSyntax, "3:11", "syntax:"},
		{"duplicate_key", ErrSyntax, "3:1", "already defined"},
		{"bad_layer", ErrInvalid, "3:9", `layer "functional"`},
		{"bad_url", ErrInvalid, "6:10", "want http:// or https://"},
		{"bad_regex", ErrInvalid, "7:16", "body_regex: error parsing regexp: missing closing )"},
		{"bad_status", ErrInvalid, "7:25", "999 is not an HTTP status"},
		{"bad_method", ErrInvalid, "7:12", `method "FETCH"`},
		{"bad_port", ErrInvalid, "7:10", "port: want 1 to 65535, got 70000"},
		{"bad_count", ErrInvalid, "7:11", "count: want 1 to 100 packets, got 0"},
		{"retries_zero", ErrInvalid, "2:11", "retries: want 1 to"},
		{"flap_order", ErrThresholdOrder, "7:29", "flap: low 60% must be below high 40%"},
		{"flap_range", ErrInvalid, "2:17", "flap.high: want a percent above 0 and at most 100, got 120"},
		{"bad_percent", ErrInvalid, "6:30", "disk.crit: want 0% to 100%, got 120%"},
		{"bad_record_type", ErrInvalid, "8:17", `record_type "ANY"`},
		{"bad_dns_server", ErrInvalid, "7:12", `server "127.0.0.53": want host:port`},
		{"timeout_interval", ErrInvalid, "8:14", "timeout 10s must be less than interval 10s"},
		{"bad_ca_file", ErrInvalid, "7:13", "ca_file:"},
		{"unknown_type", ErrInvalid, "5:10", `check type "ftp": want one of icmp, snmp, http, tcp, dns, tls, host`},
		{"slash_name", ErrInvalid, "2:8", `must not contain "/"`},
		{"bad_sla", ErrInvalid, "7:9", `service "Order to cash": sla: want a percent above 0 and at most 100, got 100.5`},
		{"sla_zero", ErrInvalid, "7:9", "sla: want a percent above 0 and at most 100, got 0"},
		{"sla_string", ErrWrongType, "7:9", "sla: wrong type: got string"},
		{"state_dir_tilde", ErrInvalid, "1:13", `state_dir "~/noctop": ~ is not expanded`},
		{"state_dir_empty", ErrInvalid, "2:13", "state_dir: empty; remove it for the default"},
	}
	checkLoadErrors(t, tests)
}

// One file with many problems: all of them come back from one Load, in
// file order, each wrapping its sentinel.
func TestLoadReportsEveryErrorInFileOrder(t *testing.T) {
	_, err := Load("testdata/config/multi.toml")
	var errs ConfigErrors
	if !errors.As(err, &errs) {
		t.Fatalf("want ConfigErrors, got %v", err)
	}
	want := []struct {
		at  string
		err error
	}{
		{"3:12", ErrBadDuration},
		{"4:12", ErrWrongType},
		{"7:1", ErrUnknownKey},
		{"12:12", ErrUnknownParent},
		{"16:19", ErrThresholdOrder},
		{"17:3", ErrNotForType},
		{"18:10", ErrWrongType},
		{"21:8", ErrDuplicateName},
		{"25:9", ErrInvalid},
		{"26:17", ErrUnknownNeed},
	}
	if len(errs) != len(want) {
		t.Fatalf("got %d errors, want %d:\n%v", len(errs), len(want), err)
	}
	for i, w := range want {
		at := fmt.Sprintf("%d:%d", errs[i].Line, errs[i].Col)
		if at != w.at || !errors.Is(errs[i], w.err) || errs[i].File != "testdata/config/multi.toml" {
			t.Errorf("error %d = %v (%s), want %s wrapping %v", i, errs[i], at, w.at, w.err)
		}
	}
	for _, w := range want {
		if !errors.Is(err, w.err) {
			t.Errorf("errors.Is(all, %v) is false", w.err)
		}
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "nope.toml"))
	if !errors.Is(err, ErrConfigNotFound) || !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("err = %v, want ErrConfigNotFound wrapping os.ErrNotExist", err)
	}
}

func TestParseEmptyIsValid(t *testing.T) {
	cfg, err := Parse("empty.toml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Defaults.Interval.Duration != DefaultInterval || cfg.Scheduler.Concurrency != DefaultConcurrency {
		t.Errorf("defaults not applied: %+v %+v", cfg.Defaults, cfg.Scheduler)
	}
}

// [defaults] whose own timeout is not below its interval is reported once,
// there, rather than on every check that inherits them.
func TestDefaultsTimeoutOrderReportedOnce(t *testing.T) {
	src := "[defaults]\ninterval = \"3s\"\n\n[[asset]]\nname = \"a\"\naddress = \"127.0.0.1\"\n" +
		"[[asset.check]]\ntype = \"icmp\"\n[[asset.check]]\ntype = \"host\"\n"
	_, err := Parse("d.toml", []byte(src))
	var errs ConfigErrors
	if !errors.As(err, &errs) || len(errs) != 1 {
		t.Fatalf("want one error, got %v", err)
	}
	if got := errs[0].Error(); got != "d.toml:2:12: defaults: timeout 5s must be less than interval 3s" {
		t.Errorf("got %q", got)
	}
}

// A key spelt in another case is decoded (as go-toml did) and reported;
// what is below it is checked like any other key, so every error comes at
// once.
func TestLoadChecksBelowKeyInAnotherCase(t *testing.T) {
	src := "[[Asset]]\nname = \"a\"\nbogus = 1\n  [[Asset.check]]\n  type = \"tcp\"\n  port = \"x\"\n"
	_, err := Parse("c.toml", []byte(src))
	var errs ConfigErrors
	if !errors.As(err, &errs) {
		t.Fatalf("want ConfigErrors, got %v", err)
	}
	var got []string
	for _, e := range errs {
		got = append(got, fmt.Sprintf("%d:%d %s", e.Line, e.Col, e.Msg))
	}
	want := []string{
		`1:3 unknown key "Asset" at top level (keys are case-sensitive: did you mean "asset"?)`,
		`3:1 unknown key "bogus" in Asset`,
		`6:10 port: wrong type: got string, want an integer`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// An asset opened by [[Asset]] gets the case error and nothing the
// validator would pile on it; the correctly spelt asset next to it is
// still validated.
func TestLoadHeaderInAnotherCaseSkipsOnlyItsAsset(t *testing.T) {
	src := "[[Asset]]\nname = \"a\"\n  [[Asset.check]]\n  type = \"tcp\"\n[[asset]]\nname = \"b\"\n  [[asset.check]]\n  type = \"tcp\"\n"
	_, err := Parse("c.toml", []byte(src))
	var errs ConfigErrors
	if !errors.As(err, &errs) {
		t.Fatalf("want ConfigErrors, got %v", err)
	}
	var got []string
	for _, e := range errs {
		got = append(got, fmt.Sprintf("%d:%d %s", e.Line, e.Col, e.Msg))
	}
	want := []string{
		`1:3 unknown key "Asset" at top level (keys are case-sensitive: did you mean "asset"?)`,
		`7:5 tcp check "tcp" has no port`,
		`8:10 tcp check "tcp" needs an address, and asset "b" has none`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
