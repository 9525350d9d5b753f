package model

import (
	"fmt"
	"slices"
	"testing"
)

func TestWindowViewsStable(t *testing.T) {
	for _, n := range []int{1, 2, 5, 120, 500} {
		w := newWindow[int](n)
		type seen struct {
			view []int
			upto int
		}
		var views []seen
		for i := 1; i <= 5*n+17; i++ {
			w.push(i)
			v := w.view()
			want := min(i, n)
			if len(v) != want || v[len(v)-1] != i || v[0] != i-want+1 || cap(v) != len(v) {
				t.Fatalf("n=%d after %d: len %d cap %d first %d last %d", n, i, len(v), cap(v), v[0], v[len(v)-1])
			}
			views = append(views, seen{v, i})
		}
		// Every view handed out still reads what it read.
		for _, s := range views {
			for j, x := range s.view {
				if x != s.upto-len(s.view)+1+j {
					t.Fatalf("n=%d: view up to %d was overwritten at %d: %d", n, s.upto, j, x)
				}
			}
		}
		if cap(w.buf) > w.max {
			t.Fatalf("n=%d: backing array grew to %d > %d", n, cap(w.buf), w.max)
		}
	}
}

// TestIncrementalMatchesFull streams the benchmark's results (with
// outages) and checks that incremental propagation left every asset and
// service where a full re-evaluation puts it, and that the incremental
// snapshot equals one built from scratch.
func TestIncrementalMatchesFull(t *testing.T) {
	cfg := benchConfig()
	for i := range cfg.Assets { // make outages frequent: hard at once
		for j := range cfg.Assets[i].Checks {
			cfg.Assets[i].Checks[j].Retries = 1 + i%3
		}
	}
	// A Recheck that asks for nothing still makes the engine hold children
	// in doubt and parents awaiting verdicts: the stream exercises both.
	e := NewEngine(cfg, EngineOptions{Recheck: func(CheckKey) {}})
	rs := benchResults(cfg, 60000, 30)
	for i, r := range rs {
		// Knock core switches down and up now and then.
		if i%5000 == 0 {
			st := StatusCritical
			if i%10000 == 0 {
				st = StatusOK
			}
			for k := range 50 {
				for range 3 {
					e.applyResult(Result{Key: CheckKey{Asset: fmt.Sprint("core-", k), Check: CheckICMP},
						Outcome: Outcome{Status: st, Summary: "x"}})
				}
			}
		}
		e.applyResult(r)
		if i%997 == 0 {
			e.publish()
		}
	}
	e.publish()
	inc := e.latest.Load()
	if inc.Count(StatusUnreachable) == 0 || inc.Count(StatusCritical) == 0 {
		t.Fatalf("stream too tame to test anything: %v", inc.Counts)
	}

	var counts [numStatuses]int
	for i := range e.assets {
		counts[e.assets[i].status]++
	}
	if counts != e.counts {
		t.Fatalf("incremental counts %v, recounted %v", e.counts, counts)
	}
	if tally := recountTally(e); tally != e.tally {
		t.Fatalf("incremental tally %+v, recounted %+v", e.tally, tally)
	}
	if e.tally.RootCauses == 0 || e.tally.Unreachable == 0 {
		t.Fatalf("stream too tame to test the tally: %+v", e.tally)
	}

	seq := e.eventSeq
	for _, i := range e.order {
		e.enqueue(i)
	}
	for len(e.queue.items) > 0 {
		e.evaluate(e.dequeue(), e.start)
	}
	e.rollupAll(e.start)
	if len(e.dirtyAssets) != 0 || e.eventSeq != seq {
		t.Fatalf("full re-evaluation changed %d assets and emitted %d events", len(e.dirtyAssets), e.eventSeq-seq)
	}
	for i := range e.services {
		if e.services[i].dirty {
			t.Fatalf("full rollup changed service %s", e.services[i].cfg.Name)
		}
	}

	// A snapshot built from scratch equals the incremental one.
	e.latest.Store(nil)
	for i := range e.checks {
		e.checks[i].dirty = true
	}
	full := e.buildSnapshot()
	for i := range full.Assets {
		a, b := inc.Assets[i], full.Assets[i]
		if a.Status != b.Status || a.HardStatus != b.HardStatus || a.Down != b.Down || a.RootCause != b.RootCause ||
			a.Role != b.Role || !slices.Equal(a.Checking, b.Checking) ||
			a.Reason != b.Reason || !a.Since.Equal(b.Since) || len(a.Checks) != len(b.Checks) {
			t.Fatalf("asset %s: incremental %+v, full %+v", a.Name, a, b)
		}
		for j := range a.Checks {
			x, y := a.Checks[j], b.Checks[j]
			if x.Status != y.Status || x.Hard != y.Hard || x.Attempt != y.Attempt || x.Summary != y.Summary ||
				x.History.Len() != y.History.Len() {
				t.Fatalf("check %s/%s: incremental %+v, full %+v", x.Asset, x.Name, x, y)
			}
		}
	}
	for i := range full.Services {
		a, b := inc.Services[i], full.Services[i]
		if a.Status != b.Status || a.Reason != b.Reason || a.Up != b.Up || !slices.Equal(a.Members, b.Members) {
			t.Fatalf("service %s: incremental %+v, full %+v", a.Name, a, b)
		}
	}
	if full.Tally != inc.Tally || !slices.Equal(full.Checking, inc.Checking) {
		t.Fatalf("tally: incremental %+v %v, full %+v %v", inc.Tally, inc.Checking, full.Tally, full.Checking)
	}
	if full.Counts != inc.Counts {
		t.Fatalf("counts: incremental %v, full %v", inc.Counts, full.Counts)
	}
}

// recountTally counts roles and service statuses from scratch.
func recountTally(e *Engine) Tally {
	var t Tally
	for i := range e.assets {
		t.Add(e.assets[i].role)
		if want := roleOf(e.assets[i].status, e.assets[i].hardStatus, e.assets[i].down, e.assets[i].checking != ""); want != e.assets[i].role {
			panic(fmt.Sprintf("asset %s: role %s, its state says %s", e.assets[i].cfg.Name, e.assets[i].role, want))
		}
	}
	for i := range e.services {
		t.moveService(StatusPending, e.services[i].status)
	}
	return t
}
