package store

import (
	"encoding/binary"
	"math"
)

// Raw results keep their values as little-endian float32s, one per metric
// column of the check (NaN where the result lacked it), trailing NaNs cut.

func encodeValues(vals []float32) []byte {
	n := len(vals)
	for n > 0 && math.IsNaN(float64(vals[n-1])) {
		n--
	}
	if n == 0 {
		return nil
	}
	b := make([]byte, 4*n)
	for i, v := range vals[:n] {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(v))
	}
	return b
}

// value reads column j of an encoded result.
func value(b []byte, j int) (float64, bool) {
	if j < 0 || 4*j+4 > len(b) {
		return math.NaN(), false
	}
	v := float64(math.Float32frombits(binary.LittleEndian.Uint32(b[4*j:])))
	return v, !math.IsNaN(v)
}

// stat is one metric over a rollup bucket.
type stat struct {
	count         uint32
	min, max, avg float32
}

func (s *stat) add(v float32) { s.merge(stat{count: 1, min: v, max: v, avg: v}) }

func (s *stat) merge(o stat) {
	if o.count == 0 {
		return
	}
	if s.count == 0 {
		*s = o
		return
	}
	n := float64(s.count) + float64(o.count)
	s.avg = float32((float64(s.avg)*float64(s.count) + float64(o.avg)*float64(o.count)) / n)
	s.min = min(s.min, o.min)
	s.max = max(s.max, o.max)
	s.count += o.count
}

// statSize is one column of a rollup's vals: count, min, max, avg.
const statSize = 16

// bucketStats are the columns of one rollup row.
type bucketStats []stat

func (b bucketStats) encode() []byte {
	n := len(b)
	for n > 0 && b[n-1].count == 0 {
		n--
	}
	out := make([]byte, statSize*n)
	for i, s := range b[:n] {
		p := out[statSize*i:]
		binary.LittleEndian.PutUint32(p, s.count)
		binary.LittleEndian.PutUint32(p[4:], math.Float32bits(s.min))
		binary.LittleEndian.PutUint32(p[8:], math.Float32bits(s.max))
		binary.LittleEndian.PutUint32(p[12:], math.Float32bits(s.avg))
	}
	return out
}

func decodeStats(b []byte) bucketStats {
	out := make(bucketStats, len(b)/statSize)
	for i := range out {
		out[i] = statAt(b, i)
	}
	return out
}

func statAt(b []byte, j int) stat {
	if j < 0 || statSize*j+statSize > len(b) {
		return stat{}
	}
	p := b[statSize*j:]
	return stat{
		count: binary.LittleEndian.Uint32(p),
		min:   math.Float32frombits(binary.LittleEndian.Uint32(p[4:])),
		max:   math.Float32frombits(binary.LittleEndian.Uint32(p[8:])),
		avg:   math.Float32frombits(binary.LittleEndian.Uint32(p[12:])),
	}
}

// mergeInto merges o into b, growing b to o's width.
func (b bucketStats) mergeInto(o bucketStats) bucketStats {
	for len(b) < len(o) {
		b = append(b, stat{})
	}
	for i, s := range o {
		b[i].merge(s)
	}
	return b
}
