package probes

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"noctop/model"
)

// Servers that send megabytes of header, a 60 KB Location, a 60 KB status
// line or a redirect to a 60 KB host name: every reason and attr is cut
// with the original length.
func TestHTTPHostileServers(t *testing.T) {
	long := strings.Repeat("p", 60000)
	host := strings.Repeat("h", 60000) + ".test"
	mux := http.NewServeMux()
	mux.HandleFunc("/big-header", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Big", strings.Repeat("b", 1<<20))
	})
	mux.HandleFunc("/location", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "/"+long)
		w.WriteHeader(http.StatusFound)
	})
	mux.HandleFunc("/to-host", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "http://"+host+"/")
		w.WriteHeader(http.StatusFound)
	})
	mux.HandleFunc("/"+long, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("again") != "" { // back to itself: a loop
			http.Redirect(w, r, r.URL.String(), http.StatusFound)
		}
	})
	srv := httptest.NewUnstartedServer(mux)
	srv.Config.MaxHeaderBytes = 1 << 20 // the 60 KB request line after a redirect
	srv.Start()
	defer srv.Close()

	// Names resolve only through a server of this test, which knows none.
	ns := serveDNS(t, func(w dns.ResponseWriter, q *dns.Msg) {
		r := new(dns.Msg)
		r.SetRcode(q, dns.RcodeNameError)
		_ = w.WriteMsg(r)
	})
	n := &Net{Resolver: &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, ns)
	}}}
	const limit = 3 * model.MaxNetText
	no := false

	o := run(t, n.PrepareHTTP, httpTarget(httpCheck(srv.URL+"/big-header")), 5*time.Second)
	expect(t, o, model.StatusCritical, `server response headers exceeded 65536 bytes`)
	assertBounded(t, o, limit)

	c := httpCheck(srv.URL + "/location")
	c.FollowRedirects = &no
	o = run(t, n.PrepareHTTP, httpTarget(c), 5*time.Second)
	expect(t, o, model.StatusCritical, `HTTP 302 in [0-9.]+ ms, Location: /p{255}… \(60001 bytes\)`)
	clipped(t, "location", o.Attrs["location"], 60001)
	assertBounded(t, o, limit)

	o = run(t, n.PrepareHTTP, httpTarget(httpCheck(srv.URL+"/location")), 5*time.Second)
	expect(t, o, model.StatusOK, `HTTP 200 in [0-9.]+ ms`)
	clipped(t, "final_url", o.Attrs["final_url"], len(srv.URL)+60001)
	assertBounded(t, o, limit)

	o = run(t, n.PrepareHTTP, httpTarget(httpCheck(srv.URL+"/"+long+"?again=1")), 5*time.Second)
	expect(t, o, model.StatusCritical, `redirect loop \(1 hops, back to http://127\.0\.0\.1:[0-9]+/p+… \([0-9]+ bytes\)\)`)
	assertBounded(t, o, limit)

	o = run(t, n.PrepareHTTP, httpTarget(httpCheck(srv.URL+"/to-host")), 5*time.Second)
	expect(t, o, model.StatusCritical, `cannot resolve h{256}… \(60005 bytes\): no such host`)
	assertBounded(t, o, limit)

	// A status line of 60 KB: net/http quotes it in its error.
	addr := serveTCP(t, func(c net.Conn) {
		defer c.Close()
		_, _ = c.Read(make([]byte, 4096))
		_, _ = c.Write([]byte("HTTP/1.1 2" + long + "\r\n\r\n"))
	})
	o = run(t, n.PrepareHTTP, httpTarget(httpCheck("http://"+addr.String()+"/")), 5*time.Second)
	if o.Status != model.StatusCritical || !strings.Contains(o.Summary, `malformed HTTP status code "2ppp`) || !strings.HasSuffix(o.Summary, " bytes)") {
		t.Errorf("60 KB status line: %s %.300q", o.Status, o.Summary)
	}
	assertBounded(t, o, limit)
}
