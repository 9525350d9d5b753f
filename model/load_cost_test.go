package model

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// allocated returns the bytes f allocates (TotalAlloc, which counts every
// allocation whether or not it is freed). Two collections first empty
// sync.Pools (go-toml keeps its decoders in one), so that every measure
// starts from the same state.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// dottedKey is a key of n parts, "a.a.a…", about 2n bytes.
func dottedKey(n int) string { return strings.Repeat("a.", n-1) + "a" }

// ordinaryCost is what an ordinary config of at least size bytes costs
// to load, in bytes allocated per byte of file.
func ordinaryCost(t *testing.T, size int) float64 {
	t.Helper()
	n := 1
	for len(bigConfig(n, false)) < size {
		n *= 2
	}
	data := bigConfig(n, false)
	var err error
	a := allocated(func() { _, err = Parse("ordinary.toml", data) })
	if err != nil {
		t.Fatal(err)
	}
	return float64(a) / float64(len(data))
}

// A key or header of 40,000 parts (80 KB) cost 10 s and 1.7 GB when every
// prefix of its path was joined: 21,000 bytes allocated per byte of file.
// Now such a file costs a few times what an ordinary config of its size
// does, and ten times the parts cost about ten times as much (go-toml's
// parser, which keeps a node per part, takes most of it).
func TestLoadLongKeyIsLinear(t *testing.T) {
	docs := map[string]func(n int) string{
		"dotted key": func(n int) string { return dottedKey(n) + " = 1\n" },
		"header":     func(n int) string { return "[" + dottedKey(n) + "]\nx = 1\n" },
		"array header under asset": func(n int) string {
			return "[[asset]]\nname = \"a\"\n[[asset." + dottedKey(n) + "]]\nx = 1\n"
		},
		"dotted key in check": func(n int) string {
			return "[[asset]]\nname = \"a\"\naddress = \"127.0.0.1\"\n[[asset.check]]\ntype = \"icmp\"\nrtt." + dottedKey(n) + " = 1\n"
		},
	}
	perByte := ordinaryCost(t, 80_000)
	for name, doc := range docs {
		t.Run(name, func(t *testing.T) {
			small, big := []byte(doc(4000)), []byte(doc(40000))
			_, _ = Parse("k.toml", small) // warm go-toml's and reflect's caches
			var err error
			aSmall := allocated(func() { _, err = Parse("k.toml", small) })
			aBig := allocated(func() { _, err = Parse("k.toml", big) })
			var errs ConfigErrors
			if !errors.As(err, &errs) || len(errs) != 1 || !errors.Is(err, ErrUnknownKey) {
				t.Fatalf("want one unknown-key error, got %v", err)
			}
			if len(errs[0].Msg) > 200 {
				t.Errorf("message of %d bytes: %.200s", len(errs[0].Msg), errs[0].Msg)
			}
			big1 := float64(aBig) / float64(len(big))
			t.Logf("4,000 parts: %d KB allocated; 40,000 parts (%d KB file): %d KB, %.0f bytes a byte (an ordinary config: %.0f)",
				aSmall>>10, len(big)>>10, aBig>>10, big1, perByte)
			if aBig > 30*aSmall { // quadratic is 100x
				t.Errorf("10x the parts cost %.0fx the allocations (%d -> %d bytes): not linear", float64(aBig)/float64(aSmall), aSmall, aBig)
			}
			if big1 > 8*perByte { // it was 260x
				t.Errorf("%.0f bytes allocated per byte of file, an ordinary config %.0f", big1, perByte)
			}
		})
	}
}

// A deeply nested value (arrays or inline tables 10,000 levels down) is
// indexed no deeper than the schema goes.
func TestLoadDeepValueIsLinear(t *testing.T) {
	for name, doc := range map[string]func(n int) string{
		"arrays": func(n int) string {
			return "[[asset]]\nname = \"a\"\nparents = " + strings.Repeat("[", n) + strings.Repeat("]", n) + "\n"
		},
		"inline tables": func(n int) string {
			return "[[asset]]\nname = \"a\"\nlifecycle = " + strings.Repeat("{a = ", n) + "1" + strings.Repeat("}", n) + "\n"
		},
	} {
		t.Run(name, func(t *testing.T) {
			small, big := []byte(doc(1000)), []byte(doc(10000))
			_, _ = Parse("d.toml", small) // warm the caches
			var err error
			aSmall := allocated(func() { _, err = Parse("d.toml", small) })
			aBig := allocated(func() { _, err = Parse("d.toml", big) })
			var errs ConfigErrors
			if !errors.As(err, &errs) || len(errs) == 0 {
				t.Fatalf("want positioned errors, got %v", err)
			}
			if aBig > 30*aSmall { // quadratic is 100x
				t.Errorf("10x the depth cost %.0fx the allocations (%d -> %d bytes): not linear", float64(aBig)/float64(aSmall), aSmall, aBig)
			}
		})
	}
}

// manyErrors writes n assets with one unknown key and one string port each.
func manyErrors(n int) []byte {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "[[asset]]\nname = \"h%d\"\naddress = \"127.0.0.1\"\nbogus = 1\n  [[asset.check]]\n  type = \"tcp\"\n  port = \"x\"\n", i)
	}
	return []byte(b.String())
}

// 100,000 errors never finished: go-toml built each unknown-key error with
// the lines of the whole document. A load lists the first MaxConfigErrors
// in file order, each positioned, counts the rest, and its cost grows
// linearly with the number of errors.
func TestLoadManyErrorsIsBounded(t *testing.T) {
	small, big := manyErrors(1000), manyErrors(10000)
	_, _ = Parse("e.toml", small) // warm the caches
	var errSmall, errBig error
	aSmall := allocated(func() { _, errSmall = Parse("e.toml", small) })
	aBig := allocated(func() { _, errBig = Parse("e.toml", big) })
	t.Logf("2,000 errors: %d KB allocated; 20,000 errors (%d KB file): %d KB", aSmall>>10, len(big)>>10, aBig>>10)
	if aBig > 15*aSmall { // quadratic is 100x
		t.Errorf("10x the errors cost %.0fx the allocations (%d -> %d bytes): not linear", float64(aBig)/float64(aSmall), aSmall, aBig)
	}
	for _, c := range []struct {
		err  error
		more int
	}{{errSmall, 2000 - MaxConfigErrors}, {errBig, 20000 - MaxConfigErrors}} {
		var many *TooManyErrors
		if !errors.As(c.err, &many) {
			t.Fatalf("want *TooManyErrors, got %T", c.err)
		}
		if len(many.Listed) != MaxConfigErrors || many.More != c.more || many.Uncounted {
			t.Errorf("listed %d, more %d (uncounted %v); want %d and %d", len(many.Listed), many.More, many.Uncounted, MaxConfigErrors, c.more)
		}
		// The first ones in file order: asset i has its unknown key on
		// line 7i+4 and its port on line 7i+7.
		for i, e := range many.Listed {
			line := 7*(i/2) + 4 + 3*(i%2)
			if e.Line != line || e.Col < 1 || e.File != "e.toml" {
				t.Fatalf("error %d at %s:%d:%d, want line %d: %v", i, e.File, e.Line, e.Col, line, e)
			}
		}
		var errs ConfigErrors
		if !errors.As(c.err, &errs) || !errors.Is(c.err, ErrUnknownKey) || !errors.Is(c.err, ErrWrongType) {
			t.Errorf("the listed errors are not reachable with errors.As/Is: %v", c.err)
		}
		lines := strings.Split(c.err.Error(), "\n")
		if want := "… and " + groupThousands(c.more) + " more errors"; lines[len(lines)-1] != want {
			t.Errorf("last line %q, want %q", lines[len(lines)-1], want)
		}
	}
}

// Errors found in any order (validation after decoding) still come out as
// the first ones of the file.
func TestErrorSetKeepsTheFirstInFileOrder(t *testing.T) {
	s := newErrorSet("f.toml", []byte(strings.Repeat("\n", 10)), 3)
	built := 0
	for _, line := range []int{9, 2, 7, 5, 1, 8, 2} {
		s.add(line-1, "", ErrInvalid, func() string { built++; return fmt.Sprint("line ", line) })
	}
	var many *TooManyErrors
	if !errors.As(s.err(), &many) {
		t.Fatalf("want *TooManyErrors, got %v", s.err())
	}
	var got []int
	for _, e := range many.Listed {
		got = append(got, e.Line)
	}
	if fmt.Sprint(got) != "[1 2 2]" || many.More != 4 {
		t.Errorf("kept lines %v, %d more; want [1 2 2] and 4 more", got, many.More)
	}
	if built != 6 { // 9, 2, 7 fill it; 5, 1 and 2 replace; 8 is never built
		t.Errorf("built %d messages, want 6", built)
	}
}

func TestGroupThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 9812: "9,812", 1234567: "1,234,567"} {
		if got := groupThousands(n); got != want {
			t.Errorf("groupThousands(%d) = %q, want %q", n, got, want)
		}
	}
}

// countdownCtx is a context that is cancelled the n-th time the loader
// looks at it, so a test can stop a load at a chosen point of its work
// without racing a timer.
type countdownCtx struct {
	context.Context
	mu     sync.Mutex
	left   int
	done   chan struct{}
	looked int
}

func newCountdownCtx(n int) *countdownCtx {
	return &countdownCtx{Context: context.Background(), left: n, done: make(chan struct{})}
}

func (c *countdownCtx) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.looked++
	if c.left > 0 {
		c.left--
		if c.left == 0 {
			close(c.done)
		}
	}
	if c.left == 0 {
		return context.Canceled
	}
	return nil
}

func (c *countdownCtx) Done() <-chan struct{}       { return c.done }
func (c *countdownCtx) Deadline() (time.Time, bool) { return time.Time{}, false }

// A cancelled ctx stops a load of a huge config where it is: the load
// returns context.Canceled having done a small part of the work of a
// full load.
func TestLoadStopsWhenCancelled(t *testing.T) {
	data := bigConfig(20000, false)
	full := newCountdownCtx(-1) // never cancelled: counts the looks
	var err error
	aFull := allocated(func() { _, err = ParseContext(full, "big.toml", data) })
	if err != nil {
		t.Fatal(err)
	}
	if full.looked < 10 {
		t.Fatalf("a full load looked at ctx %d times: it cannot stop in between", full.looked)
	}
	for _, at := range []int{1, 2, full.looked / 3, full.looked / 2} {
		ctx := newCountdownCtx(at)
		var cfg *Config
		a := allocated(func() { cfg, err = ParseContext(ctx, "big.toml", data) })
		if !errors.Is(err, context.Canceled) || cfg != nil {
			t.Fatalf("cancelled at look %d: cfg %v, err %v; want context.Canceled", at, cfg != nil, err)
		}
		if ctx.looked > at+4 { // a few more on the way out
			t.Errorf("cancelled at look %d, the loader went on looking (%d looks)", at, ctx.looked)
		}
		t.Logf("cancelled at look %d of %d: %d KB of a full load's %d KB", at, full.looked, a>>10, aFull>>10)
		if at <= 2 && a > aFull/4 {
			t.Errorf("cancelled at look %d: %d bytes allocated, a full load %d", at, a, aFull)
		}
		if a >= aFull {
			t.Errorf("cancelled at look %d: %d bytes allocated, no less than a full load (%d)", at, a, aFull)
		}
	}
}

// Errors go-toml's decoder found one decode of the whole file at a time
// (duplicate keys in tables the schema does not have, type errors the
// index did not foresee) are found in the one pass now: twenty assets with
// an unknown table holding a duplicate key give forty errors, all listed
// and placed.
func TestLoadFindsEveryErrorInOnePass(t *testing.T) {
	var b strings.Builder
	for i := range 20 {
		fmt.Fprintf(&b, "[[asset]]\nname = \"a%d\"\nbogus = 1\nbogus = 2\n[asset.check]\n", i)
	}
	_, err := Parse("d.toml", []byte(b.String()))
	var errs ConfigErrors
	if !errors.As(err, &errs) {
		t.Fatalf("want ConfigErrors; got %v", err)
	}
	var dups, unknown, wrong int
	for _, e := range errs {
		switch {
		case errors.Is(e, ErrSyntax) && strings.Contains(e.Msg, "bogus is already defined"):
			if e.Line%5 != 4 || e.Col != 1 { // the 4th line of each asset
				t.Errorf("duplicate reported at %d:%d: %v", e.Line, e.Col, e)
			}
			dups++
		case errors.Is(e, ErrUnknownKey):
			unknown++
		case errors.Is(e, ErrWrongType) && strings.Contains(e.Msg, "check: wrong type: got table"):
			wrong++
		}
	}
	if dups != 20 || unknown != 20 || wrong != 20 || len(errs) != 60 {
		t.Errorf("%d duplicates, %d unknown keys, %d wrong types (%d in all), want 20 each:\n%v", dups, unknown, wrong, len(errs), err)
	}
}
