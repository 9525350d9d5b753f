package model

import (
	"bytes"
	"slices"
	"testing"
	"time"
)

func loadValid(t *testing.T) *Config {
	t.Helper()
	t.Setenv("NOCTOP_TEST_TOKEN", "Bearer abc")
	cfg, err := Load("testdata/config/valid.toml")
	if err != nil {
		t.Fatalf("valid.toml: %v", err)
	}
	return cfg
}

// Per-check values win over [defaults]; [defaults] win over the built-in
// defaults; type defaults fill the rest.
func TestLoadValidAppliesDefaults(t *testing.T) {
	cfg := loadValid(t)
	if cfg.Path != "testdata/config/valid.toml" {
		t.Errorf("Path = %q", cfg.Path)
	}
	if cfg.Scheduler.Concurrency != 64 {
		t.Errorf("concurrency = %d, want 64", cfg.Scheduler.Concurrency)
	}
	gw := cfg.Assets[0]
	if gw.Layer != LayerTechnical || gw.Lifecycle.EOL.String() != "2027-06-30" || gw.Lifecycle.WarrantyEnd != nil {
		t.Errorf("gw1 = %+v, lifecycle %+v", gw, gw.Lifecycle)
	}
	own, inherited := gw.Checks[0], gw.Checks[1]
	type eff struct {
		interval, timeout, retryInterval time.Duration
		retries                          int
	}
	got := func(c Check) eff {
		return eff{c.Interval.Duration, c.Timeout.Duration, c.RetryInterval.Duration, c.Retries}
	}
	if g, w := got(own), (eff{15 * time.Second, 2 * time.Second, 5 * time.Second, 2}); g != w {
		t.Errorf("overriding check = %+v, want %+v", g, w)
	}
	if g, w := got(inherited), (eff{time.Minute, 10 * time.Second, 20 * time.Second, 5}); g != w {
		t.Errorf("inheriting check = %+v, want %+v", g, w)
	}
	if own.Name != "icmp" || own.Count != DefaultICMPCount || own.PacketInterval.Duration != DefaultICMPInterval {
		t.Errorf("icmp type defaults: %+v", own)
	}
	if inherited.Name != "ping-burst" || inherited.Count != 10 {
		t.Errorf("named check: %+v", inherited)
	}

	erp := cfg.Assets[1]
	web, tcp, tls, dns := erp.Checks[0], erp.Checks[1], erp.Checks[2], erp.Checks[3]
	if web.Method != "POST" || web.FollowRedirects == nil || *web.FollowRedirects {
		t.Errorf("http method %q (want POST, normalised) follow_redirects %v (want false)", web.Method, web.FollowRedirects)
	}
	if v := web.Headers["Authorization"].Value(); v != "Bearer abc" {
		t.Errorf("env secret = %q", v)
	}
	if v := web.Headers["X-Key"].Value(); v != "s3cret" {
		t.Errorf("file secret = %q", v)
	}
	if web.Latency.Warn.Set() || web.Latency.Crit.Duration != time.Second {
		t.Errorf("latency = %+v", web.Latency)
	}
	if !slices.Equal(tcp.ExpectList, []string{"PONG"}) || tcp.Send != "PING\r\n" {
		t.Errorf("tcp expect %q send %q", tcp.ExpectList, tcp.Send)
	}
	if tls.Port != DefaultTLSPort || *tls.Days.Warn != DefaultTLSWarnDays || *tls.Days.Crit != DefaultTLSCritDays {
		t.Errorf("tls port %d days %+v", tls.Port, tls.Days)
	}
	if dns.Server != "127.0.0.20:53" || dns.RecordType != "A" || !slices.Equal(dns.ExpectList, []string{"127.0.0.20", "127.0.0.21"}) {
		t.Errorf("dns server %q type %q expect %q", dns.Server, dns.RecordType, dns.ExpectList)
	}
	if cfg.Services[0].SLA != 99.5 || cfg.Services[1].SLA != 0 {
		t.Errorf("sla %v %v, want 99.5 and none", cfg.Services[0].SLA, cfg.Services[1].SLA)
	}
	if cfg.Services[0].Rule != "all" || cfg.Services[1].Rule != "1 of 2" {
		t.Errorf("rules %q %q", cfg.Services[0].Rule, cfg.Services[1].Rule)
	}
	if n := cfg.NumChecks(); n != 7 {
		t.Errorf("NumChecks = %d, want 7", n)
	}
}

// Encode writes what Parse reads back to the same effective config: encoding
// the reparsed config gives the same bytes.
func TestValidRoundTrips(t *testing.T) {
	cfg := loadValid(t)
	first, err := Encode(cfg)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Parse("encoded.toml", first)
	if err != nil {
		t.Fatalf("reparse: %v\n%s", err, first)
	}
	second, err := Encode(again)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, second) {
		t.Fatalf("round trip changed the config:\n--- first\n%s\n--- second\n%s", first, second)
	}
	if again.Assets[0].Checks[0].Timeout.Duration != 2*time.Second || again.Assets[1].Checks[0].Headers["X-Key"].Value() != "s3cret" {
		t.Errorf("values lost in the round trip:\n%s", first)
	}
	if *again.Assets[1].Checks[0].FollowRedirects {
		t.Errorf("follow_redirects = false was lost:\n%s", first)
	}
}

// A literal secret is never written out.
func TestEncodeHidesLiteralSecrets(t *testing.T) {
	cfg, err := Parse("s.toml", []byte("[[asset]]\nname = \"w\"\n[[asset.check]]\ntype = \"http\"\nurl = \"http://127.0.0.1/\"\nheaders = { X = \"hunter2\" }\n"))
	if err != nil {
		t.Fatal(err)
	}
	out, err := Encode(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(out, []byte("hunter2")) || !bytes.Contains(out, []byte("****")) {
		t.Errorf("encoded:\n%s", out)
	}
}
