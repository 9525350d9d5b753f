package metrics

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Bounds of the HTTP server: a scraper that stalls holds a connection for
// at most writeTimeout, and at most maxScrapes scrapes run at once (more
// get 503), so /metrics never costs the monitor more than that.
const (
	readHeaderTimeout = 10 * time.Second
	writeTimeout      = 30 * time.Second
	idleTimeout       = 2 * time.Minute
	maxScrapes        = 4
	// shutdownGrace is how long a scrape in flight may finish when the
	// monitor stops.
	shutdownGrace = 2 * time.Second
)

// NewRegistry returns a registry with noctop's collector over opts and the
// Go runtime and process collectors.
func NewRegistry(opts Options) (*prometheus.Registry, error) {
	if opts.Latest == nil {
		return nil, errors.New("metrics: Options.Latest is required")
	}
	reg := prometheus.NewRegistry()
	if err := reg.Register(newCollector(opts)); err != nil { // its descriptors hold ConstLabels
		return nil, fmt.Errorf("metrics: %w", err)
	}
	// Wrapping makes a descriptor per metric and scrape: fine for the
	// runtime's few dozen series, not for the estate's.
	var rt prometheus.Registerer = reg
	if len(opts.ConstLabels) > 0 {
		rt = prometheus.WrapRegistererWith(opts.ConstLabels, reg)
	}
	for _, c := range []prometheus.Collector{
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	} {
		if err := rt.Register(c); err != nil {
			return nil, fmt.Errorf("metrics: %w", err)
		}
	}
	return reg, nil
}

// Handler serves the registry's metrics. A scrape that fails on one
// metric still gets the others.
func Handler(g prometheus.Gatherer) http.Handler {
	return promhttp.HandlerFor(g, promhttp.HandlerOpts{
		ErrorHandling:       promhttp.ContinueOnError,
		MaxRequestsInFlight: maxScrapes,
	})
}

// Server is /metrics on a bound address.
type Server struct {
	ln net.Listener
}

// Listen binds addr now, before the monitor starts, so that a bad or busy
// address stops noctop at start instead of failing quietly later. Serve
// serves it; Close releases a server never served.
func Listen(ctx context.Context, addr string) (*Server, error) {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("metrics: %w", err)
	}
	return &Server{ln: ln}, nil
}

func newHTTPServer(g prometheus.Gatherer) *http.Server {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", Handler(g))
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, "noctop: Prometheus metrics at /metrics")
	})
	return &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: readHeaderTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
	}
}

// Addr is the bound address (useful with port 0).
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// Close releases the address of a server whose Serve was never called.
func (s *Server) Close() error { return s.ln.Close() }

// Serve answers scrapes of g until ctx ends, then shuts down: scrapes in
// flight get shutdownGrace to finish, then their connections are closed.
// It returns nil after a shutdown, or the error that stopped serving.
// Call it once.
func (s *Server) Serve(ctx context.Context, g prometheus.Gatherer) error {
	srv := newHTTPServer(g)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(s.ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("metrics: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		_ = srv.Close()
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("metrics: %w", err)
	}
	return nil
}
