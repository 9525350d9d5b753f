package ui

import "testing"

// pagedRoot is a root over runMonth's month with the screen keys opened
// and every stored event paged in.
func pagedRoot(b *testing.B, keys ...string) (*Root, storeRun) {
	r := runMonth(b)
	m := newTestRoot(b, r.snap, 160, 48, withArchive(r.arch))
	pressLoad(m, keys...)
	for range 100 {
		pressLoad(m, "pgdown")
	}
	return m, r
}

// A frame of the events screen with every stored event loaded (1,474).
func BenchmarkViewEvents(b *testing.B) {
	m, _ := pagedRoot(b, "e")
	b.ReportAllocs()
	for b.Loop() {
		_ = m.View()
	}
}

// A frame of the asset screen scrolled to the end of its stored events.
func BenchmarkViewAssetEvents(b *testing.B) {
	m, _ := pagedRoot(b, "/", "p", "o", "r", "t", "a", "l", "enter", "2", "enter")
	if n := len(m.top().(*assetScreen).log.evs); n < 1000 {
		b.Fatalf("%d events paged in", n)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = m.View()
	}
}

// A snapshot with new events reaching the events screen with every stored
// event loaded: the merge, the filter and the frame.
func BenchmarkEventsSnapshot(b *testing.B) {
	m, r := pagedRoot(b, "e")
	last := r.snap.Events[len(r.snap.Events)-1]
	b.ReportAllocs()
	for b.Loop() {
		s := *r.snap
		last.Seq++
		last.At = last.At.Add(1)
		s.Seq++
		s.Events = append(s.Events[1:len(s.Events):len(s.Events)], last)
		m.Update(snapMsg{&s})
		_ = m.View()
	}
}
