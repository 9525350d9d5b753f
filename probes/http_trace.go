package probes

import (
	"crypto/tls"
	"net/http/httptrace"
	"sync"
	"time"

	"noctop/model"
)

// httpTrace follows a request through its phases, so that a timeout can say
// where it hit, and times connect, TLS and first byte. Callbacks may run on
// the transport's goroutines, hence the mutex. The phase's text is put
// together only when a reason needs it.
type httpTrace struct {
	mu                       sync.Mutex
	start                    time.Time
	stage, at                string // "connecting to" and "10.0.0.1:443"
	connStart, tlsStart      time.Time
	connect, tlsTime, tfirst time.Duration
	reqs                     int
}

func newHTTPTrace() *httpTrace { return &httpTrace{stage: "connecting"} }

// enter records the phase the request is in.
func (h *httpTrace) enter(stage, at string) {
	h.mu.Lock()
	h.stage, h.at = stage, at
	h.mu.Unlock()
}

func (h *httpTrace) trace() *httptrace.ClientTrace {
	return &httptrace.ClientTrace{
		GetConn: func(hostPort string) {
			h.mu.Lock()
			h.stage, h.at, h.reqs = "connecting to", hostPort, h.reqs+1
			h.mu.Unlock()
		},
		DNSStart: func(i httptrace.DNSStartInfo) { h.enter("resolving", i.Host) },
		ConnectStart: func(_, addr string) {
			h.mu.Lock()
			h.stage, h.at, h.connStart = "connecting to", addr, time.Now()
			h.mu.Unlock()
		},
		ConnectDone: func(_, _ string, err error) {
			h.mu.Lock()
			if err == nil {
				h.connect = time.Since(h.connStart)
			}
			h.mu.Unlock()
		},
		TLSHandshakeStart: func() {
			h.mu.Lock()
			h.stage, h.at, h.tlsStart = "in TLS handshake", "", time.Now()
			h.mu.Unlock()
		},
		TLSHandshakeDone: func(tls.ConnectionState, error) {
			h.mu.Lock()
			h.tlsTime = time.Since(h.tlsStart)
			h.mu.Unlock()
		},
		GotConn:      func(httptrace.GotConnInfo) { h.enter("sending request", "") },
		WroteRequest: func(httptrace.WroteRequestInfo) { h.enter("waiting for headers", "") },
		GotFirstResponseByte: func() {
			h.mu.Lock()
			h.tfirst = time.Since(h.start)
			h.mu.Unlock()
		},
	}
}

// phase is what the request was doing: "connecting to 10.0.0.1:443",
// "waiting for headers".
func (h *httpTrace) phase() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.at == "" {
		return h.stage
	}
	// After a redirect the host is the server's text: cut.
	return h.stage + " " + model.Clip(h.at, model.MaxNetText)
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
		m[model.MetricConnect] = msOf(h.connect)
	}
	if h.tlsTime > 0 {
		m[model.MetricHandshake] = msOf(h.tlsTime)
	}
	if h.tfirst > 0 {
		m[model.MetricTTFB] = msOf(h.tfirst)
	}
	return m
}
