package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"strconv"
	"strings"
	"time"

	"noctop/model"
)

// alertmanagerPath is where Alertmanager's v2 API takes alerts.
const alertmanagerPath = "/api/v2/alerts"

// amAlert is one alert of Alertmanager's v2 API (postableAlert).
type amAlert struct {
	Labels      map[string]string `json:"labels"`
	Annotations map[string]string `json:"annotations,omitempty"`
	StartsAt    string            `json:"startsAt,omitempty"`
	EndsAt      string            `json:"endsAt,omitempty"`
}

// alertmanager sends problems as alerts and recoveries as the same alerts
// with endsAt now. Alertmanager resolves an alert it has not heard of for
// its resolve_timeout, or at the endsAt given, so the firing ones are sent
// again every resend with endsAt a few resends ahead: if noctop stops,
// they end on their own instead of firing forever.
type alertmanager struct {
	url     string
	headers http.Header
	client  *http.Client
	resend  time.Duration
	now     func() time.Time
	// firing is what was sent for each asset whose problem fires (bounded
	// by the assets); only the worker's goroutine touches it.
	firing map[string]amAlert
}

func newAlertmanager(cfg *model.Notify, o *Options) *alertmanager {
	return &alertmanager{
		url: strings.TrimRight(cfg.URL, "/") + alertmanagerPath, headers: headersOf(cfg), client: newClient(o.Resolver),
		resend: o.Resend, now: o.Now, firing: map[string]amAlert{},
	}
}

func (a *alertmanager) close() { a.client.CloseIdleConnections() }

// alertOf is m as an alert: labels identify it (alertname, asset, check,
// layer, severity; empty values left out), annotations describe it.
func alertOf(m *Message) amAlert {
	labels := map[string]string{"alertname": "noctop"}
	for k, v := range map[string]string{"asset": m.Asset, "check": m.Check, "layer": m.Layer, "severity": Severity(m.Status)} {
		if v != "" {
			labels[k] = v
		}
	}
	if m.Kind == KindTest {
		labels["alertname"] = "noctop_test"
	}
	ann := map[string]string{"summary": m.Summary()}
	if m.Reason != "" {
		ann["reason"] = m.Reason
	}
	if m.RootCause {
		ann["root_cause"] = "true"
		ann["affected"] = strconv.Itoa(m.Affected)
		if len(m.AffectedNames) > 0 {
			ann["affected_names"] = strings.Join(m.AffectedNames, ", ")
		}
	}
	if m.Change != "" {
		ann["change"] = m.Change
	}
	if len(m.ServicesDown) > 0 {
		ann["services_down"] = strings.Join(m.ServicesDown, ", ")
	}
	start := m.StartedAt
	if start.IsZero() {
		start = m.At
	}
	return amAlert{Labels: labels, Annotations: ann, StartsAt: rfc3339(start)}
}

// validFor is how long a firing alert stays firing without being sent
// again.
func (a *alertmanager) validFor() time.Duration { return 4 * a.resend }

func (a *alertmanager) send(ctx context.Context, m *Message) error {
	now := a.now()
	var batch []amAlert
	old, fired := a.firing[m.Asset]
	switch m.Kind {
	case KindRecovery:
		if !fired {
			// Not sent by this run (a restart): end what it would have been.
			prev := *m
			prev.Status = m.Previous
			old = alertOf(&prev)
		}
		old.EndsAt = rfc3339(now)
		batch = append(batch, old)
	default:
		al := alertOf(m)
		al.EndsAt = rfc3339(now.Add(a.validFor()))
		if m.Kind == KindTest {
			al.EndsAt = rfc3339(now.Add(a.resend))
		}
		if fired && !maps.Equal(old.Labels, al.Labels) {
			// Another severity or check is another alert: end the old one.
			old.EndsAt = rfc3339(now)
			batch = append(batch, old)
		}
		batch = append(batch, al)
	}
	if err := a.post(ctx, batch); err != nil {
		return err
	}
	switch m.Kind {
	case KindRecovery:
		delete(a.firing, m.Asset)
	case KindProblem, KindRenotify:
		a.firing[m.Asset] = batch[len(batch)-1]
	}
	return nil
}

// refresh sends the firing alerts again with a later endsAt.
func (a *alertmanager) refresh(ctx context.Context) error {
	if len(a.firing) == 0 {
		return nil
	}
	ends := rfc3339(a.now().Add(a.validFor()))
	batch := make([]amAlert, 0, len(a.firing))
	for k, al := range a.firing {
		al.EndsAt = ends
		a.firing[k] = al
		batch = append(batch, al)
	}
	return a.post(ctx, batch)
}

// refreshEvery is how often refresh runs.
func (a *alertmanager) refreshEvery() time.Duration { return a.resend }

func (a *alertmanager) post(ctx context.Context, batch []amAlert) error {
	body, err := json.Marshal(batch)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrPermanent, err)
	}
	return post(ctx, a.client, a.url, a.headers, body)
}
