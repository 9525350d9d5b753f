package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"noctop/model"
	"noctop/shard"
)

// namesOf returns n names "prefix-k" that hashmod puts in shard i of
// shards (want true) or elsewhere (want false).
func namesOf(prefix string, n, i, shards int, want bool) []string {
	var out []string
	for k := 0; len(out) < n; k++ {
		name := fmt.Sprintf("%s-%d", prefix, k)
		if (shard.Hashmod(name, uint64(shards)) == uint64(i)) == want {
			out = append(out, name)
		}
	}
	return out
}

// childAsset is a tcp asset under parent.
func childAsset(name, parent string, port int) string {
	return fmt.Sprintf(`
[[asset]]
name = %q
address = "127.0.0.1"
parents = [%q]
  [[asset.check]]
  type = "tcp"
  port = %d
`, name, parent, port)
}

// labelsOf is a series' labels as a map.
func labelsOf(m *dto.Metric) map[string]string {
	out := map[string]string{}
	for _, l := range m.GetLabel() {
		out[l.GetName()] = l.GetValue()
	}
	return out
}

// A sharded headless monitor (the real binary) polls its assets and their
// borrowed parent, exports only its own, each series labelled with its
// site and shard, and says so in its start line.
func TestShardedMonitorExportsOwnedAssets(t *testing.T) {
	const shards = 2
	// core is borrowed: the shard is the other one.
	i := 1 - int(shard.Hashmod("core", shards))
	owned := namesOf("app", 2, i, shards, true)
	foreign := namesOf("app", 1, i, shards, false)[0]
	up, down := listening(t), closedPort(t)
	path := writeConfig(t, `
[defaults]
interval = "300ms"
timeout = "200ms"
retries = 1
`+tcpAsset("core", up)+childAsset(owned[0], "core", up)+childAsset(owned[1], "core", down)+childAsset(foreign, "core", down))

	h := startLogging(t, exec.Command(binPath, "--headless", "--log-format", "json", "-c", path,
		"--metrics-listen", "127.0.0.1:0", "--site", "paris", "--shard", fmt.Sprint(i), "--shards", fmt.Sprint(shards)))
	started := h.waitLine(t, "noctop started", msgIs("noctop started"))
	var start map[string]any
	if err := json.Unmarshal([]byte(started.Text), &start); err != nil {
		t.Fatal(err)
	}
	if start["site"] != "paris" || start["shard"] != float64(i) || start["shards"] != float64(shards) ||
		start["borrowed"] != float64(1) || start["assets"] != float64(3) {
		t.Errorf("start line %s: want site paris, shard %d of %d, 3 assets polled, 1 borrowed", started.Text, i, shards)
	}
	url := strings.TrimSuffix(started.Metrics, "/metrics") + "/metrics"
	var fams map[string]*dto.MetricFamily
	var last error
	for range 600 {
		fams, last = getMetrics(url)
		st := checkStatuses(fams)
		if last == nil && st[owned[0]+"/tcp"] == 0 && st[owned[1]+"/tcp"] == 2 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	st := checkStatuses(fams)
	if last != nil || len(st) != 2 || st[owned[0]+"/tcp"] != 0 || st[owned[1]+"/tcp"] != 2 {
		t.Fatalf("check statuses %v (%v), want %s OK and %s CRITICAL alone\n%s", st, last, owned[0], owned[1], h.log())
	}
	for name, f := range fams {
		for _, m := range f.GetMetric() {
			l := labelsOf(m)
			if l["site"] != "paris" || l["shard"] != fmt.Sprint(i) {
				t.Errorf("%s%v: want site paris, shard %d", name, l, i)
			}
			if l["asset"] == "core" || l["asset"] == foreign {
				t.Errorf("%s%v: exports an asset shard %d does not own", name, l, i)
			}
		}
	}
	for _, m := range fams["noctop_asset_info"].GetMetric() {
		if l := labelsOf(m); l["parents"] != "core" {
			t.Errorf("asset info %v: want parents core", l)
		}
	}
	h.signal(t, syscall.SIGTERM)
	if code, _ := h.wait(t); code != 0 {
		t.Fatalf("exit %d after SIGTERM\n%s", code, h.log())
	}
}

// A reload splits the new config as the start did: a new asset of the
// shard is polled, one of another shard is not, a parent is borrowed.
func TestReloadSplitsAgain(t *testing.T) {
	const shards = 3
	plan := shard.Plan{Shard: 2, Shards: shards}
	mine := namesOf("svc", 2, plan.Shard, shards, true)
	other := namesOf("svc", 2, plan.Shard, shards, false)
	parent := namesOf("gw", 1, plan.Shard, shards, false)[0]
	up := listening(t)
	text := `
[defaults]
interval = "1h"
` + tcpAsset(parent, up) + childAsset(mine[0], parent, up) + childAsset(other[0], parent, up)
	path := writeConfig(t, text)
	cfg, err := model.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg, _, err = shard.Split(cfg, plan)
	if err != nil {
		t.Fatal(err)
	}
	m := newMonitor(cfg, false, nil)
	m.setPlan(plan)
	defer m.close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.run(ctx) }()
	defer func() { cancel(); <-done }()

	if err := os.WriteFile(path, []byte(text+childAsset(mine[1], parent, up)+childAsset(other[1], parent, up)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := m.reload(ctx, path); err != nil {
		t.Fatal(err)
	}
	s, err := m.engine.Sync(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range s.Assets {
		name := a.Name
		if slices.Contains(a.Tags, shard.BorrowedTag) {
			name += " (borrowed)"
		}
		got = append(got, name)
	}
	want := []string{parent + " (borrowed)", mine[0], mine[1]}
	if !slices.Equal(got, want) {
		t.Errorf("after the reload the engine polls %v, want %v", got, want)
	}

	// A config that uses the reserved tag is refused; the split one runs on.
	bad := strings.Replace(text, "address = ", "tags = [\"shard:borrowed\"]\naddress = ", 1)
	if err := os.WriteFile(path, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := m.reload(ctx, path); err != nil {
		t.Fatal(err)
	}
	if s, err = m.engine.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if len(s.Assets) != 3 || len(s.ConfigErrors) != 1 || !strings.Contains(s.ConfigErrors[0], `tag "shard:borrowed" marks the assets a sharded poller borrows`) {
		t.Errorf("after a reload with the reserved tag: %d assets, config errors %q", len(s.Assets), s.ConfigErrors)
	}
}

// A config whose asset carries the reserved tag is refused at start
// (exit 3); TestReloadSplitsAgain has the reload.
func TestShardReservedTagRefused(t *testing.T) {
	path := writeConfig(t, `
[[asset]]
name = "a"
address = "127.0.0.1"
tags = ["shard:borrowed"]
`)
	_, stderr, code := runBin(t, nil, "--headless", "-c", path, "--shard", "0", "--shards", "2")
	if code != 3 || !strings.Contains(stderr, `asset "a": tag "shard:borrowed" marks the assets a sharded poller borrows`) {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// Bad combinations of --shard, --shards and --site are usage errors that
// say which flag and why, on every monitor command.
func TestShardFlagErrors(t *testing.T) {
	path := writeConfig(t, tcpAsset("a", 9))
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--shard", "4", "--shards", "4"}, "--shard 4: want 0 to 3 (--shards 4 counts from 0)"},
		{[]string{"--shards", "4"}, "--shards 4 needs --shard i (0 to 3): which of them this poller owns"},
		{[]string{"--shard", "1"}, "--shard 1 needs --shards N: how many shards the estate is split into"},
		{[]string{"--shard", "0", "--shards", "0"}, "--shards 0: want at least 1"},
		{[]string{"--shard", "-1", "--shards", "2"}, "--shard -1: want 0 or more"},
		{[]string{"--site", "par is"}, `--site "par is": character ' ' at 3`},
		{[]string{"--site", ""}, "--site is empty"},
	} {
		for _, cmd := range [][]string{{"--headless"}, {"serve"}} {
			args := slices.Concat(cmd, []string{"-c", path}, tc.args)
			_, stderr, code := runBin(t, nil, args...)
			// fang capitalises the first letter.
			if code != 1 || !strings.Contains(strings.ToLower(stderr), strings.ToLower("bad shard plan: "+tc.want)) {
				t.Errorf("%v: exit %d, stderr %q, want 1 and %q", args, code, stderr, tc.want)
			}
		}
	}
}

// `noctop shards` on a generated estate of 10,000 assets: each shard owns
// the assets hashmod gives it, borrows their parents, and the balance is
// max/mean of what they own.
func TestShardsCommandOnTenThousandAssets(t *testing.T) {
	var b strings.Builder
	b.WriteString("[defaults]\ninterval = \"1m\"\n")
	const leaves = 9899
	names := []string{"core"}
	b.WriteString(tcpAsset("core", 9))
	for d := range 100 {
		name := fmt.Sprintf("dist-%02d", d)
		names = append(names, name)
		b.WriteString(childAsset(name, "core", 9))
	}
	for k := range leaves {
		name := fmt.Sprintf("host-%04d", k)
		names = append(names, name)
		b.WriteString(childAsset(name, fmt.Sprintf("dist-%02d", k%100), 9))
	}
	b.WriteString("\n[[service]]\nname = \"erp\"\nrule = \"all\"\nneeds = [\"host-0001\", \"host-0002\", \"host-0003\"]\n")
	path := writeConfig(t, b.String())
	const n = 4
	stdout, stderr, code := runBin(t, nil, "shards", "-c", path, "--shards", fmt.Sprint(n), "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep shardsReport
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("%v: %s", err, stdout)
	}
	want := make([]int, n)
	for _, name := range names {
		want[shard.Hashmod(name, n)]++
	}
	if rep.Assets != 10000 || rep.Shards != n || len(rep.PerShard) != n {
		t.Fatalf("report %+v", rep)
	}
	top, sum := 0, 0
	for i, s := range rep.PerShard {
		if s.Assets != want[i] {
			t.Errorf("shard %d owns %d assets, hashmod gives it %d", i, s.Assets, want[i])
		}
		// Every shard owns leaves under all 100 dist switches (about 25
		// each), so it polls core and every dist it does not own.
		owns := 0
		for _, name := range names[:101] {
			if shard.Hashmod(name, n) == uint64(i) {
				owns++
			}
		}
		borrows := 101 - owns
		if shard.Hashmod("erp", n) == uint64(i) { // its members too (their dists are borrowed already)
			for _, m := range []string{"host-0001", "host-0002", "host-0003"} {
				if shard.Hashmod(m, n) != uint64(i) {
					borrows++
				}
			}
		}
		if s.BorrowedAssets != borrows {
			t.Errorf("shard %d borrows %d assets, want %d (core, the dists it does not own, erp's members)", i, s.BorrowedAssets, borrows)
		}
		if s.Checks != s.Assets+s.BorrowedAssets || s.BorrowedChecks != s.BorrowedAssets {
			t.Errorf("shard %d: %+v: one check per asset", i, s)
		}
		top, sum = max(top, s.Assets), sum+s.Assets
	}
	if sum != 10000 {
		t.Errorf("the shards own %d assets of 10,000", sum)
	}
	if wantBal := float64(top) * n / float64(sum); rep.Balance.Assets != wantBal || rep.Balance.Assets > 1.05 {
		t.Errorf("balance %v, want %v (and an even split of 10,000 names within 5%%)", rep.Balance.Assets, wantBal)
	}

	table, _, code := runBin(t, nil, "shards", "-c", path, "--shards", fmt.Sprint(n))
	if code != 0 || !strings.Contains(table, "10000 assets") ||
		!strings.Contains(table, "balance (max/mean): assets ") {
		t.Errorf("table (exit %d):\n%s", code, table)
	}
	_, stderr, code = runBin(t, nil, "shards", "-c", path)
	if code != 1 || !strings.Contains(strings.ToLower(stderr), "shards needs --shards n") {
		t.Errorf("without --shards: exit %d, %q", code, stderr)
	}
}

// An HA pair (two real noctop processes with the same --site, --shard
// and --shards) sends the same alert to a real Alertmanager: it holds one
// alert, labelled with the site and shard, notifies once, and hears
// nothing of the borrowed parent's own problem.
func TestShardHAPairOneAlert(t *testing.T) {
	notes := make(chan []map[string]string, 10)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var n struct {
			Alerts []struct {
				Labels map[string]string `json:"labels"`
			} `json:"alerts"`
		}
		if err := json.NewDecoder(r.Body).Decode(&n); err != nil {
			t.Errorf("alertmanager webhook: %v", err)
		}
		var ls []map[string]string
		for _, a := range n.Alerts {
			ls = append(ls, a.Labels)
		}
		notes <- ls
	}))
	defer hook.Close()
	am := startAlertmanager(t, hook.URL)

	const shards = 2
	i := 1 - int(shard.Hashmod("core", shards)) // core is borrowed
	app := namesOf("app", 1, i, shards, true)[0]
	up, down := listening(t), closedPort(t)
	// core: one check fails, one passes: CRITICAL but not down, so app is
	// judged on its own (CRITICAL), and core's problem is its owner's to
	// tell.
	path := writeConfig(t, fmt.Sprintf(`
[defaults]
interval = "300ms"
timeout = "200ms"
retries = 1

[[asset]]
name = "core"
address = "127.0.0.1"
  [[asset.check]]
  type = "tcp"
  name = "up"
  port = %d
  [[asset.check]]
  type = "tcp"
  name = "down"
  port = %d
%s
[[notify]]
name = "am"
type = "alertmanager"
url = %q
`, up, down, childAsset(app, "core", down), am))
	var pair []*headlessRun
	for range 2 {
		pair = append(pair, startLogging(t, exec.Command(binPath, "--headless", "--log-format", "json", "-c", path,
			"--state-dir", t.TempDir(), "--site", "paris", "--shard", fmt.Sprint(i), "--shards", fmt.Sprint(shards))))
	}
	for _, h := range pair {
		h.waitLine(t, "the alert sent", func(l logLine) bool { return strings.HasPrefix(l.Msg, "notify am: sent problem "+app) })
	}
	resp, err := http.Get(am + "/api/v2/alerts")
	if err != nil {
		t.Fatal(err)
	}
	var alerts []struct {
		Labels map[string]string `json:"labels"`
	}
	err = json.NewDecoder(resp.Body).Decode(&alerts)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(alerts) != 1 {
		t.Fatalf("Alertmanager holds %d alerts, want %s's one: %v", len(alerts), app, alerts)
	}
	l := alerts[0].Labels
	if l["asset"] != app || l["site"] != "paris" || l["shard"] != fmt.Sprint(i) || l["instance"] != "" || l["severity"] != "critical" {
		t.Errorf("alert labels %v", l)
	}
	select {
	case n := <-notes:
		if len(n) != 1 || n[0]["asset"] != app {
			t.Errorf("notification %v, want %s's alert alone", n, app)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Alertmanager sent no notification")
	}
	for _, h := range pair {
		for _, l := range h.seen {
			if l.Asset == "core" && strings.HasPrefix(l.Msg, "notify am:") {
				t.Errorf("a notification about the borrowed core: %s", l.Text)
			}
		}
	}
}

func TestScreenName(t *testing.T) {
	cfg := &model.Config{Path: "/etc/noctop/estate.toml"}
	for _, tc := range []struct {
		plan shard.Plan
		want string
	}{
		{shard.Plan{}, "estate.toml"},
		{shard.Plan{Site: "paris"}, "estate.toml (site paris)"},
		{shard.Plan{Shard: 1, Shards: 4, Site: "paris"}, "estate.toml (site paris, shard 1 of 4)"},
	} {
		if got := screenName(cfg, tc.plan); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.plan, got, tc.want)
		}
	}
}

// The dashboard of a sharded poller names its plan in the header and
// shows the borrowed parent among its assets, found by its tag.
func TestShardedDashboard(t *testing.T) {
	const shards = 2
	i := 1 - int(shard.Hashmod("core", shards))
	db := namesOf("db", 1, i, shards, true)[0]
	up := listening(t)
	config := writeConfig(t, "[defaults]\ninterval = \"1s\"\ntimeout = \"500ms\"\n"+tcpAsset("core", up)+childAsset(db, "core", up))
	tm := newTmuxTerm(t)
	tm.startDashboard(config, "--site", "paris", "--shard", fmt.Sprint(i), "--shards", fmt.Sprint(shards))
	tm.waitScreen(fmt.Sprintf("(site paris, shard %d of %d)", i, shards), "the plan in the header")
	tm.waitScreen("core", "the borrowed parent in the asset list")
	tm.tmux("send-keys", "-t", "t", "/", "shard:borrowed", "Enter")
	tm.waitFor("the search for the borrowed tag to keep core alone", func() bool {
		s := tm.screen()
		return strings.Contains(s, "core") && !strings.Contains(s, db)
	})
	tm.tmux("send-keys", "-t", "t", "q")
	tm.waitScreen("exit=0", "the dashboard to quit on q")
}
