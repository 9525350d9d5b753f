package ui

import (
	"context"
	"errors"
	"time"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"noctop/model"
)

// ackSym marks an acknowledged asset or check beside its status symbol
// ("✗⚑ CRIT"): a flag someone planted. A symbol, so it reads in NO_COLOR.
const ackSym = "⚑"

// ackTimeout bounds the engine call of a or A (the engine answers at once;
// a stopped one says so).
const ackTimeout = 5 * time.Second

// ackPrompt is the comment prompt a opens in the status line: Enter sends,
// Esc cancels, ctrl+s toggles sticky.
type ackPrompt struct {
	open   bool
	key    model.CheckKey // Check "": the asset
	sticky bool
	input  textinput.Model
}

// ackDoneMsg carries the engine's verdict on an ack or unack to Update.
type ackDoneMsg struct{ text string }

// subjectOf is "erp" or "erp/http".
func subjectOf(k model.CheckKey) string {
	if k.Check == "" {
		return k.Asset
	}
	return k.Asset + "/" + k.Check
}

// ackTarget is what a or A act on: the check the screen on top points at
// (asset and check screens, an event of a check), else its asset.
func (m *Root) ackTarget() (*model.AssetState, model.CheckKey, bool) {
	if m.snap == nil {
		return nil, model.CheckKey{}, false
	}
	asset, keys := m.top().Target(&m.env)
	switch {
	case asset == nil:
		return nil, model.CheckKey{}, false
	case len(keys) == 1:
		return asset, keys[0], true
	}
	return asset, model.CheckKey{Asset: asset.Name}, true
}

// openAck opens the comment prompt on the problem the screen points at;
// on no problem it says so in the status line.
func (m *Root) openAck() {
	if m.opts.Ack == nil {
		m.notice = clock(m.now) + " acknowledging needs the monitor's engine"
		return
	}
	asset, k, ok := m.ackTarget()
	if !ok {
		m.notice = clock(m.now) + " a: select an asset or a check with a problem"
		return
	}
	problem := asset.Role != model.RoleNone || asset.Status.IsProblem()
	status := asset.Status
	if k.Check != "" {
		c := asset.Check(k.Check)
		problem, status = c != nil && c.Status.IsProblem(), model.StatusPending
		if c != nil {
			status = c.Status
		}
	}
	if !problem {
		m.notice = clock(m.now) + " " + clean(subjectOf(k)) + " is " + status.String() + ": nothing to acknowledge"
		return
	}
	in := textinput.New()
	in.Prompt = ""
	in.Placeholder = "why, who is on it, a ticket"
	in.CharLimit = model.MaxAckComment
	in.SetStyles(textinput.Styles{})
	in.Focus()
	m.ack = ackPrompt{open: true, key: k, input: in}
}

// editAck handles a key while the prompt is open.
func (m *Root) editAck(msg tea.KeyPressMsg) tea.Cmd {
	switch msg.String() {
	case "esc", "ctrl+c":
		m.ack.open = false
		return nil
	case "ctrl+s":
		m.ack.sticky = !m.ack.sticky
		return nil
	case "enter":
		m.ack.open = false
		req := model.AckRequest{Key: m.ack.key, By: m.operator(), Comment: m.ack.input.Value(), Sticky: m.ack.sticky}
		ack := m.opts.Ack
		return func() tea.Msg {
			ctx, cancel := context.WithTimeout(context.Background(), ackTimeout)
			defer cancel()
			if err := ack(ctx, req); err != nil {
				return ackDoneMsg{"ack refused: " + err.Error()}
			}
			return ackDoneMsg{"acknowledged " + subjectOf(req.Key) + " as " + req.By}
		}
	}
	var cmd tea.Cmd
	m.ack.input, cmd = m.ack.input.Update(msg)
	return cmd
}

// unack removes the ack of what the screen points at: the check's, else
// its asset's; on an asset, its acked checks' too.
func (m *Root) unack() tea.Cmd {
	if m.opts.Unack == nil {
		return nil
	}
	asset, k, ok := m.ackTarget()
	if !ok {
		return nil
	}
	var keys []model.CheckKey
	switch c := asset.Check(k.Check); {
	case k.Check != "" && c != nil && c.Ack != nil:
		keys = append(keys, k)
	default:
		if asset.Ack != nil {
			keys = append(keys, model.CheckKey{Asset: asset.Name})
		}
		if k.Check == "" {
			for _, c := range asset.Checks {
				if c.Ack != nil {
					keys = append(keys, c.Key())
				}
			}
		}
	}
	if len(keys) == 0 {
		m.notice = clock(m.now) + " " + clean(subjectOf(k)) + ": nothing acknowledged"
		return nil
	}
	unack, by := m.opts.Unack, m.operator()
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), ackTimeout)
		defer cancel()
		var errs []error
		for _, k := range keys {
			errs = append(errs, unack(ctx, k, by))
		}
		if err := errors.Join(errs...); err != nil {
			return ackDoneMsg{"unack: " + err.Error()}
		}
		return ackDoneMsg{"acknowledgement of " + subjectOf(keys[0]) + " removed"}
	}
}

// operator is who acts: Options.Operator, else "someone".
func (m *Root) operator() string {
	if m.opts.Operator != "" {
		return m.opts.Operator
	}
	return "someone"
}

// ackLine is the status line while the prompt is open.
func (m *Root) ackLine() string {
	s := m.styles
	box := "[ ]"
	if m.ack.sticky {
		box = "[x]"
	}
	head := s.accent.paint(ackSym+" ack "+clean(subjectOf(m.ack.key))+":") + " "
	tail := s.muted.paint("  " + box + " sticky (ctrl+s) · Enter send · Esc cancel")
	m.ack.input.SetWidth(max(m.width-width(head)-width(tail)-1, 10))
	return fit(head+m.ack.input.View()+tail, m.width)
}

// ackText is the detail of an ack: "⚑ acknowledged by alice at 12:03
// (5 m ago), sticky: vendor ticket".
func ackText(e *env, a *model.Ack) string {
	s := e.styles
	t := "acknowledged by " + clean(a.By) + " at " + clock(a.At) + " (" + ago(e.now, a.At) + ")"
	if a.Sticky {
		t += ", sticky"
	}
	if a.Comment != "" {
		t += ": " + clean(a.Comment)
	}
	return s.accent.paint(ackSym+" ") + t
}

// acked reports whether a row's asset shows the ack mark: its problem is
// acknowledged, or a (sticky) ack sits on the asset.
func acked(a *model.AssetState) bool { return a.Acked || a.Ack != nil }

// ackMark is the mark a row shows beside its status symbol: ackSym or "".
func ackMark(on bool) string {
	if on {
		return ackSym
	}
	return ""
}

// ackLines are the asset screen's acks: the asset's, then each check's.
func ackLines(e *env, a *model.AssetState, w int) []string {
	var out []string
	if a.Ack != nil {
		out = append(out, cut(ackText(e, a.Ack), w))
	}
	for _, c := range a.Checks {
		if c.Ack != nil {
			out = append(out, cut(e.styles.muted.paint(clean(c.Name)+" ")+ackText(e, c.Ack), w))
		}
	}
	return out
}
