package main

import (
	"context"
	"path/filepath"
	"testing"

	"noctop/model"
	"noctop/store"
)

// The store hands its Resume over once and keeps only the event number.
func TestStoreHandsResumeOverOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), store.FileName)
	st, err := store.Open(context.Background(), path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	snaps := make(chan *model.Snapshot, 1)
	snaps <- &model.Snapshot{Events: []model.Event{{Seq: 7, Kind: model.EventReload}}}
	close(snaps)
	if err := st.Run(context.Background(), snaps); err != nil {
		t.Fatal(err)
	}
	st.Close()
	ms, err := openAt(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer ms.close()
	if r := ms.resume(); r == nil || r.EventSeq != 7 {
		t.Fatalf("resume %+v, want event 7", r)
	}
	if ms.resume() != nil || ms.eventSeq() != 7 {
		t.Errorf("after handing it over: resume %v, event %d; want nil and 7", ms.resume(), ms.eventSeq())
	}
}
