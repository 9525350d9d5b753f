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
}

func newAssetRow(a *model.AssetState) *assetRow {
	r := &assetRow{a: a, name: clean(a.Name), kind: clean(a.Kind), addr: clean(a.Address)}
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
// filter or sort change), never per frame.
type index struct {
	snap   *model.Snapshot
	rows   map[*model.AssetState]*assetRow
	byName map[string]*assetRow

	tech, app []*assetRow
	svcs      []*model.ServiceState
	renewals  []renewal
	problems  []*assetRow // assets with a problem, worst first (wall mode)
	causes    []*assetRow // hard-down assets: root causes

	affected, servicesDown int
	hardProblem            bool
	worstHard              model.Status // worst hard problem, for the banner's symbol
}

// buildIndex prepares a snapshot. Rows of AssetStates that did not change
// are reused from prev (the engine shares unchanged pointers).
func buildIndex(s *model.Snapshot, prev *index, f filter, sm sortMode) *index {
	ix := &index{snap: s, rows: make(map[*model.AssetState]*assetRow, len(s.Assets)), byName: make(map[string]*assetRow, len(s.Assets))}
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
		if a.Down {
			ix.causes = append(ix.causes, r)
		}
		if a.Status == model.StatusUnreachable || a.Status.IsProblem() {
			ix.affected++
		}
		if a.Status.IsProblem() {
			ix.problems = append(ix.problems, r)
		}
		if a.HardStatus.IsProblem() || a.Down {
			ix.hardProblem = true
			ix.worstHard = model.Worst(ix.worstHard, a.HardStatus)
		}
	}
	for _, v := range s.Services {
		if v.Status == model.StatusCritical {
			ix.servicesDown++
			ix.hardProblem = true
			ix.worstHard = model.StatusCritical
		}
	}
	slices.SortFunc(ix.problems, func(a, b *assetRow) int { return compareRows(a, b, sortStatus) })
	slices.SortFunc(ix.causes, func(a, b *assetRow) int { return cmp.Compare(a.a.Name, b.a.Name) })
	ix.renewals = renewals(s)
	ix.refilter(f, sm)
	return ix
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

// affectedBy lists the assets a root cause takes down (UNREACHABLE with it
// among their root causes) and the CRITICAL services that need any of them.
func (ix *index) affectedBy(cause string) ([]*assetRow, []*model.ServiceState) {
	var assets []*assetRow
	hit := map[string]bool{cause: true}
	for _, a := range ix.snap.Assets {
		if a.Status != model.StatusUnreachable {
			continue
		}
		for _, rc := range strings.Split(a.RootCause, ",") {
			if strings.TrimSpace(rc) == cause {
				assets = append(assets, ix.rows[a])
				hit[a.Name] = true
				break
			}
		}
	}
	var svcs []*model.ServiceState
	memo := map[string]bool{}
	for _, v := range ix.snap.Services {
		if v.Status == model.StatusCritical && ix.serviceNeeds(v, hit, memo, 0) {
			svcs = append(svcs, v)
		}
	}
	return assets, svcs
}

// serviceNeeds reports whether a service has a failing member among hit,
// directly or through nested services.
func (ix *index) serviceNeeds(v *model.ServiceState, hit, memo map[string]bool, depth int) bool {
	if r, ok := memo[v.Name]; ok {
		return r
	}
	memo[v.Name] = false // cycles are rejected by the loader; guard anyway
	res := false
	for _, m := range v.Members {
		failing := m.Status == model.StatusCritical || m.Status == model.StatusUnreachable || m.Status == model.StatusUnknown
		if !failing {
			continue
		}
		if m.IsService {
			if sub := ix.snap.Service(m.Name); sub != nil && depth < 32 && ix.serviceNeeds(sub, hit, memo, depth+1) {
				res = true
			}
		} else if hit[m.Name] {
			res = true
		}
	}
	memo[v.Name] = res
	return res
}
