package notify

import (
	"fmt"
	"slices"
	"time"

	"noctop/model"
)

// Rules decides what one receiver is told. It compares each snapshot with
// what it sent before (per asset), not the snapshot's events: a subscriber
// may miss snapshots (latest wins), and a state compared with what was
// sent cannot be missed or told twice. Rules is pure and not safe for
// concurrent use; the Notifier's goroutine owns it.
type Rules struct {
	cfg    model.Notify
	min    model.Status
	layers []string
	tags   []string
	// sent holds the assets with a problem this receiver knows of (sent,
	// or held back); bounded by the assets of the config.
	sent map[string]*record
	// gen counts Steps; a record not marked with the current one belongs
	// to an asset the snapshot no longer has.
	gen uint64
}

// record is what Rules remembers of one asset's problem.
type record struct {
	// status is the status last sent, PENDING while nothing was sent.
	status model.Status
	check  string
	sentAt time.Time
	since  time.Time
	// held is why a message is being held back ("" when none): said once
	// as a suppression, then one message goes out when it ends.
	held string
	gen  uint64
}

// Suppressed is a message that was not sent, and why.
type Suppressed struct {
	Asset  string
	Status model.Status
	Why    string
}

// NewRules returns the rules of receiver cfg (defaults applied).
func NewRules(cfg model.Notify) *Rules {
	return &Rules{cfg: cfg, min: cfg.MinSeverity(), layers: cfg.Layers, tags: cfg.Tags, sent: map[string]*record{}}
}

// Config is the receiver's config.
func (r *Rules) Config() model.Notify { return r.cfg }

// Adopt takes over what old remembered (a reload kept the receiver), so
// nothing already sent is sent again.
func (r *Rules) Adopt(old *Rules) {
	if old != nil {
		r.sent = old.sent
	}
}

// class is what an asset's state means to a receiver.
type class uint8

const (
	classGood    class = iota // OK or PENDING: a notified problem has recovered
	classProblem              // a hard problem this receiver wants
	classHold                 // neither: soft, checking, unreachable, below min_status
)

// Step returns the messages to send and the ones held back for snap at
// now. It is called with every snapshot and from a timer (renotify). The
// assets are walked once for problems, without a map lookup for the
// healthy ones; what the receiver already knows (a few records) is then
// looked up by name for recoveries.
func (r *Rules) Step(snap *model.Snapshot, now time.Time) (out []Message, held []Suppressed) {
	r.gen++
	for _, a := range snap.Assets {
		if !r.wants(a) {
			continue
		}
		st, cls := r.classify(a)
		if cls != classProblem {
			continue
		}
		rec := r.sent[a.Name]
		if rec == nil {
			rec = &record{since: a.Since}
			r.sent[a.Name] = rec
		}
		rec.gen = r.gen
		if why, _ := suppression(a); why != "" {
			if rec.held != why {
				rec.held = why
				held = append(held, Suppressed{Asset: a.Name, Status: st, Why: why})
			}
			continue
		}
		var kind Kind
		switch {
		case rec.held != "", rec.status != st:
			kind = KindProblem
		case r.cfg.Renotify.Duration > 0 && now.Sub(rec.sentAt) >= r.cfg.Renotify.Duration:
			kind = KindRenotify
		}
		rec.held = ""
		if kind != "" {
			m := r.message(snap, a, kind, st, rec, now)
			out = append(out, m)
			rec.status, rec.check, rec.sentAt = st, m.Check, now
		}
	}
	var over []string
	for name, rec := range r.sent {
		if rec.gen != r.gen {
			over = append(over, name)
		}
	}
	slices.Sort(over)
	for _, name := range over {
		rec := r.sent[name]
		a := snap.Asset(name)
		if a == nil || !r.wants(a) {
			// A reload removed the asset or filters it out: end what was
			// told (an Alertmanager alert would otherwise fire on).
			if rec.status.IsProblem() && r.cfg.Recovery() {
				out = append(out, Message{Receiver: r.cfg.Name, Kind: KindRecovery, Asset: name, Check: rec.check,
					Status: model.StatusPending, Previous: rec.status, Reason: "no longer watched by this receiver (config reloaded)",
					StartedAt: rec.since, At: now})
			}
			delete(r.sent, name)
			continue
		}
		st, cls := r.classify(a)
		if cls != classGood {
			continue // soft, unreachable, checking, below min_status: wait
		}
		if rec.status.IsProblem() {
			if why, holds := suppression(a); holds {
				if w := "recovery: " + why; rec.held != w {
					rec.held = w
					held = append(held, Suppressed{Asset: a.Name, Status: st, Why: w})
				}
				continue
			}
			if r.cfg.Recovery() {
				m := r.message(snap, a, KindRecovery, st, rec, now)
				m.Check = rec.check
				out = append(out, m)
			}
		}
		delete(r.sent, name)
	}
	return out, held
}

// Pending counts the assets whose problem the receiver knows of.
func (r *Rules) Pending() int { return len(r.sent) }

// wants applies the layer and tag filters.
func (r *Rules) wants(a *model.AssetState) bool {
	if len(r.layers) > 0 && !slices.Contains(r.layers, a.Layer) {
		return false
	}
	if len(r.tags) > 0 && !slices.ContainsFunc(a.Tags, func(t string) bool { return slices.Contains(r.tags, t) }) {
		return false
	}
	return true
}

// classify says what the asset's state is to this receiver, and its
// status. Only assets to blame are problems: root causes and other hard
// problems; UNREACHABLE and checking assets wait (their root cause speaks
// for them), soft problems wait to be hard. In maintenance the asset's
// status is MAINTENANCE, so the checks say whether a problem is there.
func (r *Rules) classify(a *model.AssetState) (model.Status, class) {
	st := a.HardStatus
	switch {
	case a.Maintenance != nil:
		st = model.StatusOK
		for _, c := range a.Checks {
			if c.HardStatus.IsProblem() && c.HardStatus.Worse(st) {
				st = c.HardStatus
			}
		}
		if !st.IsProblem() {
			return st, classGood
		}
	case a.Role == model.RoleRootCause:
		st = model.StatusCritical
	case a.Role == model.RoleCritical, a.Role == model.RoleUnknown, a.Role == model.RoleWarning:
	case (a.Role == model.RoleNone || a.Role == model.RoleSoft) && !st.IsProblem() && st != model.StatusUnreachable:
		return model.StatusOK, classGood
	default:
		return st, classHold
	}
	if !st.IsProblem() || st.Severity() < r.min.Severity() {
		return st, classHold
	}
	return st, classProblem
}

// suppression says why nothing is to be sent about a's problem ("" when
// it may be), and whether that holds a recovery back too: a window or
// flapping does, an ack does not (the problem is over; the receiver was
// told of it before the ack).
func suppression(a *model.AssetState) (why string, holdsRecovery bool) {
	if m := a.Maintenance; m != nil {
		w := "in maintenance"
		if m.Window != "" {
			w += " (" + m.Window + ")"
		}
		if m.CoveredBy != "" {
			w += ", covered by " + m.CoveredBy
		}
		if !m.Until.IsZero() {
			w += " until " + m.Until.Format(time.RFC3339)
		}
		return w, true
	}
	if a.Flapping {
		return "flapping", true
	}
	for _, c := range a.Checks {
		if c.Flapping {
			return fmt.Sprintf("flapping (%s, %.0f%% state change)", c.Name, c.FlapPercent), true
		}
	}
	if a.Ack != nil {
		return "acknowledged by " + ackWords(a.Ack), false
	}
	// Acked check by check: held when every check with a hard problem is.
	var ack *model.Ack
	for _, c := range a.Checks {
		if !c.HardStatus.IsProblem() {
			continue
		}
		if c.Ack == nil {
			return "", false
		}
		if ack == nil {
			ack = c.Ack
		}
	}
	if ack != nil {
		return "acknowledged by " + ackWords(ack), false
	}
	return "", false
}

func ackWords(a *model.Ack) string {
	s := a.By
	if s == "" {
		s = "someone"
	}
	if a.Comment != "" {
		s += ": " + model.Clip(a.Comment, model.MaxNetText)
	}
	return s
}

// message builds the message about a for kind.
func (r *Rules) message(snap *model.Snapshot, a *model.AssetState, kind Kind, st model.Status, rec *record, now time.Time) Message {
	m := Message{
		Receiver: r.cfg.Name, Kind: kind, Asset: a.Name, Layer: a.Layer, Tags: a.Tags,
		Status: st, Previous: rec.status, Reason: model.Clip(a.Reason, 4*model.MaxNetText),
		RootCause: a.Role == model.RoleRootCause,
		Ack:       a.Ack, Maintenance: a.Maintenance, Flapping: a.Flapping,
		StartedAt: rec.since, At: now,
	}
	if m.StartedAt.IsZero() {
		m.StartedAt = a.Since
	}
	for _, c := range a.Checks {
		if c.HardStatus == st && st.IsProblem() {
			m.Check = c.Name
			if c.Correlation != nil {
				m.Change = c.Correlation.Text()
			}
			break
		}
	}
	if kind == KindRecovery {
		m.RootCause = false
		return m
	}
	affected := map[string]bool{a.Name: true}
	if m.RootCause {
		for _, o := range snap.Assets {
			if slices.Contains(o.RootCauses, a.Name) {
				m.Affected++
				affected[o.Name] = true
				if len(m.AffectedNames) < maxNames {
					m.AffectedNames = append(m.AffectedNames, o.Name)
				}
			}
		}
	}
	m.ServicesDown = servicesDown(snap, affected)
	return m
}

// servicesDown names the CRITICAL services that a failing member in
// failing (assets, then the services found) makes fail.
func servicesDown(snap *model.Snapshot, failing map[string]bool) []string {
	var out []string
	for changed := true; changed; {
		changed = false
		for _, s := range snap.Services {
			if s.Status != model.StatusCritical || failing[s.Name] {
				continue
			}
			for _, mb := range s.Members {
				if mb.Culprit && failing[mb.Name] {
					failing[s.Name], changed = true, true
					out = append(out, s.Name)
					break
				}
			}
		}
	}
	if len(out) > maxNames {
		out = out[:maxNames]
	}
	return out
}
