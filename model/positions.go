package model

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
)

// position is where one key or value sits in the source (1-based; columns
// count bytes, as go-toml's own errors do).
type position struct {
	Line, Col int
}

// posEntry is one key of the document under its resolved path, e.g.
// "asset.1.parents.0" for the first parent of the second [[asset]].
type posEntry struct {
	Path  string
	Parts []string // Path split at the dots
	// Val is where the value starts (the header key for tables); Key is
	// where the key starts (equal to Val for array elements).
	Val, Key position
	Kind     unstable.Kind
	// Expr is the index of the top-level expression holding the entry.
	Expr int
}

// exprSpan is the byte range [Start, End) of one top-level expression, from
// the start of its line to the start of the next expression's line. Blanking
// a span keeps every other position intact.
type exprSpan struct {
	Start, End int
	Header     bool // a [table] or [[array]] header
}

// positions maps resolved key paths to their places in the source. It is
// built with go-toml's unstable parser, which keeps byte ranges that the
// decoder's errors do not expose for semantic problems (unknown parent,
// duplicate name) found after decoding.
type positions struct {
	entries []posEntry
	byPath  map[string]int
	exprs   []exprSpan
	data    []byte
	lines   []int // offsets where lines start
}

func (ix *positions) pos(off int) position { return offsetPos(ix.lines, off) }

// buildPositions indexes data. A parse error is a syntax error; it comes
// back as the parser reports it (with a highlight inside data).
func buildPositions(data []byte) (*positions, error) {
	lines := lineStarts(data)
	ix := &positions{byPath: make(map[string]int, len(lines)), data: data, lines: lines,
		entries: make([]posEntry, 0, len(lines))} // about one key a line

	var p unstable.Parser
	p.Reset(data)
	arrays := map[string]int{} // array-of-tables path -> elements seen
	var table []string
	for p.NextExpression() {
		e := p.Expression()
		keys, keyOff := exprKey(e)
		start := lineStartOf(data, keyOff)
		if n := len(ix.exprs); n > 0 {
			ix.exprs[n-1].End = start
		}
		ix.exprs = append(ix.exprs, exprSpan{Start: start, End: len(data), Header: e.Kind != unstable.KeyValue})
		expr := len(ix.exprs) - 1
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			table = resolveHeader(arrays, keys, e.Kind == unstable.ArrayTable)
			kp := ix.pos(keyOff)
			ix.add(posEntry{Parts: table, Val: kp, Key: kp, Kind: e.Kind, Expr: expr})
		case unstable.KeyValue:
			ix.addKeyValue(table, e, expr)
		}
	}
	return ix, p.Error()
}

// resolveHeader turns a header key into a path with array indexes: in
// [[asset.check]] "asset" is the last [[asset]] seen, and the check index
// counts per asset.
func resolveHeader(arrays map[string]int, keys []string, isArray bool) []string {
	var cur []string
	for i, k := range keys {
		cur = append(cur, k)
		joined := strings.Join(cur, ".")
		if i == len(keys)-1 && isArray {
			n := arrays[joined]
			arrays[joined] = n + 1
			cur = append(cur, strconv.Itoa(n))
		} else if n, ok := arrays[joined]; ok {
			cur = append(cur, strconv.Itoa(n-1))
		}
	}
	return cur
}

// addKeyValue records a key-value (dotted keys record their intermediate
// tables too) and everything nested in its value.
func (ix *positions) addKeyValue(base []string, kv *unstable.Node, expr int) {
	keys, keyOff := exprKey(kv)
	kp := ix.pos(keyOff)
	path := append([]string(nil), base...)
	for i, k := range keys {
		path = append(path, k)
		if i < len(keys)-1 {
			ix.add(posEntry{Parts: path[:len(path):len(path)], Val: kp, Key: kp, Kind: unstable.InlineTable, Expr: expr})
		}
	}
	vp := kp
	if v := kv.Value(); v.Kind == unstable.Array {
		// The parser keeps no range for arrays: find the '[' after the '='.
		if off := ix.arrayStart(kv); off >= 0 {
			vp = ix.pos(off)
		}
	}
	ix.addValue(path, kv.Value(), kp, vp, expr)
}

// arrayStart returns the offset of the '[' opening a key-value's array
// value, or -1.
func (ix *positions) arrayStart(kv *unstable.Node) int {
	end := -1
	for it := kv.Key(); it.Next(); {
		r := it.Node().Raw
		end = int(r.Offset + r.Length)
	}
	if end < 0 {
		return -1
	}
	eq := bytes.IndexByte(ix.data[end:], '=')
	if eq < 0 {
		return -1
	}
	open := bytes.IndexByte(ix.data[end+eq:], '[')
	if open < 0 {
		return -1
	}
	return end + eq + open
}

// addValue records a value; keyPos is where its key (or array element)
// starts, at where the value starts as far as the caller knows.
func (ix *positions) addValue(path []string, v *unstable.Node, keyPos, at position, expr int) {
	vp := at
	if v.Kind != unstable.Array && v.Raw.Length > 0 {
		vp = ix.pos(int(v.Raw.Offset))
	}
	ix.add(posEntry{Parts: path[:len(path):len(path)], Val: vp, Key: keyPos, Kind: v.Kind, Expr: expr})
	switch v.Kind {
	case unstable.Array:
		i := 0
		for it := v.Children(); it.Next(); {
			c := it.Node()
			if c.Kind == unstable.Comment {
				continue
			}
			ep := vp
			if c.Kind != unstable.Array && c.Raw.Length > 0 {
				ep = ix.pos(int(c.Raw.Offset))
			}
			ix.addValue(append(path[:len(path):len(path)], strconv.Itoa(i)), c, ep, ep, expr)
			i++
		}
	case unstable.InlineTable:
		for it := v.Children(); it.Next(); {
			if c := it.Node(); c.Kind == unstable.KeyValue {
				ix.addKeyValue(path, c, expr)
			}
		}
	}
}

// add keeps the first entry of a path: a later duplicate is a TOML error
// the decoder reports itself.
func (ix *positions) add(e posEntry) {
	e.Path = strings.Join(e.Parts, ".")
	if _, ok := ix.byPath[e.Path]; ok {
		return
	}
	ix.byPath[e.Path] = len(ix.entries)
	ix.entries = append(ix.entries, e)
}

// get returns the entry of path, if the document has that key.
func (ix *positions) get(path string) (posEntry, bool) {
	i, ok := ix.byPath[path]
	if !ok {
		return posEntry{}, false
	}
	return ix.entries[i], true
}

// has reports whether the document spells out path.
func (ix *positions) has(path string) bool {
	_, ok := ix.byPath[path]
	return ok
}

// at returns the value position of path, or of its nearest ancestor present
// in the document (a missing key is reported where its table starts).
func (ix *positions) at(path string) position {
	for p := path; ; {
		if e, ok := ix.get(p); ok {
			return e.Val
		}
		i := strings.LastIndexByte(p, '.')
		if i < 0 {
			return position{Line: 1, Col: 1}
		}
		p = p[:i]
	}
}

// exprAt returns the index of the top-level expression covering offset.
func (ix *positions) exprAt(offset int) (int, bool) {
	for i, s := range ix.exprs {
		if offset >= s.Start && offset < s.End {
			return i, true
		}
	}
	return 0, false
}

// exprKey returns the parts of an expression's key and the offset of its
// first part.
func exprKey(e *unstable.Node) ([]string, int) {
	var keys []string
	off := -1
	for it := e.Key(); it.Next(); {
		k := it.Node()
		if off < 0 {
			off = int(k.Raw.Offset)
		}
		keys = append(keys, string(k.Data))
	}
	return keys, max(off, 0)
}

func lineStarts(data []byte) []int {
	starts := []int{0}
	for i, b := range data {
		if b == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

func offsetPos(starts []int, off int) position {
	lo, hi := 0, len(starts)-1
	for lo < hi { // last start <= off
		mid := (lo + hi + 1) / 2
		if starts[mid] <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return position{Line: lo + 1, Col: off - starts[lo] + 1}
}

// offsetOf converts a 1-based line and byte column back to an offset.
func offsetOf(data []byte, line, col int) int {
	starts := lineStarts(data)
	if line < 1 || line > len(starts) {
		return -1
	}
	return starts[line-1] + col - 1
}

func lineStartOf(data []byte, off int) int {
	for off > 0 && data[off-1] != '\n' {
		off--
	}
	return off
}
