package ui

import (
	"image/color"
	"math/rand/v2"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// The row lines kept between frames never show what a frame drawn from
// nothing would not: for random snapshots, clocks, key presses (moves,
// panes, sorts, filters, wall mode) and background colours, each frame
// equals the frame drawn again with the kept lines dropped.
func TestRowLinesMatchFreshFrames(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	keys := []string{"j", "j", "k", "G", "g", "pgdown", "tab", "shift+tab", "1", "2", "3", "s", "w"}
	colours := []color.Color{ansi.White, ansi.Black}
	estates := 60
	if testing.Short() || raceOn {
		estates = 10
	}
	for e := range estates {
		sz := []struct{ w, h int }{{80, 24}, {160, 48}, {200, 60}}[rng.IntN(3)]
		s := propEstate(rng)
		m := newTestRoot(t, s, sz.w, sz.h)
		for step := range 30 {
			switch rng.IntN(6) {
			case 0:
				m.now = m.now.Add(time.Duration(rng.IntN(120)) * time.Second)
			case 1:
				m.Update(tea.BackgroundColorMsg{Color: colours[rng.IntN(2)]})
			case 2:
				m.setFilter(propFilters[rng.IntN(len(propFilters))])
			default:
				press(m, keys[rng.IntN(len(keys))])
			}
			s = propNext(rng, s)
			m.Update(snapMsg{s})
			got := m.Render()
			m.overview().lines = [numPanes]rowLines{}
			if want := m.Render(); got != want {
				t.Fatalf("estate %d step %d (%dx%d): a kept row line differs from the fresh one\n got:\n%s\nwant:\n%s", e, step, sz.w, sz.h, ansi.Strip(got), ansi.Strip(want))
			}
		}
	}
}
