package main

import (
	"strings"
	"testing"
	"unicode"
)

// A name with a bidi override or a zero-width character is printed escaped
// in `check`'s table (it goes through ui.Clean, as on the dashboard), so it
// can neither reorder the row nor hide inside a look-alike name.
func TestCheckTableEscapesFormatCharacters(t *testing.T) {
	name := "db\u202egnp\u200b\u2066x\u2069"
	stdout, stderr, code := runBin(t, nil, "check", "-c", writeConfig(t, tcpAsset(name, listening(t))))
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	if i := strings.IndexFunc(stdout, func(r rune) bool { return unicode.Is(unicode.Cf, r) }); i >= 0 {
		t.Fatalf("format character %U reached the table:\n%q", []rune(stdout[i:])[0], stdout)
	}
	if !strings.Contains(stdout, `db\u202egnp\u200b\u2066x\u2069`) {
		t.Errorf("name not shown escaped:\n%s", stdout)
	}
}
