package ui

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"noctop/model"
)

// A screen is one level of the navigation stack (k9s style: Enter pushes,
// Esc pops). It holds only its own state (what it shows, its cursor and
// scroll), so a snapshot, a resize or another screen never moves it; what
// every screen reads (the snapshot, its index, the styles, the clock, the
// terminal's size) comes in env. Root owns the stack and routes to the top.
type screen interface {
	// Update handles a navigation message (moveMsg, pageMsg, enterMsg,
	// clickMsg, paneMsg); it returns the screen to push, or nil.
	Update(msg tea.Msg, e *env) screen
	// View draws the screen into the body: at most h lines of w cells.
	View(e *env, w, h int) []string
	// Settle keeps the screen on what it showed after a new snapshot, size
	// or filter: its selected item is found again by name, its scroll
	// offset only clamped.
	Settle(e *env)
	// Crumb is the screen's part of the breadcrumb, which starts with
	// "Overview" (the bottom of every stack).
	Crumb() string
	// Target is what r rechecks: an asset (all its checks) or some checks.
	Target(e *env) (*model.AssetState, []model.CheckKey)
}

// Navigation messages, translated from keys and the mouse by Root so the
// key map stays in one place.
type (
	// moveMsg moves the cursor by rows (clamped).
	moveMsg struct{ by int }
	// pageMsg moves by a screen, down (1) or up (-1).
	pageMsg struct{ dir int }
	// enterMsg opens the selected item.
	enterMsg struct{}
	// clickMsg selects what is at a cell of the body (y counted from its
	// first row).
	clickMsg struct{ x, y int }
	// paneMsg cycles the overview's focused pane by step.
	paneMsg struct{ step int }
	// spanMsg steps the check screen's chart span.
	spanMsg struct{ step int }
)

// env is what every screen reads and none owns. Root keeps one and hands
// it to the screens, so each SSH viewer (one Root each) has its own.
type env struct {
	snap   *model.Snapshot // drawn; nil until the first one
	index  *snapshotIndex  // snap's rows, sorted and filtered
	styles *styles
	plain  *styles // no styling: cells of a selected row
	now    time.Time
	width  int
	height int
	filter filter
	// archive is the store's read side (Options.Archive), nil without one.
	// Screens call it only inside the Cmds their load method returns.
	archive model.Archive
	// lastReq numbers archive requests, so an answer reaches only the
	// screen that is still waiting for it.
	lastReq uint64
}

// newReq is a fresh request number.
func (e *env) newReq() uint64 {
	e.lastReq++
	return e.lastReq
}

// hasBanner reports whether the banner line shows (see Root.banner).
func (e *env) hasBanner() bool {
	return e.snap != nil && (!e.snap.Tally.Quiet() || len(e.snap.ConfigErrors) > 0)
}

// bodyHeight is the number of rows below the header, banner and nav line
// and above the status line.
func (e *env) bodyHeight() int {
	h := e.height - 3
	if e.hasBanner() {
		h--
	}
	return max(h, 0)
}

// clampInt is v within [lo, hi]; lo when the range is empty.
func clampInt(v, lo, hi int) int {
	if hi < lo {
		return lo
	}
	return min(max(v, lo), hi)
}

// followDoc is the scroll offset that keeps the line range [from, to) of a
// document n lines long in a view h lines high; the first item brings the
// lines above it along.
func followDoc(offset, from, to, n, h int, first bool) int {
	if to > from {
		if from < offset {
			offset = from
		}
		if to > offset+h {
			offset = to - h
		}
		if first && to <= h {
			offset = 0
		}
	}
	return clampInt(offset, 0, max(n-h, 0))
}
