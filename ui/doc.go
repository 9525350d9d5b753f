// Package ui is noctop's live terminal dashboard (Bubble Tea v2). Root is
// the only tea.Model, one per terminal: it reads model snapshots from a
// channel (latest wins), keeps the navigation stack and routes messages.
// Each screen (overview, asset, check, service, triage) is a plain struct
// holding only its own state (what it shows, its cursor and scroll) with
// Update and View; what they all read (the snapshot, its index, styles,
// clock, size) is Root's env. Help and wall mode are Root's overlays. Work
// that may block (asking the engine for a recheck, waiting for the next
// snapshot) runs in tea.Cmds; a Cmd never touches the model. Stored
// events and series come from model.Archive the same way: a screen that
// shows them (events, asset, check) says what it lacks (loader.load) and
// takes the numbered answer only while it still waits for it
// (archive_load.go).
//
// Per snapshot the UI precomputes sanitised rows and the sorted, filtered
// list of each pane (index.go), so a frame renders only the visible rows:
// 10,000 assets cost the same per frame as 10. What a metric is comes from
// its declaration (CheckState.Metric) and which one sums up a check from
// CheckState.Primary, never from a metric's name.
package ui
