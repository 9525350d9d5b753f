// Package ui is noctop's live terminal dashboard (Bubble Tea v2). Root is
// the only tea.Model: it reads model snapshots from a channel (latest wins),
// keeps one navigation stack (overview -> asset -> check, service -> member
// tree, triage) and draws panes and screens that are plain functions of the
// snapshot, the terminal size and the navigation state. Work that may block
// (asking the engine for a recheck, waiting for the next snapshot) runs in
// tea.Cmds; a Cmd never touches the model.
//
// Per snapshot the UI precomputes sanitised rows and the sorted, filtered
// index of each pane (index.go), so a frame renders only the visible rows:
// 10,000 assets cost the same per frame as 10.
package ui
