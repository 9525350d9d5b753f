package model

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// randomEstate is a config of n assets with random parents (earlier
// assets, so no cycle), one to three checks each of icmp, tcp and http,
// and services of every rule over assets and other services.
func randomEstate(rng *rand.Rand, n int) *Config {
	cfg := &Config{}
	types := []string{CheckICMP, CheckTCP, CheckHTTP}
	for i := range n {
		a := Asset{Name: fmt.Sprintf("a%03d", i), Address: fmt.Sprintf("127.0.%d.%d", i/250, i%250+1)}
		if i > 0 && rng.IntN(3) > 0 {
			for range 1 + rng.IntN(3) {
				p := fmt.Sprintf("a%03d", rng.IntN(i))
				if !slices.Contains(a.Parents, p) {
					a.Parents = append(a.Parents, p)
				}
			}
		}
		if rng.IntN(4) == 0 {
			a.Tags = []string{"core"}
		}
		for range rng.IntN(4) { // some assets have no check
			c := Check{Type: types[rng.IntN(len(types))]}
			c.Name = fmt.Sprintf("%s%d", c.Type, len(a.Checks))
			switch c.Type {
			case CheckTCP:
				c.Port = 22
			case CheckHTTP:
				c.URL = "http://" + a.Address + "/"
			}
			a.Checks = append(a.Checks, c)
		}
		cfg.Assets = append(cfg.Assets, a)
	}
	rules := []string{"all", "any", ""}
	for s := range 1 + n/5 {
		svc := Service{Name: fmt.Sprintf("s%d", s)}
		for range 1 + rng.IntN(4) {
			m := cfg.Assets[rng.IntN(n)].Name
			if s > 0 && rng.IntN(4) == 0 {
				m = fmt.Sprintf("s%d", rng.IntN(s)) // an earlier service: no cycle
			}
			if !slices.Contains(svc.Needs, m) {
				svc.Needs = append(svc.Needs, m)
			}
		}
		svc.Rule = rules[rng.IntN(len(rules))]
		if len(svc.Needs) > 1 && rng.IntN(3) == 0 {
			svc.Rule = fmt.Sprintf("%d of %d", 1+rng.IntN(len(svc.Needs)), len(svc.Needs))
		}
		cfg.Services = append(cfg.Services, svc)
	}
	cfg.ApplyDefaults()
	return cfg
}

// randomOutcome is a result as a probe might give it: any status (PENDING
// too, which the engines turn UNKNOWN), degraded or local at times,
// metrics and attrs of a few shapes, a primary of its own at times, an
// interface table or host gauges now and then.
func randomOutcome(rng *rand.Rand) Outcome {
	statuses := []Status{StatusOK, StatusOK, StatusOK, StatusWarning, StatusCritical, StatusCritical, StatusUnknown, StatusPending}
	o := Outcome{Status: statuses[rng.IntN(len(statuses))], Summary: fmt.Sprintf("said %d", rng.IntN(100))}
	o.Degraded = o.Status == StatusCritical && rng.IntN(3) == 0
	o.Local = o.Status == StatusUnknown && rng.IntN(2) == 0
	switch rng.IntN(4) {
	case 0:
		o.Metrics = map[string]float64{MetricRTTAvg: rng.Float64(), MetricLossPct: 0}
	case 1:
		o.Metrics = map[string]float64{MetricLossPct: 100}
	case 2:
		o.Metrics = map[string]float64{}
	}
	if rng.IntN(3) == 0 {
		o.Attrs = map[string]string{"address": fmt.Sprint(rng.IntN(9))}
	}
	if rng.IntN(4) == 0 {
		o.Primary = []string{MetricRTTAvg, MetricLossPct}[rng.IntN(2)]
	}
	if rng.IntN(10) == 0 {
		o.Interfaces = []Interface{{Index: 1, Name: "eth0"}}
	}
	if rng.IntN(10) == 0 {
		o.Host = &HostTable{Cores: 2}
	}
	return o
}

// comparable strips what the two engines may word differently: when a
// status changed (the engine knows the order results came in, the
// one-shot state only their times), the time's representation and the
// next run (a one-shot run has none).
func comparableAsset(a AssetState) AssetState {
	a.Since = time.Time{}
	a.Checks = slices.Clone(a.Checks)
	for i, c := range a.Checks {
		cc := *c
		cc.Since, cc.NextRun = time.Time{}, time.Time{}
		if !cc.LastRun.IsZero() {
			cc.LastRun = time.Unix(0, cc.LastRun.UnixNano()).UTC()
		}
		a.Checks[i] = &cc
	}
	return a
}

// Once every check has a result, the one-shot state reports what the
// engine reports: each asset's status, role, root causes, reason, checks
// (status, summary, metrics, attrs, primary, tables) and the counts,
// tally and services, over random estates with parents and services,
// results in random order, a second result for some checks, results for
// no check. The one-shot state is built as noctop check builds it: from
// the config file read asset by asset (LoadEach), each asset's checks
// consumed as it is added; the engine gets the whole config (Load).
func TestOneShotMatchesTheEngine(t *testing.T) {
	dir := t.TempDir()
	var seen Tally // the roles the estates reached, so the test cannot pass on all OK
	for seed := range uint64(200) {
		rng := rand.New(rand.NewPCG(seed, 7))
		n := 1 + rng.IntN(60)
		data, err := Encode(randomEstate(rng, n))
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, fmt.Sprintf("seed%d.toml", seed))
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		cfg, err := Load(path)
		if err != nil {
			t.Fatal(err)
		}
		var results []Result
		at := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
		for _, a := range cfg.Assets {
			for j := range a.Checks {
				for range 1 + rng.IntN(2)/max(1, rng.IntN(3)) { // some twice
					at = at.Add(time.Duration(rng.IntN(1000)) * time.Millisecond)
					results = append(results, Result{Key: a.Key(&a.Checks[j]), Outcome: randomOutcome(rng), At: at,
						Duration: time.Duration(rng.IntN(500)) * time.Millisecond})
				}
			}
		}
		results = append(results, Result{Key: CheckKey{Asset: "nope", Check: "icmp0"}, Outcome: Outcome{Status: StatusCritical}})
		rng.Shuffle(len(results), func(i, j int) { results[i], results[j] = results[j], results[i] })

		now := func() time.Time { return at }
		o := StartOneShot(OneShotOptions{Now: now, Indexed: func(a *Asset) { a.Checks = nil }})
		streamed, err := LoadEach(context.Background(), path, func(_ *Config, a *Asset) { o.Add(a) })
		if err != nil {
			t.Fatal(err)
		}
		o.Seal(streamed)
		for _, r := range results {
			if err := o.Submit(context.Background(), r); err != nil {
				t.Fatal(err)
			}
		}
		want := engineSnapshot(t, cfg, now, results)
		got := o.Head()
		seen.RootCauses += got.Tally.RootCauses
		seen.Unreachable += got.Tally.Unreachable
		seen.Critical += got.Tally.Critical
		seen.Warning += got.Tally.Warning
		seen.ServicesDown += got.Tally.ServicesDown
		seen.ServicesDegraded += got.Tally.ServicesDegraded
		sameAsEngine(t, fmt.Sprintf("seed %d", seed), o, want)
	}
	if seen.RootCauses == 0 || seen.Unreachable == 0 || seen.Critical == 0 || seen.Warning == 0 || seen.ServicesDown == 0 || seen.ServicesDegraded == 0 {
		t.Errorf("the estates reached %+v; want every role", seen)
	}
	t.Logf("roles reached over the estates: %+v", seen)
}

// sameAsEngine compares a one-shot state with the engine's snapshot.
func sameAsEngine(t *testing.T, run string, o *OneShot, want *Snapshot) {
	t.Helper()
	got := o.Head()
	if got.Counts != want.Counts || got.Tally != want.Tally || !slices.Equal(got.Checking, want.Checking) ||
		got.Checks != want.Checks || got.Done != want.Done || !got.Newest.Equal(want.Newest) {
		t.Fatalf("%s: head: counts %v tally %+v checking %v, %d of %d done, newest %v; the engine: %v %+v %v, %d of %d, %v",
			run, got.Counts, got.Tally, got.Checking, got.Done, got.Checks, got.Newest,
			want.Counts, want.Tally, want.Checking, want.Done, want.Checks, want.Newest)
	}
	if len(got.Services) != len(want.Services) {
		t.Fatalf("%s: %d services, the engine %d", run, len(got.Services), len(want.Services))
	}
	for i, g := range got.Services {
		w := *want.Services[i]
		g := *g
		g.Since, w.Since = time.Time{}, time.Time{}
		if !reflect.DeepEqual(g, w) {
			t.Fatalf("%s: service %s:\n got %+v\nwant %+v", run, w.Name, g, w)
		}
		if got.Service(w.Name) == nil {
			t.Fatalf("%s: Service(%q) is nil", run, w.Name)
		}
	}
	i := 0
	for a := range o.Assets() {
		g, w := comparableAsset(*a), comparableAsset(*want.Assets[i])
		if !reflect.DeepEqual(g, w) {
			t.Fatalf("%s: asset %s:\n got %+v\nwant %+v", run, w.Name, g, w)
		}
		for j := range g.Checks {
			if !reflect.DeepEqual(g.Checks[j], w.Checks[j]) {
				t.Fatalf("%s: check %s:\n got %+v\nwant %+v", run, w.Checks[j].Key(), g.Checks[j], w.Checks[j])
			}
		}
		i++
	}
	if i != len(want.Assets) {
		t.Fatalf("%s: %d assets, the engine %d", run, i, len(want.Assets))
	}
}

// engineSnapshot runs the engine in one-shot mode over cfg and results.
func engineSnapshot(t *testing.T, cfg *Config, now func() time.Time, results []Result) *Snapshot {
	t.Helper()
	e := NewEngine(cfg, EngineOptions{OneShot: true, Now: now})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go e.Run(ctx)
	for _, r := range results {
		if err := e.Submit(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	s, err := e.Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// A config the loader would refuse, with an asset's name twice and a
// check's name twice in an asset: the one-shot state ignores what the
// engine ignores (the second check of a name; results go to the first
// asset of a name), and a check without a result stays PENDING in both.
func TestOneShotIgnoresDuplicatesAsTheEngineDoes(t *testing.T) {
	cfg := &Config{Assets: []Asset{
		{Name: "a", Checks: []Check{{Type: CheckICMP}, {Type: CheckICMP}, {Type: CheckTCP, Port: 22}}},
		{Name: "b", Parents: []string{"a"}, Checks: []Check{{Type: CheckICMP}}},
		{Name: "a", Checks: []Check{{Type: CheckICMP}, {Type: CheckHTTP, URL: "http://127.0.0.1/"}}},
		{Name: "c", Parents: []string{"b", "nope"}, Checks: []Check{{Type: CheckICMP}, {Type: CheckTCP, Port: 80}}},
	}}
	cfg.ApplyDefaults()
	at := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	now := func() time.Time { return at }
	var results []Result
	for i, a := range cfg.Assets {
		for j := range a.Checks {
			if i == 3 && j == 1 {
				continue // c's tcp: no result
			}
			results = append(results, Result{Key: a.Key(&a.Checks[j]), At: at.Add(time.Duration(i) * time.Second),
				Outcome: Outcome{Status: StatusCritical, Summary: fmt.Sprint(i, j)}})
		}
	}
	want := engineSnapshot(t, cfg, now, results)
	o := NewOneShot(cfg, OneShotOptions{Now: now})
	for _, r := range results {
		if err := o.Submit(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	}
	sameAsEngine(t, "duplicates", o, want)
	// a's second icmp and the second a's icmp are ignored; the second a's
	// http gets no result (results find the first a).
	if got := o.Head(); got.Checks != 6 || got.Done != 4 || want.Asset("c").RootCause != "a" {
		t.Errorf("%d checks, %d done, c's root cause %q; want 6, 4 and a (b is UNREACHABLE behind it)", got.Checks, got.Done, want.Asset("c").RootCause)
	}
}

// The one-shot state holds each check's last result and little else: at
// 2,000 icmp assets, what the heap holds for it after Head, each result's
// values included.
func TestOneShotHoldsLittleAnAsset(t *testing.T) {
	const n = 2000
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "[[asset]]\nname = \"t%05d\"\naddress = \"127.1.%d.%d\"\n[[asset.check]]\ntype = \"icmp\"\n", i, i/250, i%250+1)
	}
	cfg, err := Parse("o.toml", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	keys := make([]CheckKey, n)
	kept := make([][]Check, n) // the config's checks stay: what is measured is the state alone
	for i := range cfg.Assets {
		keys[i] = cfg.Assets[i].Key(&cfg.Assets[i].Checks[0])
		kept[i] = cfg.Assets[i].Checks
	}
	before := liveHeap()
	o := NewOneShot(cfg, OneShotOptions{Indexed: func(a *Asset) { a.Checks = nil }})
	at := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	for i, k := range keys {
		// An icmp result as the probe makes it: seven metrics, two attrs.
		o.Submit(context.Background(), Result{Key: k, At: at, Duration: 40 * time.Millisecond, Outcome: Outcome{
			Status: StatusOK, Summary: "3/3 received, rtt 0.0043/0.022/0.047 ms", Primary: MetricRTTAvg,
			Metrics: map[string]float64{MetricSent: 3, MetricReceived: 3, MetricLossPct: 0, MetricRTTMin: 0.004, MetricRTTAvg: 0.02, MetricRTTMax: 0.05, MetricJitter: 0.01},
			Attrs:   map[string]string{"icmp_mode": "raw", "address": cfg.Assets[i].Address}}})
	}
	if h := o.Head(); h.Count(StatusOK) != n || h.Done != n {
		t.Fatalf("%d OK, %d done; want %d", h.Count(StatusOK), h.Done, n)
	}
	held := liveHeap() - before
	// Measured 300 bytes an asset: the check's last result 72, its values
	// in the shared arrays ~90 (and their slack from growing), the verdict
	// 40, parents and children 48, the name index and check ranges 8.
	if per := held / n; per > 400 {
		t.Errorf("the one-shot state holds %d bytes an asset after Head; want at most 400 (the engine held 1,004)", per)
	}
	runtime.KeepAlive(o)
	runtime.KeepAlive(kept)
}

// The one-shot state keeps each result's metrics and attrs as values under
// shared names, in one array; what Assets gives back is the last result
// submitted, nil and empty maps included, whatever the mix of shapes and
// however many results a check had. Results for unknown checks are
// ignored.
func TestOneShotGivesBackEachResultsMaps(t *testing.T) {
	var b strings.Builder
	for i := range 5 {
		fmt.Fprintf(&b, "[[asset]]\nname = \"a%d\"\naddress = \"127.0.0.%d\"\n[[asset.check]]\ntype = \"icmp\"\n[[asset.check]]\ntype = \"tcp\"\nport = 22\n", i, i+1)
	}
	cfg, err := Parse("o.toml", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	outcomes := []Outcome{
		{Status: StatusOK, Summary: "3/3", Metrics: map[string]float64{MetricSent: 3, MetricReceived: 3, MetricRTTAvg: 0.5}, Attrs: map[string]string{"icmp_mode": "raw", "address": "127.0.0.1"}},
		{Status: StatusCritical, Summary: "0/3", Metrics: map[string]float64{MetricSent: 3, MetricReceived: 0, MetricLossPct: 100}, Attrs: map[string]string{"icmp_mode": "raw"}},
		{Status: StatusUnknown, Summary: "no socket"},
		{Status: StatusOK, Summary: "connected", Metrics: map[string]float64{}, Attrs: map[string]string{}},
		{Status: StatusOK, Summary: "3/3", Metrics: map[string]float64{MetricSent: 3, MetricReceived: 3, MetricRTTAvg: 0.7}, Attrs: map[string]string{"icmp_mode": "raw", "address": "127.0.0.5"}},
	}
	e := NewOneShot(cfg, OneShotOptions{})
	ctx := context.Background()
	want := map[CheckKey]Outcome{}
	k := 0
	for i := range cfg.Assets {
		a := &cfg.Assets[i]
		for j := range a.Checks {
			o := outcomes[k%len(outcomes)]
			k++
			key := a.Key(&a.Checks[j])
			want[key] = o
			// An earlier result first: of the same shape as the last one
			// (values overwritten in place) or of another (values
			// appended); and results for no check, which are ignored.
			for _, r := range []Result{
				{Key: key, Outcome: outcomes[k%len(outcomes)]},
				{Key: CheckKey{Asset: a.Name, Check: "nope"}, Outcome: outcomes[0]},
				{Key: CheckKey{Asset: "nope", Check: key.Check}, Outcome: outcomes[0]},
				{Key: key, Outcome: o},
			} {
				if err := e.Submit(ctx, r); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	check := func(from string, c *CheckState) {
		t.Helper()
		o := want[c.Key()]
		if !reflect.DeepEqual(c.Metrics, o.Metrics) || !reflect.DeepEqual(c.Attrs, o.Attrs) {
			t.Errorf("%s %s: metrics %#v attrs %#v, want %#v %#v", from, c.Key(), c.Metrics, c.Attrs, o.Metrics, o.Attrs)
		}
	}
	for a := range e.Assets() {
		for _, c := range a.Checks {
			check("Assets", c)
		}
	}
}

// Results come from many runs at once (256 in check): each is kept, and
// Head and Assets see every one.
func TestOneShotTakesResultsFromManyRuns(t *testing.T) {
	cfg := &Config{}
	for i := range 500 {
		cfg.Assets = append(cfg.Assets, Asset{Name: fmt.Sprintf("h%d", i), Address: "127.0.0.1", Checks: []Check{{Type: CheckICMP}, {Type: CheckTCP, Port: 22}}})
	}
	cfg.ApplyDefaults()
	o := NewOneShot(cfg, OneShotOptions{})
	var wg sync.WaitGroup
	for w := range 16 {
		wg.Go(func() {
			for i := w; i < len(cfg.Assets); i += 16 {
				a := &cfg.Assets[i]
				for j := range a.Checks {
					o.Submit(context.Background(), Result{Key: a.Key(&a.Checks[j]), Outcome: Outcome{Status: StatusOK, Summary: a.Name,
						Metrics: map[string]float64{MetricRTTAvg: float64(i)}}})
				}
			}
		})
	}
	wg.Wait()
	if h := o.Head(); h.Done != 1000 || h.Count(StatusOK) != 500 {
		t.Fatalf("%d of %d checks done, %d OK; want all", h.Done, h.Checks, h.Count(StatusOK))
	}
	i := 0
	for a := range o.Assets() {
		for _, c := range a.Checks {
			if c.Summary != a.Name || c.Metrics[MetricRTTAvg] != float64(i) {
				t.Fatalf("%s: %q %v, want its own result", c.Key(), c.Summary, c.Metrics)
			}
		}
		i++
	}
}
