package model

import (
	"context"
	"iter"
)

// A one-shot run (noctop check) reads its final state once, asset by
// asset. SyncHead and Assets spare it a snapshot's per-asset copies: at
// 10,000 assets they were 6 MB held next to the engine's own state at the
// run's peak.

// SyncHead is Sync without the asset states: it waits until everything
// submitted before it is processed and returns a snapshot with the counts,
// tally, services and events, and no Assets. It publishes nothing. Read
// the assets with Assets once Run has returned.
func (e *Engine) SyncHead(ctx context.Context) (*Snapshot, error) {
	return e.sync(ctx, msgSyncHead)
}

// Assets yields every asset's state in config order, each built afresh
// (but for check states a snapshot already holds) and kept by nobody, so a
// reader that writes them out holds one at a time. It reads the engine's
// state without its goroutine: call it once Run has returned, or before it
// starts; it panics while Run is going.
func (e *Engine) Assets() iter.Seq[*AssetState] {
	return func(yield func(*AssetState) bool) {
		if e.running.Load() {
			select {
			case <-e.done:
			default:
				panic("model: Engine.Assets called while Run is going")
			}
		}
		for i := range e.assets {
			if !yield(e.assetState(&e.assets[i], false)) {
				return
			}
		}
	}
}
