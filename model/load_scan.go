package model

// largestExpression finds the top-level expression (a header, or a key and
// its value) holding the most values, counted as the commas and brackets
// of its arrays and inline tables, without building anything. go-toml's
// parser keeps a node of about 60 bytes for each value of the expression it
// reads: one array of 8 million numbers in a 16 MiB file took 900 MB, which
// MaxListLen, applied after parsing, could not prevent. The scan knows
// just enough TOML to tell brackets from text: strings (basic, literal,
// multi-line, with escapes) and comments. It returns the count and the
// offset where that expression starts.
func largestExpression(data []byte) (values, start int) {
	state, depth, n, exprStart := scanPlain, 0, 0, -1
	end := func() {
		if n > values {
			values, start = n, exprStart
		}
		n, exprStart = 0, -1
	}
	for i := 0; i < len(data); i++ {
		c := data[i]
		if state != scanPlain {
			i, state = scanText(data, i, state)
			if state == scanPlain && c == '\n' && depth == 0 {
				end() // a comment ended the line
			}
			continue
		}
		if exprStart < 0 && c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '#' {
			exprStart = i
		}
		switch c {
		case '#':
			state = scanComment
		case '"', '\'':
			state = scanBasic
			if c == '\'' {
				state = scanLiteral
			}
			if triple(data, i, c) {
				state, i = state+2, i+2 // scanMLBasic, scanMLLiteral
			}
		case '[', '{':
			depth++
			n++
		case ']', '}':
			depth = max(depth-1, 0)
		case ',':
			n++
		case '\n':
			if depth == 0 {
				end()
			}
		}
	}
	end()
	return values, max(start, 0)
}

// What largestExpression is in.
const (
	scanPlain = iota
	scanComment
	scanBasic
	scanLiteral
	scanMLBasic   // scanBasic + 2
	scanMLLiteral // scanLiteral + 2
)

// scanText reads byte i of a string or comment: it returns the index of
// the last byte read and the state after it.
func scanText(data []byte, i, state int) (int, int) {
	c := data[i]
	switch state {
	case scanComment:
		if c == '\n' {
			return i, scanPlain
		}
	case scanBasic:
		switch c {
		case '\\':
			return i + 1, state
		case '"', '\n':
			return i, scanPlain
		}
	case scanLiteral:
		if c == '\'' || c == '\n' {
			return i, scanPlain
		}
	case scanMLBasic:
		if c == '\\' {
			return i + 1, state
		}
		if c == '"' && triple(data, i, '"') {
			return closeTriple(data, i, '"'), scanPlain
		}
	case scanMLLiteral:
		if c == '\'' && triple(data, i, '\'') {
			return closeTriple(data, i, '\''), scanPlain
		}
	}
	return i, state
}

// triple reports whether data[i:] starts with three q.
func triple(data []byte, i int, q byte) bool {
	return i+2 < len(data) && data[i+1] == q && data[i+2] == q
}

// closeTriple returns the index of the last quote of a closing delimiter
// starting at i: TOML lets one or two quotes of the string's own precede
// it ("""a""""), so up to five quotes close.
func closeTriple(data []byte, i int, q byte) int {
	j := i + 3
	for j < len(data) && j < i+5 && data[j] == q {
		j++
	}
	return j - 1
}
