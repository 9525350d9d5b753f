package ui

import (
	"slices"
	"strings"

	"noctop/model"
)

// assetRow is an asset prepared for drawing: cleaned text and the checks
// that feed its columns, found once per changed AssetState.
type assetRow struct {
	a    *model.AssetState
	slot int // index in Snapshot.Assets (-1: not in the index)
	// What the index sorts by, next to the pointer so that a binary search
	// reads one cache line per row: the asset's place among the estate's
	// names (set by the index; names never change) and its severity.
	rank, sev        int
	name, kind, addr string
	search           string // lower-case name, kind, address, tags
	soft             string // "1/3" while the worst problem is retried
	rtt, app, tls    *model.CheckState
	snmp             *model.CheckState // with traffic totals
	code             *model.CheckState // with an HTTP status code
	tlsDays          float64
	reason           string // cleaned Reason
	nameW, kindW     int    // cells
	addrW, reasonW   int
}

func newAssetRow(a *model.AssetState, slot int) *assetRow { return nextAssetRow(a, slot, nil) }

// nextAssetRow is the row of a new state of the asset whose row was prev
// (nil for none): the cleaned name, kind, address and search text are
// kept when their sources did not change, as between results they never
// do.
func nextAssetRow(a *model.AssetState, slot int, prev *assetRow) *assetRow {
	r := &assetRow{a: a, slot: slot, sev: a.Status.Severity()}
	if prev != nil && prev.a.Name == a.Name {
		r.rank = prev.rank
	}
	if p := prev; p != nil && p.a.Name == a.Name && p.a.Kind == a.Kind && p.a.Address == a.Address && slices.Equal(p.a.Tags, a.Tags) {
		r.name, r.kind, r.addr, r.search = p.name, p.kind, p.addr, p.search
		r.nameW, r.kindW, r.addrW = p.nameW, p.kindW, p.addrW
	} else {
		r.name, r.kind, r.addr = clean(a.Name), clean(a.Kind), clean(a.Address)
		r.nameW, r.kindW, r.addrW = width(r.name), width(r.kind), width(r.addr)
		r.search = strings.ToLower(a.Name + "\x00" + a.Kind + "\x00" + a.Address + "\x00" + strings.Join(a.Tags, "\x00"))
	}
	r.reason = clean(a.Reason)
	if a.Flapping {
		r.reason = flapSym + " flapping · " + r.reason
	}
	r.reasonW = width(r.reason)
	if a.Maintenance != nil {
		r.reasonW += maintUntilW
	}
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
		if _, ok := c.Metrics[model.MetricInBps]; ok {
			r.snmp = firstCheck(r.snmp, c)
		}
		if _, ok := c.Metrics[model.MetricStatusCode]; ok {
			r.code = firstCheck(r.code, c)
		}
		if d, ok := c.Metrics[model.MetricCertDays]; ok && (r.tls == nil || d < r.tlsDays) {
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

// history returns the last n values of one metric of a check (NaN where a
// sample lacks it).
func history(c *model.CheckState, key string, n int) []float64 {
	if c == nil || n <= 0 {
		return nil
	}
	return c.History.Tail(key, n)
}
