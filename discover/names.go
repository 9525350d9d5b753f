package discover

import (
	"strconv"
	"strings"
	"unicode"
)

// maxName bounds an asset name taken from the network.
const maxName = 63

// name gives every host its asset name: sysName, else the name the hosts
// file has for its address, else the address; a name taken twice gets
// "-2", "-3", ... in address order.
func name(hosts []*Host) {
	taken := map[string]bool{}
	for _, h := range hosts {
		n := cleanName(h.SysName)
		if n == "" {
			n = cleanName(h.ReverseName)
		}
		if n == "" {
			n = h.Addr.String()
		}
		h.Name = Unique(n, func(s string) bool { return taken[s] })
		taken[h.Name] = true
	}
}

// Unique is n, or n-2, n-3, ... the first that taken refuses.
func Unique(n string, taken func(string) bool) string {
	if !taken(n) {
		return n
	}
	for i := 2; ; i++ {
		c := n + "-" + strconv.Itoa(i)
		if !taken(c) {
			return c
		}
	}
}

// cleanName makes a name from the network fit for a config: spaces and
// slashes become dashes, control and quoting characters go, and it is cut to maxName
// bytes on a rune boundary.
func cleanName(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r), r == '/': // "/" separates asset and check in keys
			return '-'
		case !unicode.IsPrint(r), r == '"', r == '\\', r == '\'':
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	for len(s) > maxName {
		_, size := lastRune(s)
		s = s[:len(s)-size]
	}
	return strings.Trim(s, "-")
}

func lastRune(s string) (rune, int) {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i]&0xC0 != 0x80 {
			return []rune(s[i:])[0], len(s) - i
		}
	}
	return 0, 1
}
