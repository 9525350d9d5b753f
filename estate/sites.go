package estate

import (
	"cmp"
	"slices"
	"strconv"
	"time"

	"noctop/model"
)

// site is what the view knows of one site: its shards, whether all of
// them are stale, and the tally of its assets.
type site struct {
	name   string
	shards map[string]*siteShard
	stale  bool
	last   time.Time
	tally  model.Tally
	// up counts assets without a problem, of total.
	up, total int
}

type siteShard struct {
	stale bool
	last  time.Time
}

// siteStates gathers the shards by site. A site is stale when every
// shard of it is; a shard only the assets name (no up, no report) is
// taken as fresh: its series were just read.
func siteStates(shards map[Shard]*shardState, assets []*asset, at time.Time, staleAfter time.Duration) map[string]*site {
	out := map[string]*site{}
	get := func(name string) *site {
		s := out[name]
		if s == nil {
			s = &site{name: name, shards: map[string]*siteShard{}}
			out[name] = s
		}
		return s
	}
	for k, sh := range shards {
		s := get(k.Site)
		s.shards[k.Shard] = &siteShard{stale: sh.stale(at, staleAfter), last: sh.last}
		if sh.last.After(s.last) {
			s.last = sh.last
		}
	}
	for _, a := range assets {
		s := get(a.Site)
		if s.shards[a.shard] == nil {
			s.shards[a.shard] = &siteShard{}
		}
	}
	for _, s := range out {
		s.stale = true
		for _, sh := range s.shards {
			s.stale = s.stale && sh.stale
		}
	}
	return out
}

// count adds one asset to the site's tally.
func (s *site) count(a *model.AssetState) {
	s.total++
	switch {
	case a.Role == model.RoleNone:
		if !a.Status.IsProblem() {
			s.up++
		}
	case a.Acked:
		s.tally.Acked++
	default:
		s.tally.Add(a.Role)
	}
}

// siteRows are the per-site summaries, one ServiceState "site NAME" each
// at the top of the functional pane: UNKNOWN when stale, CRITICAL when
// the site has a hard critical problem, WARNING for any other, else OK;
// the reason words the site's tally as the banner does. They are not
// counted among the services down.
func siteRows(sites map[string]*site, at time.Time) []*model.ServiceState {
	out := make([]*model.ServiceState, 0, len(sites))
	for _, s := range sites {
		row := &model.ServiceState{
			Name: "site " + siteLabel(s.name), Rule: "site",
			Description: shardWords(s),
			Up:          s.up, Total: s.total,
		}
		switch {
		case s.stale:
			row.Status, row.Reason = model.StatusUnknown, "stale: "+lastReport(s.last, at)
		case s.tally.Red():
			row.Status, row.Reason = model.StatusCritical, s.tally.String()
		case !s.tally.Quiet():
			row.Status, row.Reason = model.StatusWarning, s.tally.String()
		default:
			row.Status, row.Reason = model.StatusOK, s.tally.String()
		}
		out = append(out, row)
	}
	slices.SortFunc(out, func(a, b *model.ServiceState) int { return cmp.Compare(a.Name, b.Name) })
	return out
}

// shardWords is "2 shards, 1 reporting".
func shardWords(s *site) string {
	fresh := 0
	for _, sh := range s.shards {
		if !sh.stale {
			fresh++
		}
	}
	n := "shards"
	if len(s.shards) == 1 {
		n = "shard"
	}
	return strconv.Itoa(len(s.shards)) + " " + n + ", " + strconv.Itoa(fresh) + " reporting"
}
