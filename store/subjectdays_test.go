package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"noctop/model"
)

// subjectDays answers what the events table's covering index answers:
// the same hard changes of assets and services, each subject's in the same
// order, over days, window edges, a limit, and events stamped before the
// one written ahead of them.
func TestSubjectDaysAgreeWithEvents(t *testing.T) {
	s := openTest(t, dbPath(t), Options{})
	defer s.Close()
	w := s.newWriter()
	rng := rand.New(rand.NewPCG(1, 2))
	var seq uint64
	at := t0.Add(-20 * time.Hour)
	for range 8000 {
		seq++
		at = at.Add(time.Duration(rng.IntN(20)+1) * time.Second)
		stamp := at
		if rng.IntN(10) == 0 {
			stamp = at.Add(-time.Duration(rng.IntN(1800)) * time.Second) // a slow result's event
		}
		ev := model.Event{Seq: seq, At: stamp, Kind: model.EventState, Asset: fmt.Sprintf("host%d", rng.IntN(7)),
			From: model.Status(rng.IntN(7)), To: model.Status(rng.IntN(7)), Hard: rng.IntN(4) > 0, FromHard: rng.IntN(2) == 0, Summary: "x"}
		switch rng.IntN(5) {
		case 0:
			ev.Asset, ev.Service = "", fmt.Sprintf("svc%d", rng.IntN(3))
		case 1:
			ev.Check = "icmp"
		case 2:
			ev.Kind = model.EventReload
		}
		w.events = append(w.events, ev)
		if seq%100 == 0 {
			w.flush(context.Background(), false)
		}
	}
	w.flush(context.Background(), true)
	if w.paused {
		t.Fatal(s.Status())
	}
	// Busy subjects' days went on in more parts, each under 4 KB and a
	// change.
	var parts, longest int
	if err := s.r.QueryRow("SELECT count(*), max(length(changes)) FROM subject_days WHERE part > 0").Scan(&parts, &longest); err != nil {
		t.Fatal(err)
	}
	if parts == 0 || longest > 4096+32 {
		t.Errorf("%d rows past a day's first part, the longest %d bytes", parts, longest)
	}
	day := t0.Truncate(24 * time.Hour)
	for _, q := range []struct {
		since, until time.Time
		limit        int
	}{
		{limit: 100_000},
		{since: day, limit: 100_000},
		{until: day, limit: 100_000},
		{since: day.Add(-3 * time.Hour), until: day.Add(5 * time.Hour), limit: 100_000},
		{limit: 500},
	} {
		got, err := s.subjectDayEvents(context.Background(), q.since, q.until, q.limit)
		if err != nil {
			t.Fatal(err)
		}
		var where []string
		var args []any
		if !q.since.IsZero() {
			where, args = append(where, "at >= ?"), append(args, q.since.UnixNano())
		}
		if !q.until.IsZero() {
			where, args = append(where, "at < ?"), append(args, q.until.UnixNano())
		}
		where = append(where, subjectStates)
		want, err := s.queryEvents(context.Background(), subjectCols, joinAnd(where), args, "at DESC, id DESC", q.limit)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) || len(want) < 50 {
			t.Fatalf("%+v: %d events from subject_days, %d from events", q, len(got), len(want))
		}
		if !slices.IsSortedFunc(got, func(a, b model.Event) int { return a.At.Compare(b.At) }) {
			t.Errorf("%+v: not oldest first", q)
		}
		bySubject := func(evs []model.Event) map[string][]model.Event {
			m := map[string][]model.Event{}
			for _, ev := range evs {
				m[ev.Asset+"/"+ev.Service] = append(m[ev.Asset+"/"+ev.Service], ev)
			}
			return m
		}
		g, wn := bySubject(got), bySubject(want)
		for k, evs := range wn {
			if !slices.EqualFunc(g[k], evs, sameBrief) {
				t.Errorf("%+v: %s: %d changes from subject_days, %d from events", q, k, len(g[k]), len(evs))
			}
		}
		if q.limit < 100_000 {
			continue
		}
		// What availability's timelines read: soft changes too.
		where[len(where)-1] = "kind = 'state' AND check_name = ''"
		all, err := s.queryEvents(context.Background(), briefCols, joinAnd(where), args, "at DESC, id DESC", q.limit)
		if err != nil {
			t.Fatal(err)
		}
		wn = bySubject(all)
		// What a restart's SLA history reads, subject by subject.
		subjects, err := s.readSubjectDays(context.Background(), q.since, q.until, false)
		if err != nil {
			t.Fatal(err)
		}
		for _, sc := range subjects {
			var evs []model.Event
			for i := range sc.changes {
				evs = append(evs, sc.event(i))
			}
			if k := sc.asset + "/" + sc.service; !slices.EqualFunc(evs, wn[k], sameBrief) {
				t.Errorf("%+v: %s read %d changes, the events table has %d", q, k, len(evs), len(wn[k]))
			}
		}
		// A restart reads the services' alone, a day at a time.
		services, err := s.readSubjectDays(context.Background(), q.since, q.until, true)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for k := range wn {
			if k[0] == '/' {
				n++
			}
		}
		if len(services) != n || n == 0 {
			t.Errorf("%+v: %d services read, %d had changes", q, len(services), n)
		}
		for _, sc := range services {
			var evs []model.Event
			for i := range sc.changes {
				evs = append(evs, sc.event(i))
			}
			if k := sc.asset + "/" + sc.service; sc.asset != "" || !slices.EqualFunc(evs, wn[k], sameBrief) {
				t.Errorf("%+v: service %s read %d changes, the events table has %d", q, k, len(evs), len(wn[k]))
			}
		}
	}
}

func sameBrief(a, b model.Event) bool {
	return a.At.Equal(b.At) && a.Kind == b.Kind && a.Asset == b.Asset && a.Service == b.Service && a.Check == b.Check &&
		a.From == b.From && a.To == b.To && a.Hard == b.Hard && a.FromHard == b.FromHard
}

func joinAnd(where []string) string {
	out := ""
	for i, w := range where {
		if i > 0 {
			out += " AND "
		}
		out += w
	}
	return out
}

// A damaged row reads as the changes before the damage, never a panic.
func FuzzParseDay(f *testing.F) {
	f.Add([]byte("123,0,3,1;456,3,1,1;"))
	f.Add([]byte("86399999999999,3,1,0;"))
	f.Add([]byte("12,3;"))
	f.Fuzz(func(t *testing.T, text []byte) {
		for _, c := range parseDay(nil, 20000, text) {
			if c.at < 20000*dayNanos || c.at >= 20001*dayNanos {
				t.Errorf("%q: change at %d outside its day", text, c.at)
			}
		}
	})
}
