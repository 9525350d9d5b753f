package main

import (
	"context"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"noctop/estate"
	"noctop/model"
)

// A feed whose Prometheus refuses connections says why each refresh,
// publishes nothing (no blank or all-OK view), and ends with ctx,
// closing its subscriptions; acks before any view say what is missing.
func TestEstateFeedPrometheusDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + ln.Addr().String()
	ln.Close()
	feed := newEstateFeed(estate.Source{Prom: dead}, time.Second)
	snaps, _ := feed.Subscribe()
	said := make(chan string, 8)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { feed.run(ctx, func(s string) { said <- s }) })
	msg := <-said
	if !strings.HasPrefix(msg, "prometheus: query ") || !strings.Contains(msg, "connection refused") {
		t.Errorf("said %q", msg)
	}
	if feed.Latest() != nil {
		t.Error("a snapshot without any answer")
	}
	if err := feed.ack(ctx, model.AckRequest{Key: model.CheckKey{Asset: "web1"}, By: "vera"}); err == nil || !strings.Contains(err.Error(), "--am") {
		t.Errorf("ack without --am: %v", err)
	}
	cancel()
	wg.Wait()
	if s, ok := <-snaps; ok {
		t.Errorf("the subscription got %v after the feed ended, want it closed", s)
	}
	late, _ := feed.Subscribe()
	if _, ok := <-late; ok {
		t.Error("a subscription after the end is not closed")
	}
}

// Subscribers get the latest snapshot only, at once when they join,
// and never hold the feed.
func TestEstateFeedLatestWins(t *testing.T) {
	feed := newEstateFeed(estate.Source{}, time.Second)
	slow, stop := feed.Subscribe()
	defer stop()
	for i := range 5 {
		feed.publish(&model.Snapshot{Seq: uint64(i + 1)})
	}
	if s := <-slow; s.Seq != 5 {
		t.Errorf("a slow subscriber got %d, want the latest (5)", s.Seq)
	}
	joined, stop2 := feed.Subscribe()
	if s := <-joined; s.Seq != 5 {
		t.Errorf("a new subscriber got %d first, want 5", s.Seq)
	}
	stop2()
	if _, ok := <-joined; ok {
		t.Error("stop did not close the subscription")
	}
}
