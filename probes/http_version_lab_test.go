package probes

import (
	"strings"
	"testing"
	"time"

	"noctop/lab"
	"noctop/model"
)

// TestLabUpgradeCorrelation runs the lab config's real http checks against
// the lab into a real engine: the CRM's version is read from its header,
// its upgrade to 4.3.0 is a change, ERP's link check to it breaks (502)
// and carries "began ... after crm changed 4.2.0 -> 4.3.0"; the rollback
// heals the link and clears it.
func TestLabUpgradeCorrelation(t *testing.T) {
	l := startLab(t)
	cfg, err := model.Parse("lab.toml", []byte(l.Config()))
	if err != nil {
		t.Fatal(err)
	}
	eng, ctx, _ := runEngine(t, cfg)
	n := &Net{Resolver: l.Resolver()}
	prepared := map[model.CheckKey]Prepared{}
	for i := range cfg.Assets {
		a := &cfg.Assets[i]
		for j := range a.Checks {
			k := a.Key(&a.Checks[j])
			if k.String() == "crm/health" || k.String() == "erp/link-crm" {
				p, err := n.PrepareHTTP(Target{Asset: a, Check: &a.Checks[j]})
				if err != nil {
					t.Fatal(err)
				}
				prepared[k] = p
			}
		}
	}
	if len(prepared) != 2 {
		t.Fatalf("the lab config lacks crm/health or erp/link-crm: %v", prepared)
	}
	poll := func(key string) *model.Snapshot {
		t.Helper()
		asset, check, _ := strings.Cut(key, "/")
		k := model.CheckKey{Asset: asset, Check: check}
		start := time.Now()
		o := prepared[k].Run(ctx)
		if err := eng.Submit(ctx, model.Result{Key: k, At: start, Duration: time.Since(start), Outcome: o}); err != nil {
			t.Fatal(err)
		}
		s, err := eng.Sync(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	link := func(s *model.Snapshot) *model.CheckState { return s.Asset(lab.ERP).Check("link-crm") }

	poll("crm/health")
	s := poll("erp/link-crm")
	if c := link(s); c.Status != model.StatusOK || c.Correlation != nil {
		t.Fatalf("before the upgrade: link %s %q, correlation %+v", c.Status, c.Summary, c.Correlation)
	}
	if v := s.Asset(lab.CRM).Check("health").Attrs[model.AttrVersion]; v != lab.CRMVersion {
		t.Fatalf("crm version %q, want %q", v, lab.CRMVersion)
	}

	if err := l.SetAppVersion(lab.CRM, lab.CRMUpgrade); err != nil {
		t.Fatal(err)
	}
	s = poll("crm/health")
	changed := false
	for _, ev := range s.Events {
		changed = changed || ev.Kind == model.EventChange && ev.Asset == lab.CRM && ev.Summary == "version changed: 4.2.0 -> 4.3.0"
	}
	if !changed {
		t.Errorf("no change event for the upgrade: %+v", s.Events)
	}
	s = poll("erp/link-crm")
	c := link(s)
	if c.Status != model.StatusCritical || !strings.Contains(c.Summary, "HTTP 502") {
		t.Fatalf("after the upgrade: link %s %q, want CRITICAL HTTP 502", c.Status, c.Summary)
	}
	if c.Correlation == nil || c.Correlation.Change() != "crm changed 4.2.0 -> 4.3.0" {
		t.Fatalf("link correlation %+v, want crm changed 4.2.0 -> 4.3.0", c.Correlation)
	}
	if r := s.Asset(lab.ERP).Reason; !strings.Contains(r, "crm changed 4.2.0 -> 4.3.0") {
		t.Errorf("erp reason %q", r)
	}

	if err := l.SetAppVersion(lab.CRM, lab.CRMVersion); err != nil {
		t.Fatal(err)
	}
	poll("crm/health")
	if c := link(poll("erp/link-crm")); c.Status != model.StatusOK || c.Correlation != nil {
		t.Errorf("after the rollback: link %s %q, correlation %+v", c.Status, c.Summary, c.Correlation)
	}
}
