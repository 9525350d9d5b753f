package notify

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"noctop/model"
)

// A root cause with 20 UNREACHABLE children is one webhook carrying the
// count, the names and the service down; then renotify, then one recovery.
// A later, unrelated problem's webhook is the marker that everything
// decided before it was sent: nothing else about core came in between.
func TestWebhookRootCauseOnce(t *testing.T) {
	const children = 20
	r := startEngine(t, star(children))
	h := newHook(t, nil)
	clk := &clock{t: time.Date(2026, 12, 7, 2, 0, 0, 0, time.UTC)}
	r.startNotifier([]model.Notify{{Name: "hook", Type: model.NotifyWebhook, URL: h.URL, Renotify: model.D(time.Hour)}},
		Options{Now: clk.now, Tick: time.Millisecond})

	r.result("core", "icmp", model.StatusOK)
	r.result("other", "http", model.StatusOK)
	for i := range children {
		r.result(fmt.Sprintf("app%02d", i), "http", model.StatusOK)
	}
	r.sync()
	// The children fail first (each waits for core's verdict), then core.
	for i := range children {
		r.result(fmt.Sprintf("app%02d", i), "http", model.StatusCritical)
	}
	r.result("core", "icmp", model.StatusCritical)
	s := r.sync()
	if a := s.Asset("core"); a.Role != model.RoleRootCause || s.Tally.Unreachable != children {
		t.Fatalf("engine: core %s, %d unreachable", a.Role, s.Tally.Unreachable)
	}

	p := h.next(t)
	if p.Kind != KindProblem || p.Asset != "core" || !p.RootCause || p.Status != "CRITICAL" || p.Affected != children ||
		len(p.AffectedNames) != children || p.AffectedNames[0] != "app00" || strings.Join(p.ServicesDown, ",") != "ERP" ||
		p.Check != "icmp" || p.Recovery || p.StartedAt == "" || p.At == "" {
		t.Fatalf("first webhook: %+v", p)
	}
	r.waitEvent("notify hook: sent problem core CRITICAL (root cause, 20 unreachable) (attempt 1/4)")

	clk.add(time.Hour)
	if p := h.next(t); p.Kind != KindRenotify || p.Asset != "core" || p.Affected != children {
		t.Fatalf("renotify: %+v", p)
	}

	// core recovers; its children are rechecked and recover too.
	r.result("core", "icmp", model.StatusOK)
	for i := range children {
		r.result(fmt.Sprintf("app%02d", i), "http", model.StatusOK)
	}
	r.sync()
	if p := h.next(t); p.Kind != KindRecovery || !p.Recovery || p.Asset != "core" || p.Status != "OK" || p.Previous != "CRITICAL" {
		t.Fatalf("recovery: %+v", p)
	}

	r.result("other", "http", model.StatusCritical)
	if p := h.next(t); p.Asset != "other" || p.Kind != KindProblem {
		t.Fatalf("marker: %+v (a second message about core?)", p)
	}
	select {
	case p := <-h.got:
		t.Fatalf("one webhook too many: %+v", p)
	default:
	}
}

// Held problems over a real webhook, snapshots built by hand (acks, windows
// and flapping as the engine will set them): nothing is sent while the
// problem is acknowledged, in a window or flapping, one message when the
// last hold ends with the problem still there, then the recovery. Each
// hold is one suppressed event.
func TestWebhookHeldWhileAckedInWindowOrFlapping(t *testing.T) {
	h := newHook(t, nil)
	var mu sync.Mutex
	var events []string
	n := New([]model.Notify{{Name: "hook", Type: model.NotifyWebhook, URL: h.URL, Timeout: model.D(5 * time.Second), Retries: 1}},
		Options{Record: func(no model.Notice) error {
			mu.Lock()
			defer mu.Unlock()
			events = append(events, no.Summary)
			return nil
		}})
	snaps := make(chan *model.Snapshot)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); n.Run(ctx, snaps) }()
	defer func() { cancel(); <-done }()

	for _, a := range []*model.AssetState{crit(acked("alice")), crit(inWindow("patch")), crit(flapping), crit(), crit(), ok()} {
		snaps <- snapOf(a)
	}
	if p := h.next(t); p.Kind != KindProblem || p.Asset != "sw" || p.Status != "CRITICAL" {
		t.Fatalf("first webhook: %+v", p)
	}
	if p := h.next(t); p.Kind != KindRecovery {
		t.Fatalf("second webhook: %+v", p)
	}
	mu.Lock()
	defer mu.Unlock()
	var held []string
	for _, e := range events {
		if strings.Contains(e, "suppressed") {
			held = append(held, e)
		}
	}
	want := []string{
		"notify hook: suppressed sw CRITICAL: acknowledged by alice: on it",
		"notify hook: suppressed sw CRITICAL: in maintenance (patch) until 2026-12-07T04:00:00Z",
		"notify hook: suppressed sw CRITICAL: flapping",
	}
	if strings.Join(held, "\n") != strings.Join(want, "\n") {
		t.Errorf("suppressed events:\n%s\nwant:\n%s", strings.Join(held, "\n"), strings.Join(want, "\n"))
	}
}
