package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"noctop/model"
)

// bannerPlain is the banner line without escape sequences, trimmed.
func bannerPlain(t *testing.T, m *Root) (string, string) {
	t.Helper()
	b, ok := m.banner()
	if !ok {
		t.Fatal("no banner")
	}
	return strings.TrimSpace(ansi.Strip(b)), b
}

// triageHeadText is the triage screen's head line(s) rejoined into one.
func triageHeadText(m *Root) string {
	var parts []string
	for _, l := range triageHead(&m.env, m.width) {
		if l = strings.TrimSpace(ansi.Strip(l)); l != "" {
			parts = append(parts, strings.TrimSuffix(l, " ·"))
		}
	}
	return strings.TrimSpace(strings.Join(parts, " · "))
}

// quietSnapshot is the lab with only what the tally says; every asset OK.
func quietSnapshot(tally model.Tally) *model.Snapshot {
	s := labSnapshot()
	for _, a := range s.Assets {
		a.Role = model.RoleNone
	}
	s.Tally = tally
	return s
}

func TestBannerWordsTheTally(t *testing.T) {
	m := newTestRoot(t, labSnapshot(), 200, 60)
	got, raw := bannerPlain(t, m)
	want := "✗ 1 root cause · 4 unreachable · 3 services down · 2 warnings · 1 service degraded · 1 retrying   (t: triage)"
	if got != want {
		t.Errorf("banner\n got %q\nwant %q", got, want)
	}
	if !strings.HasPrefix(raw, m.styles.banner.on) {
		t.Error("a root cause did not make the banner red")
	}

	// The numbers are the engine's, not a count of the rows on screen.
	s := labSnapshot()
	s.Tally.Unreachable, s.Tally.Warning = 9, 7
	m = newTestRoot(t, s, 200, 60)
	if got, _ := bannerPlain(t, m); !strings.Contains(got, "9 unreachable") || !strings.Contains(got, "7 warnings") {
		t.Errorf("banner does not show the snapshot's Tally: %q", got)
	}
	press(m, "t")
	if got := triageHeadText(m); !strings.Contains(got, "9 unreachable") || !strings.Contains(got, "7 warnings") {
		t.Errorf("triage does not show the snapshot's Tally: %q", got)
	}
}

func TestBannerQuieterWithoutCritical(t *testing.T) {
	cases := []struct {
		tally  model.Tally
		want   string
		status model.Status
	}{
		{model.Tally{Warning: 2, ServicesDegraded: 1}, "▲ 2 warnings · 1 service degraded   (t: triage)", model.StatusWarning},
		{model.Tally{Unknown: 1, Warning: 1}, "? 1 unknown · 1 warning   (t: triage)", model.StatusUnknown},
		{model.Tally{Checking: 3}, "◇ 3 assets wait for a recheck   (t: triage)", model.StatusPending},
	}
	for _, c := range cases {
		m := newTestRoot(t, quietSnapshot(c.tally), 120, 40)
		got, raw := bannerPlain(t, m)
		if got != c.want {
			t.Errorf("%+v: banner %q, want %q", c.tally, got, c.want)
		}
		if strings.HasPrefix(raw, m.styles.banner.on) {
			t.Errorf("%+v: banner is red without a hard CRITICAL", c.tally)
		}
		if !strings.HasPrefix(raw, m.styles.status(c.status).on) {
			t.Errorf("%+v: banner not in the %s tone: %q", c.tally, c.status, raw)
		}
	}
	// Soft problems alone are being retried: no banner yet.
	m := newTestRoot(t, quietSnapshot(model.Tally{Soft: 2}), 120, 40)
	if _, ok := m.banner(); ok {
		t.Error("banner shown for soft problems only")
	}
	press(m, "t")
	wantIn(t, m, "✓ nothing needs you")
}

func TestCheckingText(t *testing.T) {
	cases := []struct {
		waiting int
		names   []string
		want    string
	}{
		{10, []string{"core-sw1"}, "checking core-sw1 … (10 assets wait for it)"},
		{1, []string{"gw1", "gw2"}, "checking gw1, gw2 … (1 asset waits for them)"},
		{5, []string{"a", "b", "c", "d", "e"}, "checking a, b, c, +2 more … (5 assets wait for them)"},
		{0, []string{"gw\x1b[2J"}, `checking gw\x1b[2J …`},
		{2, nil, "2 assets wait for a recheck"},
	}
	for _, c := range cases {
		if got := tallyText(model.Tally{Checking: c.waiting}, c.names); got != c.want {
			t.Errorf("tallyText(checking %d, %q) = %q, want %q", c.waiting, c.names, got, c.want)
		}
	}
}

// At the onset of an outage the children wait for their parent's recheck:
// no root cause anywhere, the banner says what is being checked.
func TestOnsetShowsChecking(t *testing.T) {
	m := newTestRoot(t, onsetSnapshot(), 120, 40)
	got, _ := bannerPlain(t, m)
	if want := "✗ checking core-sw1 … (4 assets wait for it) · 3 services down · 2 warnings"; !strings.HasPrefix(got, want) {
		t.Errorf("onset banner %q, want prefix %q", got, want)
	}
	wantNotIn(t, m, "ROOT", "root cause")
	wantIn(t, m, "↻ CRIT 1/3 core-sw1") // the technical pane: core-sw1 is being rechecked
	press(m, "2")
	wantIn(t, m, "◇ WAIT     erp", "◇ WAIT     web-shop", "◇4")
	press(m, "t")
	wantIn(t, m, "Being rechecked", "↻ CRIT 1/3 core-sw1", "rechecking now",
		"4 assets wait for its verdict: ◇ crm, ◇ dms, ◇ erp, ◇ web-shop", "Other problems", "▲ WARN portal")
	wantNotIn(t, m, "Root causes", "◇ WAIT erp") // the waiting children are listed under their parent only
	press(m, "enter")
	if f, ok := m.top().(*assetScreen); !ok || f.name != "core-sw1" {
		t.Fatalf("enter on the rechecked asset: %#v", m.top())
	}
	wantIn(t, m, "↻ being rechecked: 4 children started failing and wait for this verdict")
	press(m, "esc", "esc", "2", "down", "enter") // dms: worst first, then by name (crm, dms, erp, …)
	wantIn(t, m, "◇ waits for the recheck of core-sw1")
}

// The triage head and the banner are worded by one function from one
// Tally: they say the same, at every size.
func TestTriageHeadMatchesBanner(t *testing.T) {
	snaps := map[string]*model.Snapshot{
		"outage":   labSnapshot(),
		"onset":    onsetSnapshot(),
		"warnings": quietSnapshot(model.Tally{Warning: 3, Unknown: 1}),
	}
	for name, s := range snaps {
		for _, sz := range sizes {
			m := newTestRoot(t, s, sz.w, sz.h)
			words := tallyText(s.Tally, s.Checking)
			banner, _ := bannerPlain(t, m)
			banner = strings.TrimSuffix(strings.TrimSuffix(banner, "(t: triage)"), " ")
			banner = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(banner), "…"))
			if !strings.Contains(tallySymbol(s.Tally)+" "+words, banner) {
				t.Errorf("%s %dx%d: banner %q is not the tally's words %q", name, sz.w, sz.h, banner, words)
			}
			press(m, "t")
			if got := triageHeadText(m); got != tallySymbol(s.Tally)+" "+words {
				t.Errorf("%s %dx%d: triage head %q, want %q", name, sz.w, sz.h, got, words)
			}
		}
	}
}

func TestRootCauseMarkedInPanes(t *testing.T) {
	m := newTestRoot(t, labSnapshot(), 120, 40)
	wantIn(t, m, "◆ ROOT     core-sw1", "◆1 ▲1 …1")
	wantNotIn(t, m, "✗ CRIT     core-sw1")
	press(m, "w")
	wantIn(t, m, "◆ ROOT core-sw1  switch  takes down 4 assets, 3 services — icmp: 3/3 lost", "ROOT CAUSES", "SERVICES DOWN")
}

// The wall's big numbers are the Tally's, whatever the rows say.
func TestWallCountersFromTally(t *testing.T) {
	s := labSnapshot()
	s.Tally = model.Tally{RootCauses: 2, Unreachable: 17, Critical: 3, ServicesDown: 4, Checking: 5, Unknown: 6, Warning: 8}
	m := newTestRoot(t, s, 200, 60, func(o *Options) { o.Wall = true })
	got := map[string]int{}
	for _, c := range wallCounters(&m.env) {
		got[c.short] = c.n
	}
	want := map[string]int{"ROOT": 2, "UNRE": 17, "CRIT": 3, "SVC DOWN": 4, "WAIT": 5, "UNKN": 6, "WARN": 8, "OK": s.Count(model.StatusOK)}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("wall counter %s = %d, want %d (all: %v)", k, got[k], n, got)
		}
	}
	wantIn(t, m, "◇ WAITING")
	s.Tally.Checking = 0
	m = newTestRoot(t, s, 200, 60, func(o *Options) { o.Wall = true })
	wantNotIn(t, m, "WAITING") // shown only while something waits
}

// An UNREACHABLE row's measurements are dimmed: they do not say what the
// asset does now.
func TestUnreachableValuesDimmed(t *testing.T) {
	s := labSnapshot()
	erp := s.Asset("erp").Checks[0]
	erp.Metrics = map[string]float64{model.MetricLatency: 12, model.MetricStatusCode: 503}
	s.Asset("portal").Checks[1].Metrics[model.MetricStatusCode] = 503 // a reachable asset's 503 stays red
	m := newTestRoot(t, s, 120, 40)
	press(m, "2")
	row := func(name string) string {
		for _, l := range strings.Split(m.Render(), "\n") {
			if strings.Contains(ansi.Strip(l), " "+name+" ") {
				return l
			}
		}
		t.Fatalf("no row for %s", name)
		return ""
	}
	crit, accent := m.styles.status(model.StatusCritical).on, m.styles.accent.on
	if r := row("erp"); !strings.Contains(ansi.Strip(r), "503") || strings.Contains(r, crit) || strings.Contains(r, accent) {
		t.Errorf("erp (UNREACHABLE) shows its values as current: %q", r)
	}
	if r := row("portal"); !strings.Contains(r, crit+"✗503") || !strings.Contains(r, accent) {
		t.Errorf("portal (reachable) lost its colours: %q", r)
	}
}

// A config a reload refused leads the banner with its first error, alone
// when nothing else needs the operator.
func TestBannerShowsRefusedConfig(t *testing.T) {
	errs := []string{"noctop.toml:12:3: unknown key \"bogus\"", "noctop.toml:20:8: name: wrong type", "… and 4 more"}
	s := quietSnapshot(model.Tally{})
	s.ConfigErrors = errs
	m := newTestRoot(t, s, 160, 40)
	got, raw := bannerPlain(t, m)
	want := "▲ config refused: noctop.toml:12:3: unknown key \"bogus\" (+5 more); still running the old config"
	if got != want {
		t.Errorf("banner\n got %q\nwant %q", got, want)
	}
	if !strings.HasPrefix(raw, m.styles.status(model.StatusWarning).on) {
		t.Errorf("refused config banner not in the warning tone: %q", raw)
	}
	wantIn(t, m, want)
	if got := refusedText([]string{"a.toml:1:1: x", "a.toml:2:1: y", "… and more errors not listed (fix these and load again)"}); got !=
		"config refused: a.toml:1:1: x (+1 more and others not counted); still running the old config" {
		t.Errorf("uncounted: %q", got)
	}

	s = labSnapshot()
	s.ConfigErrors = errs[:1]
	m = newTestRoot(t, s, 250, 60)
	got, raw = bannerPlain(t, m)
	if !strings.HasPrefix(got, "✗ config refused: noctop.toml:12:3: unknown key \"bogus\"; still running the old config · 1 root cause") ||
		!strings.HasPrefix(raw, m.styles.banner.on) {
		t.Errorf("banner with an outage and a refused config: %q", got)
	}
}
