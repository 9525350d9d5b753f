package metrics

import (
	"strings"

	"noctop/model"
)

// The triage series: what each asset is in an outage, what cuts it off,
// the counts, and the tree, so an estate-wide view (estate/) rebuilds a
// poller's judgement from Prometheus without judging again.

// triage counts the exported assets as the banner does (model.Tally's
// rules: an acked problem counts as acked, not in its role), with the
// assets each root cause cuts off.
type triage struct {
	roles            map[model.Role]int
	acked, flapping  int
	ok, total        int
	affected         map[string]int
	rootCauseOrdered []string // affected's keys in the order met
}

// problemRoles are the roles of an asset with a problem, in the banner's
// order.
func problemRoles() []model.Role {
	return []model.Role{model.RoleRootCause, model.RoleUnreachable, model.RoleChecking,
		model.RoleCritical, model.RoleUnknown, model.RoleWarning, model.RoleSoft}
}

// roleLabel is r's label value (model's name in snake_case: root_cause),
// "" for RoleNone.
func roleLabel(r model.Role) string {
	return strings.ReplaceAll(r.String(), " ", "_")
}

// triage emits the asset's role, root causes and info, and counts it.
func (e *emitter) triage(a *model.AssetState, tr *triage) {
	name, layer := label(a.Name), label(a.Layer)
	e.gauge(e.d.assetInfo, 1, name, layer, label(a.Kind), label(a.Address), label(strings.Join(a.Parents, ",")))
	tr.total++
	if a.Flapping {
		tr.flapping++
	}
	role := roleLabel(a.Role)
	switch {
	case role == "":
		if a.Status == model.StatusOK {
			tr.ok++
		}
	case a.Acked:
		tr.acked++
	default:
		if tr.roles == nil {
			tr.roles = map[model.Role]int{}
		}
		tr.roles[a.Role]++
	}
	if role != "" {
		e.gauge(e.d.assetRole, 1, name, layer, role)
	}
	if a.Role == model.RoleRootCause {
		tr.cause(a.Name)
	}
	if a.Status == model.StatusUnreachable {
		for _, rc := range a.RootCauses {
			e.gauge(e.d.assetRootCause, 1, name, label(rc))
			tr.cause(rc)
			tr.affected[rc]++
		}
	}
}

// cause makes sure root cause rc is counted (0 until an asset behind it
// is).
func (tr *triage) cause(rc string) {
	if tr.affected == nil {
		tr.affected = map[string]int{}
	}
	if _, ok := tr.affected[rc]; !ok {
		tr.affected[rc] = 0
		tr.rootCauseOrdered = append(tr.rootCauseOrdered, rc)
	}
}

// tally emits the counts.
func (e *emitter) tally(tr *triage) {
	for _, r := range problemRoles() {
		e.gauge(e.d.assets, float64(tr.roles[r]), roleLabel(r))
	}
	for _, c := range []struct {
		role string
		n    int
	}{{"acked", tr.acked}, {"flapping", tr.flapping}, {"ok", tr.ok}, {"total", tr.total}} {
		e.gauge(e.d.assets, float64(c.n), c.role)
	}
	for _, rc := range tr.rootCauseOrdered {
		e.gauge(e.d.affected, float64(tr.affected[rc]), label(rc))
	}
}
