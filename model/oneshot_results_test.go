package model

import (
	"context"
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

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
