package main

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"noctop/model"
)

// slaBenchHistory is 30 days of 1,000 assets in 20 services: every asset
// has a 10-minute outage a day (its check's and its own hard events), and
// each outage of a service's first member takes the service down.
func slaBenchHistory() (*model.Config, []model.Event, time.Time) {
	const assets, services, days = 1000, 20, 30
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	start := now.Add(-days * model.SLADay)
	cfg := &model.Config{}
	for i := range assets {
		cfg.Assets = append(cfg.Assets, model.Asset{Name: fmt.Sprintf("host-%04d", i)})
	}
	per := assets / services
	for s := range services {
		svc := model.Service{Name: fmt.Sprintf("service-%02d", s), SLA: 99.9}
		for i := range per {
			svc.Needs = append(svc.Needs, cfg.Assets[s*per+i].Name)
		}
		cfg.Services = append(cfg.Services, svc)
	}
	var events []model.Event
	state := func(at time.Time, asset, check, service string, from, to model.Status) {
		events = append(events, model.Event{At: at, Kind: model.EventState, Asset: asset, Check: check, Service: service,
			From: from, To: to, Hard: true, FromHard: true})
	}
	ok, crit := model.StatusOK, model.StatusCritical
	for d := range days {
		for i := range assets {
			a := cfg.Assets[i].Name
			down := start.Add(time.Duration(d)*model.SLADay + time.Duration(i)*time.Minute)
			up := down.Add(10 * time.Minute)
			state(down, a, "icmp", "", ok, crit)
			state(down, a, "", "", ok, crit)
			if i%per == 0 {
				state(down, "", "", cfg.Services[i/per].Name, ok, crit)
			}
			state(up, a, "icmp", "", crit, ok)
			state(up, a, "", "", crit, ok)
			if i%per == 0 {
				state(up, "", "", cfg.Services[i/per].Name, crit, ok)
			}
		}
	}
	// Oldest first, as the store answers.
	slices.SortStableFunc(events, func(a, b model.Event) int { return a.At.Compare(b.At) })
	return cfg, events, now
}

// BenchmarkSLAReport is the computation of `noctop sla` for 1,000 assets
// over 30 days (121,200 hard state events); the goal is < 200 ms for the
// whole command.
func BenchmarkSLAReport(b *testing.B) {
	cfg, events, now := slaBenchHistory()
	b.ReportMetric(float64(len(events)), "events")
	b.ReportAllocs()
	for b.Loop() {
		rep := newSLAReport(cfg, events, time.Time{}, model.SLAMonth, now)
		if len(rep.Assets) != 1000 || rep.Assets[0].av.Down != 300*time.Minute {
			b.Fatalf("report: %d assets, %v down", len(rep.Assets), rep.Assets[0].av.Down)
		}
	}
}
