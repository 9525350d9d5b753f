package model_test

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"noctop/model"
)

func reloadCfg() *model.Config {
	return &model.Config{
		Assets: []model.Asset{
			asset("gw", nil, check("icmp")),
			asset("web1", []string{"gw"}, check("http"), check("tls")),
			asset("db", []string{"gw"}, checkRetries("tcp", 1)),
		},
		Services: []model.Service{{Name: "shop", Rule: "all", Needs: []string{"web1", "db"}}},
	}
}

func (r *rig) reload(cfg *model.Config) *model.Snapshot {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(r.ctx, 10*time.Second)
	defer cancel()
	if err := r.e.Reload(ctx, cfg); err != nil {
		r.t.Fatalf("Reload: %v", err)
	}
	return r.sync()
}

func TestReloadKeepsUnchangedChecks(t *testing.T) {
	r := startEngine(t, reloadCfg(), model.EngineOptions{})
	for i := range 3 {
		r.submit(model.Result{Key: key("web1", "http"), Outcome: model.Outcome{Status: ok, Metrics: map[string]float64{model.MetricLatency: float64(10 + i)}}})
	}
	r.result("gw", "icmp", ok, "3/3 received")
	r.result("web1", "tls", ok, "expires in 90 days")
	r.result("db", "tcp", crit, "connection refused")
	before := r.sync()
	if v := r.service(before, "shop"); v.Status != crit {
		t.Fatalf("shop before reload: %s", v.Status)
	}

	// The new config: web1/http gets a longer timeout (kept), web1/tls
	// becomes a tcp check (a new check), db goes, cache comes, shop needs
	// web1 only.
	cfg := reloadCfg()
	cfg.Assets[1].Checks[0].Timeout = model.Duration{Duration: 9 * time.Second}
	cfg.Assets[1].Checks[1] = model.Check{Name: "tls", Type: "tcp", Port: 443}
	cfg.Assets[2] = asset("cache", []string{"gw"}, check("tcp"))
	cfg.Services[0].Needs = []string{"web1"}
	cfg.ApplyDefaults()
	s := r.reload(cfg)

	h := s.Asset("web1").Check("http").History
	bh := before.Asset("web1").Check("http").History
	if h.Len() != 3 || !h.At(0).Equal(bh.At(0)) {
		t.Fatalf("web1/http history: %d samples from %v, want 3 from %v", h.Len(), h.At(0), bh.At(0))
	}
	if v, _ := h.Value(2, model.MetricLatency); v != 12 {
		t.Fatalf("web1/http history's last latency %v, want 12", v)
	}
	if c := s.Asset("web1").Check("http"); c.Status != ok || !c.Since.Equal(before.Asset("web1").Check("http").Since) {
		t.Fatalf("web1/http after reload: %+v", c)
	}
	if c := s.Asset("web1").Check("tls"); c.Type != "tcp" || c.Status != pend || c.History.Len() != 0 {
		t.Fatalf("web1/tls turned tcp: %+v", c)
	}
	if c := s.Asset("cache").Check("tcp"); c.Status != pend {
		t.Fatalf("cache/tcp: %+v", c)
	}
	if s.Asset("db") != nil || before.Asset("db") == nil || before.Asset("cache") != nil {
		t.Fatal("asset index not rebuilt per config (or an old snapshot changed)")
	}
	if s.Checks != 4 || s.Done != 2 {
		t.Fatalf("checks %d done %d, want 4 and 2", s.Checks, s.Done)
	}
	if v := r.service(s, "shop"); v.Status == crit || v.Total != 1 {
		t.Fatalf("shop not re-evaluated: %s, %d members", v.Status, v.Total)
	}
	evs := newEvents(s, before.Events[len(before.Events)-1].Seq)
	if len(evs) == 0 || evs[0].Kind != model.EventReload ||
		evs[0].Summary != "config reloaded: 2 checks added, 2 removed, 2 kept" {
		t.Fatalf("reload events: %+v", evs)
	}

	// A result still in flight for a removed check is dropped.
	r.result("db", "tcp", ok, "connected")
	// A kept check goes on with its history.
	r.submit(model.Result{Key: key("web1", "http"), Outcome: model.Outcome{Status: ok, Metrics: map[string]float64{model.MetricLatency: 13}}})
	s = r.sync()
	if s.Asset("db") != nil || s.Asset("web1").Check("http").History.Len() != 4 {
		t.Fatalf("after reload: db %v, web1/http %d samples", s.Asset("db"), s.Asset("web1").Check("http").History.Len())
	}
}

var posLine = regexp.MustCompile(`^bad\.toml:\d+:\d+: `)

func TestReloadRefusedThenApplied(t *testing.T) {
	r := startEngine(t, reloadCfg(), model.EngineOptions{})
	r.result("web1", "http", ok, "HTTP 200")
	_, loadErr := model.Parse("bad.toml", []byte("[[asset]]\nname = \"x\"\nbogus = 1\n[[asset.check]]\ntype = \"nope\"\n"))
	if loadErr == nil {
		t.Fatal("the bad config loaded")
	}
	ctx, cancel := context.WithTimeout(r.ctx, 10*time.Second)
	defer cancel()
	if err := r.e.RefuseConfig(ctx, loadErr); err != nil {
		t.Fatal(err)
	}
	s := r.sync()
	if len(s.ConfigErrors) == 0 || !posLine.MatchString(s.ConfigErrors[0]) || !s.ConfigRefusedAt.Equal(t0) {
		t.Fatalf("refused config published as %q at %v", s.ConfigErrors, s.ConfigRefusedAt)
	}
	last := s.Events[len(s.Events)-1]
	if last.Kind != model.EventReload || last.To != model.StatusWarning || !strings.Contains(last.Summary, s.ConfigErrors[0]) {
		t.Fatalf("refusal event %+v", last)
	}
	// The old config still runs.
	if c := s.Asset("web1").Check("http"); c.Status != ok || s.Checks != 4 {
		t.Fatalf("old config lost: %+v", c)
	}

	cfg := reloadCfg()
	cfg.Scheduler.Concurrency = 7
	cfg.ApplyDefaults()
	s = r.reload(cfg)
	last = s.Events[len(s.Events)-1]
	if s.ConfigErrors != nil || !s.ConfigRefusedAt.IsZero() {
		t.Fatalf("a valid config did not clear the refusal: %q", s.ConfigErrors)
	}
	if last.Kind != model.EventReload || last.From != model.StatusWarning || last.To != ok ||
		!strings.Contains(last.Summary, "0 checks added, 0 removed, 4 kept") ||
		!strings.Contains(last.Summary, "[scheduler] concurrency changed: needs a restart") {
		t.Fatalf("reload event %+v", last)
	}
	if c := s.Asset("web1").Check("http"); c.Status != ok {
		t.Fatalf("kept check lost its state: %+v", c)
	}
}

func TestConfigErrorLines(t *testing.T) {
	var es model.ConfigErrors
	for i := range 8 {
		es = append(es, &model.ConfigError{File: "a.toml", Line: i + 1, Col: 1, Msg: "bad"})
	}
	got := model.ConfigErrorLines(es, 3)
	if len(got) != 4 || got[0] != "a.toml:1:1: bad" || got[3] != "… and 5 more" {
		t.Fatalf("lines %q", got)
	}
	got = model.ConfigErrorLines(&model.TooManyErrors{Listed: es, More: 100}, 3)
	if got[3] != "… and 105 more" {
		t.Fatalf("lines %q", got)
	}
	if got := model.ConfigErrorLines(errors.New("open x.toml: permission denied"), 3); len(got) != 1 {
		t.Fatalf("lines %q", got)
	}
}

func TestRestartNeeded(t *testing.T) {
	base := func() *model.Config {
		c := reloadCfg()
		c.Traps.Listen = "127.0.0.1:1162"
		return c
	}
	cases := []struct {
		name   string
		change func(*model.Config)
		want   string
	}{
		{"nothing", func(*model.Config) {}, ""},
		{"thresholds", func(c *model.Config) { c.Assets[0].Checks[0].Timeout = model.D(time.Second) }, ""},
		{"traps listen", func(c *model.Config) { c.Traps.Listen = "127.0.0.1:2162" }, "[traps]"},
		{"trap source", func(c *model.Config) { c.Assets[1].Address = "127.0.0.9" }, "asset addresses (trap sources)"},
		{"concurrency", func(c *model.Config) { c.Scheduler.Concurrency = 3 }, "[scheduler] concurrency"},
	}
	for _, tc := range cases {
		c := base()
		tc.change(c)
		if got := strings.Join(model.RestartNeeded(base(), c), ", "); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
	// Without traps, addresses are the checks' business: applied live.
	old, c := reloadCfg(), reloadCfg()
	c.Assets[1].Address = "127.0.0.9"
	if got := model.RestartNeeded(old, c); got != nil {
		t.Errorf("address change without traps: %q", got)
	}
}
