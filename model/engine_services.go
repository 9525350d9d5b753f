package model

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// serviceRT is the engine's mutable state of one business service.
type serviceRT struct {
	cfg     *Service
	need    int    // members that must be up
	all     bool   // rule "all": a WARNING member degrades the service
	ruleErr string // set when the rule cannot be read
	members []memberRef
	parents []int // services that need this one
	rank    int
	stale   bool

	status Status
	reason string
	up     int
	states []MemberState // fresh slice per change: published ones are shared
	since  time.Time
	pub    *ServiceState
	dirty  bool
	// Availability over 24 h, 7 d, 30 d and the breach of the service's
	// sla it makes ("" for none), refreshed by refreshSLA.
	avail     [3]Availability
	slaBreach string
	visited   bool // ordering only
}

type memberRef struct {
	name      string
	isService bool
	idx       int // into Engine.services or Engine.assets; -1 if unknown
}

// parseRule reads a service rule: "all", "any" or "N of M". It returns how
// many of total members must be up.
func parseRule(rule string, total int) (need int, all bool, err error) {
	r := strings.ToLower(strings.TrimSpace(rule))
	switch r {
	case "all", "":
		return total, true, nil
	case "any":
		return 1, false, nil
	}
	var n, m int
	var tail string
	if k, _ := fmt.Sscanf(r, "%d of %d%s", &n, &m, &tail); k != 2 {
		return 0, false, fmt.Errorf("%w: rule %q (want all, any or \"N of M\")", ErrInvalid, rule)
	}
	if n < 1 || n > m {
		return 0, false, fmt.Errorf("%w: rule %q needs 1 <= N <= M", ErrInvalid, rule)
	}
	if m != total {
		return 0, false, fmt.Errorf("%w: rule %q but the service needs %d members", ErrInvalid, rule, total)
	}
	return n, false, nil
}

// buildServices resolves members (a service name wins over an asset name)
// and orders services members first.
func (e *Engine) buildServices() {
	e.services, e.svcByName, e.svcOrder = newServices(e.cfg, e.start, func(name string) (int, bool) {
		i, ok := e.byName[name]
		return i, ok
	})
	for i := range e.services {
		for _, m := range e.services[i].members {
			if m.isService || m.idx < 0 {
				continue
			}
			if as := e.assets[m.idx].services; len(as) == 0 || as[len(as)-1] != i {
				e.assets[m.idx].services = append(as, i)
			}
		}
	}
	e.svcStale = len(e.services) > 0
}

// newServices builds cfg's services, PENDING since start, with their
// members resolved (asset finds an asset by name) and the order that puts
// members first.
func newServices(cfg *Config, start time.Time, asset func(string) (int, bool)) (services []serviceRT, byName map[string]int, order []int) {
	services = make([]serviceRT, len(cfg.Services))
	byName = make(map[string]int, len(cfg.Services))
	for i := range cfg.Services {
		if _, dup := byName[cfg.Services[i].Name]; !dup {
			byName[cfg.Services[i].Name] = i
		}
	}
	for i := range cfg.Services {
		sc := &cfg.Services[i]
		s := &services[i]
		s.cfg, s.status, s.since, s.stale, s.dirty = sc, StatusPending, start, true, true
		need, all, err := parseRule(sc.Rule, len(sc.Needs))
		s.need, s.all = need, all
		if err != nil {
			s.ruleErr = err.Error()
		}
		for _, name := range sc.Needs {
			m := memberRef{name: name, idx: -1}
			if j, ok := byName[name]; ok && j != i {
				m.isService, m.idx = true, j
				services[j].parents = append(services[j].parents, i)
			} else if j, ok := asset(name); ok {
				m.idx = j
			}
			s.members = append(s.members, m)
		}
	}
	// Depth-first, members first. A cycle (rejected by the loader) is cut
	// where it is found: that member is read with its current status.
	order = make([]int, 0, len(services))
	var visit func(int)
	visit = func(i int) {
		if services[i].visited {
			return
		}
		services[i].visited = true
		for _, m := range services[i].members {
			if m.isService {
				visit(m.idx)
			}
		}
		services[i].rank = len(order)
		order = append(order, i)
	}
	for i := range services {
		visit(i)
	}
	return services, byName, order
}

func (e *Engine) rollupAll(when time.Time) {
	for i := range e.services {
		e.services[i].stale = true
	}
	e.rollup(when)
}

// rollup recomputes stale services, members first; a service whose status
// or reason changed makes the services that need it stale.
func (e *Engine) rollup(when time.Time) {
	e.svcStale = false
	for _, i := range e.svcOrder {
		s := &e.services[i]
		if !s.stale {
			continue
		}
		s.stale = false
		status, reason, up, states := e.rollupOne(s)
		status, reason = s.withSLA(status, reason)
		if status == s.status && reason == s.reason && slices.Equal(states, s.states) {
			continue
		}
		prev := s.status
		s.status, s.reason, s.up, s.states = status, reason, up, states
		e.tally.moveService(prev, status)
		s.dirty, e.dirty = true, true
		for _, p := range s.parents {
			e.services[p].stale = true
		}
		if status != prev {
			s.since = when
			if prev != StatusPending || status != StatusOK {
				e.emit(Event{
					At: when, Kind: EventState, Service: s.cfg.Name,
					From: prev, To: status, Hard: true, FromHard: true, Summary: reason,
				})
			}
		}
	}
}

// memberStatus is a member's hard status (services see no soft problems)
// and, for UNREACHABLE assets, the root cause.
func (e *Engine) memberStatus(m memberRef) (Status, string) {
	return memberOf(m, func(i int) Status { return e.services[i].status }, func(i int) (bool, Status, string) {
		a := &e.assets[i]
		return a.maint != nil, a.svcStatus, a.rootCause
	})
}

// memberOf is a member's status as services see it and, for UNREACHABLE
// assets, the root cause: service is a member service's status, asset
// says whether a member asset is in a window, its status for services
// (its hard status but for the lifecycle check) and its root cause. The
// engine and the one-shot state share it.
func memberOf(m memberRef, service func(int) Status, asset func(int) (maint bool, svc Status, rootCause string)) (Status, string) {
	switch {
	case m.idx < 0:
		return StatusUnknown, "not in config"
	case m.isService:
		return service(m.idx), ""
	}
	maint, svc, rootCause := asset(m.idx)
	switch {
	case maint:
		return StatusMaintenance, ""
	case svc == StatusUnreachable:
		return svc, rootCause
	}
	return svc, ""
}

// rollupOne applies the rule. "all" is "M of M" and "any" is "1 of M":
// CRITICAL when too few members can still be up, PENDING while pending
// members decide it, otherwise WARNING when "all" has a WARNING member or
// "any"/"N of M" has a failing one, else OK.
func (e *Engine) rollupOne(s *serviceRT) (Status, string, int, []MemberState) {
	return rollupMembers(s, e.memberStatus)
}

// rollupMembers is rollupOne with each member's status from member; the
// reason ends with the members counted up because they are in a window.
// The engine and the one-shot state share it.
func rollupMembers(s *serviceRT, member func(memberRef) (Status, string)) (Status, string, int, []MemberState) {
	status, reason, up, states := rollupRule(s, member)
	return status, maintainedMembers(reason, states), up, states
}

// rollupRule applies the rule to the members' statuses.
func rollupRule(s *serviceRT, member func(memberRef) (Status, string)) (Status, string, int, []MemberState) {
	total := len(s.members)
	states := make([]MemberState, total)
	up, pending := 0, 0
	var failing, warning, waiting []string
	var failingAt, warningAt []int // member indexes, to mark the culprits
	for i, m := range s.members {
		st, cause := member(m)
		states[i] = MemberState{Name: m.name, IsService: m.isService, Status: st}
		label := m.name + " " + st.String()
		if cause != "" {
			label += " (" + cause + ")"
		}
		switch st {
		case StatusOK, StatusMaintenance:
			up++
		case StatusWarning:
			up++
			warning = append(warning, label)
			warningAt = append(warningAt, i)
		case StatusPending:
			pending++
			waiting = append(waiting, m.name)
		default: // CRITICAL, UNREACHABLE, UNKNOWN
			failing = append(failing, label)
			failingAt = append(failingAt, i)
		}
	}
	// blame marks the members the reason names: they made the service fail.
	blame := func(at []int) []MemberState {
		for _, i := range at {
			states[i].Culprit = true
		}
		return states
	}
	all := s.all
	count := fmt.Sprintf("%d of %d up", up, total)
	switch {
	case s.ruleErr != "":
		return StatusUnknown, s.ruleErr, up, states
	case total == 0:
		return StatusPending, "no members", 0, states
	case pending == total:
		return StatusPending, "waiting for " + strings.Join(waiting, ", "), up, states
	case up+pending < s.need:
		if all {
			return StatusCritical, strings.Join(failing, ", "), up, blame(failingAt)
		}
		return StatusCritical, fmt.Sprintf("%s, need %d: %s", count, s.need, strings.Join(failing, ", ")), up, blame(failingAt)
	case up < s.need:
		return StatusPending, fmt.Sprintf("%s, need %d, waiting for %s", count, s.need, strings.Join(waiting, ", ")), up, states
	case all && len(warning) > 0:
		return StatusWarning, strings.Join(warning, ", "), up, blame(warningAt)
	case !all && len(failing) > 0:
		return StatusWarning, fmt.Sprintf("%s: %s", count, strings.Join(failing, ", ")), up, blame(failingAt)
	}
	return StatusOK, count, up, states
}
