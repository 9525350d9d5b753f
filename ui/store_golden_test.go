package ui

import (
	"fmt"
	"testing"

	"github.com/charmbracelet/x/exp/golden"
)

// TestGoldenStore draws the screens that read the store, over a real
// engine's month (runMonth) with its archive, at every size.
func TestGoldenStore(t *testing.T) {
	// toPortal opens the portal's https check: the filter leaves it alone
	// in the application pane.
	toPortal := []string{"/", "p", "o", "r", "t", "a", "l", "enter", "2", "enter", "enter"}
	cases := []struct {
		name string
		keys []string
	}{
		{"events", []string{"e"}},
		{"events_filter", []string{"e", "/", "s", "t", "a", "t", "u", "s", ":", "c", "r", "i", "t", "enter"}},
		{"events_older", []string{"e", "G", "G", "G"}},
		{"asset", []string{"1", "enter", "pgdown"}},
		{"check_1h", toPortal},
		{"check_24h", append(toPortal, "]")},
		{"check_30d", append(toPortal, "]", "]", "]")},
	}
	// One month for every case: the screens only read it.
	r := runMonth(t)
	for _, c := range cases {
		for _, sz := range sizes {
			t.Run(fmt.Sprintf("%s_%dx%d", c.name, sz.w, sz.h), func(t *testing.T) {
				m := newTestRoot(t, r.snap, sz.w, sz.h, withArchive(r.arch))
				pressLoad(m, c.keys...)
				out := m.Render()
				checkFrame(t, out, sz.w, sz.h)
				golden.RequireEqual(t, out)
			})
		}
	}
}
