package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"noctop/model"
	"noctop/promtest"
)

// startAlertmanager runs the real Alertmanager on loopback with a minimal
// config (one receiver that does nothing), gossip off, and returns its
// base URL once it is ready.
func startAlertmanager(t *testing.T) string {
	t.Helper()
	return startAlertmanagerWith(t, promtest.NoReceiver)
}

// startAlertmanagerWith runs the real Alertmanager with config yml.
func startAlertmanagerWith(t *testing.T, yml string) string {
	t.Helper()
	return promtest.StartAlertmanager(t, yml).URL
}

// gettableAlert is what GET /api/v2/alerts returns of an alert.
type gettableAlert struct {
	Labels      map[string]string `json:"labels"`
	Annotations map[string]string `json:"annotations"`
	StartsAt    time.Time         `json:"startsAt"`
	EndsAt      time.Time         `json:"endsAt"`
	Status      struct {
		State string `json:"state"`
	} `json:"status"`
}

// alertsOf lists the alerts Alertmanager holds for asset.
func alertsOf(t *testing.T, base, asset string) []gettableAlert {
	t.Helper()
	resp, err := http.Get(base + "/api/v2/alerts?filter=" + fmt.Sprintf("asset=%q", asset))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out []gettableAlert
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

// waitAlerts waits until ok accepts the alerts held for asset.
func waitAlerts(t *testing.T, base, asset string, ok func([]gettableAlert) bool) []gettableAlert {
	t.Helper()
	deadline := time.Now().Add(wait)
	for {
		got := alertsOf(t, base, asset)
		if ok(got) {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("alerts of %s: %+v", asset, got)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// The real Alertmanager receives a problem as an active alert with the
// labels routing needs, a status change replaces it, and the recovery
// resolves it (Alertmanager lists only alerts not yet ended).
func TestAlertmanagerFiresAndResolves(t *testing.T) {
	base := startAlertmanager(t)
	r := startEngine(t, flat(1))
	r.startNotifier([]model.Notify{{Name: "am", Type: model.NotifyAlertmanager, URL: base + "/"}}, Options{})

	r.result("a00", "http", model.StatusWarning)
	got := waitAlerts(t, base, "a00", func(a []gettableAlert) bool { return len(a) == 1 })
	w := got[0]
	if w.Status.State != "active" || w.Labels["alertname"] != "noctop" || w.Labels["severity"] != "warning" ||
		w.Labels["check"] != "http" || w.Labels["layer"] != model.LayerTechnical || w.Annotations["reason"] != "http: warning" ||
		!strings.Contains(w.Annotations["summary"], "a00 WARNING") || !w.EndsAt.After(time.Now()) {
		t.Fatalf("warning alert: %+v", w)
	}
	r.waitEvent("notify am: sent problem a00 WARNING")

	r.result("a00", "http", model.StatusCritical)
	got = waitAlerts(t, base, "a00", func(a []gettableAlert) bool { return len(a) == 1 && a[0].Labels["severity"] == "critical" })
	if got[0].Annotations["root_cause"] != "true" || got[0].Status.State != "active" {
		t.Fatalf("critical alert: %+v", got[0])
	}

	r.result("a00", "http", model.StatusOK)
	waitAlerts(t, base, "a00", func(a []gettableAlert) bool { return len(a) == 0 })
	r.waitEvent("notify am: sent recovery a00 OK")
}

// notify --test sends a test alert Alertmanager takes.
func TestAlertmanagerTestMessage(t *testing.T) {
	base := startAlertmanager(t)
	var events []string
	err := Test(context.Background(), model.Notify{Name: "am", Type: model.NotifyAlertmanager, URL: base, Timeout: model.D(5 * time.Second), Retries: 1},
		Options{}, func(s string) { events = append(events, s) })
	if err != nil {
		t.Fatalf("%v (%q)", err, events)
	}
	got := waitAlerts(t, base, "noctop-test", func(a []gettableAlert) bool { return len(a) == 1 })
	if got[0].Labels["alertname"] != "noctop_test" {
		t.Errorf("test alert: %+v", got[0])
	}
}
