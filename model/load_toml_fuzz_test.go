package model

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
)

// The loader checks TOML's rules itself (a key or table defined twice, a
// dotted key through a value, a header on an inline table...) since it no
// longer runs go-toml's decoder. FuzzTOMLRules holds it to that decoder:
// a document go-toml rejects must not load, and one it reads must not be
// called a syntax error. (A document may still fail for the schema.)
func FuzzTOMLRules(f *testing.F) {
	files, err := filepath.Glob("testdata/config/*.toml")
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, doc := range tomlRuleCases() {
		f.Add([]byte(doc.src))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var generic map[string]any
		tomlErr := toml.Unmarshal(data, &generic)
		_, err := Parse("fuzz.toml", data)
		if tomlErr != nil && err == nil {
			t.Fatalf("go-toml rejects it (%v) but it loads:\n%s", tomlErr, data)
		}
		if tomlErr == nil && err != nil && errors.Is(err, ErrSyntax) {
			t.Fatalf("go-toml reads it but the loader says:\n%v\n%s", err, data)
		}
	})
}

type tomlRuleCase struct {
	src string
	bad bool // TOML forbids it
}

// tomlRuleCases are TOML's definition rules on the config's own tables.
func tomlRuleCases() []tomlRuleCase {
	return []tomlRuleCase{
		{"[defaults]\nretries = 1\n[defaults]\nretries = 2\n", true},
		{"[defaults]\nretries = 1\nretries = 2\n", true},
		{"defaults = { retries = 1 }\n[defaults]\ninterval = \"1m\"\n", true},
		{"defaults = { retries = 1 }\ndefaults.interval = \"1m\"\n", true},
		{"defaults.retries = 1\n[defaults]\ninterval = \"1m\"\n", true},
		{"defaults.retries = 1\ndefaults.interval = \"1m\"\n", false},
		{"[[asset]]\nname = \"a\"\ncheck = [{ type = \"host\" }]\n[[asset.check]]\ntype = \"host\"\n", true},
		{"[[asset]]\nname = \"a\"\n[asset]\nkind = \"x\"\n", true},
		{"[asset]\nname = \"a\"\n[[asset]]\nname = \"b\"\n", true},
		{"[[asset]]\nname = \"a\"\nlifecycle.owner = \"x\"\n[asset.lifecycle]\neol = 2027-01-01\n", true},
		{"[[asset]]\nname = \"a\"\n[asset.lifecycle]\nowner = \"x\"\n[asset.lifecycle]\neol = 2027-01-01\n", true},
		{"[[asset]]\nname = \"a\"\n[asset.lifecycle]\nowner = \"x\"\n[[asset]]\nname = \"b\"\n[asset.lifecycle]\nowner = \"y\"\n", false},
		{"[[asset]]\nname = \"a\"\nname.x = 1\n", true},
		{"[[asset]]\nname = \"a\"\n[[asset.check]]\ntype = \"icmp\"\nrtt = { warn = \"1s\" }\nrtt.crit = \"2s\"\n", true},
		{"[[asset]]\nname = \"a\"\n[[asset.check]]\ntype = \"icmp\"\nrtt.warn = \"1s\"\nrtt.crit = \"2s\"\n", false},
		{"[[asset]]\nname = \"a\"\n[[asset.check]]\ntype = \"icmp\"\n[asset.check.rtt]\nwarn = \"1s\"\n", false},
		{"[[service]]\nname = \"s\"\nneeds = [\"a\"]\n[[service]]\nname = \"s2\"\nneeds = [\"a\"]\nneeds = [\"b\"]\n", true},
		{"[traps]\nlisten = \"127.0.0.1:1162\"\n[[traps.user]]\nuser = \"u\"\n[traps.user]\nuser = \"v\"\n", true},
	}
}

// Each rule case loads or fails as TOML says, the bad ones with a TOML
// error on the line that breaks the rule.
func TestTOMLRules(t *testing.T) {
	for _, c := range tomlRuleCases() {
		var generic map[string]any
		if tomlErr := toml.Unmarshal([]byte(c.src), &generic); (tomlErr != nil) != c.bad {
			t.Errorf("go-toml on %q: %v, want bad=%v", c.src, tomlErr, c.bad)
		}
		_, err := Parse("r.toml", []byte(c.src))
		if got := err != nil && errors.Is(err, ErrSyntax); got != c.bad {
			t.Errorf("%q: loader's TOML error %v, want bad=%v", c.src, err, c.bad)
		}
		if c.bad {
			var errs ConfigErrors
			lines := strings.Split(c.src, "\n")
			if errors.As(err, &errs) && errs[0].Line > len(lines) {
				t.Errorf("%q: error at %d:%d, past the end", c.src, errs[0].Line, errs[0].Col)
			}
		}
	}
}

// largestExpression counts what go-toml's parser will build without
// parsing. For any document the parser reads, the count of the largest
// expression is at least the values the parser holds for it (or the bound
// MaxExprValues would not hold) and not far above (or a valid config could
// be refused).
func FuzzLargestExpression(f *testing.F) {
	files, _ := filepath.Glob("testdata/config/*.toml")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, doc := range []string{"a = \"\"\"x\n[,,] \\\"\"\" \"\"\"\nb = [1]\n", "a = '''it's [,]''''\n", "a = [\n 1, # a, b\n 2,\n]\n", "a = [[1, 2], {x = 1, y = [3]}]\n"} {
		f.Add([]byte(doc))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var p unstable.Parser
		p.Reset(data)
		most := 0
		for p.NextExpression() {
			e := p.Expression()
			if e.Kind == unstable.KeyValue {
				most = max(most, astValues(e.Value()))
			}
		}
		if p.Error() != nil {
			return
		}
		n, _ := largestExpression(data)
		if n < most || n > 3*most+2 {
			t.Fatalf("scan counts %d values, the parser holds %d:\n%q", n, most, data)
		}
	})
}

// astValues counts the arrays, inline tables and their elements below v.
func astValues(v *unstable.Node) int {
	if v.Kind != unstable.Array && v.Kind != unstable.InlineTable {
		return 0
	}
	n := 0
	for it := v.Children(); it.Next(); {
		c := it.Node()
		switch c.Kind {
		case unstable.Comment:
			continue
		case unstable.KeyValue:
			n += 1 + astValues(c.Value())
		default:
			n += 1 + astValues(c)
		}
	}
	return max(n, 1)
}
