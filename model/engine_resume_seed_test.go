package model

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// seedHistory builds in one pass the ring pushing each saved sample would
// build: the same columns in the same order, the same samples and values,
// and the same ring after more results arrive (its capacity feeds the
// compactions), for random histories with holes, derived metrics and
// columns that appear late.
func TestSeedHistoryAsPushing(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	pool := []string{"rtt_ms", MetricSent, "loss_pct", "b", "a", "zeta", MetricReceived, "c"}
	t0 := time.Unix(1e9, 0)
	for trial := range 300 {
		n := []int{1, 4, 60, 120}[rng.IntN(4)]
		slack := []int{0, ringSlack}[rng.IntN(2)]
		names := pool[:rng.IntN(len(pool))+1]
		rc := &ResumeCheck{HistoryNames: names}
		for k := range rng.IntN(n + 10) {
			s := Sample{At: t0.Add(time.Duration(k) * time.Second), Status: Status(rng.IntN(int(numStatuses))),
				Duration: time.Duration(rng.IntN(5e9)), Values: make([]float32, rng.IntN(len(names)+1))}
			for j := range s.Values {
				s.Values[j] = float32(math.NaN())
				if rng.IntN(3) > 0 && (k > 2 || j < 2) { // some columns appear late
					s.Values[j] = float32(rng.IntN(100))
				}
			}
			rc.History = append(rc.History, s)
		}
		fast, slow := historyRing{n: n, max: n + slack}, historyRing{n: n, max: n + slack}
		fastNames := seedHistory(&fast, nil, rc, n)
		samples := rc.History[max(0, len(rc.History)-n):]
		slowNames := pushHistory(&slow, nil, rc, samples)
		same(t, trial, "seeded", fast.view(fastNames), slow.view(slowNames))
		for k := range 3 * n {
			m := map[string]float64{"rtt_ms": float64(k), "new": 1}
			at := t0.Add(time.Hour + time.Duration(k)*time.Second)
			fastNames = fast.push(fastNames, at, StatusOK, time.Millisecond, m)
			slowNames = slow.push(slowNames, at, StatusOK, time.Millisecond, m)
		}
		same(t, trial, "after more results", fast.view(fastNames), slow.view(slowNames))
	}
}

func same(t *testing.T, trial int, when string, got, want History) {
	t.Helper()
	if len(got.Names) != len(want.Names) || got.Len() != want.Len() {
		t.Fatalf("trial %d %s: names %v, %d samples; pushing gave %v, %d", trial, when, got.Names, got.Len(), want.Names, want.Len())
	}
	for i, n := range want.Names {
		if got.Names[i] != n {
			t.Fatalf("trial %d %s: names %v, pushing gave %v", trial, when, got.Names, want.Names)
		}
	}
	for i := range want.Len() {
		g, w := got.Sample(i), want.Sample(i)
		if !g.At.Equal(w.At) || g.Status != w.Status || g.Duration != w.Duration {
			t.Fatalf("trial %d %s: sample %d %+v, pushing gave %+v", trial, when, i, g, w)
		}
		for _, n := range want.Names {
			gv, gok := got.Value(i, n)
			wv, wok := want.Value(i, n)
			if gok != wok || (wok && gv != wv) {
				t.Fatalf("trial %d %s: sample %d %s = %v %v, pushing gave %v %v", trial, when, i, n, gv, gok, wv, wok)
			}
		}
	}
}

// The engine seeds copies of what it resumes and drops the Resume: kept,
// 10,000 checks' saved histories stayed live for the process's life.
func TestEngineDropsResume(t *testing.T) {
	cfg := &Config{Assets: []Asset{{Name: "a", Address: "127.0.0.1", Checks: []Check{{Type: "tcp", Port: 1}}}}}
	cfg.ApplyDefaults()
	at := time.Unix(1e9, 0)
	r := &Resume{At: at, Checks: map[CheckKey]ResumeCheck{{Asset: "a", Check: "tcp"}: {Type: "tcp", Status: StatusOK,
		HardStatus: StatusOK, Hard: true, LastRun: at, HistoryNames: []string{"connect_ms"},
		History: []Sample{{At: at, Status: StatusOK, Values: []float32{1}}}}}}
	e := NewEngine(cfg, EngineOptions{Resume: r})
	if e.opts.Resume != nil {
		t.Error("the engine keeps the Resume it started from")
	}
	if s := e.Latest(); s.Assets[0].Checks[0].History.Len() != 1 {
		t.Errorf("resumed %d samples, want 1", s.Assets[0].Checks[0].History.Len())
	}
}
