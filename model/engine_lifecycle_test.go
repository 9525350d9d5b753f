package model_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pelletier/go-toml/v2"

	"noctop/model"
)

func localDate(t time.Time) *toml.LocalDate {
	return &toml.LocalDate{Year: t.Year(), Month: int(t.Month()), Day: t.Day()}
}

// A switch whose warranty ended is CRITICAL on its lifecycle check, counted
// as a problem, but not down: its child with a failing check of its own
// is a root cause, not UNREACHABLE, and the service that needs the switch
// stays up.
func TestLifecycleNotDown(t *testing.T) {
	sw := asset("sw", nil, checkRetries("icmp", 1))
	sw.Lifecycle = &model.Lifecycle{WarrantyEnd: localDate(t0.AddDate(0, 0, -3)), EOL: localDate(t0.AddDate(1, 0, 0)), Owner: "netops"}
	app := asset("app", []string{"sw"}, checkRetries("icmp", 1))
	cfg := &model.Config{Assets: []model.Asset{sw, app},
		Services: []model.Service{{Name: "net", Needs: []string{"sw"}}}}
	r := startEngine(t, cfg, model.EngineOptions{})
	r.result("sw", "icmp", ok, "0/3 lost")
	r.result("app", "icmp", crit, "3/3 lost")
	s := r.sync()
	a := r.asset(s, "sw")
	lc := a.Check(model.CheckLifecycle)
	if lc == nil || lc.Type != model.CheckLifecycle || lc.Status != crit || !lc.Hard ||
		lc.Summary != "warranty ended 3 d ago (2026-02-26)" || len(lc.Renewals()) != 2 {
		t.Fatalf("lifecycle check = %+v", lc)
	}
	if a.Status != crit || a.Down || a.Role != model.RoleCritical || a.Reason != "lifecycle: warranty ended 3 d ago (2026-02-26)" {
		t.Fatalf("sw = %s down=%v role=%s %q", a.Status, a.Down, a.Role, a.Reason)
	}
	if c := r.asset(s, "app"); c.Status != crit || c.Role != model.RoleRootCause {
		t.Fatalf("app = %s role %s: the switch's warranty cut it off", c.Status, c.Role)
	}
	if v := r.service(s, "net"); v.Status != ok {
		t.Fatalf("service net = %s %q: a renewal is no outage", v.Status, v.Reason)
	}
	if s.Tally.Critical != 1 || s.Checks != 2 || s.Done != 2 {
		t.Fatalf("tally %+v, checks %d/%d", s.Tally, s.Done, s.Checks)
	}
	var ev *model.Event
	for i := range s.Events {
		if s.Events[i].Check == model.CheckLifecycle {
			ev = &s.Events[i]
		}
	}
	if ev == nil || ev.Kind != model.EventState || ev.From != pend || ev.To != crit || ev.Asset != "sw" {
		t.Fatalf("lifecycle event %+v in %+v", ev, s.Events)
	}

	// The switch really down: the child is UNREACHABLE again.
	r.result("sw", "icmp", crit, "3/3 lost")
	s = r.sync()
	if a := r.asset(s, "sw"); !a.Down || a.Role != model.RoleRootCause {
		t.Fatalf("sw down: %s role %s", a.Status, a.Role)
	}
	if c := r.asset(s, "app"); c.Status != model.StatusUnreachable {
		t.Fatalf("app = %s, want UNREACHABLE", c.Status)
	}
}

// Certificates a tls check reports enter the register, deduplicated by
// fingerprint across checks, kept when a run sees none, and an asset with
// only a tls check gets the pseudo-check too.
func TestLifecycleCerts(t *testing.T) {
	web := asset("web", nil, model.Check{Type: "tls"}, model.Check{Type: "http", Name: "home", URL: "https://web/"},
		model.Check{Type: "http", Name: "plain", URL: "http://web/"})
	other := asset("other", nil, check("icmp"))
	r := startEngine(t, &model.Config{Assets: []model.Asset{web, other}}, model.EngineOptions{})
	s := r.sync()
	if r.asset(s, "other").Check(model.CheckLifecycle) != nil {
		t.Fatal("an asset without dates or certificates got a lifecycle check")
	}
	lc := r.asset(s, "web").Check(model.CheckLifecycle)
	if lc == nil || lc.Status != ok || lc.Summary != "no lifecycle dates; no certificate seen yet" {
		t.Fatalf("before any certificate: %+v", lc)
	}
	if a := r.asset(s, "web"); a.Status != pend {
		t.Fatalf("web = %s: an OK register must not end PENDING", a.Status)
	}
	leaf := model.Cert{Subject: "CN=portal,O=lab", Issuer: "CN=lab CA", NotAfter: t0.Add(12*24*time.Hour + time.Hour), Fingerprint: "aa"}
	ca := model.Cert{Subject: "CN=lab CA", Issuer: "CN=lab CA", NotAfter: t0.AddDate(5, 0, 0), Fingerprint: "bb"}
	r.submit(model.Result{Key: model.CheckKey{Asset: "web", Check: "tls"}, Outcome: model.Outcome{Status: warn, Summary: "days left 12 d", Certs: []model.Cert{leaf, ca}}})
	r.submit(model.Result{Key: model.CheckKey{Asset: "web", Check: "home"}, Outcome: model.Outcome{Status: ok, Certs: []model.Cert{leaf}}})
	r.submit(model.Result{Key: model.CheckKey{Asset: "web", Check: "plain"}, Outcome: model.Outcome{Status: ok}})
	s = r.sync()
	a := r.asset(s, "web")
	lc = a.Check(model.CheckLifecycle)
	if lc.Status != crit || lc.Summary != "certificate CN=portal expires in 12 d (2026-03-13)" || len(lc.Renewals()) != 2 {
		t.Fatalf("with certificates: %s %q %+v", lc.Status, lc.Summary, lc.Renewals())
	}
	if rn := lc.Renewals()[0]; rn.Check != "tls" || rn.Cert.Fingerprint != "aa" || rn.Days != 12 || lc.Renewals()[1].Status != ok {
		t.Fatalf("renewals %+v", lc.Renewals())
	}
	if got := model.CertsFromAttrs(lc.Attrs); len(got) != 2 || got[0].Check != "tls" || got[1].Fingerprint != "bb" {
		t.Fatalf("attrs %v -> %+v", lc.Attrs, got)
	}
	if c := a.Check("tls"); len(c.Certs()) != 2 {
		t.Fatalf("tls check certs %+v", c.Certs())
	}
	if a.Status != crit || a.Down {
		t.Fatalf("web = %s down %v", a.Status, a.Down)
	}
	// A refused connection shows no certificate: the register keeps them.
	r.submit(model.Result{Key: model.CheckKey{Asset: "web", Check: "tls"}, Outcome: model.Outcome{Status: crit, Summary: "refused"}})
	if lc := r.asset(r.sync(), "web").Check(model.CheckLifecycle); len(lc.Renewals()) != 2 {
		t.Fatalf("after a refused run: %+v", lc.Renewals())
	}
}

// A reload re-judges: new limits, new dates.
func TestLifecycleReload(t *testing.T) {
	sw := asset("sw", nil, check("icmp"))
	sw.Lifecycle = &model.Lifecycle{EOS: localDate(t0.AddDate(0, 0, 60))}
	r := startEngine(t, &model.Config{Assets: []model.Asset{sw}}, model.EngineOptions{})
	if lc := r.asset(r.sync(), "sw").Check(model.CheckLifecycle); lc.Status != warn || lc.Summary != "end of support ends in 60 d (2026-04-30)" {
		t.Fatalf("before: %s %q", lc.Status, lc.Summary)
	}
	cfg := &model.Config{Assets: []model.Asset{asset("sw", nil, check("icmp"))}}
	cfg.Assets[0].Lifecycle = &model.Lifecycle{EOS: localDate(t0.AddDate(0, 0, 60)), RenewalWarn: model.D(40 * 24 * time.Hour), RenewalCrit: model.D(20 * 24 * time.Hour)}
	cfg.ApplyDefaults()
	ctx, cancel := context.WithTimeout(r.ctx, 10*time.Second)
	defer cancel()
	if err := r.e.Reload(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	s := r.sync()
	if lc := r.asset(s, "sw").Check(model.CheckLifecycle); lc.Status != ok || !strings.HasPrefix(lc.Summary, "next: end of support") {
		t.Fatalf("after: %s %q", lc.Status, lc.Summary)
	}
	found := false
	for _, ev := range s.Events {
		found = found || (ev.Check == model.CheckLifecycle && ev.From == warn && ev.To == ok)
	}
	if !found {
		t.Fatalf("no lifecycle WARNING -> OK event in %+v", s.Events)
	}
	for _, ev := range s.Events {
		if ev.Kind == model.EventReload && ev.Summary != "config reloaded: 0 checks added, 0 removed, 1 kept" {
			t.Fatalf("reload counted the pseudo-check: %q", ev.Summary)
		}
	}
}

// A restart resumes the certificates the lifecycle check's attrs kept.
func TestLifecycleResumeCerts(t *testing.T) {
	leaf := model.Cert{Subject: "CN=portal", NotAfter: t0.AddDate(0, 0, 20), Fingerprint: "aa"}
	r1 := startEngine(t, &model.Config{Assets: []model.Asset{asset("web", nil, check("tls"))}}, model.EngineOptions{})
	r1.submit(model.Result{Key: model.CheckKey{Asset: "web", Check: "tls"}, Outcome: model.Outcome{Status: warn, Certs: []model.Cert{leaf}}})
	lc := r1.asset(r1.sync(), "web").Check(model.CheckLifecycle)
	res := &model.Resume{Checks: map[model.CheckKey]model.ResumeCheck{
		{Asset: "web", Check: model.CheckLifecycle}: {Type: model.CheckLifecycle, Status: lc.Status, HardStatus: lc.HardStatus, Hard: true,
			Summary: lc.Summary, Attrs: lc.Attrs, LastRun: lc.LastRun},
	}}
	r2 := startEngine(t, &model.Config{Assets: []model.Asset{asset("web", nil, check("tls"))}}, model.EngineOptions{Resume: res})
	s := r2.sync()
	lc2 := r2.asset(s, "web").Check(model.CheckLifecycle)
	if lc2.Status != crit || lc2.Summary != lc.Summary || len(lc2.Renewals()) != 1 || lc2.Renewals()[0].Cert.Fingerprint != "aa" {
		t.Fatalf("resumed: %s %q %+v", lc2.Status, lc2.Summary, lc2.Renewals())
	}
	for _, ev := range s.Events {
		if ev.Check == model.CheckLifecycle {
			t.Fatalf("a resumed register is no news: %+v", ev)
		}
	}
}

// A recheck of the lifecycle check judges it in the engine: the scheduler
// is never asked for it (no probe runs it).
func TestLifecycleRecheck(t *testing.T) {
	asked := make(chan model.CheckKey, 4)
	sw := asset("sw", nil, check("icmp"))
	sw.Lifecycle = &model.Lifecycle{EOS: localDate(t0.AddDate(0, 0, 60))}
	r := startEngine(t, &model.Config{Assets: []model.Asset{sw}}, model.EngineOptions{Recheck: func(k model.CheckKey) { asked <- k }})
	r.e.Recheck(model.CheckKey{Asset: "sw", Check: model.CheckLifecycle})
	r.e.Recheck(model.CheckKey{Asset: "sw", Check: "icmp"})
	r.sync()
	close(asked)
	var got []string
	for k := range asked {
		got = append(got, k.String())
	}
	if len(got) != 1 || got[0] != "sw/icmp" {
		t.Fatalf("scheduler asked for %v, want only sw/icmp", got)
	}
}

// An asset with dates and no checks has the register's verdict: OK when
// nothing is due (not PENDING for ever), WARNING when something is.
func TestLifecycleOnlyAsset(t *testing.T) {
	lease := model.Asset{Name: "lease", Lifecycle: &model.Lifecycle{LicenceExpiry: localDate(t0.AddDate(1, 0, 0))}}
	rack := model.Asset{Name: "rack", Lifecycle: &model.Lifecycle{WarrantyEnd: localDate(t0.AddDate(0, 0, 50))}}
	r := startEngine(t, &model.Config{Assets: []model.Asset{lease, rack}}, model.EngineOptions{})
	s := r.sync()
	if a := r.asset(s, "lease"); a.Status != ok || a.Role != model.RoleNone {
		t.Errorf("lease = %s %s %q", a.Status, a.Role, a.Reason)
	}
	if a := r.asset(s, "rack"); a.Status != warn || a.Role != model.RoleWarning || a.Reason != "lifecycle: warranty ends in 50 d (2026-04-20)" {
		t.Errorf("rack = %s %s %q", a.Status, a.Role, a.Reason)
	}
}
