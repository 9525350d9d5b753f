package notify

import (
	"encoding/json"
	"fmt"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"noctop/model"
)

// amWebhook is what Alertmanager's webhook receiver posts: one
// notification of a group.
type amWebhook struct {
	Status string `json:"status"`
	Alerts []struct {
		Status string            `json:"status"`
		Labels map[string]string `json:"labels"`
	} `json:"alerts"`
}

// amNotifications is a loopback webhook that Alertmanager notifies.
func amNotifications(t *testing.T) (url string, got chan amWebhook) {
	t.Helper()
	got = make(chan amWebhook, 100)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var n amWebhook
		if err := json.NewDecoder(r.Body).Decode(&n); err != nil {
			t.Errorf("alertmanager webhook: %v", err)
		}
		got <- n
	}))
	t.Cleanup(srv.Close)
	return srv.URL, got
}

// Two pollers of one shard (an HA pair) send the same problem with the
// same labels, site and shard among them and no instance of their own:
// Alertmanager holds one alert and notifies once.
func TestAlertmanagerHAPairDeduplicates(t *testing.T) {
	hookURL, notes := amNotifications(t)
	base := startAlertmanagerWith(t, fmt.Sprintf(`route:
  receiver: hook
  group_by: [site, asset]
  group_wait: 1s
  group_interval: 1h
  repeat_interval: 1h
receivers:
  - name: hook
    webhook_configs:
      - url: %q
        send_resolved: false
`, hookURL))
	own := map[string]string{"site": "paris", "shard": "1"}
	var pair []*engineRig
	for i := range 2 {
		r := startEngine(t, flat(2))
		r.at = r.at.Add(time.Duration(i) * 7 * time.Second) // the replicas' clocks and phases differ
		r.startNotifier([]model.Notify{{Name: "am", Type: model.NotifyAlertmanager, URL: base}}, Options{Labels: own})
		pair = append(pair, r)
	}
	for _, r := range pair {
		r.result("a00", "http", model.StatusCritical)
	}
	for _, r := range pair {
		r.waitEvent("notify am: sent problem a00 CRITICAL")
	}
	got := alertsOf(t, base, "a00")
	if len(got) != 1 {
		t.Fatalf("Alertmanager holds %d alerts for a00, want 1: %+v", len(got), got)
	}
	wantLabels := []string{"alertname", "asset", "check", "layer", "severity", "shard", "site"}
	if keys := slices.Sorted(maps.Keys(got[0].Labels)); !slices.Equal(keys, wantLabels) ||
		got[0].Labels["site"] != "paris" || got[0].Labels["shard"] != "1" {
		t.Fatalf("alert labels %v, want keys %v with site paris, shard 1", got[0].Labels, wantLabels)
	}
	var n amWebhook
	select {
	case n = <-notes:
	case <-time.After(wait):
		t.Fatal("Alertmanager sent no notification")
	}
	if len(n.Alerts) != 1 || n.Alerts[0].Labels["asset"] != "a00" {
		t.Fatalf("notification: %+v, want a00's one alert", n)
	}
	// No second notification within group_interval: the pair is one alert.
	select {
	case n := <-notes:
		t.Fatalf("a second notification: %+v", n)
	case <-time.After(2 * time.Second):
	}
}

// With urls, every Alertmanager of a cluster gets every alert; one that is
// down is an event and the others still count as sent.
func TestAlertmanagerURLsEachGetEveryAlert(t *testing.T) {
	a, b := startAlertmanager(t), startAlertmanager(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + ln.Addr().String()
	ln.Close() // nothing listens there: connection refused
	r := startEngine(t, flat(1))
	r.startNotifier([]model.Notify{{Name: "am", Type: model.NotifyAlertmanager, URLs: []string{a, b + "/", dead}}}, Options{})
	r.result("a00", "http", model.StatusCritical)
	for _, base := range []string{a, b} {
		waitAlerts(t, base, "a00", func(al []gettableAlert) bool { return len(al) == 1 && al[0].Labels["severity"] == "critical" })
	}
	r.waitEvent("notify am: sent problem a00 CRITICAL")
	if ev := r.waitEvent("notify am: " + dead); !strings.Contains(ev, "(2 of 3 Alertmanagers took it)") {
		t.Errorf("event about the dead Alertmanager: %q", ev)
	}
}

// A sharded poller tells nothing about the assets it only borrows.
func TestNotifierSkipsBorrowedAssets(t *testing.T) {
	h := newHook(t, nil)
	r := startEngine(t, flat(2))
	r.startNotifier([]model.Notify{{Name: "hook", Type: model.NotifyWebhook, URL: h.URL}},
		Options{Owns: func(asset string) bool { return asset != "a01" }})
	r.result("a01", "http", model.StatusCritical) // borrowed: first, so it would arrive first
	r.sync()
	r.result("a00", "http", model.StatusCritical)
	if p := h.next(t); p.Asset != "a00" {
		t.Fatalf("first webhook about %s, want a00", p.Asset)
	}
	if n := r.count("a01"); n != 0 {
		t.Errorf("%d notify events about the borrowed a01: %v", n, r.events())
	}
}
