package notify

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"noctop/model"
)

// The rules on snapshots built by hand: acks, windows and flapping are set
// here as the engine will set them.

type assetOpt func(*model.AssetState)

func acked(by string) assetOpt {
	return func(a *model.AssetState) { a.Ack = &model.Ack{By: by, Comment: "on it"} }
}

func checkAcked(by string) assetOpt {
	return func(a *model.AssetState) { a.Checks[0].Ack = &model.Ack{By: by} }
}

func inWindow(name string) assetOpt {
	return func(a *model.AssetState) {
		a.Status, a.Role = model.StatusMaintenance, model.RoleNone
		a.Maintenance = &model.Maintenance{Window: name, Until: time.Date(2026, 12, 7, 4, 0, 0, 0, time.UTC)}
	}
}

func flapping(a *model.AssetState) {
	a.Flapping = true
	a.Checks[0].Flapping, a.Checks[0].FlapPercent = true, 62
}

func tagged(tags ...string) assetOpt { return func(a *model.AssetState) { a.Tags = tags } }

func layer(l string) assetOpt { return func(a *model.AssetState) { a.Layer = l } }

// asset is an asset with one check "ping" whose hard status is st, in role.
func asset(name string, role model.Role, st model.Status, opts ...assetOpt) *model.AssetState {
	hard := st
	if role == model.RoleSoft {
		hard = model.StatusOK
	}
	a := &model.AssetState{
		Name: name, Layer: model.LayerTechnical, Status: st, HardStatus: hard, Hard: role != model.RoleSoft, Role: role,
		Reason: "ping: " + strings.ToLower(st.String()), Down: role == model.RoleRootCause,
		Checks: []*model.CheckState{{Asset: name, Name: "ping", Type: "icmp", Status: st, HardStatus: hard, Hard: role != model.RoleSoft}},
	}
	if role == model.RoleUnreachable {
		a.HardStatus = model.StatusUnreachable
	}
	for _, o := range opts {
		o(a)
	}
	return a
}

func snapOf(assets ...*model.AssetState) *model.Snapshot { return &model.Snapshot{Assets: assets} }

func ok(opts ...assetOpt) *model.AssetState {
	return asset("sw", model.RoleNone, model.StatusOK, opts...)
}

func crit(opts ...assetOpt) *model.AssetState {
	return asset("sw", model.RoleCritical, model.StatusCritical, opts...)
}

func warn(opts ...assetOpt) *model.AssetState {
	return asset("sw", model.RoleWarning, model.StatusWarning, opts...)
}

func softCrit(opts ...assetOpt) *model.AssetState {
	return asset("sw", model.RoleSoft, model.StatusCritical, opts...)
}

type ruleStep struct {
	at   time.Duration
	a    *model.AssetState // nil: the asset is gone from the config
	want string            // "kind STATUS" and "held: why" joined by "; "
}

func describe(out []Message, held []Suppressed) string {
	var parts []string
	for _, m := range out {
		parts = append(parts, fmt.Sprintf("%s %s", m.Kind, m.Status))
	}
	for _, h := range held {
		parts = append(parts, "held: "+h.Why)
	}
	return strings.Join(parts, "; ")
}

func TestRules(t *testing.T) {
	base := model.Notify{Name: "hook", Type: model.NotifyWebhook, Retries: 3}
	with := func(f func(*model.Notify)) model.Notify { n := base; f(&n); return n }
	no := false
	tests := []struct {
		name  string
		cfg   model.Notify
		steps []ruleStep
	}{
		{"problem then recovery, once each", base, []ruleStep{
			{0, ok(), ""}, {1, crit(), "problem CRITICAL"}, {2, crit(), ""}, {3, ok(), "recovery OK"}, {4, ok(), ""},
		}},
		{"soft waits for hard", base, []ruleStep{
			{0, softCrit(), ""}, {1, softCrit(), ""}, {2, crit(), "problem CRITICAL"},
		}},
		{"a soft blip is never told", base, []ruleStep{{0, softCrit(), ""}, {1, ok(), ""}}},
		{"a hard status change is told", base, []ruleStep{
			{0, warn(), "problem WARNING"}, {1, crit(), "problem CRITICAL"}, {2, warn(), "problem WARNING"}, {3, ok(), "recovery OK"},
		}},
		{"renotify while down", with(func(n *model.Notify) { n.Renotify = model.D(10 * time.Minute) }), []ruleStep{
			{0, crit(), "problem CRITICAL"}, {5 * time.Minute, crit(), ""}, {10 * time.Minute, crit(), "renotify CRITICAL"},
			{15 * time.Minute, crit(), ""}, {20 * time.Minute, crit(), "renotify CRITICAL"}, {21 * time.Minute, ok(), "recovery OK"},
			{40 * time.Minute, ok(), ""},
		}},
		{"no renotify by default", base, []ruleStep{{0, crit(), "problem CRITICAL"}, {24 * time.Hour, crit(), ""}}},
		{"acked: held, told once when the ack is removed", base, []ruleStep{
			{0, crit(acked("alice")), "held: acknowledged by alice: on it"}, {1, crit(acked("alice")), ""},
			{2, warn(acked("alice")), ""}, {3, warn(), "problem WARNING"}, {4, warn(), ""},
		}},
		{"an acked check holds its asset", base, []ruleStep{{0, crit(checkAcked("bob")), "held: acknowledged by bob"}}},
		{"acked after the message: no renotify, the recovery is told", with(func(n *model.Notify) { n.Renotify = model.D(time.Minute) }), []ruleStep{
			{0, crit(), "problem CRITICAL"}, {time.Second, crit(acked("alice")), "held: acknowledged by alice: on it"},
			{time.Hour, crit(acked("alice")), ""}, {2 * time.Hour, ok(), "recovery OK"},
		}},
		{"maintenance: held, told once when the window ends", base, []ruleStep{
			{0, crit(inWindow("patch")), "held: in maintenance (patch) until 2026-12-07T04:00:00Z"},
			{1, crit(inWindow("patch")), ""}, {2, crit(), "problem CRITICAL"}, {3, crit(), ""}, {4, ok(), "recovery OK"},
		}},
		{"notified before a window, still down after it: once more", base, []ruleStep{
			{0, crit(), "problem CRITICAL"}, {1, crit(inWindow("patch")), "held: in maintenance"}, {2, crit(), "problem CRITICAL"}, {3, crit(), ""},
		}},
		{"a window holds the recovery until it ends", base, []ruleStep{
			{0, crit(), "problem CRITICAL"}, {1, ok(inWindow("patch")), "held: recovery: in maintenance"}, {2, ok(inWindow("patch")), ""},
			{3, ok(), "recovery OK"},
		}},
		{"fixed inside the window: nothing", base, []ruleStep{
			{0, crit(inWindow("patch")), "held: in maintenance"}, {1, ok(inWindow("patch")), ""}, {2, ok(), ""},
		}},
		{"flapping: held, told when it settles bad", base, []ruleStep{
			{0, crit(flapping), "held: flapping"}, {1, warn(flapping), ""}, {2, crit(), "problem CRITICAL"}, {3, crit(), ""},
		}},
		{"flapping that settles OK: nothing", base, []ruleStep{{0, crit(flapping), "held: flapping"}, {1, ok(), ""}}},
		{"unreachable and checking assets are their root cause's", base, []ruleStep{
			{0, asset("sw", model.RoleUnreachable, model.StatusUnreachable), ""},
			{1, asset("sw", model.RoleChecking, model.StatusCritical), ""},
		}},
		{"a notified root cause cut off by its parent waits, then recovers", base, []ruleStep{
			{0, asset("sw", model.RoleRootCause, model.StatusCritical), "problem CRITICAL"},
			{1, asset("sw", model.RoleUnreachable, model.StatusUnreachable), ""}, {2, ok(), "recovery OK"},
		}},
		{"min_status CRITICAL", with(func(n *model.Notify) { n.MinStatus = "CRITICAL" }), []ruleStep{
			{0, warn(), ""}, {1, crit(), "problem CRITICAL"}, {2, ok(), "recovery OK"},
		}},
		{"min_status UNKNOWN skips WARNING", with(func(n *model.Notify) { n.MinStatus = "UNKNOWN" }), []ruleStep{
			{0, warn(), ""}, {1, asset("sw", model.RoleUnknown, model.StatusUnknown), "problem UNKNOWN"},
		}},
		{"layer filter", with(func(n *model.Notify) { n.Layers = []string{model.LayerApplication} }), []ruleStep{
			{0, crit(), ""}, {1, crit(layer(model.LayerApplication)), "problem CRITICAL"},
		}},
		{"tag filter", with(func(n *model.Notify) { n.Tags = []string{"site:hq"} }), []ruleStep{
			{0, crit(tagged("site:dc2")), ""}, {1, crit(tagged("x", "site:hq")), "problem CRITICAL"},
		}},
		{"send_recovery = false", with(func(n *model.Notify) { n.SendRecovery = &no }), []ruleStep{
			{0, crit(), "problem CRITICAL"}, {1, ok(), ""}, {2, crit(), "problem CRITICAL"},
		}},
		{"an asset removed by a reload: its problem is ended, then forgotten", base, []ruleStep{
			{0, crit(), "problem CRITICAL"}, {1, nil, "recovery PENDING"}, {2, nil, ""}, {3, ok(), ""},
		}},
		{"a held problem removed by a reload: nothing to end", base, []ruleStep{{0, crit(acked("a")), "held: acknowledged"}, {1, nil, ""}}},
	}
	t0 := time.Date(2026, 12, 7, 2, 0, 0, 0, time.UTC)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewRules(tt.cfg)
			for i, s := range tt.steps {
				snap := snapOf()
				if s.a != nil {
					snap = snapOf(s.a)
				}
				got := describe(r.Step(snap, t0.Add(s.at)))
				if !strings.HasPrefix(got, s.want) || (s.want == "") != (got == "") {
					t.Fatalf("step %d: got %q, want %q", i, got, s.want)
				}
			}
		})
	}
}

// A root cause's message folds in what it cuts off: the count and names of
// the assets whose root causes include it, and the services down through
// them (nested services too), but not services failing for other reasons.
func TestRulesFoldUnreachable(t *testing.T) {
	assets := []*model.AssetState{asset("core", model.RoleRootCause, model.StatusCritical)}
	for i := range 60 {
		c := asset(fmt.Sprintf("host%02d", i), model.RoleUnreachable, model.StatusUnreachable)
		c.RootCauses, c.RootCause = []string{"core"}, "core"
		assets = append(assets, c)
	}
	other := asset("db", model.RoleCritical, model.StatusCritical)
	assets = append(assets, other)
	snap := snapOf(assets...)
	snap.Services = []*model.ServiceState{
		{Name: "ERP", Status: model.StatusCritical, Members: []model.MemberState{{Name: "host03", Status: model.StatusUnreachable, Culprit: true}}},
		{Name: "Order to cash", Status: model.StatusCritical, Members: []model.MemberState{{Name: "ERP", IsService: true, Culprit: true}}},
		{Name: "Reports", Status: model.StatusCritical, Members: []model.MemberState{{Name: "db", Culprit: true}, {Name: "host04"}}},
		{Name: "Mail", Status: model.StatusOK, Members: []model.MemberState{{Name: "host05"}}},
	}
	out, held := NewRules(model.Notify{Name: "hook"}).Step(snap, time.Now())
	if len(out) != 2 || len(held) != 0 {
		t.Fatalf("got %d messages, %d held: %+v", len(out), len(held), out)
	}
	m := out[0]
	if m.Asset != "core" || !m.RootCause || m.Affected != 60 || len(m.AffectedNames) != maxNames || m.AffectedNames[0] != "host00" || m.Check != "ping" {
		t.Errorf("root cause message: %+v", m)
	}
	if strings.Join(m.ServicesDown, ",") != "ERP,Order to cash" {
		t.Errorf("services down = %v, want ERP and Order to cash", m.ServicesDown)
	}
	if s := m.Summary(); !strings.Contains(s, "core CRITICAL (root cause)") || !strings.Contains(s, "60 unreachable behind it: host00, host01, host02, host03, host04 +55 more") {
		t.Errorf("summary = %q", s)
	}
	if db := out[1]; db.Asset != "db" || db.RootCause || db.Affected != 0 || strings.Join(db.ServicesDown, ",") != "Reports" {
		t.Errorf("db message: %+v", db)
	}
}
