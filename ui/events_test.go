package ui

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"noctop/model"
)

// eventsTop is the events screen on top of m's stack.
func eventsTop(t *testing.T, m *Root) *eventsScreen {
	t.Helper()
	v, ok := m.top().(*eventsScreen)
	if !ok {
		t.Fatalf("top is %T, want the events screen", m.top())
	}
	return v
}

// checkOrder fails unless evs are newest first with no Seq twice.
func checkOrder(t *testing.T, evs []loggedEvent) {
	t.Helper()
	seen := map[uint64]bool{}
	for i, ev := range evs {
		if seen[ev.Seq] {
			t.Fatalf("event %d shown twice", ev.Seq)
		}
		seen[ev.Seq] = true
		if i > 0 && ev.At.After(evs[i-1].At) {
			t.Fatalf("event %d (%s) after %d (%s): not newest first", ev.Seq, ev.At, evs[i-1].Seq, evs[i-1].At)
		}
	}
}

// Paging back: the first page is the store's newest, each move past the
// oldest asks for the page before it (Until = the oldest seen), until the
// store runs out; then no more requests.
func TestEventsPaging(t *testing.T) {
	r := runMonth(t)
	total := len(r.arch.evs)
	if total <= 2*eventPage {
		t.Fatalf("the run made %d events: too few for three pages", total)
	}
	m := newTestRoot(t, r.snap, 120, 40, withArchive(r.arch))
	pressLoad(m, "e")
	v := eventsTop(t, m)
	if got := len(v.log.evs); got != eventPage {
		t.Fatalf("first page: %d events, want %d", got, eventPage)
	}
	if q := r.arch.lastQ; !q.Until.IsZero() || q.Asset != "" || q.Limit != eventPage {
		t.Fatalf("first query %+v", q)
	}
	for page := 2; ; page++ {
		oldest := v.log.evs[len(v.log.evs)-1].At
		calls := r.arch.events.Load()
		pressLoad(m, "G")
		if v.log.end {
			break
		}
		if r.arch.events.Load() != calls+1 {
			t.Fatalf("page %d: %d requests, want 1", page, r.arch.events.Load()-calls)
		}
		if !r.arch.lastQ.Until.Equal(oldest.Add(time.Nanosecond)) {
			t.Fatalf("page %d asked until %s, want the oldest seen %s", page, r.arch.lastQ.Until, oldest)
		}
		if page > 5 {
			t.Fatal("the store never ran out")
		}
	}
	if got := len(v.log.evs); got != total {
		t.Fatalf("after paging: %d events, the store holds %d", got, total)
	}
	checkOrder(t, v.log.evs)
	pressLoad(m, "G")
	wantIn(t, m, "the store holds no older events")
	calls := r.arch.events.Load()
	pressLoad(m, "G", "down", "pgdown")
	if r.arch.events.Load() != calls {
		t.Fatal("asked the store again after it ran out")
	}
}

// New events appear as snapshots bring them, once each: at the top the
// screen follows them; elsewhere the selected event stays selected.
func TestEventsLive(t *testing.T) {
	r := runMonth(t)
	m := newTestRoot(t, r.snap, 120, 40, withArchive(r.arch))
	pressLoad(m, "e", "down", "down", "down")
	v := eventsTop(t, m)
	sel, n := v.selected().Seq, len(v.log.evs)
	// core-sw1 answers again: its check, its asset and erp recover.
	at := fixedNow.Add(10 * time.Second)
	s := r.step(t, model.CheckKey{Asset: "core-sw1", Check: "icmp"}, at, model.Outcome{Status: model.StatusOK, Summary: "3/3 answered, rtt 0.61 ms",
		Metrics: map[string]float64{model.MetricRTTAvg: 0.61, model.MetricLossPct: 0}})
	fresh := 0
	for _, ev := range s.Events {
		if ev.Seq > r.snap.Events[len(r.snap.Events)-1].Seq {
			fresh++
		}
	}
	if fresh == 0 {
		t.Fatal("the recovery made no event")
	}
	m.Update(snapMsg{s})
	if got := len(v.log.evs); got != n+fresh {
		t.Fatalf("%d events after the snapshot, want %d + %d new", got, n, fresh)
	}
	checkOrder(t, v.log.evs)
	if v.selected().Seq != sel || v.cursor != 3+fresh {
		t.Fatalf("selection moved: event %d at row %d, want %d at row %d", v.selected().Seq, v.cursor, sel, 3+fresh)
	}
	// The same snapshot again adds nothing.
	m.Update(snapMsg{s})
	if got := len(v.log.evs); got != n+fresh {
		t.Fatalf("the same snapshot twice: %d events", got)
	}
	// At the top, the newest event is selected as it comes.
	pressLoad(m, "g")
	s = r.step(t, model.CheckKey{Asset: "portal", Check: "https"}, at.Add(10*time.Second), model.Outcome{Status: model.StatusOK, Summary: "HTTP 200 in 77 ms",
		Metrics: map[string]float64{model.MetricLatency: 77, model.MetricStatusCode: 200}})
	m.Update(snapMsg{s})
	newest := s.Events[len(s.Events)-1]
	if top := v.selected(); top.At.Before(newest.At) || v.cursor != 0 {
		t.Fatalf("at the top the screen shows event %d (%s), not the newest %d", top.Seq, top.At, newest.Seq)
	}
	wantIn(t, m, "HTTP 200 in 77 ms")
}

// Enter opens the selected event's asset; Esc comes back to the same
// event.
func TestEventsEnterEsc(t *testing.T) {
	r := runMonth(t)
	m := newTestRoot(t, r.snap, 120, 40, withArchive(r.arch))
	pressLoad(m, "e")
	v := eventsTop(t, m)
	i := slices.IndexFunc(v.rows, func(row int) bool { return v.log.evs[row].Asset == "erp" })
	if i < 0 {
		t.Fatal("no erp event")
	}
	pressLoad(m, "g")
	for range i {
		pressLoad(m, "down")
	}
	sel := v.selected().Seq
	pressLoad(m, "enter")
	a, ok := m.top().(*assetScreen)
	if !ok || a.name != "erp" {
		t.Fatalf("enter opened %T %+v, want erp's asset screen", m.top(), m.top())
	}
	wantIn(t, m, "Overview › Technical › Events › erp", "no route to host")
	if q := r.arch.lastQ; q.Asset != "erp" {
		t.Fatalf("the asset screen asked for %+v, want erp's events", q)
	}
	for _, ev := range a.log.evs {
		if ev.Asset != "erp" {
			t.Fatalf("erp's screen shows an event of %s", ev.Asset)
		}
	}
	pressLoad(m, "esc")
	if eventsTop(t, m) != v || v.selected().Seq != sel {
		t.Fatal("esc did not come back to the same event")
	}
	// e from deeper down comes back to it too, rather than stacking
	// another.
	pressLoad(m, "enter", "enter", "e")
	if eventsTop(t, m) != v || len(m.stack) != 2 {
		t.Fatalf("e from a check screen: stack of %d, top %T", len(m.stack), m.top())
	}
}

// The / filter narrows the events without leaving the screen.
func TestEventsFilter(t *testing.T) {
	r := runMonth(t)
	m := newTestRoot(t, r.snap, 120, 40, withArchive(r.arch))
	pressLoad(m, "e", "/")
	typeText(m, "status:crit erp")
	pressLoad(m, "enter")
	v := eventsTop(t, m)
	if len(v.rows) == 0 || len(v.rows) == len(v.log.evs) {
		t.Fatalf("filter kept %d of %d events", len(v.rows), len(v.log.evs))
	}
	for _, row := range v.rows {
		if ev := v.log.evs[row]; ev.To != model.StatusCritical || ev.Asset != "erp" {
			t.Fatalf("filter kept %s %s", ev.Asset, ev.To)
		}
	}
	wantIn(t, m, "pass the filter")
	// A layer term keeps the events of that layer's assets.
	pressLoad(m, "/", "ctrl+u")
	typeText(m, "layer:app")
	pressLoad(m, "enter")
	for _, row := range v.rows {
		if a := v.log.evs[row].Asset; a != "erp" && a != "portal" {
			t.Fatalf("layer:app kept an event of %s", a)
		}
	}
}

// The asset screen reads the asset's events from the store and pages
// back as PgDn passes the end of the document.
func TestAssetEventsPaging(t *testing.T) {
	r := runMonth(t)
	m := newTestRoot(t, r.snap, 120, 40, withArchive(r.arch))
	m.push(&assetScreen{name: "portal"})
	run(m, m.load())
	a := m.top().(*assetScreen)
	if got := len(a.log.evs); got != eventPage {
		t.Fatalf("first page %d events, want %d", got, eventPage)
	}
	for range 200 {
		pressLoad(m, "pgdown")
		if a.log.end {
			break
		}
	}
	want := 0
	for _, ev := range r.arch.evs {
		if ev.Asset == "portal" {
			want++
		}
	}
	if len(a.log.evs) != want || !a.log.end {
		t.Fatalf("paged to %d events (end %v), the store holds %d of portal", len(a.log.evs), a.log.end, want)
	}
	checkOrder(t, a.log.evs)
	for range 100 {
		pressLoad(m, "pgdown")
	}
	wantIn(t, m, "the store holds no older events")
}

// An answer for a screen the operator left, or for a span since changed,
// is dropped.
func TestStaleAnswers(t *testing.T) {
	r := runMonth(t)
	m := newTestRoot(t, r.snap, 120, 40, withArchive(r.arch))
	// The events screen's first page arrives after Esc closed it.
	_, cmd := m.Update(keyMsg("e"))
	press(m, "esc")
	run(m, cmd)
	if _, on := m.top().(*overviewScreen); !on || len(m.stack) != 1 {
		t.Fatalf("a late answer changed the stack: %T", m.top())
	}
	// The check screen: ] twice; the 24 h answer arrives last.
	m.push(&checkScreen{asset: "portal", check: "https"})
	run(m, m.load())
	c := m.top().(*checkScreen)
	_, day := m.Update(keyMsg("]"))
	_, week := m.Update(keyMsg("]"))
	run(m, week)
	run(m, day)
	if c.span != 2 || !c.series.is(2, model.MetricLatency) || c.pending != 0 {
		t.Fatalf("span %d, series of span %d, pending %d: want the 7 d series", c.span, c.series.span, c.pending)
	}
	if from := r.arch.lastFrom; !from.Equal(fixedNow.Add(-24 * time.Hour)) {
		t.Fatalf("last series asked from %s (the 24 h one ran last)", from)
	}
	wantIn(t, m, "over 7 d")
}

// Errors from the store show on the screen; nothing else changes.
func TestArchiveErrors(t *testing.T) {
	r := runMonth(t)
	r.arch.fail = errors.New("database is locked")
	m := newTestRoot(t, r.snap, 120, 40, withArchive(r.arch))
	pressLoad(m, "e")
	wantIn(t, m, "store: read events: database is locked")
	if v := eventsTop(t, m); len(v.log.evs) != len(r.snap.Events) {
		t.Fatalf("%d events shown, want the snapshot's %d", len(v.log.evs), len(r.snap.Events))
	}
	m.push(&checkScreen{asset: "portal", check: "https"})
	run(m, m.load())
	wantIn(t, m, "store: read series: database is locked")
	// No retry on every snapshot: the next try waits for the refresh.
	calls := r.arch.series.Load()
	m.Update(snapMsg{r.snap})
	run(m, m.load())
	if r.arch.series.Load() != calls {
		t.Fatal("a failed series was asked for again at once")
	}
}

// The span keys: 1 h to 30 d with a store, each read once from it; without
// one they say they need it.
func TestCheckSpanKeys(t *testing.T) {
	r := runMonth(t)
	m := newTestRoot(t, r.snap, 160, 48, withArchive(r.arch))
	m.push(&checkScreen{asset: "portal", check: "https"})
	run(m, m.load())
	c := m.top().(*checkScreen)
	for i, sp := range chartSpans {
		if i > 0 {
			pressLoad(m, "]")
		}
		if c.span != i || !r.arch.lastFrom.Equal(fixedNow.Add(-sp.d)) {
			t.Fatalf("span %d asked from %s, want %s", c.span, r.arch.lastFrom, fixedNow.Add(-sp.d))
		}
		wantIn(t, m, "["+sp.name+"]", "over "+sp.name)
	}
	calls := r.arch.series.Load()
	pressLoad(m, "]")
	if c.span != len(chartSpans)-1 || r.arch.series.Load() != calls {
		t.Fatal("] past 30 d moved or read again")
	}
	pressLoad(m, "[", "[", "[")
	if c.span != 0 {
		t.Fatalf("[ x3 from 30 d: span %d", c.span)
	}

	plain := newTestRoot(t, r.snap, 120, 40)
	plain.push(&checkScreen{asset: "portal", check: "https"})
	pressLoad(plain, "]")
	if !plain.top().(*checkScreen).needStore {
		t.Fatal("] without a store did not say it needs one")
	}
	wantIn(t, plain, "spans: needs the store (--no-store)", "history from this run only")
}

// The chart's figures are the store's: the 30 d line's result count is
// every sample the archive holds, its maximum the highest latency sent.
func TestChartFigures(t *testing.T) {
	r := runMonth(t)
	m := newTestRoot(t, r.snap, 200, 60, withArchive(r.arch))
	m.push(&checkScreen{asset: "portal", check: "https"})
	run(m, m.load())
	pressLoad(m, "]", "]", "]")
	hi, n := 0.0, 0
	for _, s := range r.arch.samples[model.CheckKey{Asset: "portal", Check: "https"}] {
		if v, ok := s.metrics[model.MetricLatency]; ok && !s.at.Before(fixedNow.Add(-30*24*time.Hour)) {
			hi, n = max(hi, v), n+1
		}
	}
	c := m.top().(*checkScreen)
	want := "max " + formatMetric(c.state(&m.env), model.MetricLatency, hi) + " over 30 d"
	wantIn(t, m, want, plural(n, "result", "results")+")")
}

// timeColumns puts a point by its time: the first at the left edge, one
// stamped now in the last column, and leaves a real gap blank.
func TestTimeColumns(t *testing.T) {
	from := fixedNow.Add(-time.Hour)
	pt := func(at time.Time, v float64) model.Point {
		return model.Point{At: at, Min: v, Avg: v, Max: v, Count: 1}
	}
	var pts []model.Point
	for at := from; !at.After(fixedNow); at = at.Add(time.Minute) {
		if at.Sub(from) < 20*time.Minute || at.Sub(from) >= 40*time.Minute {
			pts = append(pts, pt(at, float64(at.Sub(from)/time.Minute)))
		}
	}
	cols := timeColumns(pts, from, fixedNow, 60)
	if cols[0] != 0 || cols[59] != 60 {
		t.Fatalf("edges %v %v, want 0 and 60", cols[0], cols[59])
	}
	blank := 0
	for _, v := range cols {
		if v != v {
			blank++
		}
	}
	if blank < 18 || blank > 20 {
		t.Fatalf("%d blank columns for a 20-minute gap in 60", blank)
	}
	lines := timeChart(pts, from, fixedNow, 80, 6, func(v float64) string { return num(v) })
	for _, l := range lines {
		if width(l) != 80 {
			t.Fatalf("chart line %d cells: %q", width(l), l)
		}
	}
	if !strings.Contains(lines[5], "  ") {
		t.Fatalf("the gap does not show on the bottom row: %q", lines[5])
	}
}

// A page boundary inside events that share their time loses none of them:
// the next page asks until just past the oldest seen.
func TestEventsPageBoundary(t *testing.T) {
	r := runMonth(t)
	all := r.arch.evs
	j := 100
	for ; j < len(all)-eventPage-1; j++ {
		if all[j].At.Equal(all[j+1].At) {
			break
		}
	}
	// The store holds events up to j+eventPage: its newest page starts at
	// j+1, and event j has the same time as the page's oldest.
	r.arch.evs = all[:j+1+eventPage]
	m := newTestRoot(t, r.snap, 120, 40, withArchive(r.arch))
	pressLoad(m, "e")
	v := eventsTop(t, m)
	for range 5 {
		pressLoad(m, "G")
	}
	if !slices.ContainsFunc(v.log.evs, func(ev loggedEvent) bool { return ev.Seq == all[j].Seq }) {
		t.Fatalf("event %d, at the time of the first page's oldest, was lost", all[j].Seq)
	}
	checkOrder(t, v.log.evs)
}
