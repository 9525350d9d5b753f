package model

import "slices"

// packedResults keeps the one-shot state's last result of each check as
// values only: results of one kind share their metric and attr names, so
// the names are kept once per distinct set (a shape) and each check holds
// its values in that order, in one array for all checks. At 10,000 ICMP
// checks the maps were 590 bytes a check (a small Go map is one 8-slot
// group however few keys); a slice of values per check ~150; in one array
// ~90. The maps are built again when a state is read (checkState).
type packedResults struct {
	shapes [][]string       // distinct sorted key lists
	byKeys map[string]int32 // keys joined by NUL -> index into shapes
	rows   []packedRow      // by check index
	mvals  []float64        // every check's metric values, rows[ci].moff on
	avals  []string         // every check's attr values, rows[ci].aoff on
	keys   []string         // scratch
	joined []byte           // scratch
}

// packedRow is where one check's values are: a shape (index into shapes +
// 1; 0 for a nil map) and the offset of its values.
type packedRow struct {
	metrics, attrs int32
	moff, aoff     int32
}

func newPackedResults(checks int) *packedResults {
	return &packedResults{byKeys: map[string]int32{}, rows: make([]packedRow, checks)}
}

// put keeps check ci's metrics and attrs. A check's second result (a
// one-shot run has one, but nothing forbids more) overwrites its values
// when the shape is the same, else is appended.
func (p *packedResults) put(ci int, metrics map[string]float64, attrs map[string]string) {
	row := &p.rows[ci]
	row.metrics, row.moff, p.mvals = packMap(p, metrics, row.metrics, row.moff, p.mvals)
	row.attrs, row.aoff, p.avals = packMap(p, attrs, row.attrs, row.aoff, p.avals)
}

// maps builds check ci's metrics and attrs again.
func (p *packedResults) maps(ci int) (map[string]float64, map[string]string) {
	row := &p.rows[ci]
	return unpackMap(p, row.metrics, p.mvals[row.moff:]), unpackMap(p, row.attrs, p.avals[row.aoff:])
}

// packMap returns m's shape (0 for nil) and where its values are in vals,
// in the shape's order: at off when the check held values of that shape
// already (was), else appended.
func packMap[V any](p *packedResults, m map[string]V, was, off int32, vals []V) (int32, int32, []V) {
	if m == nil {
		return 0, 0, vals
	}
	p.keys = p.keys[:0]
	for k := range m {
		p.keys = append(p.keys, k)
	}
	slices.Sort(p.keys)
	p.joined = p.joined[:0]
	for _, k := range p.keys {
		p.joined = append(append(p.joined, k...), 0)
	}
	shape, ok := p.byKeys[string(p.joined)]
	if !ok {
		p.shapes = append(p.shapes, slices.Clone(p.keys))
		shape = int32(len(p.shapes))
		p.byKeys[string(p.joined)] = shape
	}
	if shape != was {
		off = int32(len(vals))
		vals = slices.Grow(vals, len(p.keys))[:len(vals)+len(p.keys)]
	}
	for i, k := range p.keys {
		vals[int(off)+i] = m[k]
	}
	return shape, off, vals
}

func unpackMap[V any](p *packedResults, shape int32, vals []V) map[string]V {
	if shape == 0 {
		return nil
	}
	keys := p.shapes[shape-1]
	m := make(map[string]V, len(keys))
	for i, k := range keys {
		m[k] = vals[i]
	}
	return m
}
