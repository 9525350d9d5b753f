package probes

import (
	"math/rand/v2"
	"testing"
	"time"
)

// The loop's heap at 10,000 checks: each op pops the next due run and
// pushes it back one interval later, as a finished run does. Entries are
// allocated one by one among other allocations, scattered as the real
// scheduler's are.
func BenchmarkDueHeap10k(b *testing.B) {
	const n = 10_000
	t0 := time.Now()
	var q dueQueue
	var ballast [][]byte
	for i := range n {
		ballast = append(ballast, make([]byte, 512+rand.IntN(2048)))
		e := &entry{every: time.Minute}
		e.due = t0.Add(time.Duration(rand.Int64N(int64(time.Minute))))
		q.push(e)
		_ = i
	}
	b.ResetTimer()
	for range b.N {
		e := q.pop()
		e.due = e.due.Add(e.every)
		q.push(e)
	}
	b.StopTimer()
	if q.Len() != n || len(ballast) != n {
		b.Fatalf("heap holds %d", q.Len())
	}
}
