package model

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

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
// engine reports: each asset's status, role, root causes, reason, window,
// checks (status, summary, metrics, attrs, primary, tables, the lifecycle
// register) and the counts, tally and services, over random estates with
// parents, services, maintenance windows open and not (by asset, tag and
// service) and lifecycle dates, results in random order (certificates
// from the tls and https checks), a second result for some checks,
// results for no check. The one-shot state is built as noctop check builds it: from
// the config file read asset by asset (LoadEach), each asset's checks
// consumed as it is added; the engine gets the whole config (Load).
func TestOneShotMatchesTheEngine(t *testing.T) {
	dir := t.TempDir()
	var seen Tally   // the roles the estates reached, so the test cannot pass on all OK
	var ops struct { // and the windows and registers
		maintained, covered, svcMaint, lifeProblems int
		items                                       map[string]int
	}
	ops.items = map[string]int{}
	for seed := range uint64(200) {
		rng := rand.New(rand.NewPCG(seed, 7))
		n := 1 + rng.IntN(60)
		start := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
		data, err := Encode(randomEstate(rng, n, start))
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
		at := start
		for _, a := range cfg.Assets {
			for j := range a.Checks {
				for range 1 + rng.IntN(2)/max(1, rng.IntN(3)) { // some twice
					at = at.Add(time.Duration(rng.IntN(1000)) * time.Millisecond)
					o := randomOutcome(rng)
					if reportsCerts(&a.Checks[j]) {
						o.Certs = randomCerts(rng, start)
					}
					results = append(results, Result{Key: a.Key(&a.Checks[j]), Outcome: o, At: at,
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
		for a := range o.Assets() {
			switch m := a.Maintenance; {
			case m == nil:
			case m.CoveredBy != "":
				ops.covered++
			default:
				ops.maintained++
			}
			for _, c := range a.Checks {
				for _, r := range c.Renewals() {
					ops.items[r.Kind+" "+r.Status.String()]++
				}
				if c.Type == CheckLifecycle && c.Status.IsProblem() && a.Status != StatusMaintenance && !a.Down {
					ops.lifeProblems++
				}
			}
		}
		for _, s := range got.Services {
			if strings.HasSuffix(s.Reason, "(maintenance)") {
				ops.svcMaint++
			}
		}
	}
	if seen.RootCauses == 0 || seen.Unreachable == 0 || seen.Critical == 0 || seen.Warning == 0 || seen.ServicesDown == 0 || seen.ServicesDegraded == 0 {
		t.Errorf("the estates reached %+v; want every role", seen)
	}
	if ops.maintained == 0 || ops.covered == 0 || ops.svcMaint == 0 || ops.lifeProblems == 0 ||
		ops.items["certificate CRITICAL"] == 0 || ops.items["certificate WARNING"] == 0 || ops.items["certificate OK"] == 0 ||
		ops.items["eos CRITICAL"] == 0 || ops.items["licence WARNING"] == 0 || ops.items["warranty OK"] == 0 {
		t.Errorf("the estates reached %+v; want windows of their own and covering, services counting maintained members, lifecycle problems, dates and certificates of every status", ops)
	}
	t.Logf("roles reached over the estates: %+v; windows and registers: %+v", seen, ops)
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
	var errs []error
	for _, r := range results {
		errs = append(errs, e.Submit(ctx, r))
	}
	s, err := e.Sync(ctx)
	if err := errors.Join(append(errs, err)...); err != nil {
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
