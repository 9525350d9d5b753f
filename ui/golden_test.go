package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"noctop/model"
)

// sizes are the terminal sizes of the golden tests.
var sizes = []struct{ w, h int }{{80, 24}, {120, 40}, {160, 48}, {200, 60}}

// newTestRoot is a root at a fixed clock showing snap at w x h.
func newTestRoot(t testing.TB, snap *model.Snapshot, w, h int, opts ...func(*Options)) *Root {
	t.Helper()
	o := Options{ConfigName: "lab.toml", ICMPMode: "datagram", Version: "dev", Now: func() time.Time { return fixedNow }}
	for _, f := range opts {
		f(&o)
	}
	m := New(o)
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	if snap != nil {
		m.Update(snapMsg{snap})
	}
	return m
}

func press(m *Root, keys ...string) {
	for _, k := range keys {
		m.Update(keyMsg(k))
	}
}

// keyMsg builds the key press a terminal would send for a key name.
func keyMsg(k string) tea.KeyPressMsg {
	switch k {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "alt+esc": // Esc twice in quick succession, as terminals send it
		return tea.KeyPressMsg{Code: tea.KeyEscape, Mod: tea.ModAlt}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "pgup":
		return tea.KeyPressMsg{Code: tea.KeyPgUp}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	case "ctrl+u":
		return tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl}
	}
	r := []rune(k)
	if len(r) != 1 {
		panic("keyMsg: unknown key " + k)
	}
	return tea.KeyPressMsg{Code: r[0], Text: k}
}

func typeText(m *Root, s string) {
	for _, r := range s {
		m.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

func TestGolden(t *testing.T) {
	cases := []struct {
		name string
		snap func() *model.Snapshot // labSnapshot when nil
		opts []func(*Options)
		keys []string
		text string
		then []string // keys after text
	}{
		{name: "overview"},
		{name: "pane2", keys: []string{"2"}},
		{name: "pane3", keys: []string{"3"}},
		{name: "asset_snmp", keys: []string{"1", "enter"}},
		{name: "asset_profile", snap: profileSnapshot, keys: []string{"1", "enter"}},
		{name: "asset_host", keys: []string{"1", "down", "enter"}},
		{name: "check_history", keys: []string{"1", "enter", "enter"}},
		{name: "service_tree", keys: []string{"3", "enter"}},
		{name: "triage", keys: []string{"t"}},
		{name: "help", keys: []string{"?"}},
		{name: "wall", keys: []string{"w"}},
		{name: "filter", keys: []string{"/"}, text: "status:crit"},
		{name: "nocolor", opts: []func(*Options){func(o *Options) { o.NoColor = true }}},
		{name: "onset", snap: onsetSnapshot, keys: []string{"2"}},
		{name: "onset_triage", snap: onsetSnapshot, keys: []string{"t"}},
		{name: "onset_wall", snap: onsetSnapshot, keys: []string{"w"}},
		{name: "events", keys: []string{"e"}},
		{name: "check_nostore_span", keys: []string{"1", "enter", "enter", "]"}},
		{name: "asset_maintenance", keys: []string{"2", "/"}, text: "lab-dns", then: []string{"enter", "enter"}},
		{name: "asset_events", snap: switchSnapshot, keys: []string{"enter", "G", "pgdown", "pgdown", "pgdown", "pgdown", "pgdown", "pgdown", "pgdown"}},
	}
	for _, c := range cases {
		for _, sz := range sizes {
			t.Run(fmt.Sprintf("%s_%dx%d", c.name, sz.w, sz.h), func(t *testing.T) {
				snap := labSnapshot
				if c.snap != nil {
					snap = c.snap
				}
				m := newTestRoot(t, snap(), sz.w, sz.h, c.opts...)
				press(m, c.keys...)
				typeText(m, c.text)
				press(m, c.then...)
				out := m.Render()
				checkFrame(t, out, sz.w, sz.h)
				golden.RequireEqual(t, out)
			})
		}
	}
}

// checkFrame asserts the frame is exactly w x h cells.
func checkFrame(t *testing.T, out string, w, h int) {
	t.Helper()
	lines := strings.Split(out, "\n")
	if len(lines) != h {
		t.Fatalf("frame has %d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if got := width(l); got != w {
			t.Fatalf("line %d is %d cells wide, want %d: %q", i, got, w, l)
		}
	}
}
