package ui

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"noctop/model"
)

// bigSnapshot has n technical and n/4 application assets with full
// histories (120 samples), the shape the engine publishes at scale. The
// samples are shared between checks to keep the benchmark's own memory
// small; the UI reads them the same way.
func bigSnapshot(n int) *model.Snapshot {
	hist := series(fixedNow, 10*time.Second, model.StatusOK, wave(120, model.MetricRTTAvg, 0.2, 2, map[string]float64{model.MetricLossPct: 0})...)
	appHist := series(fixedNow, 10*time.Second, model.StatusOK, wave(120, model.MetricLatency, 20, 30, map[string]float64{model.MetricStatusCode: 200})...)
	s := &model.Snapshot{Seq: 1, At: fixedNow, ConfigPath: "big.toml", Newest: fixedNow}
	sts := []model.Status{model.StatusOK, model.StatusOK, model.StatusOK, model.StatusWarning, model.StatusCritical, model.StatusUnreachable}
	for i := range n + n/4 {
		layer, typ, h := "technical", "icmp", hist
		if i >= n {
			layer, typ, h = "application", "http", appHist
		}
		name := fmt.Sprintf("dev-%05d", i)
		st := sts[i%len(sts)]
		c := check(name, typ, typ, st, "3/3 answered", h)
		a := &model.AssetState{Name: name, Layer: layer, Kind: "switch", Address: "10.0." + strconv.Itoa(i/250) + "." + strconv.Itoa(i%250),
			Tags: []string{"site:hq"}, Status: st, Hard: true, HardStatus: st, Since: fixedNow.Add(-time.Duration(i) * time.Second),
			Reason: "icmp: 3/3 answered", Checks: []*model.CheckState{c}}
		s.Assets = append(s.Assets, a)
		s.Counts[st]++
		s.Checks++
		s.Done++
	}
	s.Services = labSnapshot().Services
	return s
}

func BenchmarkView10k(b *testing.B) {
	for _, sz := range []struct{ w, h int }{{80, 24}, {160, 48}, {200, 60}} {
		b.Run(fmt.Sprintf("%dx%d", sz.w, sz.h), func(b *testing.B) {
			m := newTestRoot(b, bigSnapshot(10000), sz.w, sz.h)
			press(m, "G") // the bottom of the list: nothing is cheaper at the top
			b.ReportAllocs()
			for b.Loop() {
				_ = m.View()
			}
		})
	}
}

func BenchmarkViewAsset(b *testing.B) {
	m := newTestRoot(b, labSnapshot(), 200, 60)
	press(m, "enter")
	b.ReportAllocs()
	for b.Loop() {
		_ = m.View()
	}
}

func BenchmarkUpdateKey10k(b *testing.B) {
	m := newTestRoot(b, bigSnapshot(10000), 200, 60)
	down, up := keyMsg("j"), keyMsg("k")
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if i%2000 < 1000 {
			m.Update(down)
		} else {
			m.Update(up)
		}
		i++
	}
}

// BenchmarkKeyToFrame10k is a key press and the frame it draws, with
// 10,000 technical assets at 160x48: moving the cursor, changing the sort
// (every row sorted again), and typing into the filter (every row matched
// again; the sort stays).
func BenchmarkKeyToFrame10k(b *testing.B) {
	for _, c := range []struct {
		name  string
		setup []string
		keys  [2]string
	}{
		{"move", nil, [2]string{"j", "k"}},
		{"sort", nil, [2]string{"s", "s"}},
		{"filter", []string{"/"}, [2]string{"0", "backspace"}},
	} {
		b.Run(c.name, func(b *testing.B) {
			m := newTestRoot(b, bigSnapshot(10000), 160, 48)
			press(m, c.setup...)
			keys := [2]tea.KeyPressMsg{keyMsg(c.keys[0]), keyMsg(c.keys[1])}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				m.Update(keys[i%2])
				_ = m.View()
				i++
			}
		})
	}
}

// BenchmarkIndexUpdate10k is the UI's cost of one new snapshot of 12,500
// assets (the index moved to it, every screen settled), in which `changed`
// assets have a new state, as each result gives its asset: 1, 10, and 167
// (10,000 checks on a 60 s interval give ~167 results a second).
func BenchmarkIndexUpdate10k(b *testing.B) {
	for _, changed := range []int{1, 10, 167} {
		b.Run(fmt.Sprintf("changed=%d", changed), func(b *testing.B) {
			s := bigSnapshot(10000)
			next := snapshotStream(s, changed)
			m := newTestRoot(b, s, 200, 60)
			b.ReportAllocs()
			for b.Loop() {
				m.Update(snapMsg{next()})
			}
		})
	}
}

// BenchmarkSnapshotFrame10k is a new snapshot and the frame drawn after
// it, at 160x48: what the live dashboard does ~10 times a second. 17
// assets changed, one snapshot's share of 167 results a second.
func BenchmarkSnapshotFrame10k(b *testing.B) {
	s := bigSnapshot(10000)
	next := snapshotStream(s, 17)
	m := newTestRoot(b, s, 160, 48)
	b.ReportAllocs()
	for b.Loop() {
		m.Update(snapMsg{next()})
		_ = m.View()
	}
}

// snapshotStream returns successive snapshots of s in which `changed`
// random assets have a new state. One in ten changes also moves the asset
// to another status and time, so its row moves in the sort order. Each
// asset toggles between two prepared states, and two asset slices take
// turns, so the stream's own work per snapshot is 2 x changed pointer
// writes.
func snapshotStream(s *model.Snapshot, changed int) func() *model.Snapshot {
	n := len(s.Assets)
	alt := make([]*model.AssetState, n)
	for i, a := range s.Assets {
		c := *a
		if i%10 == 0 {
			c.Status, c.Since = model.StatusCritical, a.Since.Add(time.Hour)
		}
		alt[i] = &c
	}
	cur := append([]*model.AssetState(nil), s.Assets...)
	bufs := [2][]*model.AssetState{append([]*model.AssetState(nil), cur...), append([]*model.AssetState(nil), cur...)}
	rng := rand.New(rand.NewPCG(1, 2))
	var prev, now []int
	seq := s.Seq
	return func() *model.Snapshot {
		prev, now = now, prev[:0]
		for range changed {
			i := rng.IntN(n)
			if cur[i] == s.Assets[i] {
				cur[i] = alt[i]
			} else {
				cur[i] = s.Assets[i]
			}
			now = append(now, i)
		}
		seq++
		buf := bufs[seq%2]
		for _, i := range prev {
			buf[i] = cur[i]
		}
		for _, i := range now {
			buf[i] = cur[i]
		}
		next := *s
		next.Seq, next.Assets = seq, buf
		return &next
	}
}

// countingWriter counts the bytes the program writes to the terminal.
type countingWriter struct{ n atomic.Int64 }

func (w *countingWriter) Write(p []byte) (int, error) { w.n.Add(int64(len(p))); return len(p), nil }

// BenchmarkIdleBytes runs the real program against a counting writer with
// an idle estate (no new snapshots) and reports the bytes per second it
// writes: the clock and the "newest" age change once a second. It runs
// NOCTOP_IDLE_SECS seconds (default 10) once, whatever b.N says.
func BenchmarkIdleBytes(b *testing.B) {
	secs := 10
	if v, err := strconv.Atoi(os.Getenv("NOCTOP_IDLE_SECS")); err == nil && v > 0 {
		secs = v
	}
	snaps := make(chan *model.Snapshot, 1)
	s := labSnapshot()
	s.Done = s.Checks
	s.Newest = time.Now()
	snaps <- s
	out := &countingWriter{}
	inR, inW := io.Pipe()
	defer inW.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p := tea.NewProgram(New(Options{Snapshots: snaps, ConfigName: "lab.toml", ICMPMode: "datagram"}),
		tea.WithContext(ctx), tea.WithOutput(out), tea.WithInput(inR), tea.WithWindowSize(160, 48),
		tea.WithEnvironment([]string{"TERM=xterm-256color"}), tea.WithoutSignals())
	done := make(chan struct{})
	go func() { defer close(done); _, _ = p.Run() }()
	time.Sleep(time.Second) // first full frame
	first := out.n.Load()
	start := time.Now()
	time.Sleep(time.Duration(secs) * time.Second)
	n := out.n.Load() - first
	el := time.Since(start).Seconds()
	cancel()
	<-done
	b.ReportMetric(float64(first), "first-frame-B")
	b.ReportMetric(float64(n)/el, "B/s")
}
