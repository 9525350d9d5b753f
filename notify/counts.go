package notify

import (
	"slices"
	"strings"
	"sync"
)

// Results counted per receiver (noctop_notifications_total): a fixed set,
// so the series stay bounded.
const (
	ResultSent       = "sent"
	ResultFailed     = "failed" // one failed attempt (a retry may follow)
	ResultSuppressed = "suppressed"
	ResultDropped    = "dropped" // the receiver's queue was full
)

// Count is how many attempts of one receiver ended in one result.
type Count struct {
	Receiver, Result string
	N                uint64
}

// counts tallies attempts by receiver and result since the notifier
// started; the notifier's goroutines add, /metrics reads.
type counts struct {
	mu sync.Mutex
	m  map[[2]string]uint64
}

func (c *counts) add(receiver, result string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[[2]string]uint64{}
	}
	c.m[[2]string{receiver, result}]++
}

// list returns the counts sorted by receiver and result.
func (c *counts) list() []Count {
	c.mu.Lock()
	out := make([]Count, 0, len(c.m))
	for k, n := range c.m {
		out = append(out, Count{Receiver: k[0], Result: k[1], N: n})
	}
	c.mu.Unlock()
	slices.SortFunc(out, func(a, b Count) int {
		if d := strings.Compare(a.Receiver, b.Receiver); d != 0 {
			return d
		}
		return strings.Compare(a.Result, b.Result)
	})
	return out
}

// Counts returns the attempts so far by receiver and result. Safe from any
// goroutine.
func (n *Notifier) Counts() []Count { return n.o.counts.list() }
