package probes

import (
	"errors"
	"fmt"
	"math/bits"
	"sync"
)

// ErrNoICMPID means every ICMP echo ID is held by a probe in flight.
var ErrNoICMPID = errors.New("no free ICMP echo ID")

// idAllocator hands out ICMP echo IDs so that no two probes in flight share
// one. Random IDs collide (about 1,400 of 10,000 random 16-bit IDs do), and
// two probes with one ID would count each other's replies.
//
// It allocates round-robin: a released ID is handed out again only after the
// rest of the range, so a late reply to a finished probe is very unlikely to
// find a new owner of its ID.
type idAllocator struct {
	mu    sync.Mutex
	first int      // lowest ID
	n     int      // IDs first .. first+n-1
	used  []uint64 // bit i set: ID first+i is held
	next  int      // index where the next search starts
	held  int
}

// newIDAllocator serves the n IDs starting at first, beginning the
// round-robin at offset start (so two processes starting at once do not
// begin on the same ID).
func newIDAllocator(first, n, start int) *idAllocator {
	if first < 0 || n <= 0 || first+n > 1<<16 {
		panic(fmt.Sprintf("icmp id range %d+%d outside 0..65535", first, n))
	}
	return &idAllocator{first: first, n: n, used: make([]uint64, (n+63)/64), next: start % n}
}

// acquire returns a free ID, or ErrNoICMPID when all are held.
func (a *idAllocator) acquire() (uint16, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.held == a.n {
		return 0, fmt.Errorf("%w: all %d in use", ErrNoICMPID, a.n)
	}
	// held < n, so a free bit exists and the scan ends within one lap.
	i := a.next
	for {
		w := a.used[i/64] | (1<<(i%64) - 1) // bits below i count as held
		if w != ^uint64(0) {
			if j := i/64*64 + bits.TrailingZeros64(^w); j < a.n {
				i = j
				break
			}
		}
		if i = (i/64 + 1) * 64; i >= a.n {
			i = 0
		}
	}
	a.used[i/64] |= 1 << (i % 64)
	a.held++
	a.next = (i + 1) % a.n
	return uint16(a.first + i), nil
}

// release returns an ID; releasing an ID that is not held is a bug in the
// caller and panics, since it would let two probes share an ID.
func (a *idAllocator) release(id uint16) {
	a.mu.Lock()
	defer a.mu.Unlock()
	i := int(id) - a.first
	if i < 0 || i >= a.n || a.used[i/64]&(1<<(i%64)) == 0 {
		panic(fmt.Sprintf("icmp id %d released but not held", id))
	}
	a.used[i/64] &^= 1 << (i % 64)
	a.held--
}
