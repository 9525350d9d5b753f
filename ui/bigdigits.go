package ui

import "strings"

// bigFont draws digits five rows high and three cells wide, readable from
// across a room.
var bigFont = [10][5]string{
	{"███", "█ █", "█ █", "█ █", "███"},
	{" █ ", "██ ", " █ ", " █ ", "███"},
	{"███", "  █", "███", "█  ", "███"},
	{"███", "  █", "███", "  █", "███"},
	{"█ █", "█ █", "███", "  █", "  █"},
	{"███", "█  ", "███", "  █", "███"},
	{"███", "█  ", "███", "█ █", "███"},
	{"███", "  █", "  █", "  █", "  █"},
	{"███", "█ █", "███", "█ █", "███"},
	{"███", "█ █", "███", "  █", "███"},
}

const bigRows = 5

// bigNumber renders n in the big font; its width is 4 cells per digit
// minus one.
func bigNumber(n int) [bigRows]string {
	digits := itoa(n)
	var rows [bigRows]string
	for r := range bigRows {
		var b strings.Builder
		for i, d := range digits {
			if i > 0 {
				b.WriteByte(' ')
			}
			if d >= '0' && d <= '9' {
				b.WriteString(bigFont[d-'0'][r])
			}
		}
		rows[r] = b.String()
	}
	return rows
}
