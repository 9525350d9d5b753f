package notify

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"noctop/model"
)

// The configured headers (secrets resolved) go with every request, and
// the payload's lists are [] rather than null.
func TestWebhookHeadersAndPayload(t *testing.T) {
	t.Setenv("NOCTOP_TEST_HOOK_TOKEN", "Bearer s3cret")
	headers := make(chan http.Header, 1)
	h := newHook(t, func(_ http.ResponseWriter, r *http.Request) { headers <- r.Header.Clone() })
	cfg := model.Notify{Name: "hook", Type: model.NotifyWebhook, URL: h.URL, Timeout: model.D(5 * time.Second), Retries: 1,
		Headers: map[string]model.Secret{"Authorization": model.NewSecret("env:NOCTOP_TEST_HOOK_TOKEN")}}
	if err := Test(context.Background(), cfg, Options{}, func(string) {}); err != nil {
		t.Fatal(err)
	}
	p := h.next(t)
	if p.Kind != KindTest || p.Receiver != "hook" || p.Tags == nil || p.AffectedNames == nil || p.ServicesDown == nil || p.Summary == "" {
		t.Errorf("payload %+v", p)
	}
	got := <-headers
	if got.Get("Authorization") != "Bearer s3cret" || got.Get("Content-Type") != "application/json" {
		t.Errorf("headers %v", got)
	}
}

// Firing alerts are sent again every Resend with a later endsAt, so
// Alertmanager keeps them firing; a recovery ends them and they are not
// sent again.
func TestAlertmanagerRefresh(t *testing.T) {
	posts := make(chan []amAlert, 100)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != alertmanagerPath {
			t.Errorf("POST to %s", r.URL.Path)
		}
		var batch []amAlert
		b, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(b, &batch); err != nil {
			t.Errorf("%v: %s", err, b)
		}
		posts <- batch
	}))
	t.Cleanup(srv.Close)
	r := startEngine(t, flat(1))
	r.startNotifier([]model.Notify{{Name: "am", Type: model.NotifyAlertmanager, URL: srv.URL}}, Options{Resend: 50 * time.Millisecond})
	next := func() []amAlert {
		select {
		case b := <-posts:
			return b
		case <-time.After(wait):
			t.Fatal("no POST")
			return nil
		}
	}
	r.result("a00", "http", model.StatusCritical)
	first := next()
	if len(first) != 1 || first[0].Labels["severity"] != "critical" || first[0].EndsAt == "" {
		t.Fatalf("first POST %+v", first)
	}
	again := next()
	if len(again) != 1 || again[0].Labels["asset"] != "a00" {
		t.Fatalf("refresh %+v", again)
	}
	r.result("a00", "http", model.StatusOK)
	for {
		b := next()
		if len(b) == 1 && b[0].Labels["asset"] == "a00" && b[0].Annotations["summary"] != "" && b[0].EndsAt <= rfc3339(time.Now()) {
			break // the recovery: ends now
		}
	}
	r.waitEvent("notify am: sent recovery a00 OK")
	// Nothing fires: the refreshes that follow send nothing.
	r.result("a00", "http", model.StatusOK)
	r.sync()
	for len(posts) > 0 {
		<-posts
	}
	select {
	case b := <-posts:
		t.Errorf("POST after the recovery: %+v", b)
	case <-time.After(50 * time.Millisecond):
	}
}
