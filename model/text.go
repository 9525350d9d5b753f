package model

import (
	"strconv"
	"unicode/utf8"
)

// MaxNetText bounds text that came from the network (an SNMP string, an
// HTTP header or body, a DNS answer, a trap varbind, a user name) wherever
// it reaches a summary, an event or a log line. A hostile peer must not be
// able to make one event megabytes long.
const MaxNetText = 256

// Clip returns s cut to at most n bytes, on a rune boundary, followed by
// "… (N bytes)" with the original length, so a reader sees that text was
// cut and how much there was. s is returned as is when it fits.
func Clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	n = max(n, 0)
	cut := n
	// Step back to the start of a rune so the result stays valid UTF-8
	// wherever s was; at most utf8.UTFMax-1 bytes.
	for cut > 0 && cut > n-utf8.UTFMax && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "… (" + strconv.Itoa(len(s)) + " bytes)"
}
