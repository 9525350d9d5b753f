package model_test

import (
	"slices"
	"testing"

	"noctop/model"
)

// serviceConfig: erp-db, crm-app behind core-sw1, dms-app; services of
// every rule, one nested.
func serviceConfig() *model.Config {
	return &model.Config{
		Defaults: model.Defaults{Retries: 1},
		Assets: []model.Asset{
			asset("core-sw1", nil, check("icmp")),
			asset("erp-db", nil, check("tcp")),
			asset("crm-app", []string{"core-sw1"}, check("http")),
			asset("dms-app", nil, check("http")),
			asset("soft-app", nil, checkRetries("http", 3)),
		},
		Services: []model.Service{
			{Name: "Order to cash", Rule: "all", Needs: []string{"erp-db", "crm-app", "dms-app"}},
			{Name: "Documents", Rule: "any", Needs: []string{"dms-app", "crm-app"}},
			{Name: "Quorum", Rule: "2 of 3", Needs: []string{"erp-db", "crm-app", "dms-app"}},
			// Nested, listed before its member service.
			{Name: "Business", Rule: "all", Needs: []string{"Order to cash", "Soft"}},
			{Name: "Soft", Needs: []string{"soft-app"}}, // rule defaults to all
			{Name: "Broken", Rule: "most", Needs: []string{"dms-app"}},
		},
	}
}

type svcWant struct {
	name      string
	status    model.Status
	reason    string
	up, total int
}

func checkServices(t *testing.T, r *rig, s *model.Snapshot, wants ...svcWant) {
	t.Helper()
	for _, w := range wants {
		v := r.service(s, w.name)
		if v.Status != w.status || v.Reason != w.reason || v.Up != w.up || v.Total != w.total {
			t.Errorf("%s: got %s %q %d/%d, want %s %q %d/%d",
				w.name, v.Status, v.Reason, v.Up, v.Total, w.status, w.reason, w.up, w.total)
		}
	}
}

func TestServiceRollup(t *testing.T) {
	type res struct {
		asset, check string
		status       model.Status
	}
	allOK := []res{
		{"core-sw1", "icmp", ok}, {"erp-db", "tcp", ok}, {"crm-app", "http", ok},
		{"dms-app", "http", ok}, {"soft-app", "http", ok},
	}
	cases := []struct {
		name    string
		results []res
		want    []svcWant
	}{
		{"nothing known yet", nil, []svcWant{
			{"Order to cash", pend, "waiting for erp-db, crm-app, dms-app", 0, 3},
			{"Documents", pend, "waiting for dms-app, crm-app", 0, 2},
			{"Quorum", pend, "waiting for erp-db, crm-app, dms-app", 0, 3},
			{"Business", pend, "waiting for Order to cash, Soft", 0, 2},
			{"Broken", model.StatusUnknown, `invalid value: rule "most" (want all, any or "N of M")`, 0, 1},
		}},
		{"partly known", []res{{"erp-db", "tcp", ok}}, []svcWant{
			{"Order to cash", pend, "1 of 3 up, need 3, waiting for crm-app, dms-app", 1, 3},
			{"Quorum", pend, "1 of 3 up, need 2, waiting for crm-app, dms-app", 1, 3},
		}},
		{"a failure decides before the rest is known", []res{{"erp-db", "tcp", crit}}, []svcWant{
			{"Order to cash", crit, "erp-db CRITICAL", 0, 3},
			{"Quorum", pend, "0 of 3 up, need 2, waiting for crm-app, dms-app", 0, 3},
			{"Business", crit, "Order to cash CRITICAL", 0, 2},
		}},
		{"all up", allOK, []svcWant{
			{"Order to cash", ok, "3 of 3 up", 3, 3},
			{"Documents", ok, "2 of 2 up", 2, 2},
			{"Quorum", ok, "3 of 3 up", 3, 3},
			{"Business", ok, "2 of 2 up", 2, 2},
			{"Soft", ok, "1 of 1 up", 1, 1},
		}},
		{"all: one CRITICAL and one UNREACHABLE", append(slices.Clone(allOK),
			res{"erp-db", "tcp", crit}, res{"core-sw1", "icmp", crit}, res{"crm-app", "http", crit}),
			[]svcWant{
				{"Order to cash", crit, "erp-db CRITICAL, crm-app UNREACHABLE (core-sw1)", 1, 3},
				{"Documents", warn, "1 of 2 up: crm-app UNREACHABLE (core-sw1)", 1, 2},
				{"Quorum", crit, "1 of 3 up, need 2: erp-db CRITICAL, crm-app UNREACHABLE (core-sw1)", 1, 3},
				{"Business", crit, "Order to cash CRITICAL", 1, 2},
			}},
		{"WARNING degrades all, not any or N of M", append(slices.Clone(allOK), res{"dms-app", "http", warn}),
			[]svcWant{
				{"Order to cash", warn, "dms-app WARNING", 3, 3},
				{"Documents", ok, "2 of 2 up", 2, 2},
				{"Quorum", ok, "3 of 3 up", 3, 3},
				{"Business", warn, "Order to cash WARNING", 2, 2},
			}},
		{"any: none up", append(slices.Clone(allOK), res{"dms-app", "http", crit}, res{"crm-app", "http", unk}),
			[]svcWant{
				{"Documents", crit, "0 of 2 up, need 1: dms-app CRITICAL, crm-app UNKNOWN", 0, 2},
				{"Quorum", crit, "1 of 3 up, need 2: crm-app UNKNOWN, dms-app CRITICAL", 1, 3},
			}},
		{"2 of 3: one failing is a warning", append(slices.Clone(allOK), res{"erp-db", "tcp", crit}),
			[]svcWant{
				{"Quorum", warn, "2 of 3 up: erp-db CRITICAL", 2, 3},
			}},
		{"soft members count as their hard status", append(slices.Clone(allOK), res{"soft-app", "http", crit}),
			[]svcWant{
				{"Soft", ok, "1 of 1 up", 1, 1},
				{"Business", ok, "2 of 2 up", 2, 2},
			}},
		{"soft member turns hard", append(slices.Clone(allOK),
			res{"soft-app", "http", crit}, res{"soft-app", "http", crit}, res{"soft-app", "http", crit}),
			[]svcWant{
				{"Soft", crit, "soft-app CRITICAL", 0, 1},
				{"Business", crit, "Soft CRITICAL", 1, 2},
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := startEngine(t, serviceConfig(), model.EngineOptions{})
			for _, x := range tc.results {
				r.result(x.asset, x.check, x.status, x.status.String())
			}
			checkServices(t, r, r.sync(), tc.want...)
		})
	}
}

func TestServiceMembersAndEvents(t *testing.T) {
	r := startEngine(t, serviceConfig(), model.EngineOptions{})
	for _, a := range []string{"erp-db", "dms-app"} {
		chk := "http"
		if a == "erp-db" {
			chk = "tcp"
		}
		r.result(a, chk, ok, "fine")
	}
	r.result("core-sw1", "icmp", crit, "3/3 lost")
	r.result("crm-app", "http", crit, "timeout")
	s := r.sync()
	v := r.service(s, "Order to cash")
	want := []model.MemberState{{Name: "erp-db", Status: ok}, {Name: "crm-app", Status: unr, Culprit: true}, {Name: "dms-app", Status: ok}}
	if !slices.Equal(v.Members, want) {
		t.Fatalf("members %+v, want %+v", v.Members, want)
	}
	b := r.service(s, "Business")
	if len(b.Members) != 2 || !b.Members[0].IsService || b.Members[0].Status != crit {
		t.Fatalf("nested members %+v", b.Members)
	}
	var got []string
	for _, ev := range s.Events {
		if ev.Service != "" {
			got = append(got, ev.Service+" "+ev.From.String()+"->"+ev.To.String())
		}
	}
	wantEv := []string{"Order to cash PENDING->CRITICAL", "Documents OK->WARNING", "Quorum OK->WARNING", "Broken PENDING->UNKNOWN", "Business PENDING->CRITICAL"}
	for _, w := range wantEv {
		if !slices.Contains(got, w) {
			t.Errorf("no service event %q in %q", w, got)
		}
	}
	since := v.Since
	// Recovery: one event per service that changes, Since moves.
	r.result("core-sw1", "icmp", ok, "3/3 received")
	r.result("crm-app", "http", ok, "HTTP 200")
	s = r.sync()
	v = r.service(s, "Order to cash")
	if v.Status != ok || !v.Since.After(since) {
		t.Fatalf("after recovery: %s since %v (was %v)", v.Status, v.Since, since)
	}
	last := s.Events[len(s.Events)-1]
	if last.Service == "" || last.To == crit {
		t.Fatalf("last event %+v, want a service recovery", last)
	}
}

// The members a service blames are the ones its reason names: a WARNING
// member is blamed by "all", never by "N of M" or "any", where it counts as
// up.
func TestServiceCulprits(t *testing.T) {
	r := startEngine(t, serviceConfig(), model.EngineOptions{})
	r.result("core-sw1", "icmp", ok, "fine")
	r.result("erp-db", "tcp", crit, "refused")
	r.result("crm-app", "http", warn, "slow")
	r.result("dms-app", "http", ok, "fine")
	s := r.sync()
	blamed := func(name string) []string {
		var out []string
		for _, m := range r.service(s, name).Members {
			if m.Culprit {
				out = append(out, m.Name)
			}
		}
		return out
	}
	for name, want := range map[string][]string{
		"Order to cash": {"erp-db"}, // CRITICAL: the failing member only
		"Quorum":        {"erp-db"}, // WARNING, 2 of 3 up: crm-app's WARNING counts as up
		"Documents":     nil,        // OK: nothing to blame
	} {
		if got := blamed(name); !slices.Equal(got, want) {
			t.Errorf("%s blames %v, want %v", name, got, want)
		}
	}
	r.result("erp-db", "tcp", ok, "fine")
	s = r.sync()
	if got := blamed("Order to cash"); !slices.Equal(got, []string{"crm-app"}) {
		t.Errorf("all with a WARNING member blames %v, want [crm-app]", got)
	}
}
