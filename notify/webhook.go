package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"noctop/model"
)

// ErrPermanent marks a failure that trying again cannot fix (a receiver
// answering 400: the request itself is wrong). The worker stops retrying.
var ErrPermanent = errors.New("permanent failure, not retried")

// maxAnswer bounds what is read of a receiver's answer: enough for an
// error message, never a whole page.
const maxAnswer = 4 << 10

// Payload is the webhook's JSON body (and exec's NOCTOP_JSON).
type Payload struct {
	Receiver      string   `json:"receiver"`
	Kind          Kind     `json:"kind"`
	Recovery      bool     `json:"recovery"`
	Asset         string   `json:"asset"`
	Check         string   `json:"check"`
	Layer         string   `json:"layer"`
	Tags          []string `json:"tags"`
	Status        string   `json:"status"`
	Previous      string   `json:"previous"`
	Reason        string   `json:"reason"`
	RootCause     bool     `json:"root_cause"`
	Affected      int      `json:"affected"`
	AffectedNames []string `json:"affected_names"`
	ServicesDown  []string `json:"services_down"`
	Acked         bool     `json:"acked"`
	AckBy         string   `json:"ack_by,omitempty"`
	AckComment    string   `json:"ack_comment,omitempty"`
	Maintenance   bool     `json:"maintenance"`
	Window        string   `json:"maintenance_window,omitempty"`
	Until         string   `json:"maintenance_until,omitempty"`
	Flapping      bool     `json:"flapping"`
	// Change is the change the problem followed, "" when none.
	Change    string `json:"change,omitempty"`
	StartedAt string `json:"started_at"`
	At        string `json:"at"`
	// Summary is the message in one line, as events word it.
	Summary string `json:"summary"`
}

// payload is m as the webhook sends it: lists are [] rather than null, so
// a receiver's template need not test for null.
func payload(m *Message) Payload {
	p := Payload{
		Receiver: m.Receiver, Kind: m.Kind, Recovery: m.Recovery(), Asset: m.Asset, Check: m.Check, Layer: m.Layer,
		Tags: nonNil(m.Tags), Status: m.Status.String(), Previous: m.Previous.String(), Reason: m.Reason,
		RootCause: m.RootCause, Affected: m.Affected, AffectedNames: nonNil(m.AffectedNames), ServicesDown: nonNil(m.ServicesDown),
		Flapping: m.Flapping, Change: m.Change, StartedAt: rfc3339(m.StartedAt), At: rfc3339(m.At), Summary: m.Summary(),
	}
	if a := m.Ack; a != nil {
		p.Acked, p.AckBy, p.AckComment = true, a.By, a.Comment
	}
	if w := m.Maintenance; w != nil {
		p.Maintenance, p.Window, p.Until = true, w.Window, rfc3339(w.Until)
	}
	return p
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// webhook POSTs the payload as JSON.
type webhook struct {
	url     string
	headers http.Header
	client  *http.Client
}

func newWebhook(cfg *model.Notify, res *net.Resolver) *webhook {
	return &webhook{url: cfg.URL, headers: headersOf(cfg), client: newClient(res)}
}

// headersOf resolves the configured headers.
func headersOf(cfg *model.Notify) http.Header {
	h := http.Header{}
	for k, v := range cfg.Headers {
		h.Set(k, v.Value())
	}
	return h
}

// newClient is an HTTP client that ignores proxy variables (a receiver on
// loopback must not be sent through a proxy) and follows no redirects (a
// POST that is redirected is a config mistake to report, not to follow).
// The attempt's ctx bounds every request. res resolves host names (nil:
// the system's resolver).
func newClient(res *net.Resolver) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = nil
	tr.DialContext = (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second, Resolver: res}).DialContext
	tr.MaxIdleConns, tr.MaxIdleConnsPerHost = 2, 2
	return &http.Client{
		Transport:     tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

func (w *webhook) send(ctx context.Context, m *Message) error {
	body, err := json.Marshal(payload(m))
	if err != nil {
		return fmt.Errorf("%w: %w", ErrPermanent, err)
	}
	return post(ctx, w.client, w.url, w.headers, body)
}

func (w *webhook) close() { w.client.CloseIdleConnections() }

// post sends body as JSON and wants a 2xx answer; anything else is an
// error that quotes the answer (clipped: it is the network's text).
func post(ctx context.Context, c *http.Client, url string, headers http.Header, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%w: %w", ErrPermanent, err)
	}
	for k, v := range headers {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "noctop")
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	// Drain a little more so the connection can be reused, never much.
	_, _ = io.CopyN(io.Discard, resp.Body, 64<<10)
	if resp.StatusCode/100 == 2 {
		return nil
	}
	text := strings.TrimSpace(string(answer))
	err = fmt.Errorf("HTTP %d", resp.StatusCode)
	if text != "" {
		err = fmt.Errorf("HTTP %d: %s", resp.StatusCode, model.Clip(text, model.MaxNetText))
	}
	// A 4xx other than timeout and rate limit: the request is wrong.
	if resp.StatusCode/100 == 4 && resp.StatusCode != http.StatusRequestTimeout && resp.StatusCode != http.StatusTooManyRequests {
		err = fmt.Errorf("%w: %w", ErrPermanent, err)
	}
	return err
}
