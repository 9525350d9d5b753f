package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"strconv"
	"strings"
	"sync"
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
	name string
	// urls are the Alertmanagers of a cluster (one without): each gets
	// every alert, as Prometheus sends them.
	urls    []string
	headers http.Header
	// labels (site, shard) go on every alert, so the identical alerts of
	// an HA pair of pollers deduplicate in Alertmanager.
	labels map[string]string
	record func(asset, summary string)
	client *http.Client
	resend time.Duration
	now    func() time.Time
	// firing is what was sent for each asset whose problem fires (bounded
	// by the assets); only the worker's goroutine touches it.
	firing map[string]amAlert
}

func newAlertmanager(cfg *model.Notify, o *Options) *alertmanager {
	a := &alertmanager{
		name: cfg.Name, headers: headersOf(cfg), labels: o.Labels, record: o.record, client: newClient(o.Resolver),
		resend: o.Resend, now: o.Now, firing: map[string]amAlert{},
	}
	for _, u := range cfg.Endpoints() {
		a.urls = append(a.urls, strings.TrimRight(u, "/")+alertmanagerPath)
	}
	return a
}

func (a *alertmanager) close() { a.client.CloseIdleConnections() }

// alertOf is m as an alert: labels identify it (alertname, asset, check,
// layer, severity; empty values left out, then the poller's own: site,
// shard), annotations describe it.
func alertOf(m *Message, own map[string]string) amAlert {
	labels := map[string]string{"alertname": "noctop"}
	maps.Copy(labels, own)
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
			old = alertOf(&prev, a.labels)
		}
		old.EndsAt = rfc3339(now)
		batch = append(batch, old)
	default:
		al := alertOf(m, a.labels)
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

// post sends batch to every Alertmanager at once. It succeeds when one
// took it: the cluster shares what one knows, and the resend brings a
// member that was away up to date. A member that failed is an event.
func (a *alertmanager) post(ctx context.Context, batch []amAlert) error {
	body, err := json.Marshal(batch)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrPermanent, err)
	}
	if len(a.urls) == 1 {
		return post(ctx, a.client, a.urls[0], a.headers, body)
	}
	errs := make([]error, len(a.urls))
	var wg sync.WaitGroup
	for i, u := range a.urls {
		wg.Go(func() { errs[i] = post(ctx, a.client, u, a.headers, body) })
	}
	wg.Wait()
	failed := 0
	for _, e := range errs {
		if e != nil {
			failed++
		}
	}
	if failed == len(a.urls) {
		return errors.Join(errs...)
	}
	for i, e := range errs {
		if e != nil && a.record != nil {
			a.record("", fmt.Sprintf("notify %s: %s: %v (%d of %d Alertmanagers took it)",
				a.name, strings.TrimSuffix(a.urls[i], alertmanagerPath), e, len(a.urls)-failed, len(a.urls)))
		}
	}
	return nil
}
