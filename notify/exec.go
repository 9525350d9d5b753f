package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"

	"noctop/model"
)

// maxOutput is what is kept of a command's output (stdout and stderr
// together); the rest is read and counted, so a command printing
// megabytes neither blocks on a full pipe nor grows memory.
const maxOutput = 4 << 10

// waitDelay is how long pipes stay open after the command was killed or
// exited: a grandchild holding them must not hold the attempt.
const waitDelay = 2 * time.Second

// command runs a program with the message in its arguments and
// environment, never through a shell.
type command struct {
	argv []string
}

func newCommand(cfg *model.Notify) *command { return &command{argv: cfg.Command} }

func (c *command) close() {}

// args is argv with {asset}, {check}, {status}, {reason} and {kind}
// replaced in the arguments (not the program).
func (c *command) args(m *Message) []string {
	r := strings.NewReplacer("{asset}", m.Asset, "{check}", m.Check, "{status}", m.Status.String(),
		"{reason}", m.Reason, "{kind}", string(m.Kind))
	out := make([]string, len(c.argv)-1)
	for i, a := range c.argv[1:] {
		out[i] = r.Replace(a)
	}
	return out
}

// env is the message as NOCTOP_* variables.
func env(m *Message) ([]string, error) {
	js, err := json.Marshal(payload(m))
	if err != nil {
		return nil, err
	}
	return []string{
		"NOCTOP_RECEIVER=" + m.Receiver,
		"NOCTOP_KIND=" + string(m.Kind),
		"NOCTOP_ASSET=" + m.Asset,
		"NOCTOP_CHECK=" + m.Check,
		"NOCTOP_LAYER=" + m.Layer,
		"NOCTOP_STATUS=" + m.Status.String(),
		"NOCTOP_PREVIOUS=" + m.Previous.String(),
		"NOCTOP_REASON=" + m.Reason,
		"NOCTOP_ROOT_CAUSE=" + strconv.FormatBool(m.RootCause),
		"NOCTOP_AFFECTED=" + strconv.Itoa(m.Affected),
		"NOCTOP_AFFECTED_NAMES=" + strings.Join(m.AffectedNames, "\n"),
		"NOCTOP_SERVICES_DOWN=" + strings.Join(m.ServicesDown, "\n"),
		"NOCTOP_RECOVERY=" + strconv.FormatBool(m.Recovery()),
		"NOCTOP_ACKED=" + strconv.FormatBool(m.Ack != nil),
		"NOCTOP_MAINTENANCE=" + strconv.FormatBool(m.Maintenance != nil),
		"NOCTOP_FLAPPING=" + strconv.FormatBool(m.Flapping),
		"NOCTOP_CHANGE=" + m.Change,
		"NOCTOP_STARTED_AT=" + rfc3339(m.StartedAt),
		"NOCTOP_AT=" + rfc3339(m.At),
		"NOCTOP_SUMMARY=" + m.Summary(),
		"NOCTOP_JSON=" + string(js),
	}, nil
}

// send runs the command until it exits or ctx ends; then its whole
// process group is killed.
func (c *command) send(ctx context.Context, m *Message) error {
	vars, err := env(m)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrPermanent, err)
	}
	cmd := exec.CommandContext(ctx, c.argv[0], c.args(m)...)
	cmd.Env = append(os.Environ(), vars...)
	out := &headWriter{limit: maxOutput}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = waitDelay
	err = cmd.Run()
	switch {
	case err == nil:
		return nil
	case ctx.Err() != nil && cmd.ProcessState != nil:
		return fmt.Errorf("killed at its timeout (%w)%s", ctx.Err(), out.tail())
	case errors.Is(err, exec.ErrWaitDelay):
		return nil // exited 0; a grandchild kept the output open
	case cmd.ProcessState == nil: // never started: not found, not executable
		return fmt.Errorf("%w: %w", ErrPermanent, err)
	}
	return fmt.Errorf("%w%s", err, out.tail())
}

// headWriter keeps the first limit bytes written and counts the rest.
type headWriter struct {
	buf   []byte
	limit int
	total int64
}

func (h *headWriter) Write(p []byte) (int, error) {
	h.total += int64(len(p))
	if room := h.limit - len(h.buf); room > 0 {
		h.buf = append(h.buf, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

// tail is ": <output>" for an error, clipped, or "".
func (h *headWriter) tail() string {
	s := strings.TrimSpace(string(h.buf))
	if s == "" {
		return ""
	}
	s = model.Clip(s, model.MaxNetText)
	if h.total > int64(len(h.buf)) {
		s += fmt.Sprintf(" (%d bytes of output in all)", h.total)
	}
	return ": " + s
}
