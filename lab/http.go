package lab

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"
)

// Behaviour of the HTTP endpoints.
const (
	// SlowDelay is how long /slow waits before answering: beyond the lab
	// config's latency warn (300ms), well within its timeout.
	SlowDelay = 800 * time.Millisecond
	// BigBodySize is what /big streams unless ?bytes=N says otherwise.
	BigBodySize = 100 << 20
	// SlowlorisEvery is the pause between two header bytes of /slowloris.
	SlowlorisEvery = 100 * time.Millisecond
	// DefaultVersion is what /version reports until SetVersion.
	DefaultVersion = "1.0.0"
)

// app is one lab application: a plain HTTP server on its own loopback
// address (or, for the portal, several HTTPS servers).
type app struct {
	name    string
	addr    string
	healthy atomic.Bool
	flaps   atomic.Uint64
	// version is the application's own (nil: the lab's); api is the
	// major.minor it started with, which its peers' links speak.
	version atomic.Pointer[string]
	api     string
}

func (l *Lab) startApp(name, addr string) error {
	ln, err := listen(addr)
	if err != nil {
		return err
	}
	a := &app{name: name, addr: ln.Addr().String()}
	a.healthy.Store(true)
	if name == CRM {
		v := CRMVersion
		a.version.Store(&v)
	}
	l.apps[name] = a
	a.api = apiOf(l.AppVersion(name))
	l.serveHTTP(ln, l.handler(a))
	return nil
}

// startPortal runs one HTTPS server per certificate on the portal address,
// all serving the portal application.
func (l *Lab) startPortal() error {
	a := &app{name: Portal}
	a.healthy.Store(true)
	l.apps[Portal] = a
	h := l.handler(a)
	now := time.Now()
	for _, c := range []struct {
		kind     string
		from, to time.Time
		name     string
		withIP   bool
	}{
		{CertValid, now.Add(-time.Hour), now.AddDate(1, 0, 0), PortalName, true},
		// One hour over 5 days, so that whole days left read 5 for the
		// length of a demo.
		{CertExpiring, now.AddDate(0, 0, -360), now.Add(5*24*time.Hour + time.Hour), LegacyName, true},
		{CertWrongHost, now.Add(-time.Hour), now.AddDate(1, 0, 0), OtherName, false},
	} {
		ln, err := listen(AddrPortal)
		if err != nil {
			return err
		}
		names := []string{c.name}
		if c.withIP {
			host, _, _ := net.SplitHostPort(ln.Addr().String())
			names = append(names, host)
		}
		cert, err := l.ca.Issue(c.from, c.to, names...)
		if err != nil {
			ln.Close()
			return err
		}
		l.portal[c.kind] = ln.Addr().String()
		if a.addr == "" {
			a.addr = ln.Addr().String()
		}
		l.serveHTTP(tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"h2", "http/1.1"}}), h)
	}
	return nil
}

// serveHTTP serves h on ln until Close.
func (l *Lab) serveHTTP(ln net.Listener, h http.Handler) {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		// Handshake errors from probes testing bad certificates are
		// expected; printed, they would corrupt the demo's TUI.
		ErrorLog: log.New(io.Discard, "", 0),
	}
	l.wg.Go(func() { _ = srv.Serve(ln) })
	l.servers = append(l.servers, func() { _ = srv.Close() })
}

// handler routes the lab endpoints of one application.
func (l *Lab) handler(a *app) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "noctop lab: %s\n/healthy /slow /fail /flap /version /link/{app} /big /slowloris\n", a.name)
	})
	mux.HandleFunc("GET /healthy", func(w http.ResponseWriter, r *http.Request) {
		if !a.healthy.Load() {
			http.Error(w, "down (lab outage)", http.StatusServiceUnavailable)
			return
		}
		io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("GET /slow", func(w http.ResponseWriter, r *http.Request) {
		if l.sleep(r.Context(), SlowDelay) {
			io.WriteString(w, "ok, slowly\n")
		}
	})
	mux.HandleFunc("GET /fail", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "failing on purpose", http.StatusServiceUnavailable)
	})
	mux.HandleFunc("GET /flap", func(w http.ResponseWriter, r *http.Request) {
		if a.flaps.Add(1)%2 == 0 {
			http.Error(w, "flapped down", http.StatusServiceUnavailable)
			return
		}
		io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("GET /version", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]string{"app": a.name, "version": l.AppVersion(a.name)})
	})
	mux.HandleFunc("GET /link/{peer}", l.link)
	mux.HandleFunc("GET /big", l.big)
	mux.HandleFunc("GET /slowloris", l.slowloris)
	return l.tracked(versioned(l, a, mux))
}

// versioned sets the application's version header on every response.
func versioned(l *Lab, a *app, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set(VersionHeader, l.AppVersion(a.name))
		h.ServeHTTP(w, r)
	})
}

// tracked lets Close wait for running handlers (slow, big, slowloris).
func (l *Lab) tracked(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !l.track.enter() {
			http.Error(w, "lab closing", http.StatusServiceUnavailable)
			return
		}
		defer l.track.leave()
		if !l.reachable() {
			http.Error(w, "unreachable: core-sw1 is down (lab outage)", http.StatusServiceUnavailable)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// big streams BigBodySize bytes (or ?bytes=N), stopping when the client
// goes away: a probe that reads a bounded prefix ends it early.
func (l *Lab) big(w http.ResponseWriter, r *http.Request) {
	size := int64(BigBodySize)
	if s := r.URL.Query().Get("bytes"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 {
			http.Error(w, "bytes: want a non-negative integer", http.StatusBadRequest)
			return
		}
		size = n
	}
	w.Header().Set("Content-Length", strconv.FormatInt(size, 10))
	w.Header().Set("Content-Type", "text/plain")
	chunk := make([]byte, 32<<10)
	for i := range chunk {
		chunk[i] = 'x'
	}
	for size > 0 {
		select {
		case <-l.done:
			return
		default:
		}
		n := min(size, int64(len(chunk)))
		if _, err := w.Write(chunk[:n]); err != nil {
			return
		}
		size -= n
	}
}

// slowloris answers with a status line and then one header byte every
// SlowlorisEvery, forever: headers never complete, so only the client's
// deadline ends the request.
func (l *Lab) slowloris(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	conn, buf, err := rc.Hijack()
	if err != nil {
		http.Error(w, "cannot hijack", http.StatusInternalServerError)
		return
	}
	defer conn.Close()
	// The request's ctx ends with the hijack; a write to a closed peer fails
	// within a byte or two, which ends the loop.
	ctx := context.Background()
	if _, err := buf.WriteString("HTTP/1.1 200 OK\r\nX-Slowloris: "); err != nil || buf.Flush() != nil {
		return
	}
	for l.sleep(ctx, SlowlorisEvery) {
		if _, err := conn.Write([]byte("z")); err != nil {
			return
		}
	}
}
