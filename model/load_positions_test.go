package model

import (
	"context"
	"fmt"
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
	ix, err := buildPositions(context.Background(), []byte(src), fieldIndex{})
	if err != nil {
		t.Fatal(err)
	}
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
		e, ok := ix.get(path)
		if got := fmt.Sprintf("%d:%d", e.Val.Line, e.Val.Col); !ok || got != want {
			t.Errorf("%s at %s (found %v), want %s", path, got, ok, want)
		}
	}
	// A missing key falls back to its nearest table.
	if p := ix.at("asset.1.check.0.url"); p != (position{8, 5}) {
		t.Errorf("at(missing) = %+v, want the [[asset.check]] header", p)
	}
	if p := ix.at("service.3.name"); p != (position{1, 1}) {
		t.Errorf("at(no such table) = %+v, want 1:1", p)
	}
}
