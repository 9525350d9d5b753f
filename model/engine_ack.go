package model

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
)

// Sentinel errors of Ack and Unack: the CLI and the TUI say which.
var (
	ErrUnknownAsset = errors.New("unknown asset")
	ErrUnknownCheck = errors.New("unknown check")
	ErrNoProblem    = errors.New("no current problem to acknowledge")
	ErrNotAcked     = errors.New("nothing acknowledged")
	ErrNoOperator   = errors.New("no operator named")
)

// MaxAckComment bounds an acknowledgement's comment (it reaches events and
// the database; the CLI's -m is anyone's text).
const MaxAckComment = 1024

// AckRequest asks the engine to acknowledge a problem.
type AckRequest struct {
	// Key names the check; Check "" acknowledges the asset itself.
	Key     CheckKey
	By      string
	Comment string
	// Sticky keeps the ack through recovery: only Unack removes it.
	Sticky bool
	// At is when the operator acted (zero: the engine's clock); a queued
	// `noctop ack` applied later keeps its own time.
	At time.Time
}

// ackOp is an Ack or Unack on the inbox, with where the verdict goes.
type ackOp struct {
	req   AckRequest
	unack bool
	reply chan error // buffered: the engine never waits on it
}

// Ack acknowledges a current problem of an asset (Key.Check "") or a
// check. It waits for the engine's verdict: nil, or an error wrapping
// ErrUnknownAsset, ErrUnknownCheck, ErrNoProblem or ErrNoOperator (or
// ErrEngineStopped, ctx's error). Acknowledging again replaces the ack.
// Call it from a tea.Cmd or the store's goroutine, never from Update.
func (e *Engine) Ack(ctx context.Context, req AckRequest) error {
	return e.ackCall(ctx, &ackOp{req: req})
}

// Unack removes the acknowledgement of an asset or a check: nil, or an
// error wrapping ErrUnknownAsset, ErrUnknownCheck or ErrNotAcked.
func (e *Engine) Unack(ctx context.Context, key CheckKey, by string) error {
	return e.ackCall(ctx, &ackOp{req: AckRequest{Key: key, By: by}, unack: true})
}

func (e *Engine) ackCall(ctx context.Context, op *ackOp) error {
	op.reply = make(chan error, 1)
	return e.call(ctx, message{kind: msgAck, op: op}, op.reply)
}

// call sends an operator's command and waits for the engine's verdict on
// reply (buffered, so the engine never waits for a caller that gave up).
func (e *Engine) call(ctx context.Context, m message, reply chan error) error {
	if err := e.send(ctx, m); err != nil {
		return err
	}
	select {
	case err := <-reply:
		return err
	case <-ctx.Done():
		return ctx.Err()
	case <-e.done:
		select {
		case err := <-reply:
			return err
		default:
			return ErrEngineStopped
		}
	}
}

// applyAck runs an Ack or Unack in the engine's goroutine.
func (e *Engine) applyAck(op *ackOp) error {
	req := op.req
	ai, ok := e.byName[req.Key.Asset]
	if !ok {
		return fmt.Errorf("%w %q", ErrUnknownAsset, req.Key.Asset)
	}
	a := &e.assets[ai]
	slot, status, hard, problem := &a.ack, a.status, a.status == a.hardStatus, a.role != RoleNone || a.status.IsProblem()
	var c *checkRT
	if req.Key.Check != "" {
		ci, ok := e.checkIndex(req.Key)
		if !ok {
			return fmt.Errorf("%w %q on asset %q", ErrUnknownCheck, req.Key.Check, req.Key.Asset)
		}
		c = &e.checks[ci]
		slot, status, hard, problem = &c.ack, c.Status, c.Hard, c.Status.IsProblem()
	}
	by := cleanLine(req.By, MaxNetText)
	at := req.At
	if at.IsZero() {
		at = e.opts.Now()
	}
	ev := Event{At: at, Kind: EventAck, Asset: req.Key.Asset, Check: req.Key.Check, From: status, To: status, Hard: hard}
	switch {
	case op.unack && *slot == nil:
		return fmt.Errorf("%s: %w", subjectName(req.Key), ErrNotAcked)
	case op.unack:
		ev.Summary = fmt.Sprintf("acknowledgement removed by %s (was %s)", orSomeone(by), describeAck(*slot))
		e.setAck(ai, c, slot, nil)
	case !problem:
		return fmt.Errorf("%s is %s: %w", subjectName(req.Key), status, ErrNoProblem)
	case by == "":
		return fmt.Errorf("%s: %w", subjectName(req.Key), ErrNoOperator)
	default:
		ack := &Ack{By: by, Comment: cleanLine(req.Comment, MaxAckComment), At: at, Sticky: req.Sticky}
		ev.Summary = "acknowledged " + describeAck(ack)
		e.setAck(ai, c, slot, ack)
	}
	e.emit(ev)
	return nil
}

// setAck puts ack (nil: none) on the asset or on its check c, and moves the
// asset between its role's counter and Tally.Acked as that changes.
func (e *Engine) setAck(ai int, c *checkRT, slot **Ack, ack *Ack) {
	a := &e.assets[ai]
	if c != nil {
		switch {
		case *slot == nil && ack != nil:
			a.checkAcks++
		case *slot != nil && ack == nil:
			a.checkAcks--
		}
		c.dirty = true
	}
	*slot = ack
	e.retally(ai, a.shownRole(), a.acked)
	e.markAsset(ai)
}

// retally sets a.acked from the asset's acks and moves it in the tally
// from (prevRole, prevAcked) to its current role and ack. The one place
// acks meet the counts: the banner, triage, wall and check all read them.
func (e *Engine) retally(ai int, prevRole Role, prevAcked bool) {
	a := &e.assets[ai]
	a.acked = e.ackedNow(a)
	if prevRole == a.shownRole() && prevAcked == a.acked {
		return
	}
	e.tally.shift(prevRole, prevAcked, -1)
	e.tally.shift(a.shownRole(), a.acked, +1)
	if prevAcked != a.acked {
		e.markAsset(ai)
	}
}

// ackedNow reports whether a's problem is acknowledged: the asset is, or
// every check with a problem is.
func (e *Engine) ackedNow(a *assetRT) bool {
	if a.shownRole() == RoleNone { // no problem, or inside a window
		return false
	}
	if a.ack != nil {
		return true
	}
	if a.checkAcks == 0 {
		return false
	}
	n := 0
	for _, ci := range a.checks {
		if c := &e.checks[ci]; c.Status.IsProblem() {
			if c.ack == nil {
				return false
			}
			n++
		}
	}
	return n > 0
}

// shift counts d more (or fewer) assets of role r, in Acked when acked.
func (t *Tally) shift(r Role, acked bool, d int) {
	switch {
	case r == RoleNone:
	case acked:
		t.Acked += d
	default:
		*t.count(r) += d
	}
}

// noteAssetAck runs in evaluate: a recovered asset loses a
// non-sticky ack, then the asset is recounted.
func (e *Engine) noteAssetAck(ai int, prev *assetRT, when time.Time) {
	a := &e.assets[ai]
	// Recovered: no problem left (OK, or OK beside checks still pending);
	// a window starting is no recovery.
	recovered := a.role == RoleNone && prev.role != RoleNone && a.status != StatusMaintenance
	if a.ack != nil && !a.ack.Sticky && recovered {
		e.emit(Event{At: when, Kind: EventAck, Asset: a.cfg.Name, From: a.status, To: a.status, Hard: true,
			Summary: "acknowledgement cleared: recovered (was " + describeAck(a.ack) + ")"})
		a.ack = nil
		e.markAsset(ai)
	}
	e.retally(ai, prev.shownRole(), prev.acked)
}

// noteCheckAck runs in applyResult: a check back to OK loses a non-sticky
// ack.
func (e *Engine) noteCheckAck(c *checkRT, prev Status, when time.Time) {
	if c.ack == nil || c.ack.Sticky || c.Status != StatusOK || prev == StatusOK {
		return
	}
	e.emit(Event{At: when, Kind: EventAck, Asset: c.key.Asset, Check: c.key.Check, From: c.Status, To: c.Status, Hard: c.Hard,
		Summary: "acknowledgement cleared: recovered (was " + describeAck(c.ack) + ")"})
	c.ack = nil
	e.assets[c.asset].checkAcks--
}

// recountAcks counts an asset anew after a reload (its checks may have
// changed) and adds it to the tally.
func (e *Engine) recountAcks(ai int) {
	a := &e.assets[ai]
	a.checkAcks = 0
	for _, ci := range a.checks {
		if e.checks[ci].ack != nil {
			a.checkAcks++
		}
	}
	a.acked = e.ackedNow(a)
	e.tally.shift(a.shownRole(), a.acked, +1)
}

// resumeAcks puts back the acks an earlier run left. One whose subject is
// gone, or that is not sticky and whose problem is over, is dropped.
func (e *Engine) resumeAcks(acks map[CheckKey]Ack) {
	for k, ack := range acks {
		ai, ok := e.byName[k.Asset]
		if !ok {
			continue
		}
		a := &e.assets[ai]
		slot, problem := &a.ack, a.role != RoleNone
		var c *checkRT
		if k.Check != "" {
			ci, ok := e.checkIndex(k)
			if !ok {
				continue
			}
			c = &e.checks[ci]
			slot, problem = &c.ack, c.Status.IsProblem()
		}
		if !problem && !ack.Sticky {
			continue
		}
		e.setAck(ai, c, slot, &ack)
	}
}

// describeAck is "alice: on it" or "alice (sticky): on it".
func describeAck(a *Ack) string {
	s := orSomeone(a.By)
	if a.Sticky {
		s += " (sticky)"
	}
	if a.Comment != "" {
		s += ": " + a.Comment
	}
	return s
}

func orSomeone(by string) string {
	if by == "" {
		return "someone"
	}
	return by
}

// cleanLine makes text one line (control characters become spaces), trims
// it and cuts it to n bytes.
func cleanLine(s string, n int) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
	return Clip(strings.TrimSpace(s), n)
}

// subjectName is "erp" for an asset's key, "erp/http" for a check's.
func subjectName(k CheckKey) string {
	if k.Check == "" {
		return k.Asset
	}
	return k.String()
}
