package ui

import "noctop/model"

// What the command line shares with the dashboard, so `noctop check`
// escapes and colours text exactly as the screen does.

// Clean makes text safe to print in a terminal: control characters, bad
// UTF-8 and line separators are shown escaped (\x1b), never interpreted.
func Clean(s string) string { return clean(s) }

// StatusPainter returns a function that colours text in a status's colour of
// the dashboard palette (for a dark or light background). The caller's
// writer decides whether colours reach the terminal (NO_COLOR, pipes).
func StatusPainter(dark bool) func(model.Status, string) string {
	s := newStyles(dark, false)
	return func(st model.Status, text string) string { return s.st(st).paint(text) }
}
