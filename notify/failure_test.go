package notify

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"

	"noctop/model"
)

// flat is n assets with one http check each, no parents.
func flat(n int) *model.Config {
	cfg := &model.Config{}
	for i := range n {
		cfg.Assets = append(cfg.Assets, model.Asset{Name: fmt.Sprintf("a%02d", i), Address: "127.0.0.1",
			Checks: []model.Check{{Type: "http", Retries: 1}}})
	}
	return cfg
}

// count returns how many notify events contain part.
func (r *engineRig) count(part string) int {
	n := 0
	for _, s := range r.events() {
		if strings.Contains(s, part) {
			n++
		}
	}
	return n
}

// A receiver answering 500 forever gets 1+retries attempts per message,
// each an event, then the message is given up; the next message is
// tried afresh, and nothing about the first comes again.
func TestWebhook500Forever(t *testing.T) {
	r := startEngine(t, flat(2))
	h := newHook(t, func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "boom", http.StatusInternalServerError) })
	r.startNotifier([]model.Notify{{Name: "hook", Type: model.NotifyWebhook, URL: h.URL, Retries: 3}},
		Options{Backoff: time.Millisecond, MaxBackoff: 4 * time.Millisecond})
	r.result("a00", "http", model.StatusCritical)
	for range 4 {
		if p := h.next(t); p.Asset != "a00" {
			t.Fatalf("payload about %s", p.Asset)
		}
	}
	r.waitEvent("notify hook: failed problem a00 CRITICAL (root cause), gave up after attempt 4/4: HTTP 500: boom")
	for i, wait := range []string{"1ms", "2ms", "4ms"} {
		want := fmt.Sprintf("notify hook: failed problem a00 CRITICAL (root cause) (attempt %d/4): HTTP 500: boom; retrying in %s", i+1, wait)
		if r.count(want) != 1 {
			t.Errorf("want one event %q; events:\n%s", want, strings.Join(r.events(), "\n"))
		}
	}
	r.result("a01", "http", model.StatusCritical)
	for range 4 {
		if p := h.next(t); p.Asset != "a01" {
			t.Fatalf("payload about %s after a00 was given up", p.Asset)
		}
	}
	r.waitEvent("gave up after attempt 4/4")
	if n := r.count("notify hook: sent"); n != 0 {
		t.Errorf("%d sent events from a receiver that always fails", n)
	}
}

// nxdomain is a DNS server on loopback that knows no name, and a resolver
// that asks only it: the test never sends a packet off the machine.
func nxdomain(t *testing.T) (*net.Resolver, *atomic.Int64) {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var asked atomic.Int64
	srv := &dns.Server{PacketConn: pc, Handler: dns.HandlerFunc(func(w dns.ResponseWriter, q *dns.Msg) {
		asked.Add(1)
		m := new(dns.Msg)
		m.SetRcode(q, dns.RcodeNameError)
		_ = w.WriteMsg(m)
	})}
	go func() { _ = srv.ActivateAndServe() }()
	t.Cleanup(func() { _ = srv.Shutdown() })
	addr := pc.LocalAddr().String()
	res := &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "udp", addr)
	}}
	return res, &asked
}

// A receiver whose host does not resolve: bounded attempts, each an event
// saying so, and the URL (which may hold a token) is not in them.
func TestUnresolvableHost(t *testing.T) {
	res, asked := nxdomain(t)
	r := startEngine(t, flat(1))
	r.startNotifier([]model.Notify{{Name: "hook", Type: model.NotifyWebhook, URL: "http://noctop-hook.invalid:9/secret-token", Retries: 2}},
		Options{Backoff: time.Millisecond, Resolver: res})
	r.result("a00", "http", model.StatusCritical)
	last := r.waitEvent("gave up after attempt 3/3")
	if !strings.Contains(last, "no such host") || strings.Contains(last, "secret-token") {
		t.Errorf("event: %q, want the reason without the URL", last)
	}
	if n := r.count("notify hook: failed problem a00"); n != 3 {
		t.Errorf("%d failed events, want 3:\n%s", n, strings.Join(r.events(), "\n"))
	}
	if asked.Load() == 0 {
		t.Error("the loopback DNS server was never asked")
	}
}

// A receiver that never answers holds only its own queue: the engine goes
// on applying results, another receiver gets every message, and the hung
// one's queue drops its oldest messages (an event each) instead of growing.
func TestHungReceiverBlocksNothing(t *testing.T) {
	const problems = 8
	r := startEngine(t, flat(problems+1))
	release := make(chan struct{})
	hung := newHook(t, func(http.ResponseWriter, *http.Request) { <-release })
	t.Cleanup(func() { close(release) }) // before the server's Close
	good := newHook(t, nil)
	r.startNotifier([]model.Notify{
		{Name: "hung", Type: model.NotifyWebhook, URL: hung.URL, Timeout: model.D(time.Hour)},
		{Name: "good", Type: model.NotifyWebhook, URL: good.URL},
	}, Options{QueueLen: 4})

	for i := range problems {
		name := fmt.Sprintf("a%02d", i)
		r.result(name, "http", model.StatusCritical)
		if p := good.next(t); p.Asset != name {
			t.Fatalf("good receiver got %s, want %s", p.Asset, name)
		}
	}
	if p := hung.next(t); p.Asset != "a00" {
		t.Fatalf("hung receiver got %s first", p.Asset)
	}
	// The engine keeps applying results while the request hangs.
	last := fmt.Sprintf("a%02d", problems)
	for range 50 {
		r.result(last, "http", model.StatusOK)
	}
	s := r.sync()
	if c := s.Asset(last).Checks[0]; c.Status != model.StatusOK || c.History.Len() < 50 {
		t.Fatalf("engine stalled: %s, %d results", c.Status, c.History.Len())
	}
	// a00 is in flight; a01..a07 came into a queue of 4: a01..a03 dropped.
	r.waitEvent("notify hung: dropped problem a03 CRITICAL")
	for i := 1; i <= 3; i++ {
		if n := r.count(fmt.Sprintf("notify hung: dropped problem a%02d CRITICAL (root cause) (4 messages queued", i)); n != 1 {
			t.Errorf("a%02d dropped %d times, want once", i, n)
		}
	}
	if n := r.count("notify hung: dropped"); n != 3 {
		t.Errorf("%d drops, want 3", n)
	}
	r.waitEvent(fmt.Sprintf("notify good: sent problem a%02d", problems-1))
	if n := r.count("notify good: sent problem"); n != problems {
		t.Errorf("good receiver: %d sent events, want %d", n, problems)
	}
}
