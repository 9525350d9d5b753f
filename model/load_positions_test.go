package model

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestPositionIndex(t *testing.T) {
	src := `[[asset]]
name = "a"

[[asset]]
name    = "b"
parents = ["a",
           "c"]
  [[asset.check]]
  type = "icmp"
  [[asset.check]]
  rtt.warn = "1s"
  loss = { warn = 1, crit = 2 }

[[asset]]
check = [{ type = "tcp" }, { type = "dns" }]

[asset.lifecycle]
eol = 2027-06-30
`
	l := indexKeys(src)
	for path, want := range map[string]string{
		"asset.0":                   "1:3",
		"asset.1.name":              "5:11",
		"asset.1.parents":           "6:11",
		"asset.1.parents.0":         "6:12",
		"asset.1.parents.1":         "7:12",
		"asset.1.check.0":           "8:5",
		"asset.1.check.0.type":      "9:10",
		"asset.1.check.1.rtt":       "11:3",
		"asset.1.check.1.rtt.warn":  "11:14",
		"asset.1.check.1.loss.crit": "12:29",
		"asset.2.check.1.type":      "15:37",
		"asset.2.lifecycle.eol":     "18:7",
	} {
		id, ok := l.ix.lookup(path)
		p := l.errs.pos(int(l.ix.nodes[id].val))
		if got := fmt.Sprintf("%d:%d", p.Line, p.Col); !ok || got != want {
			t.Errorf("%s at %s (found %v), want %s", path, got, ok, want)
		}
	}
	// A missing key falls back to its nearest table.
	if p := l.errs.pos(l.ix.at("asset.1.check.0.url")); p != (position{8, 5}) {
		t.Errorf("at(missing) = %+v, want the [[asset.check]] header", p)
	}
	if p := l.errs.pos(l.ix.at("service.3.name")); p != (position{1, 1}) {
		t.Errorf("at(no such table) = %+v, want 1:1", p)
	}
}

// indexKeys reads src keeping every key in the index (a load drops an
// asset's keys once the asset is validated); the load's errors are left
// aside.
func indexKeys(src string) *loader {
	l := newLoader(context.Background(), "t.toml", []byte(src), true)
	l.keepKeys = true
	_ = l.run()
	return l
}

// Offsets turn into the line and byte column of the file, past the blocks
// the line index counts in, on a line that spans blocks, and at the end.
func TestLineIndex(t *testing.T) {
	long := strings.Repeat("x", 3*lineBlock)
	data := []byte("a\nbc\n" + long + "\nend")
	li := newLineIndex(data)
	for _, c := range []struct {
		off  int
		want position
	}{
		{0, position{1, 1}},
		{2, position{2, 1}},
		{3, position{2, 2}},
		{5, position{3, 1}},
		{5 + 2*lineBlock, position{3, 2*lineBlock + 1}},
		{len(data) - 1, position{4, 3}},
		{len(data), position{4, 4}},
	} {
		if got := li.pos(c.off); got != c.want {
			t.Errorf("pos(%d) = %+v, want %+v", c.off, got, c.want)
		}
	}
}

// keyPath is the dotted path of a node of the key index.
func (l *loader) keyPath(id int32) string {
	var parts []string
	for ; id != 0; id = l.ix.nodes[id].parent {
		parts = append(parts, l.ix.nodes[id].name)
	}
	slices.Reverse(parts)
	return strings.Join(parts, ".")
}
