package store

import (
	"context"
	"math"
	"slices"
	"testing"
	"time"

	"noctop/model"
)

// feed runs s over the given snapshots and returns when all are written.
func feed(t *testing.T, s *Store, snaps ...*model.Snapshot) {
	t.Helper()
	ch := make(chan *model.Snapshot, len(snaps))
	for _, snap := range snaps {
		ch <- snap
	}
	close(ch)
	if err := s.Run(context.Background(), ch); err != nil {
		t.Fatalf("Run: %v", err)
	}
}

func TestResumeAfterRestart(t *testing.T) {
	clk := &clock{t: t0}
	cfg := testConfig(3)
	r := startEngine(t, cfg, clk.Now, nil)
	var snaps []*model.Snapshot
	for i := range 4 {
		at := t0.Add(time.Duration(i) * 30 * time.Second)
		r.result("host0", model.StatusCritical, at, 0)
		r.result("host1", model.StatusOK, at, float64(10+i))
		if i == 3 {
			r.result("host2", model.StatusWarning, at, 99)
		} else {
			r.result("host2", model.StatusOK, at, 1)
		}
		snaps = append(snaps, r.sync())
	}
	last := snaps[len(snaps)-1]
	path := dbPath(t)
	s := openTest(t, path, Options{Now: clk.Now})
	feed(t, s, snaps...)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = openTest(t, path, Options{Now: clk.Now})
	defer s.Close()
	res, err := s.Resume(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Checks) != 3 {
		t.Fatalf("resumed %d checks, want 3", len(res.Checks))
	}
	for _, a := range last.Assets {
		c := a.Checks[0]
		rc, ok := res.Checks[c.Key()]
		if !ok {
			t.Fatalf("%s not resumed", c.Key())
		}
		if rc.Status != c.Status || rc.HardStatus != c.HardStatus || rc.Hard != c.Hard || rc.Attempt != c.Attempt ||
			rc.Summary != c.Summary || rc.Type != c.Type || !rc.LastRun.Equal(c.LastRun) || !rc.Since.Equal(c.Since) ||
			rc.Duration != c.Duration || rc.Primary != c.Primary {
			t.Errorf("%s resumed %+v, was %+v", c.Key(), rc, c)
		}
		if len(rc.History) != c.History.Len() {
			t.Fatalf("%s history %d samples, want %d", c.Key(), len(rc.History), c.History.Len())
		}
		for i, smp := range rc.History {
			want := c.History.Sample(i)
			if !smp.At.Equal(want.At) || smp.Status != want.Status || smp.Duration != want.Duration {
				t.Errorf("%s sample %d = %+v, want %+v", c.Key(), i, smp, want)
			}
			for _, name := range c.History.Names {
				wv, _ := c.History.Value(i, name)
				gv := historyValue(rc, i, name)
				if wv != gv && !(math.IsNaN(wv) && math.IsNaN(gv)) {
					t.Errorf("%s sample %d %s = %v, want %v", c.Key(), i, name, gv, wv)
				}
			}
		}
	}
	h0 := res.Checks[model.CheckKey{Asset: "host0", Check: "icmp"}]
	if h0.HardStatus != model.StatusCritical || !h0.Hard {
		t.Errorf("host0 resumed %s hard=%v, want CRITICAL hard", h0.HardStatus, h0.Hard)
	}
	h2 := res.Checks[model.CheckKey{Asset: "host2", Check: "icmp"}]
	if h2.Status != model.StatusWarning || h2.Hard || h2.Attempt != 1 {
		t.Errorf("host2 resumed %s hard=%v attempt %d, want WARNING soft 1", h2.Status, h2.Hard, h2.Attempt)
	}
	if len(res.Events) != len(last.Events) || len(res.Events) == 0 {
		t.Fatalf("resumed %d events, the engine had %d", len(res.Events), len(last.Events))
	}
	for i, ev := range res.Events {
		want := last.Events[i]
		if !sameEvent(ev, want) {
			t.Errorf("event %d = %+v, want %+v", i, ev, want)
		}
	}
	if res.EventSeq != last.Events[len(last.Events)-1].Seq {
		t.Errorf("EventSeq %d, want %d", res.EventSeq, last.Events[len(last.Events)-1].Seq)
	}
	if !res.At.Equal(t0) {
		t.Errorf("Resume.At %v, want the store clock's %v", res.At, t0)
	}
}

func historyValue(rc model.ResumeCheck, i int, name string) float64 {
	for j, n := range rc.HistoryNames {
		if n == name && j < len(rc.History[i].Values) {
			return float64(rc.History[i].Values[j])
		}
	}
	return math.NaN()
}

// A snapshot seen twice, and the numbering a restart continues, write each
// event once.
func TestEventsWrittenOnce(t *testing.T) {
	clk := &clock{t: t0}
	r := startEngine(t, testConfig(2), clk.Now, nil)
	r.result("host0", model.StatusCritical, t0, 0)
	a := r.sync()
	r.result("host1", model.StatusCritical, t0.Add(time.Second), 0)
	b := r.sync()
	s := openTest(t, dbPath(t), Options{Now: clk.Now})
	defer s.Close()
	feed(t, s, a, a, b, b)
	evs, err := s.Events(context.Background(), model.EventQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != len(b.Events) {
		t.Fatalf("%d events stored, the engine made %d", len(evs), len(b.Events))
	}
}

func TestEventQueries(t *testing.T) {
	clk := &clock{t: t0}
	r := startEngine(t, testConfig(3), clk.Now, nil)
	for i := range 3 {
		at := t0.Add(time.Duration(i) * time.Minute)
		r.result("host0", model.StatusCritical, at, 0) // soft 1/2, soft 2/2, hard
		r.result("host1", model.StatusOK, at, 1)
	}
	r.result("host2", model.StatusWarning, t0.Add(10*time.Minute), 1)
	snap := r.sync()
	s := openTest(t, dbPath(t), Options{Now: clk.Now})
	defer s.Close()
	feed(t, s, snap)
	ctx := context.Background()
	count := func(q model.EventQuery, want func(model.Event) bool) {
		t.Helper()
		got, err := s.Events(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, ev := range snap.Events {
			if want(ev) {
				n++
			}
		}
		if len(got) != n || n == 0 {
			t.Errorf("%+v: %d events, want %d (of %d)", q, len(got), n, len(snap.Events))
		}
		for i := 1; i < len(got); i++ {
			if got[i].At.Before(got[i-1].At) {
				t.Errorf("%+v: not oldest first", q)
			}
		}
	}
	count(model.EventQuery{Asset: "host0"}, func(ev model.Event) bool { return ev.Asset == "host0" })
	count(model.EventQuery{Since: t0.Add(5 * time.Minute)}, func(ev model.Event) bool { return !ev.At.Before(t0.Add(5 * time.Minute)) })
	count(model.EventQuery{Until: t0.Add(5 * time.Minute)}, func(ev model.Event) bool { return ev.At.Before(t0.Add(5 * time.Minute)) })
	count(model.EventQuery{HardOnly: true}, func(ev model.Event) bool { return ev.Kind != model.EventState || ev.Hard })
	count(model.EventQuery{Kinds: []string{model.EventState}}, func(ev model.Event) bool { return ev.Kind == model.EventState })
	count(model.EventQuery{Subjects: true}, func(ev model.Event) bool { return ev.Check == "" })
	// What noctop sla reads (its own index), in full and brief: the asset's
	// hard changes, brief ones with only availability's fields.
	sla := model.EventQuery{Kinds: []string{model.EventState}, HardOnly: true, Subjects: true}
	count(sla, func(ev model.Event) bool { return ev.SLASubject() != "" })
	full, err := s.Events(ctx, sla)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []model.EventQuery{sla, {Kinds: sla.Kinds, HardOnly: true}} {
		q.Brief = true
		brief, err := s.Events(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if q.Subjects && len(brief) != len(full) {
			t.Fatalf("%+v: %d events, %d in full", q, len(brief), len(full))
		}
		j := 0
		for _, b := range brief {
			if b.SLASubject() == "" {
				continue
			}
			f := full[j]
			j++
			f.Seq, f.FromAttempt, f.Attempt, f.MaxAttempts, f.Summary = 0, 0, 0, 0, ""
			if !sameEvent(b, f) {
				t.Errorf("%+v: brief %+v, full %+v", q, b, full[j-1])
			}
		}
		if j != len(full) {
			t.Errorf("%+v: %d subject events, want %d", q, j, len(full))
		}
	}
	got, err := s.Events(ctx, model.EventQuery{Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !sameEvent(got[1], snap.Events[len(snap.Events)-1]) {
		t.Errorf("Limit 2: %+v, want the newest two", got)
	}
}

// sameEvent compares events field by field, times by instant.
func sameEvent(a, b model.Event) bool {
	if !a.At.Equal(b.At) {
		return false
	}
	a.At = b.At
	return a == b
}

// Began is when the first monitor opened the database; later opens keep it.
func TestBegan(t *testing.T) {
	clk := &clock{t: t0}
	path := dbPath(t)
	s := openTest(t, path, Options{Now: clk.Now})
	s.Close()
	clk.Add(time.Hour)
	s = openTest(t, path, Options{Now: clk.Now})
	defer s.Close()
	for _, st := range []*Store{s, mustReadOnly(t, path)} {
		if began, err := st.Began(context.Background()); err != nil || !began.Equal(t0) {
			t.Errorf("Began %v, %v; want %v", began, err, t0)
		}
	}
}

func mustReadOnly(t *testing.T, path string) *Store {
	t.Helper()
	s, err := OpenReadOnly(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// A resumed engine's window holds the stored events (in the order they
// were written, whatever their times) before its own, numbered on from
// EventSeq: only its own are written.
func TestResumedWindowWrittenOnce(t *testing.T) {
	path := dbPath(t)
	s := openTest(t, path, Options{})
	// Written in Seq order, with times out of it (a result's time is when
	// its run started).
	first := []model.Event{
		{Seq: 1, At: t0.Add(2 * time.Second), Kind: model.EventState, Asset: "b", To: model.StatusCritical, Hard: true},
		{Seq: 2, At: t0.Add(1 * time.Second), Kind: model.EventState, Asset: "a", To: model.StatusCritical, Hard: true},
		{Seq: 3, At: t0, Kind: model.EventState, Asset: "c", To: model.StatusCritical, Hard: true},
	}
	feed(t, s, &model.Snapshot{Events: first})
	s.Close()

	s = openTest(t, path, Options{})
	defer s.Close()
	res, err := s.Resume(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if res.EventSeq != 3 || len(res.Events) != 3 || res.Events[0].Seq != 1 || res.Events[2].Seq != 3 {
		t.Fatalf("Resume: EventSeq %d, events %+v; want 1, 2, 3 in the order written", res.EventSeq, res.Events)
	}
	resumed := slices.Clone(res.Events)
	slices.Reverse(resumed) // the window's order must not matter either
	window := append(slices.Clone(resumed), model.Event{Seq: 4, At: t0.Add(10 * time.Second), Kind: model.EventState, Asset: "a", To: model.StatusOK, Hard: true})
	var said []string
	s.opts.Report = func(m string) { said = append(said, m) }
	// Seeded states emit nothing: the first snapshots hold only what was
	// resumed.
	feed(t, s, &model.Snapshot{Events: resumed}, &model.Snapshot{Events: window}, &model.Snapshot{Events: window})
	evs, err := s.Events(context.Background(), model.EventQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 4 || len(said) != 0 {
		t.Errorf("%d events stored (want 4), reports %q", len(evs), said)
	}
}
