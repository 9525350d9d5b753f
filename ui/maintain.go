package ui

import (
	"context"
	"strings"
	"time"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"noctop/model"
)

// maxMaintainFor bounds an ad hoc window opened from the TUI, as `noctop
// maintenance --for` does: longer planned work belongs in the config.
const maxMaintainFor = 7 * 24 * time.Hour

// maintPrompt is the prompt m opens in the status line: a duration, then
// the reason ("2h firmware upgrade"). Enter sends, Esc cancels.
type maintPrompt struct {
	open  bool
	asset string
	input textinput.Model
	err   string // why Enter was refused, shown in the prompt's line
}

// openMaintain opens the prompt on the asset the screen points at.
func (m *Root) openMaintain() {
	if m.opts.Maintain == nil {
		m.notice = clock(m.now) + " maintenance windows need the monitor's engine"
		return
	}
	asset, _, ok := m.ackTarget()
	if !ok {
		m.notice = clock(m.now) + " m: select an asset"
		return
	}
	in := textinput.New()
	in.Prompt = ""
	in.Placeholder = "duration and reason, e.g. 2h firmware upgrade"
	in.CharLimit = model.MaxAckComment
	in.SetStyles(textinput.Styles{})
	in.Focus()
	m.maint = maintPrompt{open: true, asset: asset.Name, input: in}
}

// parseMaintain reads "2h firmware upgrade": the duration (Go's, or whole
// days "1d"), then the reason.
func parseMaintain(text string) (time.Duration, string, error) {
	first, rest, _ := strings.Cut(strings.TrimSpace(text), " ")
	d, err := model.ParseDuration(first)
	switch {
	case first == "":
		return 0, "", errString("give a duration first, e.g. 2h firmware upgrade")
	case err != nil:
		return 0, "", errString("duration " + first + ": want e.g. 90m, 2h or 1d, then the reason")
	case d <= 0 || d > maxMaintainFor:
		return 0, "", errString("duration " + first + ": want more than 0 and at most 7d")
	}
	return d, strings.TrimSpace(rest), nil
}

// errString is a prompt's complaint.
type errString string

func (e errString) Error() string { return string(e) }

// editMaintain handles a key while the prompt is open.
func (m *Root) editMaintain(msg tea.KeyPressMsg) tea.Cmd {
	switch msg.String() {
	case "esc", "ctrl+c":
		m.maint.open = false
		return nil
	case "enter":
		d, reason, err := parseMaintain(m.maint.input.Value())
		if err != nil {
			m.maint.err = err.Error()
			return nil // the prompt stays open to fix it
		}
		m.maint.open = false
		req := model.MaintainRequest{Asset: m.maint.asset, Until: m.now.Add(d).Truncate(time.Second), Reason: reason, By: m.operator()}
		maintain := m.opts.Maintain
		return func() tea.Msg {
			ctx, cancel := context.WithTimeout(context.Background(), ackTimeout)
			defer cancel()
			if err := maintain(ctx, req); err != nil {
				return ackDoneMsg{"maintenance refused: " + err.Error()}
			}
			return ackDoneMsg{"maintenance window on " + req.Asset + " until " + clock(req.Until) + " by " + req.By}
		}
	}
	var cmd tea.Cmd
	m.maint.input, cmd = m.maint.input.Update(msg)
	m.maint.err = ""
	return cmd
}

// endMaintain ends the ad hoc window of the asset the screen points at.
func (m *Root) endMaintain() tea.Cmd {
	if m.opts.EndMaintenance == nil {
		return nil
	}
	asset, _, ok := m.ackTarget()
	if !ok {
		return nil
	}
	end, name, by := m.opts.EndMaintenance, asset.Name, m.operator()
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), ackTimeout)
		defer cancel()
		if err := end(ctx, name, by); err != nil {
			return ackDoneMsg{"end of maintenance refused: " + err.Error()}
		}
		return ackDoneMsg{"maintenance window on " + name + " ended by " + by}
	}
}

// maintLine is the status line while the prompt is open.
func (m *Root) maintLine() string {
	s := m.styles
	head := s.accent.paint(model.StatusMaintenance.Symbol()+" maintenance "+clean(m.maint.asset)+" for:") + " "
	tail := s.muted.paint("  Enter start · Esc cancel")
	if m.maint.err != "" {
		tail = "  " + s.warnText.paint(m.maint.err)
	}
	m.maint.input.SetWidth(max(m.width-width(head)-width(tail)-1, 10))
	return fit(head+m.maint.input.View()+tail, m.width)
}
