package model

import (
	"container/heap"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// MaxConfigErrors bounds the errors one load lists. A generated config gone
// wrong can hold a hundred thousand; nobody reads past the first screen, and
// building each message costs time and memory. The rest are counted.
const MaxConfigErrors = 100

// ConfigError is one problem in a config file, with its position.
type ConfigError struct {
	File      string
	Line, Col int
	// Key is the dotted path of the key, e.g. "asset.1.check.0.rtt.warn".
	Key string
	Msg string
	// Err is the sentinel this error wraps (ErrUnknownKey, ...).
	Err error
}

func (e *ConfigError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
}

func (e *ConfigError) Unwrap() error { return e.Err }

// ConfigErrors is every problem found in one load, in file order.
type ConfigErrors []*ConfigError

func (es ConfigErrors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap lets errors.Is find any of the wrapped sentinels.
func (es ConfigErrors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// TooManyErrors is a load's error when the config holds more problems than
// MaxConfigErrors: the first ones in file order, and how many more there
// are. errors.As finds the listed ConfigErrors through it.
type TooManyErrors struct {
	Listed ConfigErrors
	// More counts the problems found beyond Listed.
	More int
	// Uncounted is set when the loader stopped looking: the config went
	// over a limit (MaxAssets, MaxChecks), so what follows was not read.
	Uncounted bool
}

func (e *TooManyErrors) Error() string { return e.Listed.Error() + "\n" + e.Summary() }

// Summary is the line that ends the listing: "… and 9,812 more errors".
func (e *TooManyErrors) Summary() string {
	if e.Uncounted {
		return "… and more errors not listed (fix these and load again)"
	}
	noun := "errors"
	if e.More == 1 {
		noun = "error"
	}
	return "… and " + groupThousands(e.More) + " more " + noun
}

func (e *TooManyErrors) Unwrap() error { return e.Listed }

// groupThousands writes n with commas: 9812 -> "9,812".
func groupThousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// errorSet keeps the first max errors in file order, whatever order they are
// found in, and counts the others without building their messages. Errors
// are placed by byte offset; only the kept ones are turned into line:col.
type errorSet struct {
	file  string
	max   int
	data  []byte
	lines *lineIndex // made when first needed
	kept  errorHeap  // the latest kept error on top
	seq   int        // ties at one offset keep the order they were found in
	more  int
	// uncounted: the loader stopped looking before the end (see
	// TooManyErrors.Uncounted).
	uncounted bool
}

func newErrorSet(file string, data []byte, limit int) *errorSet {
	return &errorSet{file: file, data: data, max: limit}
}

// pos turns an offset of the file into line:col.
func (s *errorSet) pos(off int) position {
	if s.lines == nil {
		s.lines = newLineIndex(s.data)
	}
	return s.lines.pos(off)
}

// line is the line of an offset, for messages ("first at line 12").
func (s *errorSet) line(off int) int { return s.pos(off).Line }

// add records an error at byte offset off; msg builds its message, called
// only when the error is kept.
func (s *errorSet) add(off int, key string, sentinel error, msg func() string) {
	s.seq++
	at := errorAt{off: off, seq: s.seq}
	if len(s.kept) >= s.max {
		if !at.before(s.kept[0].errorAt) {
			s.more++
			return
		}
		heap.Pop(&s.kept)
		s.more++
	}
	heap.Push(&s.kept, keptError{at, &ConfigError{File: s.file, Key: key, Msg: msg(), Err: sentinel}})
}

// addf is add with a format.
func (s *errorSet) addf(off int, key string, sentinel error, format string, args ...any) {
	s.add(off, key, sentinel, func() string { return fmt.Sprintf(format, args...) })
}

func (s *errorSet) len() int { return len(s.kept) + s.more }

// err returns nil, the kept errors in file order (ConfigErrors), or a
// *TooManyErrors when some were only counted.
func (s *errorSet) err() error {
	if len(s.kept) == 0 {
		return nil
	}
	sorted := slices.Clone(s.kept)
	slices.SortFunc(sorted, func(a, b keptError) int { return a.compare(b.errorAt) })
	list := make(ConfigErrors, len(sorted))
	for i, k := range sorted {
		p := s.pos(k.off)
		k.e.Line, k.e.Col = p.Line, p.Col
		list[i] = k.e
	}
	if s.more == 0 && !s.uncounted {
		return list
	}
	return &TooManyErrors{Listed: list, More: s.more, Uncounted: s.uncounted}
}

type errorAt struct{ off, seq int }

func (a errorAt) compare(b errorAt) int {
	if a.off != b.off {
		return a.off - b.off
	}
	return a.seq - b.seq
}

func (a errorAt) before(b errorAt) bool { return a.compare(b) < 0 }

type keptError struct {
	errorAt
	e *ConfigError
}

// errorHeap is a max-heap on position: its top is the error to drop when an
// earlier one comes.
type errorHeap []keptError

func (h errorHeap) Len() int           { return len(h) }
func (h errorHeap) Less(i, j int) bool { return h[j].before(h[i].errorAt) }
func (h errorHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *errorHeap) Push(x any)        { *h = append(*h, x.(keptError)) }
func (h *errorHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
