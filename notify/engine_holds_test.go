package notify

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pelletier/go-toml/v2"

	"noctop/model"
)

// holdsCfg: a check that needs 3 tries (so flapping builds up without a
// hard problem), one that needs 2 (ackable while soft), and a marker whose
// webhook proves nothing else was sent before it.
func holdsCfg() *model.Config {
	return &model.Config{Assets: []model.Asset{
		{Name: "flappy", Address: "127.0.0.1", Layer: model.LayerApplication, Checks: []model.Check{{Type: "http", Retries: 3}}},
		{Name: "acky", Address: "127.0.0.1", Layer: model.LayerApplication, Checks: []model.Check{{Type: "http", Retries: 2}}},
		{Name: "marker", Address: "127.0.0.1", Layer: model.LayerApplication, Checks: []model.Check{{Type: "http", Retries: 1}}},
	}}
}

// marker makes the marker fail and wants its webhook next: anything the
// notifier decided before went out before it.
func (r *engineRig) marker(t *testing.T, h *hook, st model.Status, kind Kind) {
	t.Helper()
	r.result("marker", "http", st)
	if p := h.next(t); p.Asset != "marker" || p.Kind != kind {
		t.Fatalf("want the marker's %s, got %+v", kind, p)
	}
}

// TestHoldsFromTheRealEngine: with the engine's own acks and flap
// detection (not hand-built snapshots), a hard problem reached while the
// check flaps is held until the check settles, then told once; one reached
// while acknowledged is held until the ack is removed, then told once.
func TestHoldsFromTheRealEngine(t *testing.T) {
	r := startEngine(t, holdsCfg())
	h := newHook(t, nil)
	n := r.startNotifier([]model.Notify{{Name: "hook", Type: model.NotifyWebhook, URL: h.URL}}, Options{Tick: time.Millisecond})
	for _, a := range []string{"flappy", "acky", "marker"} {
		r.result(a, "http", model.StatusOK)
	}

	// Flapping: soft failures in turn with OKs, never hard.
	for range 10 {
		r.result("flappy", "http", model.StatusCritical)
		r.result("flappy", "http", model.StatusOK)
	}
	if c := r.sync().Asset("flappy").Checks[0]; !c.Flapping {
		t.Fatalf("flappy not flapping at %.0f%%", c.FlapPercent)
	}
	for range 3 {
		r.result("flappy", "http", model.StatusCritical)
	}
	s := r.sync()
	if a := s.Asset("flappy"); a.Status != model.StatusCritical || !a.Hard || !a.Flapping {
		t.Fatalf("flappy %s hard %v flapping %v", a.Status, a.Hard, a.Flapping)
	}
	r.waitEvent("notify hook: suppressed flappy CRITICAL: flapping")
	r.marker(t, h, model.StatusCritical, KindProblem)

	// It settles while still down: told once, then.
	for i := 0; r.sync().Asset("flappy").Flapping; i++ {
		if i > model.FlapWindow {
			t.Fatal("flappy never settled")
		}
		r.result("flappy", "http", model.StatusCritical)
	}
	if p := h.next(t); p.Asset != "flappy" || p.Kind != KindProblem || p.Status != "CRITICAL" {
		t.Fatalf("after settling: %+v", p)
	}
	r.marker(t, h, model.StatusOK, KindRecovery)

	// Acknowledged while soft, then hard: held.
	r.result("acky", "http", model.StatusCritical)
	if err := r.e.Ack(r.ctx, model.AckRequest{Key: model.CheckKey{Asset: "acky"}, By: "alice", Comment: "on it"}); err != nil {
		t.Fatal(err)
	}
	r.result("acky", "http", model.StatusCritical)
	if a := r.sync().Asset("acky"); !a.Hard || a.Ack == nil {
		t.Fatalf("acky hard %v ack %+v", a.Hard, a.Ack)
	}
	r.waitEvent("notify hook: suppressed acky CRITICAL: acknowledged by alice")
	r.marker(t, h, model.StatusCritical, KindProblem)

	// The ack removed with the problem still there: told once.
	if err := r.e.Unack(r.ctx, model.CheckKey{Asset: "acky"}, "alice"); err != nil {
		t.Fatal(err)
	}
	if p := h.next(t); p.Asset != "acky" || p.Kind != KindProblem {
		t.Fatalf("after unack: %+v", p)
	}
	r.marker(t, h, model.StatusOK, KindRecovery)
	select {
	case p := <-h.got:
		t.Fatalf("one webhook too many: %+v", p)
	default:
	}
	// /metrics's counts: 6 sent (4 marker messages, flappy, acky), 2
	// holds. The hook has the last message before its sender counts it.
	want := []Count{{"hook", ResultSent, 6}, {"hook", ResultSuppressed, 2}}
	deadline := time.Now().Add(wait)
	for got := n.Counts(); !slices.Equal(got, want); got = n.Counts() {
		if time.Now().After(deadline) {
			t.Fatalf("counts %+v, want %+v", got, want)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestMaintenanceEndTellsOnceFromTheRealEngine: a hard problem inside an
// ad hoc window is held; when the window ends with the problem still there,
// one message goes out, then the recovery.
func TestMaintenanceEndTellsOnceFromTheRealEngine(t *testing.T) {
	r := startEngine(t, holdsCfg())
	h := newHook(t, nil)
	r.startNotifier([]model.Notify{{Name: "hook", Type: model.NotifyWebhook, URL: h.URL}}, Options{Tick: time.Millisecond})
	for _, a := range []string{"acky", "marker"} {
		r.result(a, "http", model.StatusOK)
	}
	if err := r.e.Maintain(r.ctx, model.MaintainRequest{Asset: "acky", Until: time.Now().Add(time.Hour), Reason: "patching", By: "alice"}); err != nil {
		t.Fatal(err)
	}
	r.result("acky", "http", model.StatusCritical)
	r.result("acky", "http", model.StatusCritical)
	if a := r.sync().Asset("acky"); a.Status != model.StatusMaintenance || a.Maintenance == nil {
		t.Fatalf("acky %s window %+v", a.Status, a.Maintenance)
	}
	r.marker(t, h, model.StatusCritical, KindProblem)
	if err := r.e.EndMaintenance(r.ctx, "acky", "alice"); err != nil {
		t.Fatal(err)
	}
	if p := h.next(t); p.Asset != "acky" || p.Kind != KindProblem || p.Status != "CRITICAL" || p.Maintenance {
		t.Fatalf("window ended: %+v", p)
	}
	r.marker(t, h, model.StatusOK, KindRecovery)
	r.result("acky", "http", model.StatusOK)
	if p := h.next(t); p.Asset != "acky" || p.Kind != KindRecovery {
		t.Fatalf("recovery: %+v", p)
	}
	select {
	case p := <-h.got:
		t.Fatalf("one webhook too many: %+v", p)
	default:
	}
}

// TestChangeCarriedFromTheRealEngine: a problem on an asset that links to
// one whose version just changed carries the change in its message.
func TestChangeCarriedFromTheRealEngine(t *testing.T) {
	cfg := &model.Config{Assets: []model.Asset{
		{Name: "crm", Address: "127.0.0.1", Layer: model.LayerApplication, Checks: []model.Check{{Type: "http", Retries: 1}}},
		{Name: "erp", Address: "127.0.0.1", Layer: model.LayerApplication, Links: []string{"crm"}, Checks: []model.Check{{Type: "http", Retries: 1}}},
	}}
	r := startEngine(t, cfg)
	h := newHook(t, nil)
	r.startNotifier([]model.Notify{{Name: "hook", Type: model.NotifyWebhook, URL: h.URL}}, Options{Tick: time.Millisecond})
	version := func(v string) {
		r.at = r.at.Add(time.Second)
		res := model.Result{Key: model.CheckKey{Asset: "crm", Check: "http"}, At: r.at,
			Outcome: model.Outcome{Status: model.StatusOK, Summary: "HTTP 200", Attrs: map[string]string{model.AttrVersion: v}}}
		if err := r.e.Submit(r.ctx, res); err != nil {
			t.Fatal(err)
		}
	}
	version("4.2.0")
	r.result("erp", "http", model.StatusOK)
	version("4.3.0")
	r.result("erp", "http", model.StatusCritical)
	p := h.next(t)
	if p.Asset != "erp" || p.Kind != KindProblem || !strings.Contains(p.Change, "crm changed 4.2.0 -> 4.3.0") {
		t.Fatalf("problem: %+v", p)
	}
}

// TestRenewalNotifiedFromTheRealEngine: a warranty ending within
// renewal_crit makes the asset's lifecycle check CRITICAL at the engine's
// start; that is told like any problem, with the check named, and the
// asset is no root cause (a renewal does not make it down).
func TestRenewalNotifiedFromTheRealEngine(t *testing.T) {
	soon := time.Now().AddDate(0, 0, 10)
	cfg := &model.Config{Assets: []model.Asset{
		{Name: "ups1", Address: "127.0.0.1", Checks: []model.Check{{Type: "icmp", Retries: 1}},
			Lifecycle: &model.Lifecycle{WarrantyEnd: &toml.LocalDate{Year: soon.Year(), Month: int(soon.Month()), Day: soon.Day()}}},
	}}
	r := startEngine(t, cfg)
	h := newHook(t, nil)
	r.startNotifier([]model.Notify{{Name: "hook", Type: model.NotifyWebhook, URL: h.URL}}, Options{Tick: time.Millisecond})
	r.result("ups1", "icmp", model.StatusOK)
	p := h.next(t)
	if p.Asset != "ups1" || p.Kind != KindProblem || p.Status != "CRITICAL" || p.Check != model.CheckLifecycle || p.RootCause ||
		!strings.Contains(p.Reason, "warranty ends in 10 d") {
		t.Fatalf("renewal: %+v", p)
	}
}
