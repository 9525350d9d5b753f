package estate

import (
	"cmp"
	"slices"

	"noctop/model"
)

// windowIndex maps an availability window label to its place in
// ServiceState.Availability (model.SLAWindows: 24 h, 7 d, 30 d).
func windowIndex(w string) (int, bool) {
	switch w {
	case "24h", "1d":
		return 0, true
	case "7d":
		return 1, true
	case "30d":
		return 2, true
	}
	return 0, false
}

// serviceStates merges the service rows by (site, name), named as assets
// are, sorted by name.
func serviceStates(rows []ServiceRow) []*model.ServiceState {
	by := map[key]*model.ServiceState{}
	var keys []key
	windows := model.SLAWindows()
	for _, r := range rows {
		k := key{r.Site, r.Name}
		sv := by[k]
		if sv == nil {
			sv = &model.ServiceState{Name: r.Name, Status: model.StatusPending}
			by[k] = sv
			keys = append(keys, k)
		}
		if r.HasStatus {
			st, ok := statusOf(r.Code)
			if sv.Status == model.StatusPending || st.Worse(sv.Status) {
				sv.Status = st
			}
			if !ok {
				sv.Reason = "the poller exported a status code this noctop does not know"
			}
		}
		if r.Window == "sla" && r.Ratio > 0 && r.Ratio <= 1 {
			sv.SLA = r.Ratio * 100
		}
		if i, ok := windowIndex(r.Window); ok && r.Ratio >= 0 && r.Ratio <= 1 {
			w := windows[i]
			sv.Availability[i] = model.Availability{Window: w, Percent: r.Ratio * 100, Measured: w}
		}
	}
	names := viewNames(keys)
	out := make([]*model.ServiceState, 0, len(keys))
	for _, k := range keys {
		sv := by[k]
		sv.Name = names[k]
		out = append(out, sv)
	}
	slices.SortFunc(out, func(a, b *model.ServiceState) int { return cmp.Compare(a.Name, b.Name) })
	return out
}
