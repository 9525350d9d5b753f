package probes

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"noctop/model"
)

// A plain-HTTP run on its own connection: what goes on the wire (one
// request, Connection: close, no compression asked for), interim 1xx
// answers skipped, first byte and connect timed, the connection closed.
func TestPlainHTTPOnTheWire(t *testing.T) {
	reqs := make(chan *http.Request, 1)
	closed := make(chan bool, 1)
	addr := serveTCP(t, func(c net.Conn) {
		defer c.Close()
		r, err := http.ReadRequest(bufio.NewReader(c))
		if err != nil {
			t.Errorf("server: %v", err)
			return
		}
		reqs <- r
		_, _ = c.Write([]byte("HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n" +
			"HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\nhealthy"))
		// The probe hangs up once it has the body: a read then ends.
		_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
		_, err = c.Read(make([]byte, 1))
		closed <- err != nil && !isTimeoutErr(err)
	})
	c := httpCheck("http://" + addr.String() + "/health")
	c.BodyContains = "healthy"
	o := run(t, (&Net{}).PrepareHTTP, httpTarget(c), 5*time.Second)
	expect(t, o, model.StatusOK, `HTTP 200 in [0-9.]+ ms`)
	for _, m := range []string{model.MetricConnect, model.MetricTTFB, model.MetricLatency} {
		if _, ok := o.Metrics[m]; !ok {
			t.Errorf("metric %s missing: %v", m, o.Metrics)
		}
	}
	if o.Metrics[model.MetricStatusCode] != 200 || o.Metrics[model.MetricBodyBytes] != 7 || o.Attrs["proto"] != "HTTP/1.1" {
		t.Errorf("metrics %v attrs %v", o.Metrics, o.Attrs)
	}
	r := <-reqs
	if r.URL.Path != "/health" || r.Header.Get("User-Agent") != userAgent || !r.Close || r.Header.Get("Accept-Encoding") != "" {
		t.Errorf("request %s %s, headers %v, close %v", r.Method, r.URL, r.Header, r.Close)
	}
	if !<-closed {
		t.Error("the probe left its connection open")
	}
}

func isTimeoutErr(err error) bool {
	ne, ok := err.(net.Error)
	return ok && ne.Timeout()
}

// A server that hangs up in the middle of its headers, or never answers:
// the reason names the phase, as the transport's did.
func TestPlainHTTPBrokenAnswers(t *testing.T) {
	cut := serveTCP(t, func(c net.Conn) {
		defer c.Close()
		_, _ = c.Read(make([]byte, 4096))
		_, _ = c.Write([]byte("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n"))
	})
	o := run(t, (&Net{}).PrepareHTTP, httpTarget(httpCheck("http://"+cut.String()+"/")), 5*time.Second)
	expect(t, o, model.StatusCritical, `connection closed by server waiting for headers`)
	silent := serveTCP(t, func(c net.Conn) {
		defer c.Close()
		_, _ = c.Read(make([]byte, 4096))
		_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
		_, _ = c.Read(make([]byte, 1)) // until the probe gives up
	})
	o = run(t, (&Net{}).PrepareHTTP, httpTarget(httpCheck("http://"+silent.String()+"/")), 300*time.Millisecond)
	expect(t, o, model.StatusCritical, `timeout after 300ms waiting for headers`)
}

// Checks of one Net share pooled buffers: many at once, rounds after
// rounds, each reads its own answer (bodies longer than the read buffer),
// and a body closed twice gives its buffers back once.
func TestPlainHTTPBuffersShared(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = fmt.Fprintf(w, "%s%s-end", strings.Repeat("x", 6000), r.URL.Path)
	}))
	t.Cleanup(srv.Close)
	n := &Net{}
	probes := make([]Prepared, 40)
	for i := range probes {
		c := httpCheck(fmt.Sprintf("%s/p%d", srv.URL, i))
		c.BodyContains = fmt.Sprintf("/p%d-end", i)
		p, err := n.PrepareHTTP(httpTarget(c))
		if err != nil {
			t.Fatal(err)
		}
		probes[i] = p
	}
	for round := range 3 {
		var wg sync.WaitGroup
		for i, p := range probes {
			wg.Go(func() {
				ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
				defer cancel()
				if o := p.Run(ctx); o.Status != model.StatusOK {
					t.Errorf("round %d, /p%d: %s %s", round, i, o.Status, o.Summary)
				}
			})
		}
		wg.Wait()
	}

	rt := &plainTransport{dial: n.dialer().DialContext, buffers: &n.buffers}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+"/twice", nil)
	if err != nil {
		t.Fatal(err)
	}
	for rt.buffers.Get() != nil { // empty the pool
	}
	resp, err := rt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	_ = resp.Body.Close()
	if a, b := rt.buffers.Get(), rt.buffers.Get(); a != nil && a == b {
		t.Error("a body closed twice put its buffers in the pool twice")
	}
}
