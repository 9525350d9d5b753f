package probes

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"regexp"
	"slices"
	"strconv"
	"strings"
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

// httpProbe is an http check made ready: its request (URL parsed, headers
// set), body_regex compiled, and a client whose transport holds the CA
// pool. A run sends the request, with its ctx, on a new connection.
type httpProbe struct {
	c        *model.Check
	req      *http.Request // each run sends a shallow copy with its ctx
	url      string        // req.URL as text, to tell a redirect's final URL
	client   *http.Client
	contains []byte // body_contains; nil when unset
	re       *regexp.Regexp
	latency  model.Threshold
	version  *versionReader // nil without `version = { ... }`
}

// PrepareHTTP is the http check's prepare step: the URL parsed, the method
// and headers checked and set on a request, body_regex compiled, the CA
// file read into a pool, and a client built around them.
func (n *Net) PrepareHTTP(t Target) (Prepared, error) {
	c := t.Check
	u, err := model.ParseCheckURL(c.URL)
	if err != nil {
		return nil, err
	}
	method := strings.ToUpper(c.Method)
	if !slices.Contains(model.HTTPMethods(), method) {
		return nil, fmt.Errorf("method %q: want one of %s", c.Method, strings.Join(model.HTTPMethods(), ", "))
	}
	req, err := http.NewRequest(method, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("request: %w", err)
	}
	req.Header.Set("User-Agent", userAgent)
	for k, s := range c.Headers {
		switch {
		case !model.ValidHeaderName(k):
			return nil, fmt.Errorf("headers: %q is not a valid header name", k)
		case s.Err() != nil:
			return nil, fmt.Errorf("header %s: %w", k, s.Err())
		case strings.EqualFold(k, "Host"):
			req.Host = s.Value()
		default:
			req.Header.Set(k, s.Value())
		}
	}
	p := &httpProbe{c: c, req: req, url: u.String(), latency: c.Latency.Threshold()}
	if c.BodyContains != "" {
		p.contains = []byte(c.BodyContains)
	}
	if c.BodyRegex != "" {
		if p.re, err = regexp.Compile(c.BodyRegex); err != nil {
			return nil, fmt.Errorf("body_regex: %w", err)
		}
	}
	if p.version, err = prepareVersion(c.VersionCapture); err != nil {
		return nil, err
	}
	var roots *x509.CertPool // nil: the system roots
	if c.CAFile != "" {
		if roots, err = n.caPool(c.CAFile); err != nil {
			return nil, err
		}
	}
	rt := &plainTransport{tr: n.httpTransport(roots, c.InsecureSkipVerify), dial: n.dialer().DialContext, buffers: &n.buffers}
	p.client = httpClient(rt, c.FollowRedirects == nil || *c.FollowRedirects)
	return p, nil
}

// httpClient is a check's client: its transport, and its redirect policy.
func httpClient(tr http.RoundTripper, follow bool) *http.Client {
	return &http.Client{Transport: tr, CheckRedirect: func(next *http.Request, via []*http.Request) error {
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
}

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

// Run sends the request (following redirects unless follow_redirects =
// false), reads a bounded body prefix and judges the status against
// expect_status (default any 2xx), the body against body_contains and
// body_regex, and the latency against its thresholds. Metrics: status_code,
// latency_ms (request start to the end of the body prefix; the primary),
// ttfb_ms, connect_ms, handshake_ms, body_bytes, redirects, and
// cert_days_left for https.
func (p *httpProbe) Run(ctx context.Context) model.Outcome {
	var cw certWatch // certs.go: the lifecycle register's certificates
	o := p.run(cw.watch(ctx))
	o.Primary = model.MetricLatency
	o.Certs = cw.certs()
	return o
}

func (p *httpProbe) run(ctx context.Context) model.Outcome {
	// Nothing to close after: with keep-alives off, net/http closes an
	// HTTP/1 connection after its response and an HTTP/2 one once idle.
	tt := newHTTPTrace()
	start := time.Now()
	tt.start = start
	// A shallow copy: net/http's client and transport never modify a
	// request (a redirect or an added header makes a new one).
	resp, err := p.client.Do(p.req.WithContext(httptrace.WithClientTrace(ctx, tt.trace())))
	if err != nil {
		return requestFailed(ctx, start, tt, err)
	}
	defer resp.Body.Close()

	body, truncated, rerr := readPrefix(resp.Body, maxBody)
	elapsed := time.Since(start)
	m := tt.metrics()
	m[model.MetricStatusCode] = float64(resp.StatusCode)
	m[model.MetricLatency] = msOf(elapsed)
	m[model.MetricBodyBytes] = float64(len(body))
	m[model.MetricRedirects] = float64(tt.requests() - 1)
	if resp.TLS != nil && len(resp.TLS.PeerCertificates) > 0 {
		m[model.MetricCertDays] = daysLeft(resp.TLS.PeerCertificates[0], time.Now())
	}
	// URLs after a redirect and headers are the server's text: cut.
	attrs := map[string]string{"proto": model.Clip(resp.Proto, 32)}
	if resp.Request != nil && resp.Request.URL.String() != p.url {
		attrs["final_url"] = model.Clip(resp.Request.URL.String(), model.MaxNetText)
	}
	if truncated {
		attrs["body_truncated"] = fmt.Sprintf("at %d bytes", maxBody)
	}
	if rerr != nil {
		s, reason := classify(ctx, start, "reading body", rerr)
		return model.Outcome{Status: s, Metrics: m, Attrs: attrs, Local: isLocal(rerr),
			Summary: model.Describe([]string{reason}, fmt.Sprintf("HTTP %d headers in %s", resp.StatusCode, fmtMS(tt.ttfb())))}
	}
	o := p.judge(resp, body, truncated, elapsed, m, attrs)
	if p.version != nil {
		p.version.capture(&o, resp.Header, body, truncated)
	}
	return o
}

// requestFailed is the outcome of a request that got no response: the
// redirect policy stopped it, or the connection failed (the trace says in
// which phase).
func requestFailed(ctx context.Context, start time.Time, tt *httpTrace, err error) model.Outcome {
	var rde *redirectError
	if errors.As(err, &rde) {
		o := model.Critical("%s", rde.Error())
		o.Metrics = tt.metrics()
		o.Metrics[model.MetricRedirects] = float64(rde.hops)
		return o
	}
	o := failure(ctx, start, tt.phase(), err)
	o.Metrics = tt.metrics()
	return o
}

// judge weighs a response that was read: status, then body, then latency.
func (p *httpProbe) judge(resp *http.Response, body []byte, truncated bool, elapsed time.Duration,
	m map[string]float64, attrs map[string]string) model.Outcome {
	facts := fmt.Sprintf("HTTP %d in %s", resp.StatusCode, fmtMS(elapsed))
	v := model.NewVerdict()
	if !statusExpected(resp.StatusCode, p.c.ExpectStatus) {
		v.Status = model.StatusCritical
		if len(p.c.ExpectStatus) > 0 {
			v.Reasons = append(v.Reasons, "expected "+joinInts(p.c.ExpectStatus))
		}
		if loc := model.Clip(resp.Header.Get("Location"), model.MaxNetText); loc != "" && resp.StatusCode/100 == 3 {
			attrs["location"] = loc
			facts += ", Location: " + loc
		}
	} else {
		cut := ""
		if truncated {
			cut = " (body truncated at 1 MiB)"
		}
		if p.contains != nil && !bytes.Contains(body, p.contains) {
			v.Add(model.StatusCritical, fmt.Sprintf("body lacks %q%s", p.c.BodyContains, cut))
		}
		if p.re != nil && !p.re.Match(body) {
			v.Add(model.StatusCritical, fmt.Sprintf("body does not match /%s/%s", p.re, cut))
		}
	}
	answered := v.Status == model.StatusOK // right status and body: only latency can fail now
	v.Judge(p.latency, "latency", m[model.MetricLatency])
	return model.Outcome{Status: v.Status, Summary: model.Describe(v.Reasons, facts), Metrics: m, Attrs: attrs, Degraded: answered}
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
