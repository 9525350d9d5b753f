package probes

import (
	"errors"
	"sync"
	"testing"
)

func TestIDAllocatorNoDuplicatesUnderConcurrency(t *testing.T) {
	const n = 1000
	a := newIDAllocator(100, n, 7)
	var (
		mu   sync.Mutex
		seen = map[uint16]bool{}
		wg   sync.WaitGroup
	)
	for range 50 {
		wg.Go(func() {
			for range n / 50 {
				id, err := a.acquire()
				if err != nil {
					t.Errorf("acquire: %v", err)
					return
				}
				mu.Lock()
				if seen[id] {
					t.Errorf("ID %d handed out twice", id)
				}
				if id < 100 || id >= 100+n {
					t.Errorf("ID %d outside 100..%d", id, 100+n-1)
				}
				seen[id] = true
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(seen) != n {
		t.Fatalf("%d distinct IDs, want %d", len(seen), n)
	}
	if _, err := a.acquire(); !errors.Is(err, ErrNoICMPID) {
		t.Fatalf("acquire with all %d held: %v, want ErrNoICMPID", n, err)
	}
}

// Concurrent acquire/release churn never hands one ID to two holders.
func TestIDAllocatorChurn(t *testing.T) {
	a := newIDAllocator(1, 64, 0)
	var (
		mu     sync.Mutex
		holder = map[uint16]int{}
		wg     sync.WaitGroup
	)
	for g := range 32 {
		wg.Go(func() {
			for range 2000 {
				id, err := a.acquire()
				if err != nil {
					t.Errorf("acquire: %v", err) // at most 32 of 64 are ever held
					return
				}
				mu.Lock()
				if h, ok := holder[id]; ok {
					t.Errorf("ID %d held by %d and %d", id, h, g)
				}
				holder[id] = g
				mu.Unlock()
				mu.Lock()
				delete(holder, id)
				mu.Unlock()
				a.release(id)
			}
		})
	}
	wg.Wait()
	if a.held != 0 {
		t.Fatalf("%d IDs held after every release", a.held)
	}
}

func TestIDAllocatorReuseAfterRelease(t *testing.T) {
	a := newIDAllocator(1, 130, 0) // spans three bitmap words
	var ids []uint16
	for range 130 {
		id, err := a.acquire()
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if ids[0] != 1 || ids[129] != 130 {
		t.Fatalf("IDs run %d..%d, want 1..130 in order", ids[0], ids[129])
	}
	a.release(70)
	if id, err := a.acquire(); err != nil || id != 70 {
		t.Fatalf("after releasing 70 of a full range: got %d, %v; want 70", id, err)
	}
	// Round-robin: released IDs come back only after the rest of the range.
	a.release(5)
	a.release(120)
	if id, _ := a.acquire(); id != 120 {
		t.Errorf("got %d, want 120 (the next free after the last handed out, 70)", id)
	}
	if id, _ := a.acquire(); id != 5 {
		t.Errorf("got %d, want 5 (wrapped around)", id)
	}
}

func TestIDAllocatorReleaseUnheldPanics(t *testing.T) {
	a := newIDAllocator(1, 10, 0)
	defer func() {
		if recover() == nil {
			t.Fatal("releasing an ID that is not held did not panic")
		}
	}()
	a.release(3)
}
