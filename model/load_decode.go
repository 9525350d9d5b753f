package model

import (
	"bytes"
	"reflect"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
)

// The loader decodes the parser's expressions straight into the Config,
// guided by the struct tags (fieldIndex): one walk records each key
// (keyIndex), checks TOML's rules and the schema's, and sets the value.
// A value of the wrong type, an unknown key or a key defined twice is
// reported where it is and left out, and the walk goes on, so every error
// comes from one pass over the file. go-toml's decoder stops at the first
// error, and its reflection cost as much as the rest of the load.

// tableRef is where the key-values after a header go.
type tableRef struct {
	node  int32         // -1: the header failed; its key-values are not read
	dst   reflect.Value // the struct or map they decode into
	typ   reflect.Type
	depth int // len(loader.path) at the table
}

var (
	configType  = reflect.TypeFor[Config]()
	assetsType  = reflect.TypeFor[[]Asset]()
	checksType  = reflect.TypeFor[[]Check]()
	checkType   = reflect.TypeFor[Check]()
	anyType     = reflect.TypeFor[any]()
	textUnmarsh = reflect.TypeFor[interface{ UnmarshalText([]byte) error }]()
)

// member finds the key raw of struct or map type t: canon is its schema
// name (the tag, so no copy is made) and ft its type. A key in another case
// than its tag is found too (go-toml decodes it) with folded set; the
// caller reports it.
func (l *loader) member(t reflect.Type, raw []byte) (canon string, ft field, known, folded bool) {
	if t.Kind() == reflect.Map {
		return string(raw), field{index: -1, typ: t.Elem()}, true, false
	}
	m := l.fields.fields(t)
	if f, ok := m[string(raw)]; ok {
		return f.name, f, true, false
	}
	for k, f := range m {
		if strings.EqualFold(k, string(raw)) {
			return f.name, f, true, true
		}
	}
	return "", field{}, false, false
}

// header opens the table of a [header] or [[header]]: it records the keys
// by TOML's rules, follows the schema, appends an element for [[...]] and
// makes the table the one key-values go to.
func (l *loader) header(e *unstable.Node, array bool) {
	l.table = tableRef{node: -1}
	l.path = l.path[:0]
	node, dst, t := int32(0), l.root, l.root.Type()
	at := keyOffset(e)
	it := e.Key()
	for more := it.Next(); more; {
		k := it.Node()
		more = it.Next()
		last := !more
		canon, f, known, folded := l.member(t, k.Data)
		name := canon
		if !known || folded {
			name = string(k.Data)
		}
		id, found := l.ix.find(node, name)
		if found {
			n := &l.ix.nodes[id]
			if n.opaque {
				return // below a key the schema lacks: reported there
			}
			if msg := redefinedByHeader(n, last, array); msg != "" {
				l.errs.addf(at, l.rawPath(), ErrSyntax, msg, Clip(name, MaxNetText))
				l.push(name, canon)
				l.addSkip()
				return
			}
			if last && !array {
				n.explicit = true
			}
		} else {
			kind := keyTable
			if last && array {
				kind = keyArrayTables
			}
			id = l.ix.add(node, name, keyNode{kind: kind, explicit: last && !array, key: int32(at), val: int32(at)})
			if !known {
				l.ix.nodes[id].opaque = true
				l.unknownKey(at, t, name, "table")
				return
			}
			if folded {
				l.reportCase(at, name, canon)
			}
		}
		l.push(name, canon)
		var ok bool
		if node, dst, t, ok = l.enterHeaderPart(id, dst, f, at, last && array); !ok {
			return
		}
		if folded {
			l.addSkip() // below [[Asset]]: the element it made, not every asset
		}
	}
	l.table = tableRef{node: node, dst: dst, typ: t, depth: len(l.path)}
}

// redefinedByHeader says why a header may not name n again, or "" when it
// may: go-toml's rules (a table is defined once; an array of tables takes
// more elements; values and dotted-key tables are closed to headers).
func redefinedByHeader(n *keyNode, last, array bool) string {
	switch {
	case !last:
		if n.kind == keyValue {
			return "key %s already exists as a value"
		}
	case array:
		if n.kind != keyArrayTables {
			return "key %s already exists, but should be an array of tables"
		}
	case n.kind == keyTable && n.explicit:
		return "table %s already exists"
	case n.kind == keyDotted:
		return "table %s already exists as defined by a dotted key"
	case n.kind == keyArrayTables:
		return "table %s already exists as an array of tables"
	case n.kind == keyValue:
		return "key %s should be a table, not a value"
	}
	return ""
}

// enterHeaderPart follows the field f of a header into dst: into the last
// element of an array of tables (a new one when appending), a struct or a
// map. It reports a header on a field that is not a table.
func (l *loader) enterHeaderPart(id int32, dst reflect.Value, f field, at int, appending bool) (int32, reflect.Value, reflect.Type, bool) {
	if dst.Kind() == reflect.Map {
		return l.enterMapEntry(id, dst, at)
	}
	f = tableField(dst.Type(), f)
	fv := dst.Field(f.index)
	ft := derefType(f.typ)
	n := &l.ix.nodes[id]
	got := unstable.Table
	if n.kind == keyArrayTables {
		got = unstable.ArrayTable
	}
	isTable := ft.Kind() == reflect.Struct && !isScalarType(ft)
	switch {
	case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct && got == unstable.ArrayTable:
		if appending {
			return l.appendElement(id, fv, at)
		}
		if n.last == 0 || fv.Len() == 0 {
			return 0, reflect.Value{}, nil, false // its header failed
		}
		l.push(l.ix.nodes[n.last].name, l.ix.nodes[n.last].name)
		return n.last, fv.Index(fv.Len() - 1), ft.Elem(), true
	case (isTable || ft.Kind() == reflect.Map) && got == unstable.Table:
		fv = settle(fv)
		return id, fv, ft, true
	}
	l.wrongType(at, got, f.typ)
	return 0, reflect.Value{}, nil, false
}

// appendElement adds a zero element to the slice fv for a [[header]] and
// records it under the array's node, named by its index (the asset's index
// in the whole file for [[asset]]).
func (l *loader) appendElement(id int32, fv reflect.Value, at int) (int32, reflect.Value, reflect.Type, bool) {
	base := 0
	switch fv.Type() {
	case assetsType:
		if !l.countAsset(at) {
			return 0, reflect.Value{}, nil, false
		}
		base = l.base
	case checksType:
		if !l.countCheck(at) {
			return 0, reflect.Value{}, nil, false
		}
	}
	fv.Set(reflect.Append(fv, reflect.Zero(fv.Type().Elem())))
	name := strconv.Itoa(base + fv.Len() - 1)
	el := l.ix.add(id, name, keyNode{kind: keyTable, explicit: true, key: int32(at), val: int32(at)})
	l.ix.nodes[id].last = el
	l.push(name, name)
	return el, fv.Index(fv.Len() - 1), fv.Type().Elem(), true
}

// settle returns the struct or map a field holds, allocating a nil pointer
// or map first.
func settle(fv reflect.Value) reflect.Value {
	if fv.Kind() == reflect.Pointer {
		if fv.IsNil() {
			fv.Set(reflect.New(fv.Type().Elem()))
		}
		fv = fv.Elem()
	}
	if fv.Kind() == reflect.Map && fv.IsNil() {
		fv.Set(reflect.MakeMap(fv.Type()))
	}
	return fv
}

// isScalarType reports the struct types that hold one TOML value.
func isScalarType(t reflect.Type) bool {
	return t == durationType || t == secretType || t == localDateType
}

// keyValue decodes `a.b.c = v` into the table (node, dst of type t): the
// dotted parts open tables (TOML's dotted-key tables), the last one takes
// the value.
func (l *loader) keyValue(node int32, kv *unstable.Node, dst reflect.Value, t reflect.Type) {
	depth := len(l.path)
	defer func() { l.path = l.path[:depth] }()
	at := keyOffset(kv)
	it := kv.Key()
	for more := it.Next(); more; {
		k := it.Node()
		more = it.Next()
		canon, f, known, folded := l.member(t, k.Data)
		name := canon
		if !known || folded {
			name = string(k.Data)
		}
		id, found := l.ix.find(node, name)
		if found {
			n := &l.ix.nodes[id]
			if !more || n.kind != keyDotted {
				l.errs.addf(at, l.rawPath(), ErrSyntax, "key %s is already defined", Clip(name, MaxNetText))
				l.push(name, canon)
				l.addSkip()
				return
			}
			if n.opaque {
				return
			}
		} else {
			kind := keyDotted
			if !more {
				kind = keyValue
			}
			id = l.ix.add(node, name, keyNode{kind: kind, key: int32(at), val: int32(at)})
			if !known {
				l.ix.nodes[id].opaque = true
				l.unknownKey(at, t, name, "key")
				return
			}
			if folded {
				l.caseMismatch(at, name, canon)
			}
		}
		l.push(name, canon)
		if !more {
			l.setMember(id, kv, dst, t, f)
			return
		}
		f = tableField(t, f)
		ft := derefType(f.typ)
		if t.Kind() == reflect.Map || ft.Kind() != reflect.Struct || isScalarType(ft) {
			l.ix.nodes[id].opaque = true
			l.wrongType(at, unstable.Table, f.typ)
			return
		}
		node, dst, t = id, settle(dst.Field(f.index)), ft
	}
}

// tableField redirects a check's version written as a table to its
// capture: one key, two shapes (snmp's protocol version is a string; an
// http check's capture is a table: config_version.go).
func tableField(t reflect.Type, f field) field {
	if t != checkType || f.name != "version" {
		return f
	}
	sf, _ := checkType.FieldByName("VersionCapture")
	return field{index: sf.Index[0], typ: sf.Type, name: f.name}
}

// setMember decodes the value of kv into field f of dst (or into the map
// dst under the key's name).
func (l *loader) setMember(id int32, kv *unstable.Node, dst reflect.Value, t reflect.Type, f field) {
	v := kv.Value()
	at := int(v.Raw.Offset)
	if v.Kind == unstable.Array {
		at = l.arrayStart(kv)
	}
	if v.Kind == unstable.InlineTable {
		f = tableField(t, f)
	}
	if t.Kind() != reflect.Map {
		l.value(id, v, at, dst.Field(f.index), f.typ)
		return
	}
	elem := reflect.New(t.Elem()).Elem()
	if l.value(id, v, at, elem, t.Elem()) {
		dst.SetMapIndex(reflect.ValueOf(l.path[len(l.path)-1].raw), elem)
	}
}

// arrayStart returns the offset of the '[' opening a key-value's array
// value: the parser keeps no range for arrays.
func (l *loader) arrayStart(kv *unstable.Node) int {
	end := -1
	for it := kv.Key(); it.Next(); {
		r := it.Node().Raw
		end = int(r.Offset + r.Length)
	}
	if end < 0 {
		return 0
	}
	eq := bytes.IndexByte(l.data[end:], '=')
	if eq < 0 {
		return end
	}
	open := bytes.IndexByte(l.data[end+eq:], '[')
	if open < 0 {
		return end + eq
	}
	return end + eq + open
}

// keyOffset returns the offset of the first part of an expression's key.
func keyOffset(e *unstable.Node) int {
	if it := e.Key(); it.Next() {
		return max(int(it.Node().Raw.Offset), 0)
	}
	return 0
}

// enterMapEntry follows a header into an entry of the map dst
// ([asset.check.thresholds.charge]): only maps of pointers to tables
// (map[string]*Limits) have entries a header can open.
func (l *loader) enterMapEntry(id int32, dst reflect.Value, at int) (int32, reflect.Value, reflect.Type, bool) {
	et := dst.Type().Elem()
	if et.Kind() != reflect.Pointer || et.Elem().Kind() != reflect.Struct || isScalarType(et.Elem()) ||
		l.ix.nodes[id].kind == keyArrayTables {
		l.ix.nodes[id].opaque = true
		l.wrongType(at, unstable.Table, et)
		return 0, reflect.Value{}, nil, false
	}
	key := reflect.ValueOf(l.path[len(l.path)-1].raw)
	v := dst.MapIndex(key)
	if !v.IsValid() || v.IsNil() {
		v = reflect.New(et.Elem())
		dst.SetMapIndex(key, v)
	}
	return id, v.Elem(), et.Elem(), true
}
