package model

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
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
// no check.
func TestOneShotMatchesTheEngine(t *testing.T) {
	var seen Tally // the roles the estates reached, so the test cannot pass on all OK
	for seed := range uint64(200) {
		rng := rand.New(rand.NewPCG(seed, 7))
		n := 1 + rng.IntN(60)
		cfg := randomEstate(rng, n)
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
		e := NewEngine(cfg, EngineOptions{OneShot: true, Now: now})
		ctx, cancel := context.WithCancel(context.Background())
		ran := make(chan struct{})
		go func() {
			defer close(ran)
			e.Run(ctx)
		}()
		o := NewOneShot(cfg, OneShotOptions{Now: now})
		for _, r := range results {
			if err := e.Submit(ctx, r); err != nil {
				t.Fatal(err)
			}
			if err := o.Submit(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
		want, err := e.Sync(ctx)
		cancel()
		<-ran
		if err != nil {
			t.Fatal(err)
		}
		got := o.Head()
		if got.Counts != want.Counts || got.Tally != want.Tally || !slices.Equal(got.Checking, want.Checking) ||
			got.Checks != want.Checks || got.Done != want.Done || !got.Newest.Equal(want.Newest) {
			t.Fatalf("seed %d: head: counts %v tally %+v checking %v, %d of %d done, newest %v; the engine: %v %+v %v, %d of %d, %v",
				seed, got.Counts, got.Tally, got.Checking, got.Done, got.Checks, got.Newest,
				want.Counts, want.Tally, want.Checking, want.Done, want.Checks, want.Newest)
		}
		seen.RootCauses += got.Tally.RootCauses
		seen.Unreachable += got.Tally.Unreachable
		seen.Critical += got.Tally.Critical
		seen.Warning += got.Tally.Warning
		seen.ServicesDown += got.Tally.ServicesDown
		seen.ServicesDegraded += got.Tally.ServicesDegraded
		if len(got.Services) != len(want.Services) {
			t.Fatalf("seed %d: %d services, the engine %d", seed, len(got.Services), len(want.Services))
		}
		for i, g := range got.Services {
			w := *want.Services[i]
			g := *g
			g.Since, w.Since = time.Time{}, time.Time{}
			if !reflect.DeepEqual(g, w) {
				t.Fatalf("seed %d: service %s:\n got %+v\nwant %+v", seed, w.Name, g, w)
			}
			if got.Service(w.Name) == nil {
				t.Fatalf("seed %d: Service(%q) is nil", seed, w.Name)
			}
		}
		i := 0
		for a := range o.Assets() {
			g, w := comparableAsset(*a), comparableAsset(*want.Assets[i])
			if !reflect.DeepEqual(g, w) {
				t.Fatalf("seed %d: asset %s:\n got %+v\nwant %+v", seed, w.Name, g, w)
			}
			for j := range g.Checks {
				if !reflect.DeepEqual(g.Checks[j], w.Checks[j]) {
					t.Fatalf("seed %d: check %s:\n got %+v\nwant %+v", seed, w.Checks[j].Key(), g.Checks[j], w.Checks[j])
				}
			}
			i++
		}
		if i != len(want.Assets) {
			t.Fatalf("seed %d: %d assets, the engine %d", seed, i, len(want.Assets))
		}
	}
	if seen.RootCauses == 0 || seen.Unreachable == 0 || seen.Critical == 0 || seen.Warning == 0 || seen.ServicesDown == 0 || seen.ServicesDegraded == 0 {
		t.Errorf("the estates reached %+v; want every role", seen)
	}
	t.Logf("roles reached over the estates: %+v", seen)
}
