package model_test

import (
	"strings"
	"testing"
	"time"

	"noctop/model"
)

// resumeFrom is what the store reads back from a snapshot it wrote: every
// check's durable state, the events and the last sequence number.
func resumeFrom(s *model.Snapshot) *model.Resume {
	r := &model.Resume{At: s.At, Checks: map[model.CheckKey]model.ResumeCheck{}, Events: s.Events}
	if n := len(s.Events); n > 0 {
		r.EventSeq = s.Events[n-1].Seq
	}
	for _, a := range s.Assets {
		for _, c := range a.Checks {
			if c.Status == model.StatusPending {
				continue
			}
			rc := model.ResumeCheck{
				Type: c.Type, Status: c.Status, HardStatus: c.HardStatus, Hard: c.Hard, Attempt: c.Attempt,
				Summary: c.Summary, Metrics: c.Metrics, Primary: c.Primary, Attrs: c.Attrs,
				LastRun: c.LastRun, Duration: c.Duration, Since: c.Since, HistoryNames: c.History.Names,
			}
			for i := range c.History.Len() {
				rc.History = append(rc.History, c.History.Sample(i))
			}
			r.Checks[c.Key()] = rc
		}
	}
	return r
}

// restartCfg has three assets that go hard CRITICAL at once, one that
// needs three tries, and a service over two of them.
func restartCfg() *model.Config {
	return &model.Config{
		Assets: []model.Asset{
			asset("gw", nil, check("icmp")),
			asset("web1", []string{"gw"}, checkRetries("http", 1)),
			asset("web2", []string{"gw"}, checkRetries("http", 1)),
			asset("web3", []string{"gw"}, checkRetries("http", 1)),
			asset("db", []string{"gw"}, checkRetries("tcp", 3)),
		},
		Services: []model.Service{{Name: "shop", Rule: "all", Needs: []string{"web1", "db"}}},
	}
}

func key(a, c string) model.CheckKey { return model.CheckKey{Asset: a, Check: c} }

// firstRun runs the config until three hard problems and one soft one,
// and returns what the store would have kept.
func firstRun(t *testing.T) (*model.Snapshot, *model.Resume) {
	r := startEngine(t, restartCfg(), model.EngineOptions{})
	r.submit(model.Result{Key: key("gw", "icmp"), Outcome: model.Outcome{Status: ok, Metrics: map[string]float64{model.MetricRTTAvg: 1.5}}})
	for _, w := range []string{"web1", "web2", "web3"} {
		r.submit(model.Result{Key: key(w, "http"), Outcome: model.Outcome{
			Status: crit, Summary: "HTTP 503", Attrs: map[string]string{model.AttrVersion: "nginx/1.0"}}})
	}
	r.result("db", "tcp", crit, "connection refused")
	s := r.sync()
	if c := s.Asset("db").Check("tcp"); c.Hard || c.Attempt != 1 {
		t.Fatalf("db/tcp before restart: hard %v attempt %d", c.Hard, c.Attempt)
	}
	return s, resumeFrom(s)
}

func TestResumeRestartsWithoutEventBurst(t *testing.T) {
	before, res := firstRun(t)
	// The later run starts a minute on.
	later := t0.Add(time.Minute)
	e := model.NewEngine(func() *model.Config { c := restartCfg(); c.ApplyDefaults(); return c }(),
		model.EngineOptions{Resume: res, Now: func() time.Time { return later }})

	// The first snapshot is full: no check or asset waits for a result.
	s := e.Latest()
	if s.Done != s.Checks || s.Count(pend) != 0 {
		t.Fatalf("first snapshot: done %d of %d, %d pending", s.Done, s.Checks, s.Count(pend))
	}
	if len(s.Events) != len(before.Events) || s.Events[len(s.Events)-1].Seq != res.EventSeq {
		t.Fatalf("events not resumed: %d events, want %d", len(s.Events), len(before.Events))
	}
	for _, b := range before.Assets {
		a := s.Asset(b.Name)
		if a.Status != b.Status || a.HardStatus != b.HardStatus || a.Role != b.Role || !a.Since.Equal(b.Since) {
			t.Errorf("%s resumed as %s/%s %s since %v, was %s/%s %s since %v", b.Name,
				a.Status, a.HardStatus, a.Role, a.Since, b.Status, b.HardStatus, b.Role, b.Since)
		}
		for _, bc := range b.Checks {
			c := a.Check(bc.Name)
			if c.Status != bc.Status || c.Hard != bc.Hard || c.Attempt != bc.Attempt || c.Summary != bc.Summary ||
				!c.Since.Equal(bc.Since) || c.History.Len() != bc.History.Len() {
				t.Errorf("%s/%s resumed as %+v, was %+v", b.Name, bc.Name, c, bc)
			}
		}
	}
	if v, b := s.Service("shop"), before.Service("shop"); v.Status != b.Status || !v.Since.Equal(b.Since) {
		t.Errorf("shop resumed %s since %v, was %s since %v", v.Status, v.Since, b.Status, b.Since)
	}
	if s.Tally != before.Tally {
		t.Errorf("tally %+v, was %+v", s.Tally, before.Tally)
	}

	r := runEngine(t, e, later)
	// The same results again are no news; the soft problem counts on.
	for _, w := range []string{"web1", "web2", "web3"} {
		r.submit(model.Result{Key: key(w, "http"), Outcome: model.Outcome{
			Status: crit, Summary: "HTTP 503", Attrs: map[string]string{model.AttrVersion: "nginx/1.0"}}})
	}
	r.result("gw", "icmp", ok, "3/3 received")
	r.result("db", "tcp", crit, "connection refused")
	s = r.sync()
	if evs := newEvents(s, res.EventSeq); len(evs) != 0 {
		t.Fatalf("a restart made events: %+v", evs)
	}
	if c := s.Asset("db").Check("tcp"); c.Hard || c.Attempt != 2 {
		t.Fatalf("db/tcp after restart: hard %v attempt %d, want soft 2/3", c.Hard, c.Attempt)
	}
	if h := s.Asset("gw").Check("icmp").History; h.Len() != 2 || !h.At(0).Equal(before.Asset("gw").Check("icmp").LastRun) {
		t.Fatalf("gw history: %d samples, first at %v", h.Len(), h.At(0))
	} else if v, ok := h.Value(0, model.MetricRTTAvg); !ok || v != 1.5 {
		t.Fatalf("gw history lost its metric: %v %v", v, ok)
	}

	r.result("db", "tcp", crit, "connection refused")
	s = r.sync()
	evs := newEvents(s, res.EventSeq)
	if len(evs) == 0 || evs[0].Seq != res.EventSeq+1 || evs[0].Check != "tcp" || evs[0].Transition() != "CRITICAL soft 2/3 -> CRITICAL hard" {
		t.Fatalf("third try: events %+v", evs)
	}
	// The version seen before the restart is remembered.
	r.submit(model.Result{Key: key("web1", "http"), Outcome: model.Outcome{
		Status: crit, Summary: "HTTP 503", Attrs: map[string]string{model.AttrVersion: "nginx/2.0"}}})
	s = r.sync()
	last := s.Events[len(s.Events)-1]
	if last.Kind != model.EventChange || !strings.Contains(last.Summary, "nginx/1.0 -> nginx/2.0") {
		t.Fatalf("version change after restart: %+v", last)
	}
}

func TestResumeTypeChangedStartsPending(t *testing.T) {
	_, res := firstRun(t)
	cfg := restartCfg()
	cfg.Assets[1].Checks[0] = model.Check{Name: "http", Type: "tcp"} // web1's "http" is now a tcp check
	r := startEngine(t, cfg, model.EngineOptions{Resume: res})
	s := r.sync()
	if c := s.Asset("web1").Check("http"); c.Status != pend || c.History.Len() != 0 {
		t.Fatalf("a check whose type changed resumed: %+v", c)
	}
	if c := s.Asset("web2").Check("http"); c.Status != crit || !c.Hard {
		t.Fatalf("web2 not resumed: %+v", c)
	}
	if s.Done != s.Checks-1 {
		t.Fatalf("done %d of %d", s.Done, s.Checks)
	}
}

// newEvents are the events after seq.
func newEvents(s *model.Snapshot, seq uint64) []model.Event {
	var out []model.Event
	for _, ev := range s.Events {
		if ev.Seq > seq {
			out = append(out, ev)
		}
	}
	return out
}

// Without the events (a store that kept none), an asset's Since comes from
// its checks: the first problem, or the last recovery.
func TestResumeSinceFromChecks(t *testing.T) {
	before, res := firstRun(t)
	res.Events, res.EventSeq = nil, 0
	cfg := restartCfg()
	cfg.ApplyDefaults()
	s := model.NewEngine(cfg, model.EngineOptions{Resume: res, Now: func() time.Time { return t0.Add(time.Hour) }}).Latest()
	for _, name := range []string{"gw", "web1", "db"} {
		if a, b := s.Asset(name), before.Asset(name); !a.Since.Equal(b.Checks[0].Since) || a.Status != b.Status {
			t.Errorf("%s: %s since %v, want %s since %v", name, a.Status, a.Since, b.Status, b.Checks[0].Since)
		}
	}
	if v := s.Service("shop"); v.Status != crit || !v.Since.Equal(before.Asset("web1").Since) {
		t.Errorf("shop: %s since %v", v.Status, v.Since)
	}
}
