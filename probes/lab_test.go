package probes

import (
	"testing"
	"time"

	"noctop/lab"
	"noctop/model"
)

// TestLabConfigChecks runs every network check of the lab's own config
// against the lab, through the Set, and checks the status the lab promises
// for each (the demo relies on them). ICMP belongs to another prober.
func TestLabConfigChecks(t *testing.T) {
	l := startLab(t)
	// The project's loader: go-toml's decoder cannot put a check's version
	// table where snmp has its version string.
	cfg, err := model.Parse("lab.toml", []byte(l.Config()))
	if err != nil {
		t.Fatalf("lab config: %v", err)
	}
	want := map[string]model.Status{
		"web-shop/health":     model.StatusOK,
		"web-shop/version":    model.StatusOK,
		"erp/health":          model.StatusOK,
		"erp/reports":         model.StatusWarning, // /slow beyond latency warn
		"erp/link-crm":        model.StatusOK,      // crm at its first version
		"crm/health":          model.StatusOK,
		"crm/sync":            model.StatusOK, // /flap: OK, then CRITICAL below
		"dms/health":          model.StatusOK,
		"dms/search-api":      model.StatusCritical, // /fail
		"portal/cert":         model.StatusOK,
		"portal/legacy-cert":  model.StatusWarning, // 5 days left, warn 14
		"portal/https":        model.StatusOK,
		"mail-gw/smtp-banner": model.StatusOK,
		"mail-gw/echo":        model.StatusOK,
		"lab-dns/www":         model.StatusOK,
		"lab-dns/mx":          model.StatusOK,
		"core-sw1/mgmt":       model.StatusOK,
		"core-sw1/snmp":       model.StatusOK,
		"acc-sw1/snmp":        model.StatusOK, // rising errors need two polls for a rate
		"acc-sw2/snmp":        model.StatusOK,
		"ups1/snmp":           model.StatusOK,
		"printer1/snmp":       model.StatusWarning, // yellow toner at 12% (lab.LowTonerPct)
		"ap1/snmp":            model.StatusOK,
	}
	s := NewSet(WithResolver(l.Resolver()))
	defer s.Close()
	seen := 0
	for i := range cfg.Assets {
		a := &cfg.Assets[i]
		for j := range a.Checks {
			c := &a.Checks[j]
			key := a.Key(c).String()
			if c.Type == model.CheckICMP {
				continue
			}
			w, ok := want[key]
			if !ok {
				t.Errorf("%s: a check this test does not know", key)
				continue
			}
			seen++
			o := run(t, s.Prepare, Target{Asset: a, Check: c}, c.Timeout.Duration)
			t.Logf("%-20s %-8s %s", key, o.Status, o.Summary)
			if o.Status != w {
				t.Errorf("%s = %s %q, want %s", key, o.Status, o.Summary, w)
			}
			if key == "crm/sync" {
				if o2 := run(t, s.Prepare, Target{Asset: a, Check: c}, c.Timeout.Duration); o2.Status != model.StatusCritical {
					t.Errorf("crm/sync second run = %s %q, want CRITICAL (flapping)", o2.Status, o2.Summary)
				}
			}
		}
	}
	if seen != len(want) {
		t.Errorf("ran %d checks, want %d", seen, len(want))
	}

	// The scripted outage: erp goes down and comes back.
	l.SetHealthy(lab.ERP, false)
	var erp *model.Asset
	for i := range cfg.Assets {
		if cfg.Assets[i].Name == lab.ERP {
			erp = &cfg.Assets[i]
		}
	}
	if erp == nil {
		t.Fatal("no erp asset in the lab config")
	}
	o := run(t, s.Prepare, Target{Asset: erp, Check: &erp.Checks[0]}, 5*time.Second)
	expect(t, o, model.StatusCritical, `HTTP 503 in [0-9.]+ ms`)
}
