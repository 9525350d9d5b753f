package ui

import "noctop/model"

// servicesDown lists the CRITICAL services whose culprits are a root
// cause or the assets it cuts off, directly or through nested services.
func (ix *snapshotIndex) servicesDown(cause string) []*model.ServiceState {
	if svcs, ok := ix.servicesDownOf[cause]; ok {
		return svcs
	}
	assets := ix.behind[cause]
	hit := make(map[string]bool, len(assets)+1)
	hit[cause] = true
	for _, r := range assets {
		hit[r.a.Name] = true
	}
	var svcs []*model.ServiceState
	memo := map[string]bool{}
	for _, v := range ix.snap.Services {
		if v.Status == model.StatusCritical && ix.blames(v, hit, memo, 0) {
			svcs = append(svcs, v)
		}
	}
	ix.servicesDownOf[cause] = svcs
	return svcs
}

// blames reports whether a service's culprits (the members the engine says
// made it fail) include one of hit, directly or through nested services.
func (ix *snapshotIndex) blames(v *model.ServiceState, hit, memo map[string]bool, depth int) bool {
	if r, ok := memo[v.Name]; ok {
		return r
	}
	memo[v.Name] = false // cycles are rejected by the loader; guard anyway
	res := false
	for _, m := range v.Members {
		if !m.Culprit {
			continue
		}
		if m.IsService {
			if sub := ix.service(m.Name); sub != nil && depth < 32 && ix.blames(sub, hit, memo, depth+1) {
				res = true
			}
		} else if hit[m.Name] {
			res = true
		}
	}
	memo[v.Name] = res
	return res
}
