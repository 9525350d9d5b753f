package model

import "strings"

// keyIndex records the keys of the document as the loader reads them: what
// each one is (TOML forbids defining a key twice, a [table] twice, a dotted
// key through a value...) and where its key and value start, so that an
// error found after decoding (an unknown parent, a duplicate name) lands on
// its key. The rules are go-toml's (its decoder's tracker), which the
// loader no longer runs.
//
// One node per key: a tree keyed by (parent, name), so a lookup never
// builds a path string and a dotted key of 40,000 parts costs 40,000 small
// nodes, not 40,000 paths. A table's keys are found by walking its list of
// children while it has few (a check has about ten), and through a map
// once it has more (a generated table of 100,000 keys). Keys below a key the schema does not have are
// not recorded (opaque): the unknown key is the error. The nodes of an
// asset are dropped once it is validated (dropFrom), so memory does not
// grow with the number of assets.
type keyIndex struct {
	nodes    []keyNode
	children map[childKey]int32
	// The validator looks up many keys of one table in a row
	// ("asset.12.check.0.type", then ".timeout"...): the table of the last
	// lookup is kept.
	lastTable   string
	lastTableID int32
}

type childKey struct {
	parent int32
	name   string
}

type keyKind uint8

const (
	keyTable       keyKind = iota // a table: made by a header's prefix until its own [header]
	keyDotted                     // a table made by dotted keys (a.b = 1 makes a)
	keyArrayTables                // [[a]]; its elements are children named by index
	keyValue                      // a value, arrays and inline tables included
)

type keyNode struct {
	parent      int32
	name        string
	kind        keyKind
	explicit    bool  // keyTable: defined by a [header] of its own
	opaque      bool  // outside the schema: nothing below it is recorded
	first, next int32 // children, the latest first (0: none)
	nchild      int32 // children; past listMax they are in keyIndex.children too
	last        int32 // keyArrayTables: its current element
	key, val    int32 // offsets where the key and the value start
}

func newKeyIndex() *keyIndex {
	return &keyIndex{nodes: []keyNode{{kind: keyTable, explicit: true}}, children: map[childKey]int32{}}
}

// listMax is the number of children a node's list holds before they go in
// the map as well.
const listMax = 16

// find returns the child of parent named name.
func (ix *keyIndex) find(parent int32, name string) (int32, bool) {
	p := &ix.nodes[parent]
	if p.nchild > listMax {
		id, ok := ix.children[childKey{parent, name}]
		return id, ok
	}
	for id := p.first; id != 0; id = ix.nodes[id].next {
		if ix.nodes[id].name == name {
			return id, true
		}
	}
	return 0, false
}

// add makes n a child of parent and returns its id.
func (ix *keyIndex) add(parent int32, name string, n keyNode) int32 {
	id := int32(len(ix.nodes))
	n.parent, n.name = parent, name
	ix.nodes = append(ix.nodes, n)
	ix.link(id)
	return id
}

// link puts node id at the head of its parent's children.
func (ix *keyIndex) link(id int32) {
	n := &ix.nodes[id]
	p := &ix.nodes[n.parent]
	n.next = p.first
	p.first = id
	p.nchild++
	switch {
	case p.nchild == listMax+1: // the list is long now: map every child
		for c := p.first; c != 0; c = ix.nodes[c].next {
			ix.children[childKey{n.parent, ix.nodes[c].name}] = c
		}
	case p.nchild > listMax+1:
		ix.children[childKey{n.parent, n.name}] = id
	}
}

// lookup finds the node of a dotted path ("asset.3.check.0.port").
func (ix *keyIndex) lookup(path string) (int32, bool) {
	table, key := "", path
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		table, key = path[:i], path[i+1:]
	}
	if table != "" && table == ix.lastTable {
		return ix.find(ix.lastTableID, key)
	}
	id, ok := ix.walk(table)
	if !ok {
		return 0, false
	}
	if table != "" {
		ix.lastTable, ix.lastTableID = table, id
	}
	return ix.find(id, key)
}

// walk follows a dotted path from the root.
func (ix *keyIndex) walk(path string) (int32, bool) {
	id := int32(0)
	for rest := path; rest != ""; {
		var part string
		part, rest, _ = strings.Cut(rest, ".")
		next, ok := ix.find(id, part)
		if !ok {
			return 0, false
		}
		id = next
	}
	return id, true
}

// has reports whether the document spells out path.
func (ix *keyIndex) has(path string) bool {
	_, ok := ix.lookup(path)
	return ok
}

// at returns where the value of path starts, or that of its nearest
// ancestor present in the document (a missing key is reported where its
// table starts; 0 when not even the table is there).
func (ix *keyIndex) at(path string) int {
	for p := path; p != ""; {
		if id, ok := ix.lookup(p); ok {
			return int(ix.nodes[id].val)
		}
		i := strings.LastIndexByte(p, '.')
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return 0
}

// keyAt returns where the key of path starts, or at(path) when the
// document does not have it.
func (ix *keyIndex) keyAt(path string) int {
	if id, ok := ix.lookup(path); ok {
		return int(ix.nodes[id].key)
	}
	return ix.at(path)
}

// dropFrom forgets the nodes from id start on, except top-level keys (the
// [[asset]] array itself must stay, or a later `asset = 1` would not be a
// redefinition). The loader calls it with the keys of one asset after
// start, once that asset is validated.
func (ix *keyIndex) dropFrom(start int32) {
	end := int32(len(ix.nodes))
	ix.lastTable = ""
	// Unlink the dropped nodes from their parents first, while every id
	// still names its node. Children lists run from the latest id down,
	// so the dropped ones are at their heads.
	for id := start; id < end; id++ {
		n := &ix.nodes[id]
		p := &ix.nodes[n.parent]
		if p.nchild > listMax {
			delete(ix.children, childKey{n.parent, n.name})
		}
		if n.parent < start {
			p.nchild--
			for p.first >= start {
				p.first = ix.nodes[p.first].next
			}
			if p.last >= start {
				p.last = 0
			}
		}
	}
	keep := start
	for id := start; id < end; id++ {
		if n := ix.nodes[id]; n.parent == 0 {
			n.first, n.last, n.nchild = 0, 0, 0
			ix.nodes[keep] = n
			ix.link(keep)
			keep++
		}
	}
	ix.nodes = ix.nodes[:keep]
}
