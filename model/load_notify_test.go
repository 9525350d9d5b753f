package model

import (
	"testing"
	"time"
)

// Each notify_*.toml under testdata/config holds one problem of [[notify]].
func TestLoadNotifyErrors(t *testing.T) {
	tests := []loadErrorCase{
		{"notify_no_name", ErrMissing, "1:3", "[[notify]] has no name"},
		{"notify_duplicate_name", ErrDuplicateName, "7:8", `notify "noc": another [[notify]] has this name`},
		{"notify_no_type", ErrMissing, "1:3", `notify "noc" has no type (want one of webhook, exec, alertmanager)`},
		{"notify_bad_type", ErrInvalid, "3:8", `type "email": want one of webhook, exec, alertmanager`},
		{"notify_not_for_type", ErrNotForType, "5:1", "command: not a key of a webhook receiver"},
		{"notify_no_url", ErrMissing, "1:3", `notify "am" (alertmanager) has no url`},
		{"notify_bad_url", ErrInvalid, "4:8", `url "ftp://127.0.0.1/hook": want http:// or https://`},
		{"notify_no_command", ErrMissing, "1:3", `notify "pager" (exec) has no command`},
		{"notify_empty_command", ErrInvalid, "4:11", "command: the first element must name the program"},
		{"notify_bad_layer", ErrInvalid, "5:24", `layers: "functional": want technical or application`},
		{"notify_bad_min_status", ErrInvalid, "5:14", `min_status "OK": want WARNING, CRITICAL or UNKNOWN`},
		{"notify_bad_retries", ErrInvalid, "5:11", "retries: want 1 to 10, got 50"},
		{"notify_bad_header", ErrInvalid, "5:28", `headers: "Bad Header" is not a valid header name`},
		{"notify_bad_secret", ErrSecret, "5:29", "NOCTOP_TEST_NO_SUCH_TOKEN is not set"},
		{"notify_negative_renotify", ErrInvalid, "5:12", `renotify: must be greater than 0, got "-5m"`},
		{"notify_zero_timeout", ErrInvalid, "5:11", `timeout: must be greater than 0, got "0s"`},
		{"notify_url_and_urls", ErrInvalid, "5:8", "urls: give url (one Alertmanager) or urls (a cluster), not both"},
		{"notify_empty_urls", ErrInvalid, "4:8", "urls: empty: list the Alertmanagers of the cluster"},
		{"notify_bad_urls", ErrInvalid, "4:34", `urls: "127.0.0.1:9094": not a URL`},
		{"notify_duplicate_urls", ErrInvalid, "4:34", `urls: "http://127.0.0.1:9093/" is listed twice`},
		{"notify_urls_webhook", ErrNotForType, "5:1", "urls: not a key of a webhook receiver"},
	}
	checkLoadErrors(t, tests)
}

// Valid receivers of each type: defaults fill timeout and retries, renotify
// 0 means never, a host that will never resolve is not a config error, and
// the section round-trips through Encode.
func TestLoadNotify(t *testing.T) {
	t.Setenv("NOCTOP_TEST_HOOK_TOKEN", "Bearer s3cret")
	src := `
[[notify]]
name     = "noc-hook"
type     = "webhook"
url      = "https://hooks.example.invalid/noctop"
headers  = { Authorization = "env:NOCTOP_TEST_HOOK_TOKEN" }
renotify = "0s"

[[notify]]
name       = "pager"
type       = "exec"
command    = ["/usr/local/bin/page", "--team", "noc"]
timeout    = "3s"
renotify   = "1h"
layers     = ["technical"]
tags       = ["site:hq"]
min_status = "crit"
retries    = 1
send_recovery = false

[[notify]]
name = "am"
type = "alertmanager"
url  = "http://127.0.0.1:9093"

[[notify]]
name = "am-cluster"
type = "alertmanager"
urls = ["http://127.0.0.1:9093", "http://127.0.0.2:9093"]
`
	cfg, err := Parse("notify.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Notify) != 4 {
		t.Fatalf("notify = %+v", cfg.Notify)
	}
	hook, pager, am := cfg.Notifier("noc-hook"), cfg.Notifier("pager"), cfg.Notifier("am")
	if hook == nil || pager == nil || am == nil || cfg.Notifier("nope") != nil {
		t.Fatal("Notifier does not find the receivers by name")
	}
	if hook.Timeout.Duration != DefaultNotifyTimeout || hook.Retries != DefaultNotifyRetries || hook.Renotify.Duration != 0 ||
		!hook.Recovery() || hook.MinSeverity() != StatusWarning || hook.Headers["Authorization"].Value() != "Bearer s3cret" {
		t.Errorf("webhook = %+v", *hook)
	}
	if pager.Timeout.Duration != 3*time.Second || pager.Renotify.Duration != time.Hour || pager.Retries != 1 || pager.Recovery() ||
		pager.MinStatus != "CRITICAL" || pager.MinSeverity() != StatusCritical || len(pager.Command) != 3 {
		t.Errorf("exec = %+v", *pager)
	}
	if am.URL != "http://127.0.0.1:9093" || am.Type != NotifyAlertmanager || len(am.Endpoints()) != 1 {
		t.Errorf("alertmanager = %+v", *am)
	}
	if c := cfg.Notifier("am-cluster"); c == nil || c.URL != "" || len(c.Endpoints()) != 2 || c.Endpoints()[1] != "http://127.0.0.2:9093" {
		t.Errorf("alertmanager cluster = %+v", c)
	}
	out, err := Encode(cfg)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse("encoded.toml", out)
	if err != nil {
		t.Fatalf("encoded config does not load: %v\n%s", err, out)
	}
	if len(back.Notify) != 4 || len(back.Notify[3].URLs) != 2 || back.Notify[1].MinStatus != "CRITICAL" || back.Notify[1].Recovery() || back.Notify[0].Headers["Authorization"].String() != "env:NOCTOP_TEST_HOOK_TOKEN" {
		t.Errorf("round trip: %+v", back.Notify)
	}
}
