package ui

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"unicode"

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
		"admin\u202e1nimda\u200b\u2066hidden\u2069\ufeff",
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
			if i := strings.IndexFunc(plain, func(r rune) bool { return unicode.Is(unicode.Cf, r) }); i >= 0 {
				t.Fatalf("%dx%d %v: format character %U reached the terminal", sz.w, sz.h, keys, []rune(plain[i:])[0])
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
	for _, want := range []string{`evil\x1b[31mred\x1b[0m\nnext\tline\r`, `admin\u202e1nimda\u200b`, "数据中心核心交换机一号", "🔥🔥 fire", `\xff\xfe`, "long-label-long-label-"} {
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
		// Bidi overrides, isolates and marks reorder what follows them;
		// zero-width characters hide inside a name: all format (Cf).
		"evil\u202egnp.exe":               `evil\u202egnp.exe`,
		"\u202a\u202b\u202c\u202d":        `\u202a\u202b\u202c\u202d`,
		"\u2066x\u2067y\u2068z\u2069":     `\u2066x\u2067y\u2068z\u2069`,
		"l\u200er\u200fa\u061c":           `l\u200er\u200fa\u061c`,
		"core\u200b-sw1":                  `core\u200b-sw1`,
		"zw\u200cnj\u200dj\u2060w\ufeffb": `zw\u200cnj\u200dj\u2060w\ufeffb`,
		"soft\u00adhyphen\U000e0041tag":   `soft\u00adhyphen\U000e0041tag`,
		"ok: é 数据 ✓ 🔥 \ufe0f":             "ok: é 数据 ✓ 🔥 \ufe0f", // a variation selector is not a format character
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
	for v, want := range map[float64]string{9.97: "10", 9.94: "9.9", 0.5: "0.5", 0: "0", 123.4: "123", -3.21: "-3.2"} {
		if got := num(v); got != want {
			t.Errorf("num(%v) = %q, want %q", v, got, want)
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
		got := layoutColumns(cols, c.total, nil)
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

func TestLayoutFitColumns(t *testing.T) {
	cols := []column{
		{title: "STATUS", w: 6},
		{title: "NAME", fit: true, min: 4, max: 12},
		{title: "RULE", w: 6, drop: 1},
		{title: "REASON", flex: true, min: 5, max: 20},
		{title: "X", w: 3, drop: 2},
	}
	for _, c := range []struct {
		total   int
		content []int
		want    []int
	}{
		{60, []int{0, 8, 0, 30}, []int{6, 8, 6, 33, 3}},   // name at its content; the reason takes the rest
		{60, []int{0, 90, 0, 30}, []int{6, 12, 6, 29, 3}}, // a long name is bounded
		{60, []int{0, 1, 0, 30}, []int{6, 4, 6, 37, 3}},   // never below its title
		{44, []int{0, 8, 0, 30}, []int{6, 8, 6, 21, 0}},   // X goes before the reason is cut below its content (max 20)
		{37, []int{0, 8, 0, 30}, []int{6, 8, 0, 21, 0}},   // then RULE
		{30, []int{0, 8, 0, 3}, []int{6, 8, 6, 7, 0}},     // a short reason needs only its min
	} {
		got := layoutColumns(cols, c.total, c.content)
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("total %d content %v: %v, want %v", c.total, c.content, got, c.want)
		}
	}
}

// columnWidth is the width of a column in a plain header line: from its
// title to the next title.
func columnWidth(t *testing.T, header, title, nextTitle string) int {
	t.Helper()
	i, j := strings.Index(header, title), strings.Index(header, nextTitle)
	if i < 0 || j < i {
		t.Fatalf("no %s..%s in %q", title, nextTitle, header)
	}
	return ansi.StringWidth(header[i:j]) - 1
}

func headerLine(t *testing.T, view, prefix string) string {
	t.Helper()
	for _, l := range strings.Split(view, "\n") {
		if i := strings.Index(l, prefix); i >= 0 {
			return l[i:]
		}
	}
	t.Fatalf("no line with %q:\n%s", prefix, view)
	return ""
}

// Columns are as wide as what they hold; the reasons get the rest.
func TestColumnsSizedByContent(t *testing.T) {
	// Wall mode at 160: the name column fits core-sw1 and this-host, not 90 cells.
	m := newTestRoot(t, labSnapshot(), 160, 48, func(o *Options) { o.Wall = true })
	if w := columnWidth(t, headerLine(t, plainView(m), "STATUS     NAME"), "NAME", "KIND"); w != len("this-host") {
		t.Errorf("wall NAME column %d cells, want %d", w, len("this-host"))
	}
	wantIn(t, m, "icmp: 3/3 lost") // the reason has the room
	// Side by side at 160: the functional pane's reasons are not cut to a dozen cells.
	m = newTestRoot(t, labSnapshot(), 160, 48)
	view := plainView(m)
	fn := headerLine(t, view, "STATUS     SERVICE")
	if w := ansi.StringWidth(fn[strings.Index(fn, "REASON"):]); w < 24 {
		t.Errorf("functional REASON column %d cells at 160", w)
	}
	if !strings.Contains(view, "erp UNREACHABLE, crm UNREACH") {
		t.Errorf("functional reason cut short:\n%s", view)
	}
	// The interface table: ALIAS fits the aliases, REASON takes the rest.
	m = newTestRoot(t, labSnapshot(), 200, 60)
	press(m, "enter")
	hdr := headerLine(t, plainView(m), "STATUS     IF")
	if w := columnWidth(t, hdr, "ALIAS", "ADMIN"); w != max(ansi.StringWidth("storage ✓ 存储"), len("uplink to gw1")) {
		t.Errorf("ALIAS column %d cells", w)
	}
	wantIn(t, m, "admin up, oper down")
}

// The key hints always show: a long note is cut first.
func TestHintsAlwaysShow(t *testing.T) {
	note := "demo: core-sw1 fails at 30 s and recovers at 75 s; the lab runs on 127.0.0.x, nothing leaves this machine"
	for _, sz := range sizes {
		for _, wall := range []bool{false, true} {
			m := newTestRoot(t, labSnapshot(), sz.w, sz.h, func(o *Options) { o.Notice = note; o.Wall = wall })
			lines := strings.Split(plainView(m), "\n")
			last := lines[len(lines)-1]
			if !strings.Contains(last, "? help") || !strings.Contains(last, "q quit") || !strings.Contains(last, "demo: core-sw1") {
				t.Errorf("%dx%d wall=%v: bottom line %q", sz.w, sz.h, wall, last)
			}
		}
	}
}

// Events are listed newest first by when they happened, not by when they
// arrived, with readable transitions.
func TestEventsInTimeOrder(t *testing.T) {
	m := newTestRoot(t, labSnapshot(), 160, 48)
	press(m, "enter")
	view := plainView(m)
	want := []string{
		"11-26 14:26:00 ✗ icmp CRITICAL soft 2/3 -> CRITICAL hard: 3/3 lost",
		"11-26 14:25:50 ✓ snmp reboot: sysUpTime went back",
		"11-26 14:25:30 ✗ icmp CRITICAL soft 1/3 -> CRITICAL soft 2/3: 3/3 lost",
		"11-26 14:25:00 ✗ icmp OK -> CRITICAL soft 1/3: 3/3 lost",
	}
	at := -1
	for _, w := range want {
		i := strings.Index(view, w)
		if i < 0 {
			t.Fatalf("no event %q:\n%s", w, view)
		}
		if i < at {
			t.Errorf("event %q out of order", w)
		}
		at = i
	}
	// Same time: the later sequence first.
	s := labSnapshot()
	s.Events[1].At = s.Events[2].At
	m = newTestRoot(t, s, 160, 48)
	press(m, "enter")
	view = plainView(m)
	if strings.Index(view, "soft 2/3 -> CRITICAL hard") > strings.Index(view, "soft 1/3 -> CRITICAL soft 2/3") {
		t.Error("equal times not ordered by sequence")
	}
}

// Every frame is exactly the terminal's size at widths around the layout's
// break points, on every screen, with hostile names and mid-outage states.
func TestFramesFitOddSizes(t *testing.T) {
	snaps := map[string]func() *model.Snapshot{"hostile": hostileSnapshot, "onset": onsetSnapshot, "switch": switchSnapshot}
	keys := [][]string{nil, {"2"}, {"3"}, {"enter"}, {"enter", "pgdown", "pgdown"}, {"enter", "enter"}, {"3", "enter"}, {"t"}, {"t", "pgdown"}, {"w"}, {"?"}}
	for name, snap := range snaps {
		for _, w := range []int{80, 81, 99, 119, 159, 160, 161, 239} {
			for _, h := range []int{24, 25, 31} {
				for _, k := range keys {
					m := newTestRoot(t, snap(), w, h, func(o *Options) { o.Notice = strings.Repeat("a long notice ", 12) })
					press(m, k...)
					out := m.Render()
					lines := strings.Split(out, "\n")
					if len(lines) != h {
						t.Fatalf("%s %dx%d %v: %d lines", name, w, h, k, len(lines))
					}
					for i, l := range lines {
						if got := width(l); got != w {
							t.Fatalf("%s %dx%d %v: line %d is %d cells: %q", name, w, h, k, i, got, ansi.Strip(l))
						}
					}
				}
			}
		}
	}
}

// A root cause with nothing behind it says so, not "0 assets behind it".
func TestRootCauseWithoutChildren(t *testing.T) {
	s := labSnapshot()
	core := s.Asset("core-sw1")
	if core == nil || core.Role != model.RoleRootCause {
		t.Fatal("the fixture's core-sw1 is not a root cause")
	}
	leaf := *core
	leaf.Children = nil
	s.Assets[slices.Index(s.Assets, core)] = &leaf
	for _, a := range s.Assets { // nothing is cut off behind it any more
		if a.RootCause == "core-sw1" {
			a.Status, a.Role, a.RootCause, a.RootCauses = model.StatusOK, model.RoleNone, "", nil
		}
	}
	m := newTestRoot(t, s, 160, 48)
	press(m, "enter")
	view := plainView(m)
	if !strings.Contains(view, "◆ root cause: its own problem: no asset behind it is cut off") || strings.Contains(view, "0 assets") {
		t.Errorf("root cause without children:\n%s", view)
	}
}
