package estate

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"noctop/model"
)

// asset is one asset's merged rows.
type asset struct {
	key
	shard                string
	layer, kind, address string
	parents              []string
	hasStatus, badCode   bool
	status               model.Status
	role                 model.Role
	rootCauses           []string
	state                *model.AssetState
}

// Build judges one refresh and returns the view's snapshot: the rows of
// each asset merged, the assets of stale shards UNKNOWN with the reason,
// names made unique across sites, problems described by their alerts,
// acks read from the silences, the tally counted, and one row per site
// in the functional pane ("site NAME"). ui.Root draws it as it draws an
// engine's snapshot.
func Build(raw *Raw, staleAfter time.Duration) *model.Snapshot {
	if staleAfter <= 0 {
		staleAfter = DefaultStaleAfter
	}
	shards := judgeShards(raw)
	isStale := func(site, shard string) bool {
		s, ok := shards[Shard{site, shard}]
		return ok && s.stale(raw.At, staleAfter)
	}
	assets := mergeAssets(raw.Assets)
	// A fresh shard that no longer exports an asset's status dropped it
	// from its config; a stale shard's assets stay, UNKNOWN.
	assets = slices.DeleteFunc(assets, func(a *asset) bool { return !a.hasStatus && !isStale(a.Site, a.shard) })
	keys := make([]key, len(assets))
	for i, a := range assets {
		keys[i] = a.key
	}
	names := viewNames(keys)
	sites := siteStates(shards, assets, raw.At, staleAfter)
	notes := newAnnotations(raw.Alerts, raw.Silences)

	s := &model.Snapshot{At: raw.At, Newest: raw.At}
	byKey := make(map[key]*asset, len(assets))
	for _, a := range assets {
		byKey[a.key] = a
		a.state = assetState(a, names, sites, notes, raw.At)
		s.Assets = append(s.Assets, a.state)
	}
	linkChildren(s.Assets)
	for _, c := range raw.Checks {
		a := byKey[key{c.Site, c.Asset}]
		if a == nil || isStale(a.Site, a.shard) {
			continue
		}
		a.state.Checks = append(a.state.Checks, checkState(c, a, notes))
	}
	for _, a := range assets {
		st := a.state
		slices.SortFunc(st.Checks, func(x, y *model.CheckState) int { return cmp.Compare(x.Name, y.Name) })
		st.Acked = acked(st)
		s.Checks += len(st.Checks)
		s.Counts[st.Status]++
		switch {
		case st.Role == model.RoleNone:
		case st.Acked:
			s.Tally.Acked++
		default:
			s.Tally.Add(st.Role)
		}
		sites[a.Site].count(st)
	}
	s.Done = s.Checks // the pollers ran them: nothing for the view to wait for
	services := serviceStates(raw.Services)
	for _, sv := range services {
		switch sv.Status {
		case model.StatusCritical:
			s.Tally.ServicesDown++
		case model.StatusWarning:
			s.Tally.ServicesDegraded++
		}
	}
	s.Services = append(siteRows(sites, raw.At), services...)
	return s
}

// mergeAssets merges the rows of each (site, name), sorted by site and
// name.
func mergeAssets(rows []AssetRow) []*asset {
	by := map[key]*asset{}
	var out []*asset
	for _, r := range rows {
		k := key{r.Site, r.Name}
		a := by[k]
		if a == nil {
			a = &asset{key: k, shard: r.Shard.Shard}
			by[k] = a
			out = append(out, a)
		}
		if r.Info {
			a.layer, a.kind, a.address, a.parents = r.Layer, r.Kind, r.Address, r.Parents
		}
		if r.HasStatus {
			st, ok := statusOf(r.Code)
			if !a.hasStatus || st.Worse(a.status) {
				a.status = st
			}
			a.hasStatus, a.badCode = true, a.badCode || !ok
			if a.layer == "" {
				a.layer = r.Layer
			}
		}
		if role, ok := roleOf(r.Role); ok && (a.role == model.RoleNone || role < a.role) {
			a.role = role // two replicas may disagree a moment: the most urgent
		}
		if r.RootCause != "" && !slices.Contains(a.rootCauses, r.RootCause) {
			a.rootCauses = append(a.rootCauses, r.RootCause)
		}
	}
	slices.SortFunc(out, func(x, y *asset) int {
		return cmp.Or(cmp.Compare(x.Site, y.Site), cmp.Compare(x.Name, y.Name))
	})
	return out
}

// assetState is a's state in the view.
func assetState(a *asset, names map[key]string, sites map[string]*site, notes *annotations, at time.Time) *model.AssetState {
	name := names[a.key]
	st := &model.AssetState{
		Name: name, Layer: a.layer, Kind: a.kind, Address: a.address,
		Tags: tagsOf(a.key, a.shard, name),
	}
	for _, p := range a.parents {
		if n, ok := names[key{a.Site, p}]; ok {
			st.Parents = append(st.Parents, n)
		}
	}
	if sh := sites[a.Site].shards[a.shard]; sh != nil && sh.stale {
		st.Status, st.HardStatus, st.Hard, st.Role = model.StatusUnknown, model.StatusUnknown, true, model.RoleUnknown
		st.Reason = staleReason(Shard{a.Site, a.shard}, sites[a.Site].stale, sh.last, at)
		return st
	}
	st.Status, st.Role = a.status, a.role
	if st.Role == model.RoleNone {
		st.Role = impliedRole(a.status) // a poller that does not export roles
	}
	st.Hard = st.Role != model.RoleSoft
	st.HardStatus = st.Status
	if !st.Hard {
		st.HardStatus = model.StatusOK
	}
	st.Down = st.Role == model.RoleRootCause
	for _, rc := range a.rootCauses {
		if n, ok := names[key{a.Site, rc}]; ok {
			st.RootCauses = append(st.RootCauses, n)
		} else {
			st.RootCauses = append(st.RootCauses, rc)
		}
	}
	slices.Sort(st.RootCauses)
	st.RootCause = strings.Join(st.RootCauses, ",")
	if al := notes.alert(a.key); al != nil {
		st.Reason, st.Since = reasonOf(al), al.StartsAt
	}
	if a.badCode {
		st.Reason = "the poller exported a status code this noctop does not know"
	}
	if st.Reason == "" && st.Role == model.RoleUnreachable && st.RootCause != "" {
		st.Reason = "behind " + st.RootCause
	}
	st.Ack = notes.ack(a.key, "")
	return st
}

// impliedRole is the role of an asset's status when its poller exports
// no role.
func impliedRole(st model.Status) model.Role {
	switch st {
	case model.StatusUnreachable:
		return model.RoleUnreachable
	case model.StatusCritical:
		return model.RoleCritical
	case model.StatusUnknown:
		return model.RoleUnknown
	case model.StatusWarning:
		return model.RoleWarning
	}
	return model.RoleNone
}

// linkChildren fills Children from Parents.
func linkChildren(as []*model.AssetState) {
	ix := make(map[string]*model.AssetState, len(as))
	for _, a := range as {
		ix[a.Name] = a
	}
	for _, a := range as {
		for _, p := range a.Parents {
			if pa := ix[p]; pa != nil {
				pa.Children = append(pa.Children, a.Name)
			}
		}
	}
}

// checkState is one check of a view asset.
func checkState(c CheckRow, a *asset, notes *annotations) *model.CheckState {
	st, ok := statusOf(c.Code)
	cs := &model.CheckState{
		Asset: a.state.Name, Name: c.Check, Type: c.Type,
		Status: st, Hard: a.state.Hard || !st.IsProblem(), HardStatus: st,
	}
	if !cs.Hard {
		cs.HardStatus = model.StatusOK
	}
	if al := notes.checkAlert(a.key, c.Check); al != nil && st.IsProblem() {
		cs.Summary, cs.Since = model.Clip(al.Annotations["summary"], model.MaxNetText), al.StartsAt
	}
	if !ok {
		cs.Summary = "the poller exported a status code this noctop does not know"
	}
	cs.Ack = notes.ack(a.key, c.Check)
	return cs
}

// acked is the engine's rule: the asset is acked, or every check with a
// problem is.
func acked(a *model.AssetState) bool {
	if a.Ack != nil {
		return true
	}
	problems := 0
	for _, c := range a.Checks {
		if c.Status.IsProblem() {
			if c.Ack == nil {
				return false
			}
			problems++
		}
	}
	return problems > 0
}
