package ui

import "charm.land/bubbles/v2/key"

// keyMap is every key binding of the UI. The help overlay is generated
// from it, so a binding and its help text cannot drift apart.
type keyMap struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	NextPane, PrevPane, Pane1, Pane2, Pane3 key.Binding
	Enter, Back                             key.Binding
	Filter, Sort, Recheck, Pause            key.Binding
	Ack, Unack, Maintain, EndMaintain       key.Binding
	Wall, Triage, Help, Quit                key.Binding
	Events, SpanPrev, SpanNext              key.Binding
}

// newKeyMap is the key map; readOnly (an SSH viewer) marks the operator's
// keys as such in the help, remote (the estate view) the keys that need a
// poller's engine, and says where a and A go.
func newKeyMap(readOnly, remote bool) keyMap {
	b := func(keys []string, help, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	k := keyMap{
		Up:          b([]string{"up", "k"}, "↑/k", "move up"),
		Down:        b([]string{"down", "j"}, "↓/j", "move down"),
		PageUp:      b([]string{"pgup", "ctrl+b"}, "PgUp", "page up"),
		PageDown:    b([]string{"pgdown", "ctrl+f", "space"}, "PgDn", "page down"),
		Top:         b([]string{"g", "home"}, "g", "first row"),
		Bottom:      b([]string{"G", "end"}, "G", "last row"),
		NextPane:    b([]string{"tab"}, "Tab", "next pane"),
		PrevPane:    b([]string{"shift+tab"}, "Shift-Tab", "previous pane"),
		Pane1:       b([]string{"1"}, "1", "technical pane"),
		Pane2:       b([]string{"2"}, "2", "application pane"),
		Pane3:       b([]string{"3"}, "3", "functional pane"),
		Enter:       b([]string{"enter"}, "Enter", "open: asset, check, service, renewal"),
		Back:        b([]string{"esc", "backspace"}, "Esc", "back one level"),
		Filter:      b([]string{"/"}, "/", "filter: text status:crit tag:site:hq layer:app"),
		Sort:        b([]string{"s"}, "s", "cycle sort: status, name, since, kind"),
		Recheck:     b([]string{"r"}, "r", "recheck now (an asset: all its checks)"),
		Ack:         b([]string{"a"}, "a", "acknowledge a problem: comment, ctrl+s sticky"),
		Unack:       b([]string{"A"}, "A", "remove the acknowledgement"),
		Maintain:    b([]string{"m"}, "m", "maintenance window: duration, reason"),
		EndMaintain: b([]string{"M"}, "M", "end the asset's ad hoc window"),
		Pause:       b([]string{"p"}, "p", "freeze / resume the screen"),
		Wall:        b([]string{"w"}, "w", "wall mode: big counters, rotating panes"),
		Triage:      b([]string{"t"}, "t", "triage: root causes, what they take down"),
		Events:      b([]string{"e"}, "e", "events: every change, newest first"),
		SpanPrev:    b([]string{"["}, "[", "chart: shorter span (1 h 24 h 7 d 30 d)"),
		SpanNext:    b([]string{"]"}, "]", "chart: longer span"),
		Help:        b([]string{"?"}, "?", "this help"),
		Quit:        b([]string{"q", "ctrl+c"}, "q", "quit"),
	}
	if remote {
		for _, op := range []*key.Binding{&k.Recheck, &k.Maintain, &k.EndMaintain} {
			op.SetHelp(op.Help().Key, "on the site's noctop: "+op.Help().Desc)
		}
		k.Ack.SetHelp("a", "ack: an Alertmanager silence, 24 h")
		k.Unack.SetHelp("A", "expire the silence")
	}
	if readOnly {
		for _, op := range []*key.Binding{&k.Recheck, &k.Ack, &k.Unack, &k.Maintain, &k.EndMaintain} {
			op.SetHelp(op.Help().Key, "operator only: "+op.Help().Desc)
		}
	}
	return k
}

// groups orders the bindings for the help overlay.
func (k keyMap) groups() []struct {
	title string
	keys  []key.Binding
} {
	return []struct {
		title string
		keys  []key.Binding
	}{
		{"Move", []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}},
		{"Panes", []key.Binding{k.NextPane, k.PrevPane, k.Pane1, k.Pane2, k.Pane3}},
		{"Drill", []key.Binding{k.Enter, k.Back, k.Triage, k.Events, k.SpanPrev, k.SpanNext}},
		{"Act", []key.Binding{k.Filter, k.Sort, k.Recheck, k.Ack, k.Unack, k.Maintain, k.EndMaintain, k.Pause, k.Wall, k.Help, k.Quit}},
	}
}

// all lists every binding (for tests that press each one).
func (k keyMap) all() []key.Binding {
	var out []key.Binding
	for _, g := range k.groups() {
		out = append(out, g.keys...)
	}
	return out
}
