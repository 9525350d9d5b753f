package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"noctop/model"
	"noctop/notify"
)

// webhookSink is a loopback webhook receiver whose payloads arrive on got.
func webhookSink(t *testing.T, answer http.HandlerFunc) (*httptest.Server, chan notify.Payload) {
	t.Helper()
	got := make(chan notify.Payload, 100)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var p notify.Payload
		body, _ := io.ReadAll(r.Body)
		_ = json.Unmarshal(body, &p)
		got <- p
		if answer != nil {
			answer(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, got
}

func nextPayload(t *testing.T, got chan notify.Payload, what string) notify.Payload {
	t.Helper()
	select {
	case p := <-got:
		return p
	case <-time.After(30 * time.Second):
		t.Fatalf("no webhook: %s", what)
		return notify.Payload{}
	}
}

func notifyBlock(name, url string, extra string) string {
	return fmt.Sprintf("\n[[notify]]\nname = %q\ntype = \"webhook\"\nurl = %q\n%s\n", name, url, extra)
}

// `noctop notify --test NAME` sends one test message and prints each
// attempt; exit 0 when taken, 1 when not, or when NAME is not a receiver.
func TestNotifyTestCommand(t *testing.T) {
	ok, got := webhookSink(t, nil)
	bad, _ := webhookSink(t, func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "nope", http.StatusBadGateway) })
	path := writeConfig(t, tcpAsset("db", closedPort(t))+notifyBlock("hook", ok.URL, "")+notifyBlock("bad", bad.URL, "retries = 1"))

	stdout, stderr, code := runBin(t, nil, "notify", "--test", "hook", "-c", path)
	if code != 0 || !strings.Contains(stdout, "notify hook: sent test message (attempt 1/4)") {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	if p := nextPayload(t, got, "the test message"); p.Kind != notify.KindTest || p.Receiver != "hook" || p.Asset != "noctop-test" {
		t.Errorf("payload %+v", p)
	}

	stdout, stderr, code = runBin(t, nil, "notify", "--test", "bad", "-c", path)
	if code != 1 || !strings.Contains(stdout, "(attempt 1/2): HTTP 502: nope; retrying in 1s") ||
		!strings.Contains(stdout, "notify bad: failed test message, gave up after attempt 2/2: HTTP 502: nope") {
		t.Errorf("a failing receiver: exit %d\n%s%s", code, stdout, stderr)
	}

	_, stderr, code = runBin(t, nil, "notify", "--test", "pager", "-c", path)
	if code != 1 || !strings.Contains(stderr, `no [[notify]] named "pager"`) || !strings.Contains(stderr, "receivers: hook, bad") {
		t.Errorf("an unknown receiver: exit %d\n%s", code, stderr)
	}
	if _, stderr, code = runBin(t, nil, "notify", "-c", path); code != 1 || !strings.Contains(stderr, "--test NAME is required") {
		t.Errorf("no --test: exit %d\n%s", code, stderr)
	}
}

// The headless monitor notifies (each attempt a logged event), and a
// reload that adds a receiver tells it the problems already there, without
// telling the first one again.
func TestHeadlessNotifiesAndReloads(t *testing.T) {
	one, got1 := webhookSink(t, nil)
	two, got2 := webhookSink(t, nil)
	head := "[defaults]\ninterval = \"200ms\"\ntimeout = \"100ms\"\nretries = 1\n" + tcpAsset("db", closedPort(t))
	path := writeConfig(t, head+notifyBlock("one", one.URL, ""))
	h := startHeadless(t, path)
	if p := nextPayload(t, got1, "db's problem"); p.Asset != "db" || p.Kind != notify.KindProblem || p.Status != "CRITICAL" {
		t.Fatalf("payload %+v", p)
	}
	h.waitLine(t, "the sent event", func(l logLine) bool {
		return l.Kind == model.EventNotify && l.Asset == "db" && strings.Contains(l.Msg, "notify one: sent problem db CRITICAL")
	})

	replaceFile(t, path, head+notifyBlock("one", one.URL, "")+notifyBlock("two", two.URL, ""))
	h.waitLine(t, "the reload", isReload("config reloaded"))
	if p := nextPayload(t, got2, "db's problem to the new receiver"); p.Asset != "db" || p.Receiver != "two" {
		t.Fatalf("payload %+v", p)
	}
	h.waitLine(t, "the second receiver's event", func(l logLine) bool { return strings.Contains(l.Msg, "notify two: sent problem db") })
	select {
	case p := <-got1:
		t.Errorf("the first receiver was told again: %+v", p)
	default:
	}
	h.signal(t, syscall.SIGTERM)
	if code, _ := h.wait(t); code != 0 {
		t.Fatalf("exit %d\n%s", code, h.log())
	}
}

// A receiver that never answers does not delay polling: while its request
// hangs the scheduler keeps running checks on time (the schedule's lag
// stays below the slow mark) and the engine keeps applying their results.
func TestHungReceiverDoesNotDelayPolls(t *testing.T) {
	release := make(chan struct{})
	var once sync.Once
	hung, got := webhookSink(t, func(http.ResponseWriter, *http.Request) { <-release })
	t.Cleanup(func() { once.Do(func() { close(release) }) })
	src := "[defaults]\ninterval = \"500ms\"\ntimeout = \"200ms\"\nretries = 1\n" +
		tcpAsset("down", closedPort(t)) + tcpAsset("up", listening(t)) + notifyBlock("hung", hung.URL, `timeout = "1h"`)
	cfg, err := model.Parse("hung.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	m := newMonitor(cfg, false, nil)
	defer m.close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.run(ctx) }()
	defer func() { cancel(); once.Do(func() { close(release) }); <-done }()

	if p := nextPayload(t, got, "the hanging request"); p.Asset != "down" {
		t.Fatalf("payload %+v", p)
	}
	up := func() *model.CheckState { return m.engine.Latest().Asset("up").Checks[0] }
	before, lag0 := up().History.Len(), m.engine.Latest().Lag
	deadline := time.Now().Add(30 * time.Second)
	for up().History.Len() < before+6 {
		if time.Now().After(deadline) {
			t.Fatalf("polling stalled: %d results of up, had %d", up().History.Len(), before)
		}
		time.Sleep(50 * time.Millisecond)
	}
	lag := m.engine.Latest().Lag
	if lag.Slow() || lag.Runs <= lag0.Runs {
		t.Errorf("schedule lag while the receiver hangs: %+v (before: %+v)", lag, lag0)
	}
	select {
	case p := <-got:
		t.Errorf("a second request while the first hangs: %+v", p)
	default:
	}
}
