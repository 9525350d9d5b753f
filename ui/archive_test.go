package ui

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"noctop/model"
)

// memArchive is model.Archive over what a real engine run published,
// gathered the way the store gathers it: every event past the last Seq
// taken and every history sample past the last one taken, per snapshot.
// Series answers at the store's resolutions (raw, 1-minute, 1-hour
// buckets) so the UI sees what it would see from SQLite.
type memArchive struct {
	mu      sync.Mutex
	evs     []model.Event // oldest first
	samples map[model.CheckKey][]sample
	lastSeq uint64
	lastAt  map[model.CheckKey]time.Time

	fail error // every call fails with it when set
	// What the UI asked: the number of calls and the last of each.
	events, series atomic.Int64
	lastQ          model.EventQuery
	lastFrom       time.Time
}

type sample struct {
	at      time.Time
	metrics map[string]float64
}

func newMemArchive() *memArchive {
	return &memArchive{samples: map[model.CheckKey][]sample{}, lastAt: map[model.CheckKey]time.Time{}}
}

// take records a snapshot's new events and history samples.
func (a *memArchive) take(s *model.Snapshot) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, ev := range s.Events {
		if ev.Seq > a.lastSeq {
			a.evs = append(a.evs, ev)
			a.lastSeq = ev.Seq
		}
	}
	for _, as := range s.Assets {
		for _, c := range as.Checks {
			k, h := c.Key(), c.History
			for i := range h.Len() {
				at := h.At(i)
				if !at.After(a.lastAt[k]) {
					continue
				}
				m := map[string]float64{}
				for _, name := range h.Names {
					if v, ok := h.Value(i, name); ok {
						m[name] = v
					}
				}
				a.samples[k] = append(a.samples[k], sample{at, m})
				a.lastAt[k] = at
			}
		}
	}
}

func (a *memArchive) Events(ctx context.Context, q model.EventQuery) ([]model.Event, error) {
	a.events.Add(1)
	if a.fail != nil {
		return nil, fmt.Errorf("read events: %w", a.fail)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.lastQ = q
	var out []model.Event
	for _, ev := range a.evs {
		switch {
		case !q.Since.IsZero() && ev.At.Before(q.Since), !q.Until.IsZero() && !ev.At.Before(q.Until),
			q.Asset != "" && ev.Asset != q.Asset, q.Service != "" && ev.Service != q.Service,
			q.Kinds != nil && !slices.Contains(q.Kinds, ev.Kind):
			continue
		}
		out = append(out, ev)
	}
	slices.SortStableFunc(out, func(x, y model.Event) int { return x.At.Compare(y.At) })
	limit := q.Limit
	if limit <= 0 {
		limit = model.DefaultEventLimit
	}
	return out[max(len(out)-limit, 0):], ctx.Err()
}

func (a *memArchive) Series(ctx context.Context, key model.CheckKey, metric string, from, to time.Time) ([]model.Point, error) {
	a.series.Add(1)
	if a.fail != nil {
		return nil, fmt.Errorf("read series: %w", a.fail)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.lastFrom = from
	var raw []model.Point
	for _, s := range a.samples[key] {
		if v, ok := s.metrics[metric]; ok && !s.at.Before(from) && !s.at.After(to) {
			raw = append(raw, model.Point{At: s.at, Min: v, Avg: v, Max: v, Count: 1})
		}
	}
	if len(raw) <= 1500 {
		return raw, ctx.Err()
	}
	step := time.Minute
	if to.Sub(from)/time.Minute > 1500 {
		step = time.Hour
	}
	var out []model.Point
	for _, p := range raw {
		at := p.At.Truncate(step)
		if n := len(out); n > 0 && out[n-1].At.Equal(at) {
			b := &out[n-1]
			b.Avg = (b.Avg*float64(b.Count) + p.Avg) / float64(b.Count+1)
			b.Min, b.Max, b.Count = math.Min(b.Min, p.Min), math.Max(b.Max, p.Max), b.Count+1
			continue
		}
		p.At = at
		out = append(out, p)
	}
	return out, ctx.Err()
}

// storeRun is a real engine's month, ending at fixedNow: what it
// published last and what a store would have kept of it.
type storeRun struct {
	snap *model.Snapshot
	arch *memArchive
	eng  *model.Engine // still running, until the test ends
}

// step submits one more result and returns the snapshot that has it.
func (r storeRun) step(t testing.TB, key model.CheckKey, at time.Time, o model.Outcome) *model.Snapshot {
	t.Helper()
	ctx := context.Background()
	if err := r.eng.Submit(ctx, model.Result{Key: key, Outcome: o, At: at, Duration: 12 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	s, err := r.eng.Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// runMonth drives a real engine through 30 days of results, one per check
// every ten minutes and every ten seconds in the last hour: the portal's
// latency follows the working day and goes over its limit every two hours
// (a soft WARNING and back: hundreds of events, more than a page), and
// core-sw1 stops answering three times, the last time four minutes ago
// and still down, taking erp with it. The archive gathers what each
// snapshot adds, as the store does.
func runMonth(t testing.TB) storeRun {
	t.Helper()
	cfg := &model.Config{Assets: []model.Asset{
		{Name: "gw1", Kind: "router", Address: "127.0.0.1", Checks: []model.Check{{Type: "icmp", Name: "icmp"}}},
		{Name: "core-sw1", Kind: "switch", Address: "127.0.0.10", Parents: []string{"gw1"}, Tags: []string{"site:lab"},
			Checks: []model.Check{{Type: "icmp", Name: "icmp"}}},
		{Name: "erp", Layer: model.LayerApplication, Kind: "ERP", Address: "127.0.0.21", Parents: []string{"core-sw1"},
			Checks: []model.Check{{Type: "http", Name: "health"}}},
		{Name: "portal", Layer: model.LayerApplication, Kind: "portal", Address: "127.0.0.30", Parents: []string{"gw1"},
			Checks: []model.Check{{Type: "http", Name: "https"}}},
	}}
	cfg.ApplyDefaults()
	var clock atomic.Int64
	start := fixedNow.Add(-30 * 24 * time.Hour)
	clock.Store(start.UnixNano())
	e := model.NewEngine(cfg, model.EngineOptions{Now: func() time.Time { return time.Unix(0, clock.Load()).UTC() }})
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { e.Run(ctx) })
	t.Cleanup(func() { cancel(); wg.Wait() })

	arch := newMemArchive()
	outages := [][2]time.Time{
		{start.Add(10*24*time.Hour + 3*time.Hour), start.Add(10*24*time.Hour + 3*time.Hour + 40*time.Minute)},
		{fixedNow.Add(-3*24*time.Hour - 5*time.Hour), fixedNow.Add(-3*24*time.Hour - 3*time.Hour)},
		{fixedNow.Add(-4 * time.Minute), fixedNow.Add(time.Minute)},
	}
	down := func(at time.Time) bool {
		for _, o := range outages {
			if !at.Before(o[0]) && at.Before(o[1]) {
				return true
			}
		}
		return false
	}
	submit := func(asset, check string, at time.Time, o model.Outcome) {
		if err := e.Submit(ctx, model.Result{Key: model.CheckKey{Asset: asset, Check: check}, Outcome: o, At: at, Duration: 12 * time.Millisecond}); err != nil {
			t.Fatal(err)
		}
	}
	n := 0
	for at := start; !at.After(fixedNow); {
		clock.Store(at.UnixNano())
		// The working day: 06:00 to 18:00 UTC are busier.
		day := math.Max(math.Sin(float64(at.Hour()-6)/12*math.Pi), 0)
		rtt := 0.3 + 0.4*day
		submit("gw1", "icmp", at, model.Outcome{Status: model.StatusOK, Summary: fmt.Sprintf("3/3 answered, rtt %.2f ms", rtt),
			Metrics: map[string]float64{model.MetricRTTAvg: rtt, model.MetricLossPct: 0}})
		if down(at) {
			submit("core-sw1", "icmp", at, model.Outcome{Status: model.StatusCritical, Summary: "3/3 lost", Primary: model.MetricLossPct,
				Metrics: map[string]float64{model.MetricLossPct: 100}})
			submit("erp", "health", at, model.Outcome{Status: model.StatusCritical, Summary: "dial tcp 127.0.0.21:80: connect: no route to host"})
		} else {
			submit("core-sw1", "icmp", at, model.Outcome{Status: model.StatusOK, Summary: fmt.Sprintf("3/3 answered, rtt %.2f ms", 2*rtt),
				Metrics: map[string]float64{model.MetricRTTAvg: 2 * rtt, model.MetricLossPct: 0}})
			submit("erp", "health", at, model.Outcome{Status: model.StatusOK, Summary: "HTTP 200",
				Metrics: map[string]float64{model.MetricLatency: 40 + 30*day, model.MetricStatusCode: 200}})
		}
		lat, st, sum := 25+60*day, model.StatusOK, "HTTP 200"
		if at.Sub(start)%(2*time.Hour) == 0 {
			lat, st, sum = 1200+float64(at.Hour())*10, model.StatusWarning, "HTTP 200 slow"
		}
		submit("portal", "https", at, model.Outcome{Status: st, Summary: fmt.Sprintf("%s in %.0f ms", sum, lat), Degraded: st != model.StatusOK,
			Metrics: map[string]float64{model.MetricLatency: lat, model.MetricStatusCode: 200}})
		if n++; n%30 == 0 {
			s, err := e.Sync(ctx)
			if err != nil {
				t.Fatal(err)
			}
			arch.take(s)
		}
		if fixedNow.Sub(at) > time.Hour {
			at = at.Add(10 * time.Minute)
		} else {
			at = at.Add(10 * time.Second)
		}
	}
	s, err := e.Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	arch.take(s)
	return storeRun{snap: s, arch: arch, eng: e}
}

// withArchive sets Options.Archive.
func withArchive(a model.Archive) func(*Options) {
	return func(o *Options) { o.Archive = a }
}

// run executes cmd as the runtime would, feeding the archive's answers
// back into Update (and what those return); other messages (ticks,
// snapshot waits) are not awaited.
func run(m *Root, cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	switch msg := cmd().(type) {
	case tea.BatchMsg:
		for _, c := range msg {
			run(m, c)
		}
	case eventsMsg, seriesMsg:
		_, next := m.Update(msg)
		run(m, next)
	}
}

// pressLoad presses keys, running the loads each one starts.
func pressLoad(m *Root, keys ...string) {
	for _, k := range keys {
		_, cmd := m.Update(keyMsg(k))
		run(m, cmd)
	}
}
