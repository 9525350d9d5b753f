package model

// window keeps the last n values pushed and hands out read-only views of
// them without copying. Values are appended to a backing array a little
// longer than n; when it is full the newest n-1 move to a fresh array. A
// view already handed out (to a published snapshot) is therefore never
// overwritten: appends write past its end and compaction leaves the old
// array alone. Cost: O(1) amortised per push (about 4 copies), O(1) per view.
type window[T any] struct {
	buf []T
	n   int // values kept
	max int // backing length at which to compact
}

func newWindow[T any](n int) window[T] {
	if n < 1 {
		n = 1
	}
	return window[T]{n: n, max: n + max(n/4, 4)}
}

func (w *window[T]) push(v T) {
	if len(w.buf) == cap(w.buf) {
		keep := w.buf
		if len(keep) >= w.max {
			keep = keep[len(keep)-(w.n-1):]
		}
		// Grow by doubling up to max, so short-lived histories stay small.
		c := min(max(2*cap(w.buf), 4), w.max)
		c = max(c, len(keep)+1)
		nb := make([]T, len(keep), c)
		copy(nb, keep)
		w.buf = nb
	}
	w.buf = append(w.buf, v)
}

// view returns the kept values, oldest first. Its capacity is clipped so
// that an append by a reader cannot write into the shared array.
func (w *window[T]) view() []T {
	if len(w.buf) == 0 {
		return nil
	}
	lo := max(0, len(w.buf)-w.n)
	return w.buf[lo:len(w.buf):len(w.buf)]
}
