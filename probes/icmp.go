package probes

import (
	"context"

	"noctop/model"
)

// ICMPMode is how this process can send echo requests.
type ICMPMode string

// ICMP modes, detected once at start.
const (
	ICMPDatagram    ICMPMode = "datagram"
	ICMPRaw         ICMPMode = "raw"
	ICMPUnavailable ICMPMode = "unavailable"
)

// ICMP pings; it holds what is shared between runs (mode, ID allocator,
// sockets). TODO(icmp helper).
type ICMP struct{ mode ICMPMode }

// NewICMP detects the ICMP mode.
func NewICMP() *ICMP { return &ICMP{mode: ICMPUnavailable} }

// Mode is the detected mode.
func (p *ICMP) Mode() ICMPMode { return p.mode }

// Close releases shared sockets.
func (p *ICMP) Close() error { return nil }

// Probe runs one icmp check.
func (p *ICMP) Probe(ctx context.Context, t Target) model.Outcome {
	return model.Unknown("icmp probe not implemented yet")
}
