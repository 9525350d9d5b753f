package model

import (
	"bytes"
	"context"
	"reflect"
	"slices"
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
	// Dotted marks a table that a dotted key (rtt.warn = ...) opens.
	Dotted bool
	// Cut marks an entry whose key goes on below Parts: it left the
	// schema there (see buildPositions).
	Cut bool
}

// exprSpan is the byte range [Start, End) of one top-level expression, from
// the start of its line to the start of the next expression's line. Blanking
// a span keeps every other position intact.
type exprSpan struct {
	Start, End int
	Header     bool   // a [table] or [[array]] header
	Path       string // of its first entry, "" when it has none
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
	fields  fieldIndex
	// dups are entries that define a key already defined, which go-toml
	// rejects; found here, they are reported without a decode each.
	dups []posEntry
}

func (ix *positions) pos(off int) position { return offsetPos(ix.lines, off) }

// buildPositions indexes data. A parse error is a syntax error; it comes
// back as the parser reports it (with a highlight inside data); a cancelled
// ctx stops it with ctx's error.
//
// The index follows the Config schema: a key the schema does not have (an
// unknown key, or a key below a value that is not a table) is indexed, but
// nothing below it is. That is all the loader reports on, and it keeps the
// work linear in the file: a dotted key or header of 40,000 parts costs one
// entry, not 40,000 paths of up to 40,000 parts each.
func buildPositions(ctx context.Context, data []byte, fields fieldIndex) (*positions, error) {
	lines := lineStarts(data)
	ix := &positions{byPath: make(map[string]int, len(lines)), data: data, lines: lines,
		entries: make([]posEntry, 0, len(lines)), fields: fields} // about one key a line

	var p unstable.Parser
	p.Reset(data)
	arrays := map[string]int{} // array-of-tables path -> elements seen
	var table []string
	tableKnown := true // the current table is in the schema
	for n := 0; p.NextExpression(); n++ {
		if n%256 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		e := p.Expression()
		keyOff := keyOffset(e)
		start := lineStartOf(data, keyOff)
		if n := len(ix.exprs); n > 0 {
			ix.exprs[n-1].End = start
		}
		ix.exprs = append(ix.exprs, exprSpan{Start: start, End: len(data), Header: e.Kind != unstable.KeyValue})
		expr := len(ix.exprs) - 1
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			var cut bool
			table, cut = ix.resolveHeader(arrays, e.Key(), e.Kind == unstable.ArrayTable)
			kp := ix.pos(keyOff)
			tableKnown = ix.add(posEntry{Parts: table, Val: kp, Key: kp, Kind: e.Kind, Expr: expr, Cut: cut}) && !cut
		case unstable.KeyValue:
			if tableKnown {
				ix.addKeyValue(table, e, expr)
			}
		}
	}
	return ix, p.Error()
}

// resolveHeader turns a header key into a path with array indexes: in
// [[asset.check]] "asset" is the last [[asset]] seen, and the check index
// counts per asset. It stops after the first part the schema does not have;
// cut reports that parts were left out.
func (ix *positions) resolveHeader(arrays map[string]int, it unstable.Iterator, isArray bool) (path []string, cut bool) {
	var cur []string
	for more := it.Next(); more; {
		cur = append(cur, string(it.Node().Data))
		more = it.Next()
		t, known := ix.fields.typeAt(cur)
		if !known {
			return cur, more
		}
		joined := strings.Join(cur, ".")
		if !more && isArray {
			if t.Kind() != reflect.Slice {
				break // [[defaults]]: a type error on the header
			}
			n := arrays[joined]
			arrays[joined] = n + 1
			cur = append(cur, strconv.Itoa(n))
		} else if n, ok := arrays[joined]; ok {
			cur = append(cur, strconv.Itoa(n-1))
		}
	}
	return cur, false
}

// addKeyValue records a key-value (dotted keys record their intermediate
// tables too) and everything nested in its value, as far as the schema
// goes.
func (ix *positions) addKeyValue(base []string, kv *unstable.Node, expr int) {
	kp := ix.pos(keyOffset(kv))
	path := append([]string(nil), base...)
	it := kv.Key()
	for more := it.Next(); more; {
		path = append(path, string(it.Node().Data))
		if more = it.Next(); more {
			if !ix.add(posEntry{Parts: path[:len(path):len(path)], Val: kp, Key: kp, Kind: unstable.InlineTable, Expr: expr, Dotted: true}) {
				return // the key left the schema: the rest of it is not indexed
			}
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
	if !ix.add(posEntry{Parts: path[:len(path):len(path)], Val: vp, Key: keyPos, Kind: v.Kind, Expr: expr}) {
		return
	}
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

// add keeps the first entry of a path: a later duplicate is a TOML error,
// kept in dups when it is certain. It reports whether the entry is in the
// schema, so that what is below it is worth indexing.
func (ix *positions) add(e posEntry) bool {
	_, known := ix.fields.typeAt(e.Parts)
	e.Path = strings.Join(e.Parts, ".")
	if i, ok := ix.byPath[e.Path]; ok {
		if redefines(ix.entries[i], e) {
			ix.dups = append(ix.dups, e)
			return false // it goes: what it holds would only repeat the error
		}
		return known
	}
	ix.byPath[e.Path] = len(ix.entries)
	ix.entries = append(ix.entries, e)
	if x := &ix.exprs[e.Expr]; x.Path == "" {
		x.Path = e.Path
	}
	return known
}

// redefines reports whether e defines again what first defined, which TOML
// forbids: a value where a key already has a value or a table, a dotted key
// through a value, a [table] header twice. Arrays of tables and tables a
// dotted key extends are not redefinitions; entries cut short at the schema's
// edge may stand for different keys and are never compared.
func redefines(first, e posEntry) bool {
	if first.Cut || e.Cut || !slices.Equal(first.Parts, e.Parts) { // "a.b" = 1 is not a.b = 1
		return false
	}
	switch {
	case e.Kind == unstable.Table:
		return first.Kind == unstable.Table
	case e.Kind == unstable.ArrayTable:
		return false
	case e.Dotted:
		return !first.Dotted && first.Kind != unstable.Table && first.Kind != unstable.ArrayTable
	}
	return true
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
	i, _ := slices.BinarySearchFunc(ix.exprs, offset, func(s exprSpan, off int) int {
		switch {
		case off < s.Start:
			return 1
		case off >= s.End:
			return -1
		}
		return 0
	})
	if i < len(ix.exprs) && offset >= ix.exprs[i].Start && offset < ix.exprs[i].End {
		return i, true
	}
	return 0, false
}

// keyOffset returns the offset of the first part of an expression's key.
func keyOffset(e *unstable.Node) int {
	if it := e.Key(); it.Next() {
		return max(int(it.Node().Raw.Offset), 0)
	}
	return 0
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
func (ix *positions) offsetOf(line, col int) int {
	if line < 1 || line > len(ix.lines) {
		return -1
	}
	return ix.lines[line-1] + col - 1
}

func lineStartOf(data []byte, off int) int {
	for off > 0 && data[off-1] != '\n' {
		off--
	}
	return off
}
