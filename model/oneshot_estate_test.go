package model

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/pelletier/go-toml/v2"
)

// The random estates TestOneShotMatchesTheEngine compares the one-shot
// state and the engine over.

// randomEstate is a config of n assets with random parents (earlier
// assets, so no cycle), one to three checks each of icmp, tcp, http,
// https and tls, lifecycle dates now and then, services of every rule
// over assets and other services, and maintenance windows around at.
func randomEstate(rng *rand.Rand, n int, at time.Time) *Config {
	cfg := &Config{}
	types := []string{CheckICMP, CheckTCP, CheckHTTP, CheckHTTP, CheckTLS}
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
				c.URL = []string{"http", "https"}[rng.IntN(2)] + "://" + a.Address + "/"
			}
			a.Checks = append(a.Checks, c)
		}
		if rng.IntN(4) == 0 {
			a.Lifecycle = randomLifecycle(rng, at)
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
	for range rng.IntN(4) {
		cfg.Maintenance = append(cfg.Maintenance, randomWindow(rng, cfg, at))
	}
	cfg.ApplyDefaults()
	return cfg
}

// randomLifecycle is an asset's lifecycle with dates past, due within
// renewal_crit or renewal_warn, or far, its own limits at times.
func randomLifecycle(rng *rand.Rand, at time.Time) *Lifecycle {
	date := func() *toml.LocalDate {
		if rng.IntN(2) == 0 {
			return nil
		}
		y, m, d := at.AddDate(0, 0, []int{-40, -1, 0, 3, 25, 45, 80, 200}[rng.IntN(8)]).Date()
		return &toml.LocalDate{Year: y, Month: int(m), Day: d}
	}
	l := &Lifecycle{WarrantyEnd: date(), EOL: date(), EOS: date(), LicenceExpiry: date()}
	if l.LicenceExpiry != nil && rng.IntN(2) == 0 {
		l.Licence = "Oracle DB"
	}
	if rng.IntN(2) == 0 {
		l.Owner = "ops"
	}
	if rng.IntN(4) == 0 {
		l.RenewalWarn, l.RenewalCrit = Duration{Duration: 60 * 24 * time.Hour}, Duration{Duration: 10 * 24 * time.Hour}
	}
	return l
}

// randomWindow is a [[maintenance]] window over some assets, a tag or some
// services (whose members it covers): one-off or recurring, open at at
// or not.
func randomWindow(rng *rand.Rand, cfg *Config, at time.Time) MaintenanceWindow {
	w := MaintenanceWindow{Reason: []string{"", "firmware"}[rng.IntN(2)]}
	if rng.IntN(2) == 0 {
		w.Name = fmt.Sprintf("w%d", len(cfg.Maintenance))
	}
	switch rng.IntN(3) {
	case 0:
		for range 1 + rng.IntN(3) {
			if n := cfg.Assets[rng.IntN(len(cfg.Assets))].Name; !slices.Contains(w.Assets, n) {
				w.Assets = append(w.Assets, n)
			}
		}
	case 1:
		if slices.ContainsFunc(cfg.Assets, func(a Asset) bool { return slices.Contains(a.Tags, "core") }) {
			w.Tags = []string{"core"} // the loader refuses a tag no asset has
		} else {
			w.Assets = []string{cfg.Assets[0].Name}
		}
	default:
		w.Services = []string{cfg.Services[rng.IntN(len(cfg.Services))].Name}
	}
	open := rng.IntN(3) > 0
	if rng.IntN(2) == 0 {
		from := at.Add(-time.Hour)
		if !open {
			from = at.Add([]time.Duration{-3 * time.Hour, time.Hour}[rng.IntN(2)])
		}
		w.From, w.To = from.UTC(), from.Add(time.Duration(1+rng.IntN(2))*time.Hour).UTC()
		return w
	}
	start := at.Add(-30 * time.Minute)
	if !open {
		start = at.Add(2 * time.Hour)
	}
	w.Every, w.Timezone = start.UTC().Format("daily 15:04"), "UTC"
	w.Duration = Duration{Duration: time.Duration(1+rng.IntN(3)) * time.Hour}
	return w
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

// randomCerts are the certificates a tls or https check saw (none at
// times: a refused connection), from a few shared by the estate's checks
// (one item per certificate in an asset's register), expiring past, soon
// or late.
func randomCerts(rng *rand.Rand, at time.Time) []Cert {
	var out []Cert
	for range rng.IntN(4) {
		k := rng.IntN(6)
		out = append(out, Cert{Subject: fmt.Sprintf("CN=c%d,O=lab", k), Issuer: "CN=lab CA",
			NotAfter:    at.Add(time.Duration([]int{-48, 5, 20 * 24, 29*24 + 23, 50 * 24, 120 * 24}[k]) * time.Hour),
			Fingerprint: fmt.Sprintf("%064x", k)})
	}
	return out
}
