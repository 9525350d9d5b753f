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
