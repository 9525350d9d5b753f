package main

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"noctop/model"
	"noctop/store"
)

// In process (so -race sees it): the feed writes what the engine
// publishes, the store's reports reach the caller's say, and stop writes
// what is left.
func TestStoreFeed(t *testing.T) {
	cfg := &model.Config{Assets: []model.Asset{{Name: "web", Address: "127.0.0.1",
		Checks: []model.Check{{Type: "tcp", Port: 1, Retries: 1}}}}}
	cfg.ApplyDefaults()
	path := filepath.Join(t.TempDir(), store.FileName)
	ms, err := openAt(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer ms.close()
	e := model.NewEngine(cfg, model.EngineOptions{Resume: ms.resume()})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ran := make(chan struct{})
	go func() {
		defer close(ran)
		e.Run(ctx)
	}()
	said := make(chan string, 1)
	stop := ms.feed(ctx, e, func(msg string) { said <- msg })
	ms.reports <- "store: disk full, history paused" // as Report puts it
	if got := <-said; got != "store: disk full, history paused" {
		t.Errorf("said %q", got)
	}
	key := model.CheckKey{Asset: "web", Check: "tcp"}
	if err := e.Submit(ctx, model.Result{Key: key, At: time.Now(), Outcome: model.Outcome{Status: model.StatusCritical, Summary: "refused"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	cancel()
	<-ran
	stop()
	evs, err := ms.archive().Events(context.Background(), model.EventQuery{})
	if err != nil || len(evs) != 2 {
		t.Errorf("stored %d events, %v; want the check's and the asset's", len(evs), err)
	}
}

// Without a store every method does nothing.
func TestNoStoreMethods(t *testing.T) {
	var ms *monitorStore
	if ms.resume() != nil || ms.archive() != nil || ms.eventSeq() != 0 {
		t.Error("a nil store gave something")
	}
	ms.feed(context.Background(), nil, nil)()
	ms.close()
}
