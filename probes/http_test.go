package probes

import (
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"noctop/lab"
	"noctop/model"
)

func httpCheck(url string) model.Check { return model.Check{Type: model.CheckHTTP, URL: url} }

func httpTarget(c model.Check) Target { return target(model.Asset{Name: "app"}, c) }

func TestHTTPStatusAndBody(t *testing.T) {
	l := startLab(t)
	n := &Net{Resolver: l.Resolver()}
	const ms = `[0-9.]+ ms`

	c := httpCheck(l.URL(lab.WebShop, "/healthy"))
	c.BodyContains = "ok"
	o := run(t, n.PrepareHTTP, httpTarget(c), 5*time.Second)
	expect(t, o, model.StatusOK, `HTTP 200 in `+ms)
	if o.Metrics["status_code"] != 200 || o.Metrics["body_bytes"] != 3 || o.Metrics["latency_ms"] <= 0 || o.Metrics["redirects"] != 0 {
		t.Errorf("metrics = %v", o.Metrics)
	}

	c.BodyContains = "pong"
	expect(t, run(t, n.PrepareHTTP, httpTarget(c), 5*time.Second), model.StatusCritical, `body lacks "pong" — HTTP 200 in `+ms)

	o = run(t, n.PrepareHTTP, httpTarget(httpCheck(l.URL(lab.DMS, "/fail"))), 5*time.Second)
	expect(t, o, model.StatusCritical, `HTTP 503 in `+ms)
	if o.Metrics["status_code"] != 503 {
		t.Errorf("status_code = %v", o.Metrics["status_code"])
	}

	c = httpCheck(l.URL(lab.DMS, "/fail"))
	c.ExpectStatus = []int{503}
	expect(t, run(t, n.PrepareHTTP, httpTarget(c), 5*time.Second), model.StatusOK, `HTTP 503 in `+ms)
	c.ExpectStatus = []int{200, 204}
	expect(t, run(t, n.PrepareHTTP, httpTarget(c), 5*time.Second), model.StatusCritical, `expected 200, 204 — HTTP 503 in `+ms)

	c = httpCheck(l.URL(lab.WebShop, "/version"))
	c.BodyRegex = `"version":"1\.\d+\.\d+"`
	expect(t, run(t, n.PrepareHTTP, httpTarget(c), 5*time.Second), model.StatusOK, `HTTP 200 in `+ms)
	l.SetVersion("2.0.0")
	expect(t, run(t, n.PrepareHTTP, httpTarget(c), 5*time.Second), model.StatusCritical,
		`body does not match /"version":"1\\.\\d\+\\.\\d\+"/ — HTTP 200 in `+ms)

	// A method other than GET reaches the server as such (the lab routes
	// only GET, so POST is 405).
	c = httpCheck(l.URL(lab.WebShop, "/healthy"))
	c.Method = "POST"
	o405 := run(t, n.PrepareHTTP, httpTarget(c), 5*time.Second)
	expect(t, o405, model.StatusCritical, `HTTP 405 in `+ms)
	if o405.Degraded {
		t.Error("a wrong status is degraded: the service is down for its dependants")
	}
}

func TestHTTPLatency(t *testing.T) {
	l := startLab(t)
	n := &Net{}
	c := httpCheck(l.URL(lab.ERP, "/slow"))
	c.Latency = &model.DurationLimits{Warn: model.D(lab.SlowDelay / 2), Crit: model.D(time.Minute)}
	o := run(t, n.PrepareHTTP, httpTarget(c), 10*time.Second)
	expect(t, o, model.StatusWarning, `latency [0-9]+ ms >= warn 400 ms — HTTP 200 in [0-9]+ ms`)
	if !o.Degraded {
		t.Error("a slow but correct answer is not degraded")
	}
	if o.Metrics["latency_ms"] < float64(lab.SlowDelay/time.Millisecond) {
		t.Errorf("latency_ms = %v, want at least the server's delay %v", o.Metrics["latency_ms"], lab.SlowDelay)
	}
	c.Latency = &model.DurationLimits{Warn: model.D(time.Millisecond), Crit: model.D(lab.SlowDelay / 2)}
	expect(t, run(t, n.PrepareHTTP, httpTarget(c), 10*time.Second), model.StatusCritical, `latency [0-9]+ ms >= crit 400 ms — HTTP 200 in [0-9]+ ms`)
}

func TestHTTPTimeouts(t *testing.T) {
	l := startLab(t)
	n := &Net{}
	// The server answers after SlowDelay; the deadline is shorter.
	o := run(t, n.PrepareHTTP, httpTarget(httpCheck(l.URL(lab.ERP, "/slow"))), 200*time.Millisecond)
	expect(t, o, model.StatusCritical, `timeout after 200ms waiting for headers`)

	// Slow-loris: the status line arrives, the headers never end. The ctx
	// deadline must still hold.
	start := time.Now()
	o = run(t, n.PrepareHTTP, httpTarget(httpCheck(l.URL(lab.CRM, "/slowloris"))), 300*time.Millisecond)
	expect(t, o, model.StatusCritical, `timeout after 300ms waiting for headers`)
	if el := time.Since(start); el > 3*time.Second {
		t.Errorf("slow-loris probe returned after %v with a 300ms deadline", el)
	}

	// A server that accepts and never answers.
	addr := serveTCP(t, silent)
	o = run(t, n.PrepareHTTP, httpTarget(httpCheck("http://"+addr.String()+"/")), 200*time.Millisecond)
	expect(t, o, model.StatusCritical, `timeout after 200ms waiting for headers`)

	// Headers fast, body never finishes.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		w.Write([]byte("partial"))
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}))
	defer srv.Close()
	o = run(t, n.PrepareHTTP, httpTarget(httpCheck(srv.URL)), 300*time.Millisecond)
	expect(t, o, model.StatusCritical, `timeout after 300ms reading body — HTTP 200 headers in [0-9.]+ ms`)
}

// TestHTTPBigBody: a 100 MB body is not read whole: the probe stops at
// 1 MiB, and says so when matching failed on the cut body.
func TestHTTPBigBody(t *testing.T) {
	l := startLab(t)
	n := &Net{}
	c := httpCheck(l.URL(lab.WebShop, "/big"))
	o := run(t, n.PrepareHTTP, httpTarget(c), 10*time.Second)
	expect(t, o, model.StatusOK, `HTTP 200 in [0-9.]+ ms`)
	if o.Metrics["body_bytes"] != maxBody || o.Attrs["body_truncated"] == "" {
		t.Errorf("body_bytes = %v, truncated = %q; want %d and a note", o.Metrics["body_bytes"], o.Attrs["body_truncated"], maxBody)
	}
	c.BodyContains = "needle"
	expect(t, run(t, n.PrepareHTTP, httpTarget(c), 10*time.Second), model.StatusCritical,
		`body lacks "needle" \(body truncated at 1 MiB\) — HTTP 200 in [0-9.]+ ms`)
	// Exactly 1 MiB is not truncated.
	c = httpCheck(l.URL(lab.WebShop, "/big?bytes="+strconv.Itoa(maxBody)))
	c.BodyContains = "needle"
	expect(t, run(t, n.PrepareHTTP, httpTarget(c), 10*time.Second), model.StatusCritical, `body lacks "needle" — HTTP 200 in [0-9.]+ ms`)
}

func TestHTTPConnectionErrors(t *testing.T) {
	l := startLab(t)
	n := &Net{Resolver: l.Resolver()}
	host, port := closedPort(t)
	o := run(t, n.PrepareHTTP, httpTarget(httpCheck(fmt.Sprintf("http://%s:%d/", host, port))), 5*time.Second)
	expect(t, o, model.StatusCritical, `connection refused by `+regexp.QuoteMeta(net.JoinHostPort(host, strconv.Itoa(port))))

	// The name is looked up in the lab zone, which answers NXDOMAIN.
	o = run(t, n.PrepareHTTP, httpTarget(httpCheck("http://nope."+lab.Zone+":80/")), 5*time.Second)
	expect(t, o, model.StatusCritical, `cannot resolve nope\.lab\.noctop\.test: no such host`)

	// And a name the lab knows resolves to the lab's server.
	_, p, _ := net.SplitHostPort(l.AppAddr(lab.WebShop))
	o = run(t, n.PrepareHTTP, httpTarget(httpCheck("http://"+lab.WWWName+":"+p+"/healthy")), 5*time.Second)
	expect(t, o, model.StatusOK, `HTTP 200 in [0-9.]+ ms`)

	addr := serveTCP(t, resetting(true))
	o = run(t, n.PrepareHTTP, httpTarget(httpCheck("http://"+addr.String()+"/")), 5*time.Second)
	expect(t, o, model.StatusCritical, `connection reset by peer`)

	// The server closes without a word.
	addr = serveTCP(t, func(c net.Conn) { c.Read(make([]byte, 1024)); c.Close() })
	o = run(t, n.PrepareHTTP, httpTarget(httpCheck("http://"+addr.String()+"/")), 5*time.Second)
	expect(t, o, model.StatusCritical, `connection closed by server waiting for headers`)
}

func TestHTTPRedirects(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/r1", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/r2", http.StatusFound) })
	mux.HandleFunc("/r2", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/ok", http.StatusMovedPermanently) })
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok") })
	mux.HandleFunc("/loop-a", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop-b", http.StatusFound) })
	mux.HandleFunc("/loop-b", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop-a", http.StatusFound) })
	mux.HandleFunc("/chain/{n}", func(w http.ResponseWriter, r *http.Request) {
		k, _ := strconv.Atoi(r.PathValue("n"))
		http.Redirect(w, r, fmt.Sprintf("/chain/%d", k+1), http.StatusFound)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	n := &Net{}

	c := httpCheck(srv.URL + "/r1")
	c.BodyContains = "ok"
	o := run(t, n.PrepareHTTP, httpTarget(c), 5*time.Second)
	expect(t, o, model.StatusOK, `HTTP 200 in [0-9.]+ ms`)
	if o.Metrics["redirects"] != 2 || o.Attrs["final_url"] != srv.URL+"/ok" {
		t.Errorf("redirects = %v, final_url = %q", o.Metrics["redirects"], o.Attrs["final_url"])
	}

	no := false
	c = httpCheck(srv.URL + "/r1")
	c.FollowRedirects = &no
	o = run(t, n.PrepareHTTP, httpTarget(c), 5*time.Second)
	expect(t, o, model.StatusCritical, `HTTP 302 in [0-9.]+ ms, Location: /r2`)
	if o.Attrs["location"] != "/r2" {
		t.Errorf("location attr = %q", o.Attrs["location"])
	}
	c.ExpectStatus = []int{302}
	expect(t, run(t, n.PrepareHTTP, httpTarget(c), 5*time.Second), model.StatusOK, `HTTP 302 in [0-9.]+ ms`)

	o = run(t, n.PrepareHTTP, httpTarget(httpCheck(srv.URL+"/loop-a")), 5*time.Second)
	expect(t, o, model.StatusCritical, `redirect loop \(2 hops, back to `+srv.URL+`/loop-a\)`)

	o = run(t, n.PrepareHTTP, httpTarget(httpCheck(srv.URL+"/chain/0")), 5*time.Second)
	expect(t, o, model.StatusCritical, `too many redirects \(10 hops, last to `+srv.URL+`/chain/10\)`)
	if o.Metrics["redirects"] != 10 {
		t.Errorf("redirects = %v", o.Metrics["redirects"])
	}
}

func TestHTTPS(t *testing.T) {
	l := startLab(t)
	n := &Net{}
	valid := "https://" + l.TLSAddr(lab.CertValid) + "/healthy"

	c := httpCheck(valid)
	c.CAFile = l.CAFile()
	o := run(t, n.PrepareHTTP, httpTarget(c), 5*time.Second)
	expect(t, o, model.StatusOK, `HTTP 200 in [0-9.]+ ms`)
	if d := o.Metrics["cert_days_left"]; d < 360 || d > 366 {
		t.Errorf("cert_days_left = %v, want ~365", d)
	}
	if o.Metrics["handshake_ms"] <= 0 || o.Attrs["proto"] != "HTTP/2.0" {
		t.Errorf("handshake_ms = %v, proto = %q", o.Metrics["handshake_ms"], o.Attrs["proto"])
	}

	expect(t, run(t, n.PrepareHTTP, httpTarget(httpCheck(valid)), 5*time.Second), model.StatusCritical,
		`TLS: certificate signed by unknown authority \(issuer noctop lab CA\)`)

	c = httpCheck(valid)
	c.InsecureSkipVerify = true
	expect(t, run(t, n.PrepareHTTP, httpTarget(c), 5*time.Second), model.StatusOK, `HTTP 200 in [0-9.]+ ms`)

	c = httpCheck("https://" + l.TLSAddr(lab.CertWrongHost) + "/healthy")
	c.CAFile = l.CAFile()
	host, _, _ := net.SplitHostPort(l.TLSAddr(lab.CertWrongHost))
	expect(t, run(t, n.PrepareHTTP, httpTarget(c), 5*time.Second), model.StatusCritical,
		`TLS: certificate is valid for other\.lab\.noctop\.test, not `+strings.ReplaceAll(host, ".", `\.`))

	// An expired certificate from the same CA.
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	cert, err := l.CA().Issue(time.Now().AddDate(0, 0, -30), time.Now().AddDate(0, 0, -2), "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	srv.TLS = tlsConfigFor(cert)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the handshake fails on purpose
	srv.StartTLS()
	defer srv.Close()
	c = httpCheck(srv.URL)
	c.CAFile = l.CAFile()
	expect(t, run(t, n.PrepareHTTP, httpTarget(c), 5*time.Second), model.StatusCritical,
		`TLS: certificate expired [0-9-]{10} \(2 d ago\)`)

	// https to a plain HTTP server.
	expect(t, run(t, n.PrepareHTTP, httpTarget(httpCheck(strings.Replace(l.URL(lab.WebShop, "/"), "http:", "https:", 1))), 5*time.Second),
		model.StatusCritical, `http: server gave HTTP response to HTTPS client`)
}

func TestHTTPHeadersAndConfigErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Token") != "s3cret" || r.Host != "erp.example.test" {
			http.Error(w, "who are you", http.StatusUnauthorized)
		}
	}))
	defer srv.Close()
	n := &Net{}
	t.Setenv("NOCTOP_TEST_TOKEN", "s3cret")
	c := httpCheck(srv.URL)
	c.Headers = map[string]model.Secret{"X-Token": model.NewSecret("env:NOCTOP_TEST_TOKEN"), "Host": model.NewSecret("erp.example.test")}
	expect(t, run(t, n.PrepareHTTP, httpTarget(c), 5*time.Second), model.StatusOK, `HTTP 200 in [0-9.]+ ms`)
	c.Headers["Host"] = model.NewSecret("other.example.test")
	expect(t, run(t, n.PrepareHTTP, httpTarget(c), 5*time.Second), model.StatusCritical, `HTTP 401 in [0-9.]+ ms`)

	c.Headers = map[string]model.Secret{"X-Token": model.NewSecret("env:NOCTOP_TEST_UNSET_VAR")}
	expect(t, run(t, n.PrepareHTTP, httpTarget(c), time.Second), model.StatusUnknown,
		`header X-Token: secret not readable: environment variable NOCTOP_TEST_UNSET_VAR is not set`)

	for _, tc := range []struct {
		mutate func(*model.Check)
		reason string
	}{
		{func(c *model.Check) { c.URL = "ftp://x/" }, `url "ftp://x/": want http:// or https:// with a host`},
		{func(c *model.Check) { c.URL = "http://" }, `url "http://": want http:// or https:// with a host`},
		{func(c *model.Check) { c.BodyRegex = "(" }, `body_regex: error parsing regexp: missing closing \): .*`},
		{func(c *model.Check) { c.CAFile = "/nonexistent/ca.pem" }, `ca_file: stat /nonexistent/ca.pem: no such file or directory`},
		{func(c *model.Check) { c.Method = "BAD METHOD" }, `method "BAD METHOD": want one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, CONNECT, TRACE`},
	} {
		c := httpCheck(srv.URL)
		tc.mutate(&c)
		expect(t, run(t, n.PrepareHTTP, httpTarget(c), time.Second), model.StatusUnknown, tc.reason)
	}
}
