package probes

import (
	"container/heap"
	"math/rand/v2"
	"testing"
	"time"
)

// oldHeap is the scheduler's heap as it was, on container/heap: the
// reference for the order of runs.
type oldHeap []dueItem

func (h oldHeap) Len() int           { return len(h) }
func (h oldHeap) Less(i, j int) bool { return h[i].due.Before(h[j].due) }
func (h oldHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *oldHeap) Push(x any)        { *h = append(*h, x.(dueItem)) }
func (h *oldHeap) Pop() any {
	old := *h
	it := old[len(old)-1]
	*h = old[:len(old)-1]
	return it
}

// Without removals the queue pops exactly what container/heap popped, ties
// included: the order of runs is unchanged.
func TestDueQueueOrderIsContainerHeaps(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 4))
	t0 := time.Now()
	es := make([]*entry, 500)
	for i := range es {
		es[i] = &entry{due: t0.Add(time.Duration(rnd.IntN(50)) * time.Second)} // many ties
	}
	q := dueQueue{dueHeap: newDueHeap(es)}
	ref := oldHeap{}
	for _, e := range es {
		ref = append(ref, dueItem{due: e.due, e: e})
	}
	heap.Init(&ref)
	for step := range 20_000 {
		want := heap.Pop(&ref).(dueItem).e
		got := q.pop()
		if got != want {
			t.Fatalf("step %d: popped the entry due %v, container/heap popped the one due %v", step, got.due.Sub(t0), want.due.Sub(t0))
		}
		got.due = got.due.Add(time.Duration(1+rnd.IntN(50)) * time.Second)
		q.push(got)
		heap.Push(&ref, dueItem{due: got.due, e: got})
	}
}

// Random pushes, pops and removals (RunNow, reload) against a plain set:
// a pop is always an entry in the queue with the earliest due time, a
// removed entry never comes out (even pushed again with the due time its
// stale item has), and stale items never make the heap more than twice
// its entries.
func TestDueQueueLazyRemoval(t *testing.T) {
	rnd := rand.New(rand.NewPCG(5, 6))
	t0 := time.Now()
	es := make([]*entry, 64)
	in := map[*entry]bool{}
	var q dueQueue
	for i := range es {
		es[i] = &entry{}
	}
	at := func() time.Time { return t0.Add(time.Duration(rnd.IntN(20)) * time.Second) }
	for step := range 200_000 {
		e := es[rnd.IntN(len(es))]
		switch op := rnd.IntN(3); {
		case op == 0 && !in[e]:
			if rnd.IntN(2) == 0 {
				e.due = at() // else the due its stale item may still carry
			}
			q.push(e)
			in[e] = true
		case op == 1:
			q.remove(e)
			delete(in, e)
		case len(in) > 0:
			got := q.pop()
			if !in[got] {
				t.Fatalf("step %d: popped an entry that is not in the queue", step)
			}
			for o := range in {
				if o.due.Before(got.due) {
					t.Fatalf("step %d: popped the entry due +%v before the one due +%v", step, got.due.Sub(t0), o.due.Sub(t0))
				}
			}
			delete(in, got)
		}
		if q.Len() != len(in) {
			t.Fatalf("step %d: Len %d, %d entries in the queue", step, q.Len(), len(in))
		}
		if len(q.dueHeap) > 2*len(in)+1 {
			t.Fatalf("step %d: %d items for %d entries", step, len(q.dueHeap), len(in))
		}
	}
	for len(in) > 0 {
		got := q.pop()
		if !in[got] {
			t.Fatal("draining: popped an entry that is not in the queue")
		}
		delete(in, got)
	}
	if _, _, ok := q.first(); ok || q.Len() != 0 || len(q.dueHeap) != 0 {
		t.Fatalf("drained queue: Len %d, %d items", q.Len(), len(q.dueHeap))
	}
}

// Len is the number of entries in the queue (its items less the stale).
func (q *dueQueue) Len() int { return len(q.dueHeap) - q.stale }
