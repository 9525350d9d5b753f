package ui

import (
	"image/color"
	"strings"

	"charm.land/lipgloss/v2"

	"noctop/model"
)

// tone is a style reduced to the SGR sequences around a text, so the hot
// path of a frame (hundreds of cells) is two string concatenations instead
// of a lipgloss render each.
type tone struct{ on, off string }

// paint wraps s in the tone.
func (t tone) paint(s string) string {
	if t.on == "" || s == "" {
		return s
	}
	return t.on + s + t.off
}

// toneOf extracts the SGR prefix and suffix lipgloss writes around a text.
func toneOf(style lipgloss.Style) tone {
	const mark = "\u2063" // invisible separator: never produced by a style
	r := style.Render(mark)
	i := strings.Index(r, mark)
	if i < 0 {
		return tone{}
	}
	return tone{on: r[:i], off: r[i+len(mark):]}
}

// styles holds every semantic style of the UI. Nothing else in the package
// picks a colour. With noColor (NO_COLOR) only attributes remain (bold,
// reverse, faint), and the status symbols carry the meaning.
type styles struct {
	dark, noColor bool

	byStatus [8]tone // by model.Status

	muted, accent, title, bold tone
	header, banner, selected   tone
	tabOn, tabOff, crumb       tone
	barFill, barEmpty          tone
	warnText, critText, okText tone
}

// newStyles builds the styles for a dark or light terminal background.
func newStyles(dark, noColor bool) *styles {
	ld := lipgloss.LightDark(dark)
	c := func(light, darkc string) color.Color { return ld(lipgloss.Color(light), lipgloss.Color(darkc)) }
	fg := func(col color.Color) lipgloss.Style {
		if noColor {
			return lipgloss.NewStyle()
		}
		return lipgloss.NewStyle().Foreground(col)
	}
	var (
		green   = c("#1a7f37", "#3fb950")
		yellow  = c("#9a6700", "#d29922")
		red     = c("#cf222e", "#f85149")
		magenta = c("#8250df", "#bc8cff")
		orange  = c("#bc4c00", "#db6d28")
		blue    = c("#0969da", "#58a6ff")
		grey    = c("#6e7781", "#8b949e")
		cyan    = c("#1b7c83", "#39c5cf")
	)
	s := &styles{dark: dark, noColor: noColor}
	s.byStatus[model.StatusOK] = toneOf(fg(green))
	s.byStatus[model.StatusWarning] = toneOf(fg(yellow).Bold(true))
	s.byStatus[model.StatusCritical] = toneOf(fg(red).Bold(true))
	s.byStatus[model.StatusUnknown] = toneOf(fg(magenta).Bold(true))
	s.byStatus[model.StatusUnreachable] = toneOf(fg(orange))
	s.byStatus[model.StatusMaintenance] = toneOf(fg(blue))
	s.byStatus[model.StatusPending] = toneOf(fg(grey))
	s.muted = toneOf(fg(grey))
	s.accent = toneOf(fg(cyan))
	s.title = toneOf(fg(cyan).Bold(true))
	s.bold = toneOf(lipgloss.NewStyle().Bold(true))
	s.okText = s.byStatus[model.StatusOK]
	s.warnText = s.byStatus[model.StatusWarning]
	s.critText = s.byStatus[model.StatusCritical]
	s.crumb = toneOf(fg(grey))
	if noColor {
		s.muted = toneOf(lipgloss.NewStyle().Faint(true))
		s.crumb = tone{}
		s.header = toneOf(lipgloss.NewStyle().Bold(true))
		s.banner = toneOf(lipgloss.NewStyle().Reverse(true).Bold(true))
		s.selected = toneOf(lipgloss.NewStyle().Reverse(true))
		s.tabOn = toneOf(lipgloss.NewStyle().Reverse(true).Bold(true))
		s.tabOff = tone{}
		s.barFill = tone{}
		s.barEmpty = toneOf(lipgloss.NewStyle().Faint(true))
		return s
	}
	s.header = toneOf(lipgloss.NewStyle().Bold(true).Foreground(c("#24292f", "#e6edf3")).Background(c("#d0d7de", "#30363d")))
	s.banner = toneOf(lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("#ffffff")).Background(c("#cf222e", "#b62324")))
	s.selected = toneOf(lipgloss.NewStyle().Foreground(c("#ffffff", "#0d1117")).Background(c("#0969da", "#58a6ff")))
	s.tabOn = toneOf(lipgloss.NewStyle().Bold(true).Foreground(c("#ffffff", "#0d1117")).Background(cyan))
	s.tabOff = toneOf(fg(grey))
	s.barFill = toneOf(fg(cyan))
	s.barEmpty = toneOf(fg(c("#d0d7de", "#30363d")))
	return s
}

// status returns the tone of a status.
func (s *styles) status(x model.Status) tone {
	if int(x) >= len(s.byStatus) {
		return s.byStatus[model.StatusUnknown]
	}
	return s.byStatus[x]
}

// levelOf is the status of a value against warn and crit (bad when above
// them, or when below with above false).
func levelOf(v, warn, crit float64, above bool) model.Status {
	switch {
	case above && v >= crit, !above && v <= crit:
		return model.StatusCritical
	case above && v >= warn, !above && v <= warn:
		return model.StatusWarning
	}
	return model.StatusOK
}

// level is the tone of a value against warn and crit.
func (s *styles) level(v, warn, crit float64, above bool) tone {
	return s.status(levelOf(v, warn, crit, above))
}

// mark paints text in the level's tone with the matching status symbol in
// front (✗, ▲ or ✓), so the urgency reads without colour too. The symbol
// comes from the level itself: without colour the tones can be equal.
func (s *styles) mark(text string, v, warn, crit float64, above bool) string {
	level := levelOf(v, warn, crit, above)
	return s.status(level).paint(level.Symbol() + text)
}

// StatusPainter returns a function that colours text in a status's colour of
// the dashboard palette (for a dark or light background), so `noctop check`
// colours as the screen does. The caller's writer decides whether colours
// reach the terminal (NO_COLOR, pipes).
func StatusPainter(dark bool) func(model.Status, string) string {
	s := newStyles(dark, false)
	return func(status model.Status, text string) string { return s.status(status).paint(text) }
}
