package model

import "bytes"

// position is where one key or value sits in the source (1-based; columns
// count bytes, as go-toml's own errors do).
type position struct {
	Line, Col int
}

// lineBlock is the stride of lineIndex: a lookup counts newlines in at
// most this many bytes.
const lineBlock = 64 << 10

// lineIndex turns byte offsets into line:col. The loader keeps offsets
// (4 bytes a key) and converts the few it prints; a table of every line
// start would cost 8 bytes a line, 128 MB for a file of newlines.
type lineIndex struct {
	data []byte
	// lines[b] counts the newlines before block b; lastNL[b] is the
	// offset of the last of them (-1 for none).
	lines, lastNL []int
}

func newLineIndex(data []byte) *lineIndex {
	n := len(data)/lineBlock + 1
	li := &lineIndex{data: data, lines: make([]int, n), lastNL: make([]int, n)}
	count, last := 0, -1
	for b := range n {
		li.lines[b], li.lastNL[b] = count, last
		block := data[b*lineBlock : min((b+1)*lineBlock, len(data))]
		count += bytes.Count(block, []byte{'\n'})
		if i := bytes.LastIndexByte(block, '\n'); i >= 0 {
			last = b*lineBlock + i
		}
	}
	return li
}

// pos converts an offset (clamped to the data) to a 1-based line and byte
// column.
func (li *lineIndex) pos(off int) position {
	off = max(0, min(off, len(li.data)))
	b := off / lineBlock
	line, lastNL := li.lines[b], li.lastNL[b]
	for i := b * lineBlock; ; {
		j := bytes.IndexByte(li.data[i:off], '\n')
		if j < 0 {
			break
		}
		line++
		lastNL = i + j
		i += j + 1
	}
	return position{Line: line + 1, Col: off - lastNL}
}
