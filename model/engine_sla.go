package model

import "time"

// SLA figures are recomputed at publish time, at most once a minute (or
// at once when a service's own hard state changed), and for services only:
// a few hundred timelines, not one per asset; `noctop sla` gives assets.
const (
	slaRefresh = time.Minute
	// slaKeep bounds the changes kept per subject over 30 days; a subject
	// that flapped more is measured over its latest slaKeep changes.
	slaKeep = 1000
)

// slaBook keeps the hard-state timelines of assets and services.
type slaBook struct {
	on        bool // not for one-shot runs
	known     time.Time
	timelines map[string]*Timeline // subjects with hard state events
	due       time.Time            // next refresh
	changed   bool                 // a service's hard state changed
}

func newSLABook(start time.Time, oneShot bool) slaBook {
	return slaBook{on: !oneShot, known: start, timelines: map[string]*Timeline{}}
}

// seedSLA continues the history an earlier run left (Resume.SLA): its
// timelines, and its Known when older than this run's start.
func (e *Engine) seedSLA(h *SLAHistory) {
	if h == nil || !e.sla.on {
		return
	}
	if !h.Known.IsZero() && h.Known.Before(e.sla.known) {
		e.sla.known = h.Known
	}
	for name, tl := range h.Timelines {
		c := *tl
		c.Changes = append([]Transition(nil), tl.Changes...)
		e.sla.timelines[name] = &c
	}
	e.sla.changed = true
}

// noteSLA records an emitted event about an asset's or a service's state
// (noteTimeline: the first one, soft or hard, says where its timeline
// starts; hard ones change it).
func (e *Engine) noteSLA(ev *Event) {
	if !e.sla.on {
		return
	}
	if noteTimeline(e.sla.timelines, ev, e.sla.known) != "" && ev.Service != "" && ev.Hard {
		e.sla.changed = true
	}
}

// slaTimeline is a subject's timeline, OK since the book's start when it
// had no hard state event.
func (e *Engine) slaTimeline(name string) *Timeline {
	if tl := e.sla.timelines[name]; tl != nil {
		return tl
	}
	return NewTimeline(e.sla.known)
}

// refreshSLA recomputes the services' figures when due, and turns a
// service whose 30-day figure fell below its sla WARNING (rollup reads
// slaBreach).
func (e *Engine) refreshSLA(now time.Time) {
	if !e.sla.on || len(e.services) == 0 {
		return
	}
	// Services built afresh (a reload) have no figures yet: refresh now.
	fresh := e.services[0].avail[0].Window == 0
	if now.Before(e.sla.due) && !e.sla.changed && !fresh {
		return
	}
	e.sla.due, e.sla.changed = now.Add(slaRefresh), false
	for _, tl := range e.sla.timelines {
		tl.Trim(now, slaKeep)
	}
	for i := range e.services {
		s := &e.services[i]
		s.avail = e.slaTimeline(s.cfg.Name).MeasureAll(now)
		s.dirty = true
		breach := ""
		if month := s.avail[2]; s.cfg.SLA > 0 && month.Known() && month.Percent < s.cfg.SLA {
			breach = SLAText(month, s.cfg.SLA)
		}
		if breach != s.slaBreach {
			s.slaBreach, s.stale, e.svcStale = breach, true, true
		}
	}
	if e.svcStale {
		e.rollup(now)
	}
}

// withSLA applies a breach to a rollup's verdict: an OK service turns
// WARNING, a WARNING one says both; a worse one is left as it is.
func (s *serviceRT) withSLA(status Status, reason string) (Status, string) {
	switch {
	case s.slaBreach == "":
	case status == StatusOK:
		return StatusWarning, s.slaBreach
	case status == StatusWarning:
		return StatusWarning, reason + "; " + s.slaBreach
	}
	return status, reason
}
