package model_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"noctop/model"
)

// ackStep is one thing that happens in an ack scenario: a result, an ack
// or an unack (with the error it must give).
type ackStep struct {
	result  string // "asset/check" given status st
	st      model.Status
	ack     string // "asset" or "asset/check"
	unack   string
	sticky  bool
	wantErr error
}

func keyOf(s string) model.CheckKey {
	a, c, _ := strings.Cut(s, "/")
	return model.CheckKey{Asset: a, Check: c}
}

// ackWant is the state after a scenario.
type ackWant struct {
	assetAck, checkAck bool // erp's ack, erp/http's ack
	acked              bool // AssetState.Acked of erp
	tally              model.Tally
	events             []string // EventAck summaries, in order (prefixes)
}

func TestAck(t *testing.T) {
	crit := func(c string) ackStep { return ackStep{result: c, st: model.StatusCritical} }
	okr := func(c string) ackStep { return ackStep{result: c, st: model.StatusOK} }
	warn := func(c string) ackStep { return ackStep{result: c, st: model.StatusWarning} }
	tests := []struct {
		name  string
		steps []ackStep
		want  ackWant
	}{
		{"ack a critical check: leaves the red count",
			[]ackStep{crit("erp/http"), {ack: "erp/http"}},
			ackWant{checkAck: true, acked: true, tally: model.Tally{Acked: 1},
				events: []string{"acknowledged alice: on it"}}},
		{"ack the asset",
			[]ackStep{crit("erp/http"), {ack: "erp"}},
			ackWant{assetAck: true, acked: true, tally: model.Tally{Acked: 1},
				events: []string{"acknowledged alice: on it"}}},
		{"one of two problem checks acked: still counted red",
			[]ackStep{crit("erp/http"), warn("erp/tcp"), {ack: "erp/http"}},
			ackWant{checkAck: true, tally: model.Tally{Critical: 1},
				events: []string{"acknowledged alice: on it"}}},
		{"both problem checks acked",
			[]ackStep{crit("erp/http"), warn("erp/tcp"), {ack: "erp/http"}, {ack: "erp/tcp"}},
			ackWant{checkAck: true, acked: true, tally: model.Tally{Acked: 1},
				events: []string{"acknowledged alice: on it", "acknowledged alice: on it"}}},
		{"recovery clears the check's ack",
			[]ackStep{crit("erp/http"), {ack: "erp/http"}, okr("erp/http")},
			ackWant{events: []string{"acknowledged alice: on it", "acknowledgement cleared: recovered (was alice: on it)"}}},
		{"recovery clears the asset's ack",
			[]ackStep{crit("erp/http"), {ack: "erp"}, okr("erp/http")},
			ackWant{events: []string{"acknowledged alice: on it", "acknowledgement cleared: recovered (was alice: on it)"}}},
		{"stays through a change between problem states",
			[]ackStep{crit("erp/http"), {ack: "erp/http"}, warn("erp/http")},
			ackWant{checkAck: true, acked: true, tally: model.Tally{Acked: 1},
				events: []string{"acknowledged alice: on it"}}},
		{"sticky survives recovery, counts again when the problem returns",
			[]ackStep{crit("erp/http"), {ack: "erp/http", sticky: true}, okr("erp/http"), crit("erp/http")},
			ackWant{checkAck: true, acked: true, tally: model.Tally{Acked: 1},
				events: []string{"acknowledged alice (sticky): on it"}}},
		{"sticky asset ack survives recovery",
			[]ackStep{crit("erp/http"), {ack: "erp", sticky: true}, okr("erp/http")},
			ackWant{assetAck: true, events: []string{"acknowledged alice (sticky): on it"}}},
		{"unack puts it back in the red count",
			[]ackStep{crit("erp/http"), {ack: "erp/http"}, {unack: "erp/http"}},
			ackWant{tally: model.Tally{Critical: 1},
				events: []string{"acknowledged alice: on it", "acknowledgement removed by alice (was alice: on it)"}}},
		{"ack on OK is refused",
			[]ackStep{okr("erp/http"), {ack: "erp/http", wantErr: model.ErrNoProblem}, {ack: "erp", wantErr: model.ErrNoProblem}},
			ackWant{}},
		{"ack on a pending check is refused",
			[]ackStep{{ack: "erp/tcp", wantErr: model.ErrNoProblem}},
			ackWant{}},
		{"unack without an ack is refused",
			[]ackStep{crit("erp/http"), {unack: "erp/http", wantErr: model.ErrNotAcked}, {unack: "erp", wantErr: model.ErrNotAcked}},
			ackWant{tally: model.Tally{Critical: 1}}},
		{"unknown asset and check",
			[]ackStep{crit("erp/http"), {ack: "crm", wantErr: model.ErrUnknownAsset}, {ack: "erp/dns", wantErr: model.ErrUnknownCheck}, {unack: "crm/http", wantErr: model.ErrUnknownAsset}},
			ackWant{tally: model.Tally{Critical: 1}}},
		{"acked unreachable child leaves the unreachable count",
			[]ackStep{crit("sw/icmp"), crit("erp/http"), {ack: "erp"}},
			ackWant{assetAck: true, acked: true, tally: model.Tally{RootCauses: 1, Acked: 1},
				events: []string{"acknowledged alice: on it"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := &model.Config{Assets: []model.Asset{
				asset("sw", nil, checkRetries("icmp", 1)),
				asset("erp", []string{"sw"}, checkRetries("http", 1), checkRetries("tcp", 1)),
			}}
			r := startEngine(t, cfg, model.EngineOptions{})
			r.result("sw", "icmp", ok, "up")
			for i, st := range tt.steps {
				var err error
				switch {
				case st.result != "":
					k := keyOf(st.result)
					r.result(k.Asset, k.Check, st.st, st.st.String())
					continue
				case st.ack != "":
					err = r.e.Ack(r.ctx, model.AckRequest{Key: keyOf(st.ack), By: "alice", Comment: "on it", Sticky: st.sticky})
				default:
					err = r.e.Unack(r.ctx, keyOf(st.unack), "alice")
				}
				if !errors.Is(err, st.wantErr) {
					t.Fatalf("step %d: err %v, want %v", i, err, st.wantErr)
				}
			}
			s := r.sync()
			a := r.asset(s, "erp")
			if got := a.Ack != nil; got != tt.want.assetAck {
				t.Errorf("asset ack %v, want %v", a.Ack, tt.want.assetAck)
			}
			if got := a.Check("http").Ack != nil; got != tt.want.checkAck {
				t.Errorf("check ack %v, want %v", a.Check("http").Ack, tt.want.checkAck)
			}
			if a.Acked != tt.want.acked {
				t.Errorf("Acked %v, want %v", a.Acked, tt.want.acked)
			}
			if s.Tally != tt.want.tally {
				t.Errorf("tally %+v, want %+v", s.Tally, tt.want.tally)
			}
			var got []string
			for _, ev := range s.Events {
				if ev.Kind == model.EventAck {
					got = append(got, ev.Summary)
				}
			}
			if strings.Join(got, "\n") != strings.Join(tt.want.events, "\n") {
				t.Errorf("ack events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want.events, "\n"))
			}
		})
	}
}

// TestAckRecordsWhoWhenAndCleansText: the ack carries the operator, the
// request's time and a one-line comment.
func TestAckRecordsWhoWhenAndCleansText(t *testing.T) {
	cfg := &model.Config{Assets: []model.Asset{asset("erp", nil, checkRetries("http", 1))}}
	r := startEngine(t, cfg, model.EngineOptions{})
	r.result("erp", "http", model.StatusCritical, "HTTP 503")
	at := t0.Add(time.Hour)
	err := r.e.Ack(r.ctx, model.AckRequest{Key: keyOf("erp/http"), By: "bob", Comment: "  line1\nline2\x1b[31m  ", At: at})
	if err != nil {
		t.Fatal(err)
	}
	ack := r.asset(r.sync(), "erp").Check("http").Ack
	if ack == nil || ack.By != "bob" || !ack.At.Equal(at) || ack.Comment != "line1 line2 [31m" || ack.Sticky {
		t.Fatalf("ack %+v", ack)
	}
	if err := r.e.Ack(r.ctx, model.AckRequest{Key: keyOf("erp/http")}); !errors.Is(err, model.ErrNoOperator) {
		t.Fatalf("ack without a name: %v", err)
	}
}

// TestAckAfterStop: a stopped engine says so.
func TestAckAfterStop(t *testing.T) {
	cfg := &model.Config{Assets: []model.Asset{asset("erp", nil, check("http"))}}
	cfg.ApplyDefaults()
	e := model.NewEngine(cfg, model.EngineOptions{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { e.Run(ctx); close(done) }()
	cancel()
	<-done
	if err := e.Ack(context.Background(), model.AckRequest{Key: keyOf("erp"), By: "a"}); !errors.Is(err, model.ErrEngineStopped) {
		t.Fatalf("Ack after stop: %v", err)
	}
}

// TestAckSurvivesReloadAndResume: a reload keeps acks by identity; a
// restart given Resume.Acks puts them back (dropping a non-sticky one
// whose problem is over).
func TestAckSurvivesReloadAndResume(t *testing.T) {
	mk := func() *model.Config {
		cfg := &model.Config{Assets: []model.Asset{
			asset("erp", nil, checkRetries("http", 1)),
			asset("crm", nil, checkRetries("http", 1)),
		}}
		cfg.ApplyDefaults()
		return cfg
	}
	r := startEngine(t, mk(), model.EngineOptions{})
	r.result("erp", "http", model.StatusCritical, "down")
	r.result("crm", "http", model.StatusCritical, "down")
	if err := r.e.Ack(r.ctx, model.AckRequest{Key: keyOf("erp/http"), By: "alice", Comment: "x"}); err != nil {
		t.Fatal(err)
	}
	if err := r.e.Ack(r.ctx, model.AckRequest{Key: keyOf("crm"), By: "bob", Sticky: true}); err != nil {
		t.Fatal(err)
	}
	if err := r.e.Reload(r.ctx, mk()); err != nil {
		t.Fatal(err)
	}
	s := r.sync()
	if s.Tally != (model.Tally{Acked: 2}) || s.Asset("erp").Check("http").Ack == nil || s.Asset("crm").Ack == nil {
		t.Fatalf("after reload: tally %+v", s.Tally)
	}

	res := &model.Resume{
		Checks: map[model.CheckKey]model.ResumeCheck{
			keyOf("erp/http"): {Type: "http", Status: model.StatusCritical, HardStatus: model.StatusCritical, Hard: true, Attempt: 1},
			keyOf("crm/http"): {Type: "http", Status: model.StatusOK, HardStatus: model.StatusOK, Hard: true, Attempt: 1},
		},
		Acks: map[model.CheckKey]model.Ack{
			keyOf("erp/http"): {By: "alice", Comment: "x", At: t0},
			keyOf("crm"):      {By: "bob", At: t0, Sticky: true},
			keyOf("crm/http"): {By: "carol", At: t0}, // not sticky, recovered: dropped
			keyOf("gone"):     {By: "dave", At: t0},
		},
	}
	r2 := startEngine(t, mk(), model.EngineOptions{Resume: res})
	s = r2.sync()
	erp, crm := r2.asset(s, "erp"), r2.asset(s, "crm")
	if a := erp.Check("http").Ack; a == nil || a.By != "alice" || !erp.Acked {
		t.Errorf("erp/http ack %+v, Acked %v", a, erp.Acked)
	}
	if crm.Ack == nil || crm.Ack.By != "bob" || crm.Check("http").Ack != nil || crm.Acked {
		t.Errorf("crm ack %+v, check ack %+v, Acked %v", crm.Ack, crm.Check("http").Ack, crm.Acked)
	}
	if s.Tally != (model.Tally{Acked: 1}) {
		t.Errorf("tally %+v", s.Tally)
	}
	for _, ev := range s.Events {
		if ev.Kind == model.EventAck {
			t.Errorf("resume emitted %q", ev.Summary)
		}
	}
}
