package probes

import "time"

// dueHeap is a min-heap of entries by due time.
//
// Each item carries its entry's due time, so comparisons read the heap's
// own array: with 10,000 entries scattered over the heap, Less chasing two
// entry pointers was 7% of the dashboard's CPU (cache and TLB misses on
// every level). For the same reason moves never write through an item's
// entry: container/heap's Swap kept each entry's index for heap.Remove, and
// was 5.7% of the 10,000-asset ICMP dashboard's CPU (~13 swaps per push or
// pop). An entry leaves out of turn lazily instead (dueQueue.remove). The
// sift steps are container/heap's, so the order of runs is as it was.
type dueHeap []dueItem

// dueItem is an entry in the heap, the due time and generation it was
// pushed with (an entry's due changes only while it is out of the heap).
type dueItem struct {
	due time.Time
	e   *entry
	gen uint32
}

// live reports whether the item still stands for its entry: the entry is
// in the heap, pushed with this generation (not pushed again since it left
// out of turn).
func (it *dueItem) live() bool { return it.e.inHeap && it.e.heapGen == it.gen }

// newDueHeap is a heap of es (none of them in another heap), by their due.
func newDueHeap(es []*entry) dueHeap {
	h := make(dueHeap, 0, len(es))
	for _, e := range es {
		h = append(h, enter(e))
	}
	h.heapify()
	return h
}

// enter marks e in the heap and returns its item.
func enter(e *entry) dueItem {
	e.heapGen++
	e.inHeap = true
	return dueItem{due: e.due, e: e, gen: e.heapGen}
}

// dueQueue is Run's heap of due entries. An entry that leaves out of turn
// (RunNow, a reload) is marked out and its item stays, dropped when it
// reaches the top or when stale items are more than half the heap.
type dueQueue struct {
	dueHeap
	stale int // items whose entry left out of turn, not yet dropped
}

func (q *dueQueue) push(e *entry) {
	q.dueHeap = append(q.dueHeap, enter(e))
	q.up(len(q.dueHeap) - 1)
}

// first is the entry due first and its due time; ok is false when the
// queue is empty.
func (q *dueQueue) first() (e *entry, due time.Time, ok bool) {
	for len(q.dueHeap) > 0 {
		if it := &q.dueHeap[0]; it.live() {
			return it.e, it.due, true
		}
		q.popItem()
		q.stale--
	}
	return nil, time.Time{}, false
}

// pop takes out the entry due first; the queue must not be empty.
func (q *dueQueue) pop() *entry {
	e, _, ok := q.first()
	if !ok {
		panic("probes: pop of an empty dueQueue")
	}
	q.popItem()
	e.inHeap = false
	q.tidy()
	return e
}

// remove takes e out of the queue, if it is in it.
func (q *dueQueue) remove(e *entry) {
	if !e.inHeap {
		return
	}
	e.inHeap = false
	q.stale++
	q.tidy()
}

// tidy drops the stale items once they are more than half the heap, so
// the heap never holds more than twice its entries, at O(1) a removal
// over time.
func (q *dueQueue) tidy() {
	if q.stale <= len(q.dueHeap)/2 {
		return
	}
	h := q.dueHeap
	kept := h[:0]
	for _, it := range h {
		if it.live() {
			kept = append(kept, it)
		}
	}
	clear(h[len(kept):])
	q.dueHeap, q.stale = kept, 0
	q.heapify()
}

// popItem removes the top item, as heap.Pop does.
func (h *dueHeap) popItem() {
	q := *h
	n := len(q) - 1
	q[0], q[n] = q[n], q[0]
	q.down(0, n)
	q[n] = dueItem{}
	*h = q[:n]
}

func (h dueHeap) heapify() {
	n := len(h)
	for i := n/2 - 1; i >= 0; i-- {
		h.down(i, n)
	}
}

// up and down are container/heap's, on the items themselves.
func (h dueHeap) up(j int) {
	for {
		i := (j - 1) / 2 // parent
		if i == j || !h[j].due.Before(h[i].due) {
			break
		}
		h[i], h[j] = h[j], h[i]
		j = i
	}
}

func (h dueHeap) down(i, n int) {
	for {
		j := 2*i + 1         // left child
		if j >= n || j < 0 { // j < 0 after int overflow
			break
		}
		if r := j + 1; r < n && h[r].due.Before(h[j].due) {
			j = r // right child
		}
		if !h[j].due.Before(h[i].due) {
			break
		}
		h[i], h[j] = h[j], h[i]
		i = j
	}
}
