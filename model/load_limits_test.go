package model

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// minimalAssets writes n assets of one icmp check each, about 100 bytes an
// asset (100,000 of them are 10 MB, under MaxConfigBytes).
func minimalAssets(n int) []byte {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "[[asset]]\nname = \"h%d\"\naddress = \"127.1.%d.%d\"\n[[asset.check]]\ntype = \"icmp\"\n", i, i/250%250, i%250+1)
	}
	return []byte(b.String())
}

// oneLimitError wants err to be a limit error whose first listed error is
// at line:col with msg in it.
func oneLimitError(t *testing.T, err error, line, col int, msg string) {
	t.Helper()
	var errs ConfigErrors
	if !errors.Is(err, ErrTooLarge) || !errors.As(err, &errs) {
		t.Fatalf("want a ConfigErrors wrapping ErrTooLarge, got %v", err)
	}
	e := errs[len(errs)-1]
	if e.Line != line || e.Col != col || !strings.Contains(e.Msg, msg) {
		t.Errorf("error %v at %d:%d, want %d:%d containing %q", e, e.Line, e.Col, line, col, msg)
	}
}

// A config file over MaxConfigBytes (a 50 MB generated file) is refused
// before it is read, by Load and Validate alike, with the size and the
// limit.
func TestLoadRefusesAFileOverTheLimit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "huge.toml")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(52_400_000); err != nil { // sparse: no disk used
		t.Fatal(err)
	}
	f.Close()
	var errLoad, errValidate error
	a := allocated(func() {
		_, errLoad = Load(path)
		_, errValidate = Validate(context.Background(), path)
	})
	for _, err := range []error{errLoad, errValidate} {
		oneLimitError(t, err, 1, 1, "config is 52.4 MB; the limit is 16 MiB")
	}
	if a > 256<<10 {
		t.Errorf("refusing it allocated %d bytes: the file was read", a)
	}
	if _, err := Parse("huge.toml", make([]byte, MaxConfigBytes+1)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("Parse of %d bytes: %v", MaxConfigBytes+1, err)
	}
}

// A config of 100,000 assets (a generator gone wrong) is refused at the
// asset past MaxAssets, counted in the first pass: nothing of it is
// decoded, so refusing it costs a small part of what reading it would.
func TestLoadRefusesTooManyAssets(t *testing.T) {
	data := minimalAssets(100_000)
	var err error
	a := allocated(func() { _, err = Parse("many.toml", data) })
	// Asset i starts on line 5i+1; the 50,001st is i = 50,000.
	oneLimitError(t, err, 5*MaxAssets+1, 3, "more than 50,000 assets: the limit is 50,000")
	var many *TooManyErrors
	if errors.As(err, &many) && !many.Uncounted {
		t.Error("the load stopped at the limit but does not say more errors may follow")
	}
	if a > uint64(len(data))/8 {
		t.Errorf("refusing %d bytes allocated %d", len(data), a)
	}
	t.Logf("100,000 assets (%d KB): refused with %d KB allocated", len(data)>>10, a>>10)

	checks := []byte("[[asset]]\nname = \"a\"\n" + strings.Repeat("[[asset.check]]\n", MaxChecks+1))
	_, err = Parse("checks.toml", checks)
	oneLimitError(t, err, MaxChecks+3, 3, "more than 200,000 checks")

	inline := []byte("[[asset]]\nname = \"a\"\ntags = [" + strings.Repeat(`"t",`, MaxListLen+1) + "]\n")
	_, err = Parse("tags.toml", inline)
	oneLimitError(t, err, 3, 8, "tags: 50,001 elements; the limit is 50,000")
}

// Validate keeps no asset: after checking 20,000 assets it holds their
// names and where they are, but neither the assets nor their keys, so its
// memory does not grow with the config (Load holds them all).
func TestValidateHoldsNoAsset(t *testing.T) {
	data := minimalAssets(20_000)
	for _, keep := range []bool{false, true} {
		l := newLoader(context.Background(), "v.toml", data, keep)
		if err := l.run(); err != nil {
			t.Fatal(err)
		}
		if len(l.ix.nodes) > 16 {
			t.Errorf("keep=%v: %d keys still indexed after the load", keep, len(l.ix.nodes))
		}
		if keep && len(l.cfg.Assets) != 20_000 || !keep && cap(l.cfg.Assets) > 4 {
			t.Errorf("keep=%v: %d assets held (capacity %d)", keep, len(l.cfg.Assets), cap(l.cfg.Assets))
		}
		if l.sum.Assets != 20_000 || l.sum.Checks != 20_000 || len(l.v.refs) != 20_000 {
			t.Errorf("keep=%v: summary %+v, %d names kept", keep, l.sum, len(l.v.refs))
		}
	}
}

// One array of 8 million numbers (a 16 MiB file) made go-toml's parser
// allocate 900 MB before any limit could look at it; the expression is now
// counted first and refused where it starts.
func TestLoadRefusesAHugeValue(t *testing.T) {
	data := []byte("[[asset]]\nname = \"a\"\ntags = [" + strings.Repeat("1,", (MaxConfigBytes-40)/2) + "]\n")
	var err error
	a := allocated(func() { _, err = Parse("value.toml", data) })
	oneLimitError(t, err, 3, 1, "elements or more; the limit is 100,000")
	if a > 1<<20 {
		t.Errorf("refusing it allocated %d bytes", a)
	}
}

// The scan counts brackets and commas of arrays and inline tables only:
// not those in strings of any kind, comments, or a header's brackets
// alone, and it finds the largest expression.
func TestLargestExpression(t *testing.T) {
	for _, c := range []struct {
		src        string
		values, at int
	}{
		{"a = 1\n", 0, 0},
		{"a = [1, 2, 3]\n", 3, 0},
		{"a = 1\nb = [[1, 2], {x = 1, y = 2}]\n", 6, 6},
		{"a = \"[,,,]\" # [,,]\nb = [1]\n", 1, 19},
		{"a = '[,]'\nb = \"\\\"[,]\"\nc = []\n", 1, 22},
		{"a = \"\"\"x\n[,,] \\\"\"\" \"\"\"\nb = [1]\n", 1, 23},
		{"a = '''it's [,]''''\nb = [1]\n", 1, 20},
		{"a = [\n  1, # a, b, c\n  2,\n]\nb = [1]\n", 3, 0},
		{"[[asset]]\nname = \"x\"\n", 2, 0},
	} {
		if n, at := largestExpression([]byte(c.src)); n != c.values || at != c.at {
			t.Errorf("%q: %d values at %d, want %d at %d", c.src, n, at, c.values, c.at)
		}
	}
}
