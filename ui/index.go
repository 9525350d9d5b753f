package ui

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"time"

	"noctop/model"
)

// sortMode orders the rows of a pane; s cycles through them.
type sortMode int

const (
	sortStatus sortMode = iota // worst first, then name
	sortName
	sortSince // most recent change first
	sortKind  // kind (services: rule), then name
	numSorts
)

func (m sortMode) String() string {
	return [...]string{"status", "name", "since", "kind"}[m]
}

// assetRow is an asset prepared for drawing: cleaned text and the checks
// that feed its columns, found once per changed AssetState.
type assetRow struct {
	a                *model.AssetState
	name, kind, addr string
	search           string // lower-case name, kind, address, tags
	soft             string // "1/3" while the worst problem is retried
	rtt, app, tls    *model.CheckState
	snmp             *model.CheckState // with in_bps_total
	code             *model.CheckState // with status_code
	tlsDays          float64
	reason           string // cleaned Reason
	nameW, kindW     int    // cells
	addrW, reasonW   int
}

func newAssetRow(a *model.AssetState) *assetRow {
	r := &assetRow{a: a, name: clean(a.Name), kind: clean(a.Kind), addr: clean(a.Address)}
	r.reason = clean(a.Reason)
	r.nameW, r.kindW, r.addrW, r.reasonW = width(r.name), width(r.kind), width(r.addr), width(r.reason)
	r.search = strings.ToLower(a.Name + "\x00" + a.Kind + "\x00" + a.Address + "\x00" + strings.Join(a.Tags, "\x00"))
	if !a.Hard && a.Status.IsProblem() {
		for _, c := range a.Checks {
			if c.Status == a.Status && !c.Hard {
				r.soft = softLabel(c)
				break
			}
		}
	}
	for _, c := range a.Checks {
		switch c.Type {
		case model.CheckICMP:
			r.rtt = firstCheck(r.rtt, c)
		case model.CheckHTTP, model.CheckTCP, model.CheckDNS:
			r.app = firstCheck(r.app, c)
		}
		if _, ok := c.Metrics["in_bps_total"]; ok {
			r.snmp = firstCheck(r.snmp, c)
		}
		if _, ok := c.Metrics["status_code"]; ok {
			r.code = firstCheck(r.code, c)
		}
		if d, ok := daysLeft(c); ok && (r.tls == nil || d < r.tlsDays) {
			r.tls, r.tlsDays = c, d
		}
	}
	return r
}

func firstCheck(have, c *model.CheckState) *model.CheckState {
	if have != nil {
		return have
	}
	return c
}

// softLabel is "1/3" for a check being retried.
func softLabel(c *model.CheckState) string {
	return itoa(c.Attempt) + "/" + itoa(c.MaxAttempts)
}

// daysLeft is a certificate's days to expiry from a tls or https check.
func daysLeft(c *model.CheckState) (float64, bool) {
	if v, ok := c.Metrics["days_left"]; ok {
		return v, true
	}
	v, ok := c.Metrics["tls_days_left"]
	return v, ok
}

// latencyKey is the metric that says how fast an application answers.
func latencyKey(c *model.CheckState) string {
	for _, k := range []string{"latency_ms", "connect_ms", "response_ms"} {
		if _, ok := c.Metrics[k]; ok {
			return k
		}
	}
	switch c.Type {
	case model.CheckTCP:
		return "connect_ms"
	}
	return "latency_ms"
}

// history returns the last n values of one metric of a check (NaN where a
// sample lacks it).
func history(c *model.CheckState, key string, n int) []float64 {
	if c == nil || n <= 0 {
		return nil
	}
	return c.History.Tail(key, n)
}

// renewal is one lifecycle date of an asset.
type renewal struct {
	asset, what, owner string
	date               time.Time
	days               int
}

// index is everything the panes draw, computed once per snapshot (and per
// filter or sort change), never per frame. It counts nothing: the numbers
// shown come from the snapshot's Tally and each asset's Role, which the
// engine computes once for every front end.
type index struct {
	snap   *model.Snapshot
	rows   map[*model.AssetState]*assetRow
	byName map[string]*assetRow

	tech, app []*assetRow
	svcs      []*model.ServiceState
	renewals  []renewal
	renewalW  int // widest asset name among renewals
	// Widest cell of a pane's content columns (names, services, reasons),
	// so columns are sized by what they hold.
	techW, appW, svcW widths

	causes   []*assetRow // RoleRootCause, by name
	problems []*assetRow // every other role but unreachable, by role then name
	// behind maps a root cause to the UNREACHABLE assets naming it.
	behind map[string][]*assetRow
	// orphans are UNREACHABLE assets none of whose root causes is a
	// RoleRootCause asset (rechecking after the parent recovered).
	orphans []*assetRow
	// rechecking holds the assets being rechecked (Snapshot.Checking), and
	// waiting the RoleChecking assets that wait for each of them.
	rechecking map[string]bool
	waiting    map[string][]*assetRow

	// Built on first use: the triage screen and each cause's services.
	tri     *triageDoc
	svcDown map[string][]*model.ServiceState
}

// widths are the widest cells of a list's content columns.
type widths struct{ name, kind, addr, reason int }

// roleRank orders the roles for lists of problems: what to fix first.
func roleRank(r model.Role) int {
	switch r {
	case model.RoleRootCause:
		return 0
	case model.RoleChecking:
		return 1
	case model.RoleCritical:
		return 2
	case model.RoleUnknown:
		return 3
	case model.RoleWarning:
		return 4
	case model.RoleSoft:
		return 5
	case model.RoleUnreachable:
		return 6
	}
	return 7
}

// buildIndex prepares a snapshot. Rows of AssetStates that did not change
// are reused from prev (the engine shares unchanged pointers).
func buildIndex(s *model.Snapshot, prev *index, f filter, sm sortMode) *index {
	ix := &index{snap: s, rows: make(map[*model.AssetState]*assetRow, len(s.Assets)), byName: make(map[string]*assetRow, len(s.Assets)),
		svcDown: map[string][]*model.ServiceState{}}
	var unreachable []*assetRow
	for _, a := range s.Assets {
		var r *assetRow
		if prev != nil {
			r = prev.rows[a]
		}
		if r == nil {
			r = newAssetRow(a)
		}
		ix.rows[a] = r
		ix.byName[a.Name] = r
		switch a.Role {
		case model.RoleNone:
		case model.RoleRootCause:
			ix.causes = append(ix.causes, r)
		case model.RoleUnreachable:
			unreachable = append(unreachable, r)
		default:
			ix.problems = append(ix.problems, r)
		}
	}
	slices.SortFunc(ix.causes, func(a, b *assetRow) int { return cmp.Compare(a.a.Name, b.a.Name) })
	slices.SortFunc(ix.problems, func(a, b *assetRow) int {
		if c := cmp.Compare(roleRank(a.a.Role), roleRank(b.a.Role)); c != 0 {
			return c
		}
		return cmp.Compare(a.a.Name, b.a.Name)
	})
	ix.behind = make(map[string][]*assetRow, len(ix.causes))
	for _, r := range ix.causes {
		ix.behind[r.a.Name] = nil
	}
	for _, r := range unreachable {
		found := false
		for _, rc := range splitNames(r.a.RootCause) {
			if list, ok := ix.behind[rc]; ok {
				ix.behind[rc] = append(list, r)
				found = true
			}
		}
		if !found {
			ix.orphans = append(ix.orphans, r)
		}
	}
	ix.rechecking = make(map[string]bool, len(s.Checking))
	ix.waiting = make(map[string][]*assetRow, len(s.Checking))
	for _, n := range s.Checking {
		ix.rechecking[n] = true
	}
	for _, r := range ix.problems {
		if r.a.Role != model.RoleChecking {
			continue
		}
		for _, p := range splitNames(r.a.Checking) {
			ix.waiting[p] = append(ix.waiting[p], r)
		}
	}
	ix.renewals = renewals(s)
	for _, r := range ix.renewals {
		ix.renewalW = max(ix.renewalW, width(r.asset))
	}
	ix.refilter(f, sm)
	return ix
}

// splitNames splits the comma-joined names of RootCause and Checking.
func splitNames(s string) []string {
	if s == "" {
		return nil
	}
	out := strings.Split(s, ",")
	for i := range out {
		out[i] = strings.TrimSpace(out[i])
	}
	return out
}

// refilter recomputes the filtered, sorted pane lists.
func (ix *index) refilter(f filter, sm sortMode) {
	ix.tech, ix.app, ix.svcs = ix.tech[:0], ix.app[:0], ix.svcs[:0]
	for _, a := range ix.snap.Assets {
		r := ix.rows[a]
		if f.active() && !f.matchAsset(r) {
			continue
		}
		if a.Layer == model.LayerApplication {
			ix.app = append(ix.app, r)
		} else {
			ix.tech = append(ix.tech, r)
		}
	}
	for _, v := range ix.snap.Services {
		if !f.active() || f.matchService(v) {
			ix.svcs = append(ix.svcs, v)
		}
	}
	ix.techW, ix.appW, ix.svcW = rowWidths(ix.tech), rowWidths(ix.app), widths{}
	for _, v := range ix.svcs {
		ix.svcW.name = max(ix.svcW.name, width(clean(v.Name)))
		ix.svcW.reason = max(ix.svcW.reason, width(clean(v.Reason)))
	}
	sortRows := func(a, b *assetRow) int { return compareRows(a, b, sm) }
	slices.SortStableFunc(ix.tech, sortRows)
	slices.SortStableFunc(ix.app, sortRows)
	slices.SortStableFunc(ix.svcs, func(a, b *model.ServiceState) int { return compareServices(a, b, sm) })
}

func compareRows(a, b *assetRow, sm sortMode) int {
	switch sm {
	case sortName:
	case sortSince:
		if c := b.a.Since.Compare(a.a.Since); c != 0 {
			return c
		}
	case sortKind:
		if c := cmp.Compare(a.a.Kind, b.a.Kind); c != 0 {
			return c
		}
	default:
		if c := cmp.Compare(b.a.Status.Severity(), a.a.Status.Severity()); c != 0 {
			return c
		}
	}
	return cmp.Compare(a.a.Name, b.a.Name)
}

func compareServices(a, b *model.ServiceState, sm sortMode) int {
	switch sm {
	case sortName:
	case sortSince:
		if c := b.Since.Compare(a.Since); c != 0 {
			return c
		}
	case sortKind:
		if c := cmp.Compare(a.Rule, b.Rule); c != 0 {
			return c
		}
	default:
		if c := cmp.Compare(b.Status.Severity(), a.Status.Severity()); c != 0 {
			return c
		}
	}
	return cmp.Compare(a.Name, b.Name)
}

// renewals lists warranty ends and EOL dates, soonest first.
func renewals(s *model.Snapshot) []renewal {
	today := s.At.UTC().Truncate(24 * time.Hour)
	var out []renewal
	for _, a := range s.Assets {
		l := a.Lifecycle
		if l == nil {
			continue
		}
		add := func(what string, y, m, day int) {
			t := time.Date(y, time.Month(m), day, 0, 0, 0, 0, time.UTC)
			out = append(out, renewal{asset: clean(a.Name), what: what, owner: clean(l.Owner), date: t,
				days: int(math.Floor(t.Sub(today).Hours() / 24))})
		}
		if w := l.WarrantyEnd; w != nil {
			add("warranty", w.Year, w.Month, w.Day)
		}
		if e := l.EOL; e != nil {
			add("EOL", e.Year, e.Month, e.Day)
		}
	}
	slices.SortStableFunc(out, func(a, b renewal) int {
		if c := cmp.Compare(a.days, b.days); c != 0 {
			return c
		}
		return cmp.Compare(a.asset, b.asset)
	})
	return out
}

// rowWidths is the widest name and reason among rows.
func rowWidths(rows []*assetRow) widths {
	var w widths
	for _, r := range rows {
		w.name = max(w.name, r.nameW)
		w.kind = max(w.kind, r.kindW)
		w.addr = max(w.addr, r.addrW)
		w.reason = max(w.reason, r.reasonW)
	}
	return w
}

// servicesDown lists the CRITICAL services whose culprits are a root
// cause or the assets it cuts off, directly or through nested services.
func (ix *index) servicesDown(cause string) []*model.ServiceState {
	if svcs, ok := ix.svcDown[cause]; ok {
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
	ix.svcDown[cause] = svcs
	return svcs
}

// blames reports whether a service's culprits (the members the engine says
// made it fail) include one of hit, directly or through nested services.
func (ix *index) blames(v *model.ServiceState, hit, memo map[string]bool, depth int) bool {
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
			if sub := ix.snap.Service(m.Name); sub != nil && depth < 32 && ix.blames(sub, hit, memo, depth+1) {
				res = true
			}
		} else if hit[m.Name] {
			res = true
		}
	}
	memo[v.Name] = res
	return res
}
