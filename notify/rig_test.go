package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"noctop/model"
)

// wait bounds how long a test waits for something that must happen; it
// is never what a test asserts.
const wait = 20 * time.Second

// hook is a loopback webhook receiver that hands each payload to the test.
type hook struct {
	*httptest.Server
	got chan Payload
}

// newHook answers each request with answer (200 when nil).
func newHook(t *testing.T, answer http.HandlerFunc) *hook {
	t.Helper()
	h := &hook{got: make(chan Payload, 1000)}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var p Payload
		body, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(body, &p); err != nil {
			t.Errorf("webhook body is not a payload: %v: %q", err, body)
		}
		h.got <- p
		if answer != nil {
			answer(w, r)
		}
	}))
	t.Cleanup(h.Close)
	return h
}

// next returns the next payload, failing the test when none comes.
func (h *hook) next(t *testing.T) Payload {
	t.Helper()
	select {
	case p := <-h.got:
		return p
	case <-time.After(wait):
		t.Fatal("no webhook arrived")
		return Payload{}
	}
}

// engineRig is a real engine with results submitted by the test.
type engineRig struct {
	t   *testing.T
	e   *model.Engine
	ctx context.Context
	at  time.Time
}

func startEngine(t *testing.T, cfg *model.Config) *engineRig {
	t.Helper()
	cfg.ApplyDefaults()
	t0 := time.Date(2026, 12, 7, 2, 0, 0, 0, time.UTC)
	// Recheck set (the test sends the parent's result itself) makes a
	// failing child wait for its parent's verdict, as in the monitor.
	e := model.NewEngine(cfg, model.EngineOptions{PublishEvery: time.Millisecond, Recheck: func(model.CheckKey) {}})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		e.Run(ctx)
	}()
	t.Cleanup(func() { cancel(); <-done })
	return &engineRig{t: t, e: e, ctx: ctx, at: t0}
}

func (r *engineRig) result(asset, check string, st model.Status) {
	r.t.Helper()
	r.at = r.at.Add(time.Second)
	res := model.Result{Key: model.CheckKey{Asset: asset, Check: check}, At: r.at,
		Outcome: model.Outcome{Status: st, Summary: strings.ToLower(st.String())}}
	if err := r.e.Submit(r.ctx, res); err != nil {
		r.t.Fatalf("Submit: %v", err)
	}
}

func (r *engineRig) sync() *model.Snapshot {
	r.t.Helper()
	s, err := r.e.Sync(r.ctx)
	if err != nil {
		r.t.Fatalf("Sync: %v", err)
	}
	return s
}

// events returns the engine's notify events so far.
func (r *engineRig) events() []string {
	var out []string
	for _, ev := range r.sync().Events {
		if ev.Kind == model.EventNotify {
			out = append(out, ev.Summary)
		}
	}
	return out
}

// waitEvent waits for a notify event containing part and returns it.
func (r *engineRig) waitEvent(part string) string {
	r.t.Helper()
	deadline := time.Now().Add(wait)
	for time.Now().Before(deadline) {
		for _, s := range r.events() {
			if strings.Contains(s, part) {
				return s
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	r.t.Fatalf("no notify event containing %q; events:\n%s", part, strings.Join(r.events(), "\n"))
	return ""
}

// startNotifier runs a Notifier on the engine's snapshots, recording its
// attempts as the engine's events.
func (r *engineRig) startNotifier(cfgs []model.Notify, o Options) *Notifier {
	r.t.Helper()
	for i := range cfgs {
		if cfgs[i].Timeout.Duration == 0 {
			cfgs[i].Timeout = model.D(5 * time.Second)
		}
		if cfgs[i].Retries == 0 {
			cfgs[i].Retries = 3
		}
	}
	o.Record = r.e.Notify
	n := New(cfgs, o)
	sub := r.e.Subscribe()
	ctx, cancel := context.WithCancel(r.ctx)
	var wg sync.WaitGroup
	wg.Go(func() { n.Run(ctx, sub.C) })
	r.t.Cleanup(func() { cancel(); sub.Close(); wg.Wait() })
	return n
}

// star is core (icmp) with n http children and a service needing them all.
func star(n int) *model.Config {
	cfg := &model.Config{Assets: []model.Asset{
		{Name: "core", Address: "127.0.0.1", Checks: []model.Check{{Type: "icmp", Retries: 1}}},
		{Name: "other", Address: "127.0.0.1", Layer: model.LayerApplication, Checks: []model.Check{{Type: "http", Retries: 1}}},
	}}
	svc := model.Service{Name: "ERP"}
	for i := range n {
		name := fmt.Sprintf("app%02d", i)
		cfg.Assets = append(cfg.Assets, model.Asset{Name: name, Address: "127.0.0.1", Parents: []string{"core"},
			Layer: model.LayerApplication, Checks: []model.Check{{Type: "http", Retries: 1}}})
		svc.Needs = append(svc.Needs, name)
	}
	cfg.Services = []model.Service{svc}
	return cfg
}

// clock is a test's clock for Options.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) add(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }
