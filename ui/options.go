package ui

import (
	"context"
	"time"

	"noctop/model"
)

// Commands are the engine commands the UI may send. *model.Engine
// implements it. Recheck may block briefly (a full engine inbox), so the
// UI calls it only inside a tea.Cmd.
type Commands interface {
	Recheck(model.CheckKey)
}

// Options are the UI's inputs: where snapshots come from and the static
// facts shown in the header.
type Options struct {
	// Snapshots delivers the engine's snapshots, latest wins
	// ((*model.Engine).Subscribe().C). The UI ends its wait when it closes.
	Snapshots <-chan *model.Snapshot
	// Commands receives rechecks; nil disables them.
	Commands Commands
	// Ack and Unack set and remove acknowledgements ((*model.Engine).Ack
	// and Unack); nil disables a and A. The UI calls them in a tea.Cmd.
	Ack   func(context.Context, model.AckRequest) error
	Unack func(ctx context.Context, key model.CheckKey, by string) error
	// Maintain and EndMaintenance open and end ad hoc maintenance windows
	// ((*model.Engine).Maintain and EndMaintenance); nil disables m and M.
	Maintain       func(context.Context, model.MaintainRequest) error
	EndMaintenance func(ctx context.Context, asset, by string) error
	// Operator names who acknowledges ($USER; the SSH key's comment under
	// noctop serve).
	Operator string
	// ReadOnly, when not empty, is what r, a, A, m and M say instead of
	// acting (an SSH viewer without an operator key).
	ReadOnly string
	// Remote, when not empty, is what r, m and M say instead of acting,
	// after "recheck: " or "maintenance: ": the estate view has no engine
	// to recheck in or open windows on (a and A act through Ack and Unack).
	Remote string
	// Notices are one-line messages for the status line (the demo script
	// says "core-sw1 fails" here). Optional.
	Notices <-chan string
	// Notice is shown in the status line at start (e.g. "no config found").
	Notice string
	// Archive reads stored events and history (the store); nil means none
	// (--no-store): the screens show this run's in-memory data and say so.
	Archive model.Archive

	ConfigName string // shown in the header
	ICMPMode   string // datagram, raw or unavailable
	Version    string

	// Wall starts in wall mode; Rotate is its pane rotation period
	// (default 15s).
	Wall   bool
	Rotate time.Duration
	// NoColor drops colours (NO_COLOR); symbols and attributes remain.
	NoColor bool
	// Light assumes a light background until the terminal says which.
	Light bool
	// Now is the clock (default time.Now); tests fix it.
	Now func() time.Time
}

// DefaultRotate is the wall mode's pane rotation period.
const DefaultRotate = 15 * time.Second
