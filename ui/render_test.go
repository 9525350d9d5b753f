package ui

import (
	"math"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"noctop/model"
)

// hostileSnapshot has names no layout should trust.
func hostileSnapshot() *model.Snapshot {
	s := labSnapshot()
	names := []string{
		"evil\x1b[31mred\x1b[0m\nnext\tline\r",
		"🔥🔥 fire 👩‍👩‍👧 family",
		"数据中心核心交换机一号",
		strings.Repeat("long-label-", 18) + "end-of-200", // 208 characters
		"bad utf8 \xff\xfe here",
	}
	for i, n := range names {
		a := s.Assets[i]
		a.Name, a.Kind, a.Address = n, n, "127.0.0."+itoa(i)
		a.Reason = n
		for _, c := range a.Checks {
			c.Summary = n
		}
	}
	s.Services[0].Name = names[3]
	s.Services[0].Reason = names[0]
	return s
}

func TestHostileNames(t *testing.T) {
	for _, sz := range sizes {
		for _, keys := range [][]string{nil, {"enter"}, {"j", "enter"}, {"G", "enter"}, {"3", "enter"}, {"t"}, {"w"}, {"3"}, {"2"}} {
			m := newTestRoot(t, hostileSnapshot(), sz.w, sz.h)
			press(m, keys...)
			out := m.Render()
			checkFrame(t, out, sz.w, sz.h)
			plain := ansi.Strip(out)
			if strings.ContainsAny(plain, "\x1b\r\t") {
				t.Fatalf("%dx%d %v: a control character reached the terminal", sz.w, sz.h, keys)
			}
		}
	}
	// Columns stay aligned: the ADDRESS column starts at the same cell on
	// every row, whatever the name before it holds.
	m := newTestRoot(t, hostileSnapshot(), 120, 40)
	lines := strings.Split(ansi.Strip(m.Render()), "\n")
	col := -1
	for _, l := range lines {
		if i := strings.Index(l, "ADDRESS"); i >= 0 {
			col = ansi.StringWidth(l[:i])
			break
		}
	}
	if col < 0 {
		t.Fatal("no ADDRESS column at 120x40")
	}
	rows := 0
	for _, l := range lines {
		i := strings.Index(l, "127.0.0.")
		if i < 0 || strings.Contains(l, "ADDRESS") {
			continue
		}
		rows++
		if got := ansi.StringWidth(l[:i]); got != col {
			t.Errorf("address at cell %d, want %d: %q", got, col, l)
		}
	}
	if rows < 4 {
		t.Fatalf("only %d rows checked", rows)
	}
	v := plainView(m)
	press(m, "2")
	v += plainView(m)
	for _, want := range []string{`evil\x1b[31mred\x1b[0m\nnext\tline\r`, "数据中心核心交换机一号", "🔥🔥 fire", `\xff\xfe`, "long-label-long-label-"} {
		if !strings.Contains(v, ansi.Truncate(want, 20, "")) {
			t.Errorf("screen lacks %q", want)
		}
	}
}

func TestClean(t *testing.T) {
	cases := map[string]string{
		"plain":            "plain",
		"a\x1b[2Jb":        `a\x1b[2Jb`,
		"line\nbreak":      `line\nbreak`,
		"\x00\x7f":         `\x00\x7f`,
		"bad\xffbyte":      `bad\xffbyte`,
		"数据":               "数据",
		"sep\u2028x":       `sep\u2028x`,
		"c1 \u009b31m red": `c1 \u009b31m red`,
	}
	for in, want := range cases {
		if got := clean(in); got != want {
			t.Errorf("clean(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFit(t *testing.T) {
	for _, c := range []struct {
		in   string
		w    int
		want string
	}{
		{"abc", 5, "abc  "}, {"abcdef", 4, "abc…"}, {"数据中心", 5, "数据…"}, {"数据中心", 8, "数据中心"},
		{"🔥🔥🔥", 4, "🔥… "}, {"x", 0, ""},
	} {
		got := fit(c.in, c.w)
		if ansi.Strip(got) != c.want || width(got) != max(c.w, 0) {
			t.Errorf("fit(%q, %d) = %q (%d cells), want %q", c.in, c.w, got, width(got), c.want)
		}
	}
	if got := fitRight("ab", 4); got != "  ab" {
		t.Errorf("fitRight = %q", got)
	}
}

func TestLayoutColumns(t *testing.T) {
	cols := []column{{title: "A", w: 5}, {title: "N", flex: true, min: 4}, {title: "B", w: 6, drop: 2}, {title: "C", w: 3, drop: 1}}
	for _, c := range []struct {
		total int
		want  []int
	}{
		{30, []int{5, 13, 6, 3}}, // 5+6+3+3 gaps = 17, flex 13
		{21, []int{5, 4, 6, 3}},  // just fits
		{20, []int{5, 10, 0, 3}}, // B (highest drop) goes first
		{12, []int{5, 6, 0, 0}},  // then C
		{3, []int{5, 4, 0, 0}},   // never below the undroppable ones
	} {
		got := layoutColumns(cols, c.total)
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("total %d: %v, want %v", c.total, got, c.want)
				break
			}
		}
	}
}

func TestSparklineAndChart(t *testing.T) {
	if got := sparkline([]float64{0, 1, 2, 3, 4, 5, 6, 7}, 8); got != "▁▂▃▄▅▆▇█" {
		t.Errorf("ramp = %q", got)
	}
	if got := sparkline([]float64{1, math.NaN(), 1}, 5); got != "  █ █" {
		t.Errorf("gap and padding = %q", got)
	}
	if got := sparkline([]float64{9, 0, 9}, 2); got != "▁█" {
		t.Errorf("keeps the newest = %q", got)
	}
	lines := chart([]float64{0, 5, 10}, 20, 4, num)
	if len(lines) != 4 {
		t.Fatalf("%d lines", len(lines))
	}
	for _, l := range lines {
		if width(l) != 20 {
			t.Errorf("chart line %q is %d wide", l, width(l))
		}
	}
	if !strings.HasSuffix(lines[0], "  █") || !strings.HasSuffix(lines[3], " ██") || !strings.HasPrefix(lines[0], "10 ┤") {
		t.Errorf("chart:\n%s", strings.Join(lines, "\n"))
	}
	big := bigNumber(10)
	if big[0] != " █  ███" || big[4] != "███ ███" {
		t.Errorf("big 10: %q", big)
	}
}

func TestBannerText(t *testing.T) {
	ix := buildIndex(labSnapshot(), nil, filter{}, sortStatus)
	if got := bannerText(ix); !strings.HasPrefix(got, "1 root cause, 8 affected, 3 services down") {
		t.Errorf("banner %q", got)
	}
	s := labSnapshot()
	s.Assets = s.Assets[:1]
	s.Services = nil
	m := newTestRoot(t, s, 80, 24)
	if _, ok := m.banner(); ok {
		t.Error("banner shown with nothing wrong")
	}
}

// mark's symbol says the level whatever the colours: without them (NO_COLOR,
// the selected row) warn and crit tones are alike.
func TestMarkSymbolsWithoutColour(t *testing.T) {
	for _, s := range []*styles{newStyles(true, false), newStyles(true, true)} {
		for _, tc := range []struct {
			v    float64
			want string
		}{{200, "✓200"}, {404, "▲404"}, {503, "✗503"}} {
			if got := ansi.Strip(s.mark(itoa(int(tc.v)), tc.v, 400, 500, true)); got != tc.want {
				t.Errorf("noColor=%v: mark(%v) = %q, want %q", s.noColor, tc.v, got, tc.want)
			}
		}
		if got := ansi.Strip(s.mark("45d", 45, 60, 7, false)); got != "▲45d" {
			t.Errorf("noColor=%v: below-direction mark = %q, want ▲45d", s.noColor, got)
		}
	}
}
