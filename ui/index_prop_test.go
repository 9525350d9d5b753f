package ui

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pelletier/go-toml/v2"

	"noctop/model"
)

// The words the generated estates are made of: few, so that sort keys tie
// (the slot breaks ties) and filters match some rows, not all or none.
var (
	propKinds    = []string{"router", "switch", "web", "db", ""}
	propReasons  = []string{"", "icmp: 3/3 answered", "icmp: 3/3 lost", "数据中心 down", "unreachable: root cause a00", strings.Repeat("long ", 20)}
	propFilters  = []string{"", "status:crit", "status:ok status:warn", "tag:site", "tag:site:hq", "layer:app", "layer:tech", "sw", "a0 status:crit", "web db", "status:unre", "zzz"}
	propStatuses = []model.Status{model.StatusPending, model.StatusMaintenance, model.StatusOK, model.StatusWarning, model.StatusCritical, model.StatusUnknown, model.StatusUnreachable}
	propRules    = []string{"all", "any", "2 of 3"}
)

// propEstate is a random estate of n assets (names in another order than
// the assets'), with lifecycles, tags and a few services.
func propEstate(rng *rand.Rand) *model.Snapshot {
	n := 1 + rng.IntN(80)
	s := &model.Snapshot{Seq: 1, At: fixedNow}
	for i := range n {
		a := &model.AssetState{Name: fmt.Sprintf("%c%02d", 'a'+rng.IntN(4), i), Layer: "technical", Address: fmt.Sprintf("127.0.%d.%d", i/250, i%250)}
		if rng.IntN(4) == 0 {
			a.Layer = model.LayerApplication
		}
		for _, t := range []string{"site:hq", "site:lab", "role:edge"} {
			if rng.IntN(3) == 0 {
				a.Tags = append(a.Tags, t)
			}
		}
		if rng.IntN(6) == 0 {
			a.Lifecycle = propLifecycle(rng)
		}
		s.Assets = append(s.Assets, a)
		propChange(rng, s, a, true)
	}
	for i := range rng.IntN(5) {
		s.Services = append(s.Services, propService(rng, s, fmt.Sprintf("svc%d", i)))
	}
	s.Checking = propChecking(rng, s)
	return s
}

// propChange gives an asset a new state: a random part of status, since,
// kind, role, reason, or (all false) nothing but a new pointer, as a
// result that changes nothing shown does.
func propChange(rng *rand.Rand, s *model.Snapshot, a *model.AssetState, all bool) {
	pick := func() bool { return all || rng.IntN(3) == 0 }
	if pick() {
		a.Status = propStatuses[rng.IntN(len(propStatuses))]
		a.Hard = rng.IntN(3) > 0
	}
	if pick() {
		a.Since = fixedNow.Add(-time.Duration(rng.IntN(5)) * time.Minute)
	}
	if pick() {
		a.Kind = propKinds[rng.IntN(len(propKinds))]
	}
	if !all && rng.IntN(20) == 0 { // config, fixed while the engine runs; the index does not rely on it
		a.Lifecycle = propLifecycle(rng)
	}
	if pick() {
		a.Reason = propReasons[rng.IntN(len(propReasons))]
	}
	if pick() {
		a.Role, a.RootCauses, a.Checking = model.Role(rng.IntN(8)), nil, nil
		for range rng.IntN(3) {
			a.RootCauses = append(a.RootCauses, s.Assets[rng.IntN(len(s.Assets))].Name)
		}
		if a.Role == model.RoleChecking {
			a.Checking = []string{s.Assets[rng.IntN(len(s.Assets))].Name}
		}
	}
	a.Checks = []*model.CheckState{{Asset: a.Name, Name: "icmp", Type: model.CheckICMP, Status: a.Status, Hard: a.Hard,
		HardStatus: a.Status, Attempt: 1 + rng.IntN(3), MaxAttempts: 3}}
}

func propLifecycle(rng *rand.Rand) *model.Lifecycle {
	day := func() *toml.LocalDate {
		t := fixedNow.AddDate(0, 0, rng.IntN(400)-30)
		return &toml.LocalDate{Year: t.Year(), Month: int(t.Month()), Day: t.Day()}
	}
	l := &model.Lifecycle{WarrantyEnd: day(), Owner: "netops"}
	if rng.IntN(2) == 0 {
		l.EOL = day()
	}
	return l
}

func propService(rng *rand.Rand, s *model.Snapshot, name string) *model.ServiceState {
	v := &model.ServiceState{Name: name, Rule: propRules[rng.IntN(len(propRules))], Status: propStatuses[rng.IntN(len(propStatuses))],
		Reason: propReasons[rng.IntN(len(propReasons))], Since: fixedNow.Add(-time.Duration(rng.IntN(3)) * time.Minute)}
	for range 1 + rng.IntN(4) {
		v.Members = append(v.Members, model.MemberState{Name: s.Assets[rng.IntN(len(s.Assets))].Name, Culprit: rng.IntN(2) == 0})
	}
	return v
}

func propChecking(rng *rand.Rand, s *model.Snapshot) []string {
	var names []string
	for range rng.IntN(3) {
		names = append(names, s.Assets[rng.IntN(len(s.Assets))].Name)
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// propNext is the next snapshot of an estate: a random subset of assets
// (often none or a few, sometimes all) with new states, sometimes new
// services, assets being rechecked, or another day.
func propNext(rng *rand.Rand, s *model.Snapshot) *model.Snapshot {
	next := *s
	next.Seq++
	next.Assets = slices.Clone(s.Assets)
	k := 0
	switch r := rng.IntN(10); {
	case r < 2:
	case r < 8:
		k = 1 + rng.IntN(3)
	default:
		k = rng.IntN(len(s.Assets) + 1)
	}
	for range k {
		i := rng.IntN(len(next.Assets))
		a := *next.Assets[i]
		propChange(rng, &next, &a, false)
		next.Assets[i] = &a
	}
	if rng.IntN(5) == 0 {
		next.Checking = propChecking(rng, &next)
	}
	if len(s.Services) > 0 && rng.IntN(5) == 0 {
		next.Services = slices.Clone(s.Services)
		i := rng.IntN(len(next.Services))
		next.Services[i] = propService(rng, &next, next.Services[i].Name)
	}
	if rng.IntN(10) == 0 {
		next.At = next.At.Add(time.Duration(rng.IntN(48)) * time.Hour)
	}
	return &next
}

// TestIndexUpdateMatchesRebuild: for random estates, random sequences of
// snapshots, filters and sorts, the index moved from snapshot to snapshot
// holds exactly what one built from scratch for the last snapshot holds:
// the rows and their order in each pane, widths and counts, the triage
// lists, renewals and where each item is.
func TestIndexUpdateMatchesRebuild(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 3))
	estates, steps := 400, 40
	if testing.Short() || raceOn {
		estates = 40
	}
	for e := range estates {
		s := propEstate(rng)
		f, sm := parseFilter(propFilters[rng.IntN(len(propFilters))]), sortMode(rng.IntN(int(numSorts)))
		ix := buildIndex(s, nil, f, sm)
		for step := range steps {
			if rng.IntN(6) == 0 {
				f = parseFilter(propFilters[rng.IntN(len(propFilters))])
				if rng.IntN(2) == 0 {
					sm = sortMode(rng.IntN(int(numSorts)))
				}
				ix.refilter(f, sm)
			}
			s = propNext(rng, s)
			if !ix.update(s) {
				t.Fatalf("estate %d step %d: update refused a snapshot of the same estate", e, step)
			}
			where := fmt.Sprintf("estate %d step %d (filter %q, sort %s)", e, step, f.text, sm)
			sameIndex(t, where, ix, buildIndex(s, nil, f, sm))
			if t.Failed() {
				return
			}
		}
	}
}

// A snapshot of another estate (more, fewer or other assets) is refused,
// and the index is left as it was.
func TestIndexUpdateRefusesAnotherEstate(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	s := propEstate(rng)
	for len(s.Assets) < 3 {
		s = propEstate(rng)
	}
	ix := buildIndex(s, nil, filter{}, sortStatus)
	fewer := *s
	fewer.Assets = s.Assets[1:]
	renamed := *s
	renamed.Assets = slices.Clone(s.Assets)
	a := *renamed.Assets[1]
	a.Name = "zz-other"
	renamed.Assets[1] = &a
	for _, other := range []*model.Snapshot{&fewer, &renamed} {
		if ix.update(other) {
			t.Fatalf("update took a snapshot of %d assets (was %d)", len(other.Assets), len(s.Assets))
		}
		sameIndex(t, "after a refused snapshot", ix, buildIndex(s, nil, filter{}, sortStatus))
	}
}

// sameIndex compares what an index shows with what a fresh one shows.
func sameIndex(t *testing.T, where string, got, want *snapshotIndex) {
	t.Helper()
	states := func(rows []*assetRow) []string {
		out := make([]string, len(rows))
		for i, r := range rows {
			out[i] = fmt.Sprintf("%s@%d/%p", r.a.Name, r.slot, r.a)
		}
		return out
	}
	eq := func(what string, g, w any) {
		t.Helper()
		if !reflect.DeepEqual(g, w) && !(reflect.ValueOf(g).Kind() == reflect.Slice && reflect.ValueOf(g).Len()+reflect.ValueOf(w).Len() == 0) {
			t.Errorf("%s: %s\n got %v\nwant %v", where, what, g, w)
		}
	}
	for i := range want.slots {
		eq(fmt.Sprintf("row of slot %d", i), *got.slots[i], *want.slots[i])
	}
	eq("technical pane", states(got.tech), states(want.tech))
	eq("application pane", states(got.app), states(want.app))
	eq("functional pane", got.svcs, want.svcs)
	eq("widths", []widths{got.techW, got.appW, got.svcW}, []widths{want.techW, want.appW, want.svcW})
	eq("pane counts", []paneTally{got.techN, got.appN, got.svcN}, []paneTally{want.techN, want.appN, want.svcN})
	eq("root causes", states(got.causes.rows), states(want.causes.rows))
	eq("problems", states(got.problems.rows), states(want.problems.rows))
	eq("orphans", states(got.orphans), states(want.orphans))
	eq("rechecking", got.rechecking, want.rechecking)
	eq("renewals", got.renewals, want.renewals)
	eq("renewal width", got.renewalW, want.renewalW)
	for _, r := range want.causes.rows {
		n := r.a.Name
		eq("behind "+n, states(got.behind[n]), states(want.behind[n]))
		eq("services down with "+n, got.servicesDown(n), want.servicesDown(n))
	}
	for n, w := range want.waiting {
		eq("waiting for "+n, states(got.waiting[n]), states(w))
	}
	eq("waited for", len(got.waiting), len(want.waiting))
	gd, wd := got.triage(), want.triage()
	items := func(d *triageDoc) []string {
		var out []string
		for _, it := range d.items {
			out = append(out, fmt.Sprintf("%d:%s", it.kind, states([]*assetRow{it.r})[0]))
		}
		return out
	}
	eq("triage items", items(gd), items(wd))
	eq("triage lines", gd.entries, wd.entries)
	// Where each item is: a binary search, against the list itself.
	names := []string{"nowhere"}
	for _, a := range got.snap.Assets {
		names = append(names, a.Name)
	}
	for _, v := range got.snap.Services {
		names = append(names, v.Name)
	}
	for p := range numPanes {
		at := map[string]int{}
		for i := range paneLen(&env{index: want}, p) {
			if n := paneItem(&env{index: want}, p, i); at[n] == 0 {
				at[n] = i + 1
			}
		}
		for _, n := range names {
			if g := got.position(p, n); g != at[n]-1 {
				t.Errorf("%s: pane %d: %s at %d, want %d", where, p, n, g, at[n]-1)
			}
		}
	}
}
