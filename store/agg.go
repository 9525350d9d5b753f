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

// A rollup's vals hold one entry per metric column: a tag byte, then for
// tagConst the count (uvarint) and the one value every sample had (a
// count of packets sent, a loss of 0), for tagFull the count, min, max
// and avg (float32s). An absent column is the tag alone. Two samples a
// minute (a check every 30 s) make most columns' min and max differ, but
// the constant ones cost 6 bytes instead of 16.
const (
	tagNone  = 0
	tagConst = 1
	tagFull  = 2
)

// bucketStats are the columns of one rollup row.
type bucketStats []stat

func (b bucketStats) encode() []byte {
	n := len(b)
	for n > 0 && b[n-1].count == 0 {
		n--
	}
	out := make([]byte, 0, n*(2+12))
	for _, s := range b[:n] {
		switch {
		case s.count == 0:
			out = append(out, tagNone)
		case s.min == s.max:
			out = append(out, tagConst)
			out = binary.AppendUvarint(out, uint64(s.count))
			out = binary.LittleEndian.AppendUint32(out, math.Float32bits(s.min))
		default:
			out = append(out, tagFull)
			out = binary.AppendUvarint(out, uint64(s.count))
			out = binary.LittleEndian.AppendUint32(out, math.Float32bits(s.min))
			out = binary.LittleEndian.AppendUint32(out, math.Float32bits(s.max))
			out = binary.LittleEndian.AppendUint32(out, math.Float32bits(s.avg))
		}
	}
	return out
}

// decodeStats reads a rollup's vals; a damaged tail reads as absent
// columns.
func decodeStats(b []byte) bucketStats {
	var out bucketStats
	for len(b) > 0 {
		s, rest, ok := nextStat(b)
		if !ok {
			break
		}
		out = append(out, s)
		b = rest
	}
	return out
}

// statAt reads column j of a rollup's vals.
func statAt(b []byte, j int) stat {
	for i := 0; len(b) > 0; i++ {
		s, rest, ok := nextStat(b)
		if !ok {
			break
		}
		if i == j {
			return s
		}
		b = rest
	}
	return stat{}
}

func nextStat(b []byte) (stat, []byte, bool) {
	tag, b := b[0], b[1:]
	if tag == tagNone {
		return stat{}, b, true
	}
	count, n := binary.Uvarint(b)
	if n <= 0 {
		return stat{}, nil, false
	}
	b = b[n:]
	f32 := func() float32 {
		v := math.Float32frombits(binary.LittleEndian.Uint32(b))
		b = b[4:]
		return v
	}
	switch {
	case tag == tagConst && len(b) >= 4:
		v := f32()
		return stat{count: uint32(count), min: v, max: v, avg: v}, b, true
	case tag == tagFull && len(b) >= 12:
		mn, mx, avg := f32(), f32(), f32()
		return stat{count: uint32(count), min: mn, max: mx, avg: avg}, b, true
	}
	return stat{}, nil, false
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
