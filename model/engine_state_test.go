package model_test

import (
	"testing"

	"noctop/model"
)

const (
	pend  = model.StatusPending
	ok    = model.StatusOK
	warn  = model.StatusWarning
	crit  = model.StatusCritical
	unk   = model.StatusUnknown
	unr   = model.StatusUnreachable
	maint = model.StatusMaintenance
)

// TestSoftHardTransitions drives one check through each transition and
// checks the state after every result.
func TestSoftHardTransitions(t *testing.T) {
	type step struct {
		in         model.Status
		status     model.Status
		hard       bool
		hardStatus model.Status
		attempt    int
	}
	cases := []struct {
		name    string
		retries int
		oneShot bool
		steps   []step
	}{
		{"PENDING->OK is hard", 3, false, []step{
			{ok, ok, true, ok, 0},
		}},
		{"PENDING->soft 1/3", 3, false, []step{
			{crit, crit, false, pend, 1},
		}},
		{"soft 1/3->2/3->hard 3/3", 3, false, []step{
			{ok, ok, true, ok, 0},
			{crit, crit, false, ok, 1},
			{crit, crit, false, ok, 2},
			{crit, crit, true, crit, 3},
			{crit, crit, true, crit, 3},
		}},
		{"soft->recovery is hard at once", 3, false, []step{
			{ok, ok, true, ok, 0},
			{crit, crit, false, ok, 1},
			{crit, crit, false, ok, 2},
			{ok, ok, true, ok, 0},
			{crit, crit, false, ok, 1}, // counting starts again
		}},
		{"hard OK->soft WARNING", 3, false, []step{
			{ok, ok, true, ok, 0},
			{warn, warn, false, ok, 1},
		}},
		{"hard WARNING->hard CRITICAL", 3, false, []step{
			{ok, ok, true, ok, 0},
			{warn, warn, false, ok, 1},
			{warn, warn, false, ok, 2},
			{warn, warn, true, warn, 3},
			{crit, crit, true, crit, 3},
			{unk, unk, true, unk, 3},
			{ok, ok, true, ok, 0},
		}},
		{"soft problems change status and count on", 3, false, []step{
			{ok, ok, true, ok, 0},
			{crit, crit, false, ok, 1},
			{warn, warn, false, ok, 2},
			{unk, unk, true, unk, 3},
		}},
		{"hard CRITICAL->OK->CRITICAL is soft again", 2, false, []step{
			{crit, crit, false, pend, 1},
			{crit, crit, true, crit, 2},
			{ok, ok, true, ok, 0},
			{crit, crit, false, ok, 1},
		}},
		{"retries=1 is hard at once", 1, false, []step{
			{crit, crit, true, crit, 1},
			{ok, ok, true, ok, 0},
			{warn, warn, true, warn, 1},
		}},
		{"OneShot is hard at once", 5, true, []step{
			{warn, warn, true, warn, 1},
			{crit, crit, true, crit, 1},
			{ok, ok, true, ok, 0},
			{unk, unk, true, unk, 1},
		}},
		{"a probe status the engine owns is UNKNOWN", 1, false, []step{
			{pend, unk, true, unk, 1},
			{unr, unk, true, unk, 1},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := &model.Config{Assets: []model.Asset{
				asset("web1", nil, checkRetries("http", tc.retries)),
			}}
			r := startEngine(t, cfg, model.EngineOptions{OneShot: tc.oneShot})
			s := r.sync()
			if c := r.asset(s, "web1").Check("http"); c.Status != pend || c.HardStatus != pend || c.Attempt != 0 {
				t.Fatalf("start: got %s hard=%s attempt %d, want PENDING", c.Status, c.HardStatus, c.Attempt)
			}
			for i, st := range tc.steps {
				r.result("web1", "http", st.in, "reason")
				s := r.sync()
				a := r.asset(s, "web1")
				c := a.Check("http")
				if c.Status != st.status || c.Hard != st.hard || c.HardStatus != st.hardStatus || c.Attempt != st.attempt {
					t.Fatalf("step %d (%s): got %s hard=%v hardStatus=%s attempt=%d/%d, want %s hard=%v hardStatus=%s attempt=%d",
						i, st.in, c.Status, c.Hard, c.HardStatus, c.Attempt, c.MaxAttempts,
						st.status, st.hard, st.hardStatus, st.attempt)
				}
				wantMax := tc.retries
				if tc.oneShot {
					wantMax = 1
				}
				if c.MaxAttempts != wantMax {
					t.Fatalf("step %d: MaxAttempts %d, want %d", i, c.MaxAttempts, wantMax)
				}
				// The asset mirrors its only check.
				if a.Status != st.status || a.Hard != st.hard || a.HardStatus != st.hardStatus {
					t.Fatalf("step %d: asset %s hard=%v hardStatus=%s, want %s hard=%v hardStatus=%s",
						i, a.Status, a.Hard, a.HardStatus, st.status, st.hard, st.hardStatus)
				}
			}
		})
	}
}

// TestAssetWorstCheck: the asset shows the worst check, soft included, and
// is Hard only when the worst status is confirmed.
func TestAssetWorstCheck(t *testing.T) {
	cfg := &model.Config{Assets: []model.Asset{
		asset("erp-app", nil, check("http"), check("tcp"), check("tls")),
	}}
	r := startEngine(t, cfg, model.EngineOptions{})
	r.result("erp-app", "http", ok, "HTTP 200 in 3 ms")
	s := r.sync()
	if a := r.asset(s, "erp-app"); a.Status != pend || a.Reason != "2 of 3 checks pending" {
		t.Fatalf("partly checked: %s %q, want PENDING", a.Status, a.Reason)
	}
	r.result("erp-app", "tcp", ok, "connected in 1 ms")
	r.result("erp-app", "tls", ok, "expires in 40 d")
	r.result("erp-app", "tls", warn, "expires in 20 d")
	s = r.sync()
	a := r.asset(s, "erp-app")
	if a.Status != warn || a.Hard || a.HardStatus != ok {
		t.Fatalf("soft warning: %s hard=%v hardStatus=%s", a.Status, a.Hard, a.HardStatus)
	}
	if a.Reason != "tls: expires in 20 d (soft 1/3)" {
		t.Fatalf("reason %q", a.Reason)
	}
	r.result("erp-app", "http", crit, "HTTP 503 in 12 ms")
	s = r.sync()
	a = r.asset(s, "erp-app")
	if a.Status != crit || a.Hard || a.Reason != "http: HTTP 503 in 12 ms (soft 1/3) (+1 more)" {
		t.Fatalf("soft critical: %s hard=%v %q", a.Status, a.Hard, a.Reason)
	}
	r.result("erp-app", "http", crit, "HTTP 503 in 12 ms")
	r.result("erp-app", "http", crit, "HTTP 503 in 12 ms")
	s = r.sync()
	if a := r.asset(s, "erp-app"); a.Status != crit || !a.Hard || a.HardStatus != crit {
		t.Fatalf("hard critical: %s hard=%v hardStatus=%s", a.Status, a.Hard, a.HardStatus)
	}
	if a.Down {
		t.Fatalf("not every check is hard CRITICAL, yet Down")
	}
}
