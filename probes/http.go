package probes

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"noctop/model"
)

const (
	// maxBody bounds what an http check reads of a body: enough for any
	// health page, and a 100 MB download costs no more than this.
	maxBody = 1 << 20
	// maxRedirects is the hop limit when following redirects (as curl -L
	// --max-redirs 10 and Go's default client).
	maxRedirects = 10
	userAgent    = "noctop-probe/1"
)

// redirectError stops a redirect chain that loops or runs too long.
type redirectError struct {
	hops int
	loop bool
	to   string
}

func (e *redirectError) Error() string {
	if e.loop {
		return fmt.Sprintf("redirect loop (%d hops, back to %s)", e.hops, e.to)
	}
	return fmt.Sprintf("too many redirects (%d hops, last to %s)", e.hops, e.to)
}

// HTTP runs one http check: one request (following redirects unless
// follow_redirects = false), the status against expect_status (default any
// 2xx), a bounded body prefix against body_contains and body_regex, and the
// latency against its thresholds. Metrics: status_code, latency_ms (request
// start to the end of the body prefix), ttfb_ms, connect_ms, tls_ms,
// body_bytes, redirects, and tls_days_left for https.
func (n *Net) HTTP(ctx context.Context, t Target) model.Outcome {
	c := t.Check
	u, err := url.Parse(c.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return model.Unknown("url %q: want http:// or https:// and a host", c.URL)
	}
	var re *regexp.Regexp
	if c.BodyRegex != "" {
		if re, err = regexp.Compile(c.BodyRegex); err != nil {
			return model.Unknown("body_regex: %v", err)
		}
	}
	roots, err := rootPool(c.CAFile)
	if err != nil {
		return model.Unknown("%v", err)
	}
	method := c.Method
	if method == "" {
		method = model.DefaultHTTPMethod
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), nil)
	if err != nil {
		return model.Unknown("request: %v", err)
	}
	req.Header.Set("User-Agent", userAgent)
	for k, s := range c.Headers {
		if s.Err() != nil {
			return model.Unknown("header %s: %v", k, s.Err())
		}
		if strings.EqualFold(k, "Host") {
			req.Host = s.Value()
			continue
		}
		req.Header.Set(k, s.Value())
	}

	tr := &http.Transport{
		DialContext:       n.dialer().DialContext,
		TLSClientConfig:   &tls.Config{RootCAs: roots, InsecureSkipVerify: c.InsecureSkipVerify},
		DisableKeepAlives: true,
		ForceAttemptHTTP2: true,
		// No proxy: a monitor measures the endpoint itself, and an
		// HTTP_PROXY in the environment must not reroute checks.
		Proxy:                  nil,
		MaxResponseHeaderBytes: 64 << 10,
	}
	defer tr.CloseIdleConnections()
	follow := c.FollowRedirects == nil || *c.FollowRedirects
	client := &http.Client{Transport: tr, CheckRedirect: func(next *http.Request, via []*http.Request) error {
		if !follow {
			return http.ErrUseLastResponse
		}
		to := next.URL.String()
		for _, v := range via {
			if v.URL.String() == to && v.Method == next.Method {
				return &redirectError{hops: len(via), loop: true, to: model.Clip(to, model.MaxNetText)}
			}
		}
		if len(via) >= maxRedirects {
			return &redirectError{hops: len(via), to: model.Clip(to, model.MaxNetText)}
		}
		return nil
	}}

	tt := newHTTPTrace()
	start := time.Now()
	tt.start = start
	resp, err := client.Do(req.WithContext(httptrace.WithClientTrace(ctx, tt.trace())))
	if err != nil {
		var rde *redirectError
		if errors.As(err, &rde) {
			o := model.Critical("%s", rde.Error())
			o.Metrics = tt.metrics()
			o.Metrics["redirects"] = float64(rde.hops)
			return o
		}
		o := failure(ctx, start, tt.phase(), err)
		o.Metrics = tt.metrics()
		return o
	}
	defer resp.Body.Close()

	body, truncated, rerr := readPrefix(resp.Body, maxBody)
	elapsed := time.Since(start)
	m := tt.metrics()
	m["status_code"] = float64(resp.StatusCode)
	m["latency_ms"] = msOf(elapsed)
	m["body_bytes"] = float64(len(body))
	m["redirects"] = float64(tt.requests() - 1)
	// URLs after a redirect and headers are the server's text: cut.
	attrs := map[string]string{"proto": model.Clip(resp.Proto, 32)}
	if resp.Request != nil && resp.Request.URL.String() != u.String() {
		attrs["final_url"] = model.Clip(resp.Request.URL.String(), model.MaxNetText)
	}
	if truncated {
		attrs["body_truncated"] = fmt.Sprintf("at %d bytes", maxBody)
	}
	if resp.TLS != nil && len(resp.TLS.PeerCertificates) > 0 {
		m["tls_days_left"] = daysLeft(resp.TLS.PeerCertificates[0], time.Now())
	}
	if rerr != nil {
		s, reason := classify(ctx, start, "reading body", rerr)
		return model.Outcome{Status: s, Metrics: m, Attrs: attrs, Local: isLocal(rerr),
			Summary: fmt.Sprintf("HTTP %d headers in %s, then %s", resp.StatusCode, fmtMS(tt.ttfb()), reason)}
	}

	base := fmt.Sprintf("HTTP %d in %s", resp.StatusCode, fmtMS(elapsed))
	v := model.NewVerdict()
	if !statusExpected(resp.StatusCode, c.ExpectStatus) {
		v.Status = model.StatusCritical
		if loc := model.Clip(resp.Header.Get("Location"), model.MaxNetText); loc != "" && resp.StatusCode/100 == 3 {
			attrs["location"] = loc
			base += ", Location: " + loc
		}
		if len(c.ExpectStatus) > 0 {
			base += ", expected " + joinInts(c.ExpectStatus)
		}
	} else {
		cut := ""
		if truncated {
			cut = " (body truncated at 1 MiB)"
		}
		if c.BodyContains != "" && !bytes.Contains(body, []byte(c.BodyContains)) {
			v.Add(model.StatusCritical, fmt.Sprintf("body lacks %q%s", c.BodyContains, cut))
		}
		if re != nil && !re.Match(body) {
			v.Add(model.StatusCritical, fmt.Sprintf("body does not match /%s/%s", re, cut))
		}
	}
	answered := v.Status == model.StatusOK // right status and body: only latency can fail now
	v.Judge(c.Latency.Threshold(), "latency", m["latency_ms"])
	summary := base
	if len(v.Reasons) > 0 {
		summary += ", " + v.Reason("")
	}
	return model.Outcome{Status: v.Status, Summary: summary, Metrics: m, Attrs: attrs, Degraded: answered}
}

// statusExpected: any 2xx when the list is empty, else membership.
func statusExpected(code int, want []int) bool {
	if len(want) == 0 {
		return code >= 200 && code < 300
	}
	return slices.Contains(want, code)
}

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ", ")
}

// readPrefix reads at most limit bytes and reports whether more followed.
// It never reads the rest: closing the body drops the connection.
func readPrefix(r io.Reader, limit int) (body []byte, truncated bool, err error) {
	body, err = io.ReadAll(io.LimitReader(r, int64(limit)+1))
	if len(body) > limit {
		return body[:limit], true, nil
	}
	return body, false, err
}

// httpTrace follows a request through its phases, so that a timeout can say
// where it hit, and times connect, TLS and first byte. Callbacks may run on
// the transport's goroutines, hence the mutex.
type httpTrace struct {
	mu                       sync.Mutex
	start                    time.Time
	stage                    string
	connStart, tlsStart      time.Time
	connect, tlsTime, tfirst time.Duration
	reqs                     int
}

func newHTTPTrace() *httpTrace { return &httpTrace{stage: "connecting"} }

func (h *httpTrace) set(f func()) {
	h.mu.Lock()
	f()
	h.mu.Unlock()
}

func (h *httpTrace) trace() *httptrace.ClientTrace {
	return &httptrace.ClientTrace{
		GetConn: func(hostPort string) {
			// After a redirect the host is the server's text: cut.
			h.set(func() { h.stage, h.reqs = "connecting to "+model.Clip(hostPort, model.MaxNetText), h.reqs+1 })
		},
		DNSStart: func(i httptrace.DNSStartInfo) {
			h.set(func() { h.stage = "resolving " + model.Clip(i.Host, model.MaxNetText) })
		},
		ConnectStart: func(_, addr string) {
			h.set(func() { h.stage, h.connStart = "connecting to "+addr, time.Now() })
		},
		ConnectDone: func(_, _ string, err error) {
			h.set(func() {
				if err == nil {
					h.connect = time.Since(h.connStart)
				}
			})
		},
		TLSHandshakeStart: func() { h.set(func() { h.stage, h.tlsStart = "in TLS handshake", time.Now() }) },
		TLSHandshakeDone: func(tls.ConnectionState, error) {
			h.set(func() { h.tlsTime = time.Since(h.tlsStart) })
		},
		GotConn:              func(httptrace.GotConnInfo) { h.set(func() { h.stage = "sending request" }) },
		WroteRequest:         func(httptrace.WroteRequestInfo) { h.set(func() { h.stage = "waiting for headers" }) },
		GotFirstResponseByte: func() { h.set(func() { h.tfirst = time.Since(h.start) }) },
	}
}

func (h *httpTrace) phase() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.stage
}

func (h *httpTrace) ttfb() time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.tfirst
}

func (h *httpTrace) requests() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return max(h.reqs, 1)
}

// metrics are the timings of the last hop that got that far.
func (h *httpTrace) metrics() map[string]float64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	m := map[string]float64{}
	if h.connect > 0 {
		m["connect_ms"] = msOf(h.connect)
	}
	if h.tlsTime > 0 {
		m["tls_ms"] = msOf(h.tlsTime)
	}
	if h.tfirst > 0 {
		m["ttfb_ms"] = msOf(h.tfirst)
	}
	return m
}
